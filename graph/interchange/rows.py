"""Reading one row of a deal list through the mapping: cells by mapping key, vocabulary words, money, dates,
and the cells refused outright (formula-looking text)."""
from __future__ import annotations

import re
from typing import Any

from ..core.csvsafe import FORMULA_STARTS
from ..models.vocabulary import vocabulary
from .mapping import TRANSLATED_BY, VALUE_KINDS, Mapping
from .results import ImportProblem
from .tables import Row, Table, cell_text

NEGATIVE_RE = re.compile(r"^-\s*[0-9][0-9,]*(?:\.[0-9]+)?$")
NUMBER_RE = re.compile(r"^[0-9][0-9,]*(?:\.[0-9]+)?$")
SCALED_RE = re.compile(r"^[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:thousand|million|billion|k|m|mn|b|bn)$", re.I)


def formula_cells(table: Table) -> list[ImportProblem]:
    """Text cells a spreadsheet would run as a formula (they start with = + - @, a tab or a carriage
    return; a negative number aside): refused, so no formula ever reaches the seeds or a CSV output."""
    out = []
    for row in table.rows:
        for col, v in row.cells.items():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, str) and x.startswith(FORMULA_STARTS) and not NEGATIVE_RE.match(x):
                    out.append(ImportProblem(row.number, col, x, f"looks like a spreadsheet formula (it starts with "
                                                                 f"{x[0]!r}); write the value itself"))
    return out


# --------------------------------------------------------------------------- reading one row
class RowReader:
    """Cell access for one mapping: raw cells, split lists, translated vocabulary words."""

    def __init__(self, m: Mapping):
        self.m = m
        self.v = vocabulary()
        self.tables = {k: {str(a).casefold(): b for a, b in t.items()} for k, t in m.values.items()}

    def column(self, key: str) -> str | None:
        return self.m.columns.get(key)

    def raw(self, row: Row, key: str) -> Any:
        col = self.column(key)
        return row.cells.get(col) if col else None

    def items(self, row: Row, key: str) -> list[str]:
        """The cell split on the list separator (a JSON list is taken as is)."""
        v = self.raw(row, key)
        if v is None:
            return []
        parts = v if isinstance(v, list) else cell_text(v).split(self.m.list_separator)
        return [p for p in (cell_text(x).strip() for x in parts) if p]

    def word(self, kind: str, text: str) -> str:
        """A cell's word as a vocabulary key: the mapping's table, else a key or label written in any case."""
        hit = self.tables.get(kind, {}).get(text.casefold())
        if hit is not None:
            return hit
        vocab = getattr(self.v, VALUE_KINDS[kind])
        if kind == "country":
            vocab = {c: self.v.places[c] for c in vocab}
        for key, concept in vocab.items():
            if text.casefold() in (key.casefold(), concept.label.casefold()):
                return key
        return text

    def value(self, row: Row, key: str, default_key: str | None = None) -> Any:
        """Translated cell of ``key``, else the mapping's default."""
        v = self.raw(row, key)
        if v is None:
            return self.m.default(default_key or key)
        if key in TRANSLATED_BY:
            return self.word(TRANSLATED_BY[key], cell_text(v))
        return cell_text(v)

    def words(self, row: Row, key: str) -> list[str]:
        items = self.items(row, key)
        if not items:
            d = self.m.default(key)
            return [] if d is None else (d if isinstance(d, list) else [d])
        return [self.word(TRANSLATED_BY[key], x) for x in items]

    def money(self, row: Row, kind: str) -> tuple[str | None, str | None]:
        """(phrase, problem) for a money cell: bare numbers get the currency, scale and qualifier."""
        v = self.raw(row, kind)
        if v is None:
            return None, None
        text = cell_text(v).strip()
        qual = self.m.money.qualifiers.get(kind)
        cur = self.raw(row, "currency")
        cur = self.word("currency", cell_text(cur)) if cur is not None else self.m.default("currency")
        if NUMBER_RE.match(text):
            if cur is None:
                return None, "a bare number needs a currency: map a currency column or set defaults.currency"
            return " ".join(x for x in (qual, cur, text, self.m.money.scale) if x), None
        if SCALED_RE.match(text):
            if cur is None:
                return None, "an amount without a currency: map a currency column or set defaults.currency"
            return " ".join(x for x in (qual, cur, text) if x), None
        return text, None


def date_cell(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return cell_text(v)
