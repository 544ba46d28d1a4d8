"""Errors that name the file, line and field of bad input, in messages of bounded size.

Bounds: a value echoed in a message is cut to ``MAX_VALUE`` characters (its length is said), a whole
message to ``MAX_MESSAGE``; a ``SeedError`` lists at most ``MAX_PER_FILE`` problems per file (a
screenful) and counts the rest. ``SeedError.problems`` always holds every problem.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

#: Longest value (a quoted name, an amount…) a message repeats before cutting it.
MAX_VALUE = 80
#: Longest message or field name.
MAX_MESSAGE = 600
#: Problems listed per file in a SeedError's text; the rest are counted.
MAX_PER_FILE = 20

_CLIPPED = re.compile(r"^.{0,%d}… \(\d+ characters\)$" % MAX_MESSAGE, re.S)
# a quoted value: the opening quote starts a word, the closing one ends it
_QUOTED = re.compile(r"(?:^|(?<=[\s(:,]))'([^'\s][^']{%d,}?)'(?=$|[\s),.:;])" % MAX_VALUE, re.S)


def clip(text: str, limit: int = MAX_VALUE) -> str:
    """``text`` cut to about ``limit`` characters, saying how long it was; line breaks shown as ``\\n``.

    >>> clip("x" * 1000, 20)
    'xxxxxxxxxxxxxxxxxxxx… (1000 characters)'
    >>> clip("short")
    'short'
    """
    flat = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(flat) <= limit or _CLIPPED.match(flat):  # short, or cut already
        return flat
    return f"{flat[:limit]}… ({len(text)} characters)"


def bounded(message: str) -> str:
    """A message with every long quoted value clipped, then the whole cut to ``MAX_MESSAGE``.

    >>> bounded("'" + "a" * 500 + "' is not an amount")
    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (500 characters)' is not an amount"
    """
    out = _QUOTED.sub(lambda m: "'" + clip(m.group(1)) + "'", message)
    return clip(out, MAX_MESSAGE) if len(out) > MAX_MESSAGE else out


@dataclass(frozen=True, order=True)
class SeedProblem:
    """One problem in one seed file: where it is and what was expected (field and message bounded)."""

    file: str
    line: int
    field: str
    message: str

    def __post_init__(self) -> None:
        if len(self.field) > MAX_VALUE:
            object.__setattr__(self, "field", clip(self.field))
        if len(self.message) > MAX_VALUE:
            object.__setattr__(self, "message", bounded(self.message))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class SeedError(Exception):
    """Raised when seeds do not validate. Holds every problem found, sorted; its text is a screenful per file."""

    def __init__(self, problems: list[SeedProblem]):
        self.problems = sorted(set(problems))
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the seeds; nothing was written"
        per_file = Counter(p.file for p in self.problems)
        shown: Counter[str] = Counter()
        lines = [head]
        for p in self.problems:
            shown[p.file] += 1
            if shown[p.file] <= MAX_PER_FILE:
                lines.append(f"  {p}")
            if shown[p.file] == per_file[p.file] and per_file[p.file] > MAX_PER_FILE:
                rest = per_file[p.file] - MAX_PER_FILE
                lines.append(f"  … and {rest} more problem{'s' if rest != 1 else ''} in {p.file}")
        return "\n".join(lines)


class DealgraphError(Exception):
    """A failure with a one-line reason for the user (bad option, store not reachable…)."""
