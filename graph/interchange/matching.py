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
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
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


@lru_cache(maxsize=65536)
def tokens(name: str) -> list[str]:
    """Normalised words of a name: case-folded, synonyms unified, legal-form words dropped."""
    text = unicodedata.normalize("NFKC", name).casefold()
    words = [SYNONYMS.get(w, w) for w in re.findall(r"[0-9a-z\u00c0-\u024f\u4e00-\u9fff]+", text)]
    return [w for w in words if w not in LEGAL]


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """How alike two names are, 0..1 (1.0: one's distinctive words all appear in the other).

    The better of difflib's ratio on the normalised names and the token overlap. With ``cutoff``, a
    score below it may come back as 0.0 (difflib's cheap upper bounds skip the full comparison).
    """
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    shared = set(ta) & set(tb)
    overlap = len(shared) / min(len(set(ta)), len(set(tb))) if shared - GENERIC else 0.0
    ja, jb = " ".join(ta), " ".join(tb)
    floor = max(overlap, cutoff)
    if overlap >= 1.0 or 2 * min(len(ja), len(jb)) / (len(ja) + len(jb)) < floor:  # difflib's real_quick_ratio
        return overlap if overlap >= cutoff else 0.0
    sm = _matcher(jb)  # built once per name: its index of b is the costly part
    sm.set_seq1(ja)
    if sm.quick_ratio() < floor:
        return overlap if overlap >= cutoff else 0.0
    return max(sm.ratio(), overlap)


@lru_cache(maxsize=65536)
def _matcher(b: str) -> SequenceMatcher:
    return SequenceMatcher(None, "", b)


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str      # the record's name that came closest
    score: float

    def __str__(self) -> str:
        return f"'{self.name}' ({self.id}, {self.score:.2f})"


class NameIndex:
    """Case-insensitive lookup of records by id or any name; near-miss suggestions from an index.

    ``suggest`` does not compare a name with every record: it looks up the records that share a
    distinctive word or at least ``SHARED`` of the character trigrams of the normalised name (an inverted
    index built once), scores the ``CANDIDATES`` that share the most with ``similarity``, and remembers the answer per
    name, so a deal list of 20,000 rows costs about the same per row as one of 200.
    """

    CANDIDATES = 30
    SHARED = 0.2  # share of the name's trigrams a candidate must have (names 0.75 alike share far more)

    def __init__(self, records: Iterable[tuple[str, list[str]]]):
        self.names: dict[str, list[str]] = {}
        self._index: dict[str, str] = {}
        self._grams: dict[str, set[str]] = {}
        self._words: dict[str, set[str]] = {}
        self._memo: dict[tuple[str, float, int], list[Suggestion]] = {}
        for rec_id, names in records:
            self.add(rec_id, names)

    def add(self, rec_id: str, names: list[str]) -> None:
        self.names[rec_id] = list(names)
        self._index.setdefault(rec_id.casefold(), rec_id)
        for n in names:
            self._index.setdefault(n.casefold(), rec_id)
        for n in [*names, rec_id]:
            toks = tokens(n)
            for g in _trigrams(" ".join(toks)):
                self._grams.setdefault(g, set()).add(rec_id)
            for w in set(toks) - GENERIC:
                self._words.setdefault(w, set()).add(rec_id)
        self._memo.clear()

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

    def candidates(self, name: str) -> list[str]:
        """Records worth scoring against ``name``: a shared distinctive word, or the most shared trigrams."""
        toks = tokens(name)
        grams = _trigrams(" ".join(toks))
        shared: Counter[str] = Counter()
        for g in grams:
            shared.update(self._grams.get(g, ()))
        enough = max(1, int(len(grams) * self.SHARED))
        best = [r for r, n in sorted(shared.items(), key=lambda x: (-x[1], x[0]))[:self.CANDIDATES] if n >= enough]
        words = set().union(*(self._words.get(w, set()) for w in set(toks) - GENERIC)) if toks else set()
        return sorted(set(best) | words)

    def suggest(self, name: str, cutoff: float, limit: int = 3) -> list[Suggestion]:
        """Records whose id or a name scores at least ``cutoff`` against ``name``, best first.

        >>> ix = NameIndex([("hengrui", ["Jiangsu Hengrui Pharmaceuticals", "Hengrui"]), ("msd", ["MSD"])])
        >>> [str(s) for s in ix.suggest("Hengrui Pharma", 0.75)]
        ["'Jiangsu Hengrui Pharmaceuticals' (hengrui, 1.00)"]
        """
        key = (unicodedata.normalize("NFKC", name).casefold(), cutoff, limit)
        if key in self._memo:
            return list(self._memo[key])
        out: list[Suggestion] = []
        for rec_id in self.candidates(name):
            names = self.names[rec_id]
            best = max(((similarity(name, n, cutoff), n) for n in [*names, rec_id]), key=lambda x: (x[0], x[1]))
            if best[0] >= cutoff:
                out.append(Suggestion(rec_id, names[0] if names else rec_id, round(best[0], 2)))
        out.sort(key=lambda s: (-s.score, s.id))
        self._memo[key] = out[:limit]
        return out[:limit]


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}
