"""Which records changed since the previous build: what an incremental stage redoes, and nothing else.

Terms:

- **Record key**: ``(kind, id)``, e.g. ``("deals", "hengrui-gsk-2023")``; ``kind`` is one of ``Dataset.KINDS``.
- **Changes**: the keys of records ``added``, ``removed`` or ``modified`` (any field differs) since the
  previous build's dataset, and those ``moved`` (same content, another seed line). ``notes_only`` is the
  part of ``modified`` whose records differ in their notes only (``manifest.TEXT_ONLY_FIELDS``): the
  analyses and the shape of the maps do not read those.
- **Previous dataset**: the one the previous build pickled (``out/.cache/dataset.pickle``), trusted only
  when the hash of its bytes is the one that build recorded beside it (``RECORDS_CACHE``) with the content
  digest its manifest gives; otherwise there are no changes to go by and every stage redoes its work.

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

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .manifest import TEXT_ONLY_FIELDS, Manifest

if TYPE_CHECKING:
    from ..ingest.items import Reuse
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


#: What validation leaves for the next build beside the pickled dataset: the SHA-256 of that pickle's bytes,
#: its content digest, the code and ontology it was validated with, per kind item digest → record id
#: (``loading.validate_seeds``) and each record's digest (``manifest.record_digests``). Its bytes follow the pickle's, so it is not hashed in the manifest.
RECORDS_CACHE = ".cache/records.pickle"


def save_validation(stage_dir: Path, pickled: bytes, content: str, items: dict[str, dict[str, str]],
                    digests: dict[tuple[str, str], str]) -> None:
    """Write ``RECORDS_CACHE`` in ``stage_dir`` for the dataset pickled as ``pickled`` (content digest ``content``,
    record digests ``digests``)."""
    from .manifest import code_version, ontology_version

    path = stage_dir / RECORDS_CACHE
    path.unlink(missing_ok=True)  # it may be linked from the previous build: never write through
    record = {"format": 1, "pickle": hashlib.sha256(pickled).hexdigest(), "dataset": content,
              "code": code_version(), "ontology": ontology_version(), "items": items, "digests": digests}
    path.write_bytes(pickle.dumps(record, protocol=5))


def previous_validation(out: Path, manifest: Manifest | None) -> "Reuse | None":
    """The dataset the build in ``out`` pickled and the items it validated (``ingest.items.Reuse``), when that
    build recorded them (``RECORDS_CACHE``) for the content digest its ``manifest`` gives, with this code and
    ontology, and the pickle's bytes still hash as recorded; else None.

    Checking the pickle's hash (a few milliseconds) stands for recomputing its content digest (a pickling
    pass over every record): the two were recorded together by the build that wrote both."""
    from ..ingest.items import Reuse
    from .current import DATASET_CACHE, loads_dataset
    from .manifest import code_version, ontology_version

    if manifest is None or not manifest.dataset:
        return None
    try:
        record = pickle.loads((out / RECORDS_CACHE).read_bytes())
        ok = isinstance(record, dict) and record.get("format") == 1 and record.get("dataset") == manifest.dataset \
            and record.get("code") == code_version() and record.get("ontology") == ontology_version()
        if not ok:
            return None
        pickled = (out / DATASET_CACHE).read_bytes()
    except Exception:  # missing, truncated or foreign: nothing to go by
        return None
    if hashlib.sha256(pickled).hexdigest() != record["pickle"]:
        return None
    blobs: dict[int, tuple[Any, bytes]] = {}
    ds = loads_dataset(pickled, blobs)
    return None if ds is None else Reuse(ds, record["items"], record["digests"], blobs)


def previous_dataset(out: Path, manifest: Manifest | None) -> "Dataset | None":
    """The dataset the build in ``out`` pickled, when ``previous_validation`` vouches for it."""
    found = previous_validation(out, manifest)
    return None if found is None else found.dataset
