"""Errors that name the file, line and field of bad input."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SeedProblem:
    """One problem in one seed file: where it is and what was expected."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class SeedError(Exception):
    """Raised when seeds do not validate. Holds every problem found, sorted."""

    def __init__(self, problems: list[SeedProblem]):
        self.problems = sorted(set(problems))
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the seeds; nothing was written"
        return head + "\n" + "\n".join(f"  {p}" for p in self.problems)


class DealgraphError(Exception):
    """A failure with a one-line reason for the user (bad option, store not reachable…)."""
