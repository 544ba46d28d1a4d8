"""Find organizations and assets by name, and suggest near misses without ever merging them.

``NameIndex`` resolves exactly what ``Dataset.org`` / ``Dataset.asset`` resolve (id, name,
alias, former name, code name; case-insensitive) from one dictionary. ``similarity`` scores
names that do not match exactly: the better of difflib's ratio on the normalised names and
a token overlap (shared words over the shorter name's words, counted only when the shared
words include one that is not a generic company word such as "pharma" or "bio"), so that
"Hengrui Pharma" scores 1.0 against "Jiangsu Hengrui Pharmaceuticals".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable

# Words that say what kind of company it is, not which one.
LEGAL = {"inc", "co", "ltd", "llc", "plc", "corp", "corporation", "company", "limited", "group", "holdings",
         "holding", "the", "and", "of", "sa", "ag", "gmbh", "nv", "bv", "kk", "lp", "se", "spa"}
GENERIC = {"bio", "biotech", "biotechnology", "biologics", "biopharma", "pharma", "therapeutics", "medical",
           "medicine", "medicines", "health", "healthcare", "science", "sciences", "biosciences", "oncology",
           "labs", "laboratories", "technology", "international", "global", "innovation", "capital",
           "china", "shanghai", "beijing", "suzhou", "hangzhou", "jiangsu", "guangzhou", "shenzhen", "hong",
           "kong", "usa", "us", "uk"}
SYNONYMS = {"pharmaceutical": "pharma", "pharmaceuticals": "pharma", "pharmaceutica": "pharma",
            "biopharmaceutical": "biopharma", "biopharmaceuticals": "biopharma", "therapeutic": "therapeutics",
            "technologies": "technology", "biotech": "bio", "biotechnology": "bio", "biotechnologies": "bio",
            "laboratory": "laboratories",
            "lab": "labs", "biologic": "biologics", "corporation": "corp"}


def tokens(name: str) -> list[str]:
    """Normalised words of a name: case-folded, synonyms unified, legal-form words dropped."""
    text = unicodedata.normalize("NFKC", name).casefold()
    words = [SYNONYMS.get(w, w) for w in re.findall(r"[0-9a-z\u00c0-\u024f\u4e00-\u9fff]+", text)]
    return [w for w in words if w not in LEGAL]


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0..1 (1.0: one's distinctive words all appear in the other)."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    ratio = SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    shared = set(ta) & set(tb)
    overlap = len(shared) / min(len(set(ta)), len(set(tb))) if shared - GENERIC else 0.0
    return max(ratio, overlap)


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str      # the record's name that came closest
    score: float

    def __str__(self) -> str:
        return f"'{self.name}' ({self.id}, {self.score:.2f})"


class NameIndex:
    """Case-insensitive lookup of records by id or any name; near-miss suggestions."""

    def __init__(self, records: Iterable[tuple[str, list[str]]]):
        self.names: dict[str, list[str]] = {}
        self._index: dict[str, str] = {}
        for rec_id, names in records:
            self.add(rec_id, names)

    def add(self, rec_id: str, names: list[str]) -> None:
        self.names[rec_id] = list(names)
        self._index.setdefault(rec_id.casefold(), rec_id)
        for n in names:
            self._index.setdefault(n.casefold(), rec_id)

    def get(self, name: str) -> str | None:
        """Id of the record with this id or name (case-insensitive), or None."""
        return self._index.get(name.strip().casefold())

    def how(self, name: str, rec_id: str) -> str:
        """'name', 'alias' (any other name) or 'id': how ``name`` matched ``rec_id``."""
        key = name.strip().casefold()
        names = self.names.get(rec_id, [])
        if names and key == names[0].casefold():
            return "name"
        return "alias" if key in (n.casefold() for n in names) else "id"

    def suggest(self, name: str, cutoff: float, limit: int = 3) -> list[Suggestion]:
        """Records whose id or a name scores at least ``cutoff`` against ``name``, best first."""
        out: list[Suggestion] = []
        for rec_id, names in self.names.items():
            best = max(((similarity(name, n), n) for n in [*names, rec_id]), key=lambda x: (x[0], x[1]))
            if best[0] >= cutoff:
                out.append(Suggestion(rec_id, names[0] if names else rec_id, round(best[0], 2)))
        out.sort(key=lambda s: (-s.score, s.id))
        return out[:limit]
