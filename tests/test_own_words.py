"""Seed prose is in our own words: no note, title or 'returned' text copies a run of words from a source."""
from __future__ import annotations

import re

from graph.ingest.loading import load_seeds
from graph.ingest.provenance import normalise

from .support import SEEDS, source_documents

RUN = 8  # words in a row that would count as copying a sentence


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9$%.,'-]+", normalise(text))


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def test_no_prose_copied_from_the_documents():
    docs = source_documents()
    ds = load_seeds(SEEDS)
    source_runs: set[tuple[str, ...]] = set()
    for s in ds.sources.values():
        for line in (docs / s.file).read_text(encoding="utf-8").splitlines():
            source_runs |= _shingles(_words(line))
    copied = []
    for kind, rec in ds.records():
        texts = [(f, getattr(rec, f, None)) for f in ("note", "title", "returned")]
        texts += [(f"{what}.{k}", v) for what in ("curated", "unknown") for k, v in getattr(rec, what, {}).items()]
        for field, text in texts:
            if kind != "sources" and text:
                hits = _shingles(_words(text)) & source_runs
                if hits:
                    copied.append(f"{kind}/{rec.id}.{field}: '{' '.join(sorted(hits)[0])}'")
    assert copied == []
