"""Which records changed since the previous build: what an incremental stage redoes, and nothing else.

Terms:

- **Record key**: ``(kind, id)``, e.g. ``("deals", "hengrui-gsk-2023")``; ``kind`` is one of ``Dataset.KINDS``.
- **Changes**: the keys of records ``added``, ``removed`` or ``modified`` (any field differs) since the
  previous build's dataset, and those ``moved`` (same content, another seed line). ``notes_only`` is the
  part of ``modified`` whose records differ in their notes only (``manifest.TEXT_ONLY_FIELDS``): the
  analyses and the shape of the maps do not read those.
- **Previous dataset**: the one the previous build pickled (``out/.cache/dataset.pickle``), trusted only
  when its content digest equals the one that build's manifest recorded; otherwise there are no
  changes to go by and every stage redoes its work.

Example::

    >>> from graph.ingest.curation import example
    >>> old = example(); new = example()
    >>> d = next(iter(new.deals.values()))
    >>> new.deals[d.id] = d.model_copy(update={"note": "edited"})
    >>> c = diff(old, new)
    >>> sorted(c.modified) == [("deals", d.id)], c.notes_only == c.modified, bool(c.added | c.removed)
    (True, True, False)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .manifest import TEXT_ONLY_FIELDS, Manifest, content_digests

if TYPE_CHECKING:
    from ..models.dataset import Dataset

Key = tuple[str, str]


@dataclass(frozen=True)
class Changes:
    """Record keys that differ between two datasets (see the module docstring)."""

    added: frozenset[Key] = frozenset()
    removed: frozenset[Key] = frozenset()
    modified: frozenset[Key] = frozenset()
    moved: frozenset[Key] = frozenset()
    notes_only: frozenset[Key] = frozenset()

    @property
    def keys(self) -> frozenset[Key]:
        """Every key that differs in any way (added, removed, modified or moved)."""
        return self.added | self.removed | self.modified | self.moved

    def of(self, kind: str) -> set[str]:
        """Ids of one kind among ``keys``: ``changes.of("deals")``."""
        return {i for k, i in self.keys if k == kind}

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __str__(self) -> str:
        parts = [f"{len(s)} {name}" for name, s in (("added", self.added), ("removed", self.removed),
                                                     ("modified", self.modified), ("moved", self.moved)) if s]
        return ", ".join(parts) or "no record changed"


def diff(old: "Dataset", new: "Dataset") -> Changes:
    """The records of ``new`` that differ from ``old``: added, removed, modified, moved (see ``Changes``).

    Records compare by value (pydantic equality: every field and which fields were given); a record
    that is the same object in both is unchanged without looking further.
    """
    added, removed, modified, moved, notes = set(), set(), set(), set(), set()
    for kind in new.KINDS:
        a, b = old.table(kind), new.table(kind)
        removed.update((kind, i) for i in a.keys() - b.keys())
        for i, rec in b.items():
            key = (kind, i)
            before = a.get(i)
            if before is None:
                added.add(key)
            elif before is not rec and before != rec:
                modified.add(key)
                if _without_text(before) == _without_text(rec):
                    notes.add(key)
            elif old.origins.get(key) != new.origins.get(key):
                moved.add(key)
    return Changes(frozenset(added), frozenset(removed), frozenset(modified), frozenset(moved), frozenset(notes))


def _without_text(rec: object) -> object:
    return rec.model_copy(update={f: None for f in TEXT_ONLY_FIELDS if hasattr(rec, f)})  # type: ignore[attr-defined]


def previous_dataset(out: Path, manifest: Manifest | None) -> "Dataset | None":
    """The dataset the build in ``out`` pickled, if its content digest is the one its ``manifest`` recorded."""
    from .current import DATASET_CACHE, read_dataset

    if manifest is None or not manifest.dataset:
        return None
    ds = read_dataset(out / DATASET_CACHE)
    if ds is None or content_digests(ds)[1] != manifest.dataset:
        return None
    return ds
