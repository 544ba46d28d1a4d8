"""What an import reports: its problems (row, column, value, message), grouped into a screenful, and its result."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import MAX_PER_FILE, DealgraphError, clip
from .tables import cell_text

KINDS = ("sources", "organizations", "assets", "deals")


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ImportProblem:
    """One problem with one cell (or row) of the imported file."""

    row: int | None
    column: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        head = ", ".join(where)
        if self.value is not None:
            head += f" ('{show_value(self.value)}')"
        return f"{head}: {self.message}" if head else self.message


class ImportFailed(DealgraphError):
    """The file cannot be imported; holds every problem found. Nothing was written."""

    def __init__(self, file: str, problems: list[ImportProblem]):
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        n = len(problems)
        lines = "\n".join(f"  {line}" for line in group_problems(self.problems))
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in {file}; nothing was imported\n{lines}")


def group_problems(problems: list[ImportProblem], examples: int = 3) -> list[str]:
    """A screenful of lines for ``problems``: the same problem in several rows (same column, same message
    but for the quoted value) is one line with a count and the first ``examples`` rows; at most
    ``MAX_PER_FILE`` lines, then a count of the rest.

    >>> ps = [ImportProblem(r, "Licensor", f"Name {r}", f"no organization matches 'Name {r}'") for r in (2, 3, 4, 5)]
    >>> group_problems(ps)
    ["4 rows, column 'Licensor': no organization matches '…' (e.g. row 2 ('Name 2'), row 3 ('Name 3'), row 4 ('Name 4'), …)"]
    """
    groups: dict[tuple[str | None, str], list[ImportProblem]] = {}
    for p in problems:
        pattern = re.sub(r"^(deal|new organization|new asset) \S+: ", r"\1 …: ", p.message)
        groups.setdefault((p.column, re.sub(r"'[^']*'", "'…'", pattern)), []).append(p)
    lines: list[str] = []
    for (column, pattern), ps in groups.items():
        if len(ps) == 1:
            lines.append(str(ps[0]))
            continue
        shown = ", ".join(f"row {p.row} ('{show_value(p.value)}')" if p.value is not None else f"row {p.row}"
                          for p in ps[:examples])
        more = ", …" if len(ps) > examples else ""
        where = f", column '{column}'" if column else ""
        lines.append(f"{len(ps)} rows{where}: {pattern} (e.g. {shown}{more})")
    if len(lines) > MAX_PER_FILE:
        rest = sum(len(ps) for ps in list(groups.values())[MAX_PER_FILE:])
        lines = lines[:MAX_PER_FILE] + [f"… and {rest} more problem{'s' if rest != 1 else ''}"]
    return lines


@dataclass
class Item:
    """One line of the import report."""

    action: str            # added | updated | unchanged | matched
    kind: str              # sources | organizations | assets | deals
    id: str
    rows: list[int] = field(default_factory=list)
    detail: str = ""


@dataclass
class ImportResult:
    file: Path
    source_id: str
    dry_run: bool
    items: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)   # seed files (and document) written, or that would be
    document: Path | None = None                      # the copy of the cited document in the docs folder

    def count(self, action: str, kind: str | None = None) -> int:
        return sum(1 for i in self.items if i.action == action and (kind is None or i.kind == kind))

    def summary(self) -> dict[str, dict[str, int]]:
        """{action: {kind: n}} for every action and kind."""
        return {a: {k: self.count(a, k) for k in KINDS} for a in ("added", "updated", "unchanged", "matched")}

    def rows(self) -> list[dict[str, Any]]:
        order = {"added": 0, "updated": 1, "unchanged": 2, "matched": 3}
        items = sorted(self.items, key=lambda i: (order[i.action], KINDS.index(i.kind), i.rows[:1], i.id))
        return [{"action": i.action, "kind": i.kind, "id": i.id, "rows": ", ".join(map(str, i.rows)),
                 "detail": i.detail} for i in items]


def show_value(v: Any) -> str:
    text = "; ".join(map(cell_text, v)) if isinstance(v, list) else cell_text(v)
    return clip(re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text))
