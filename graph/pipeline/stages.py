"""Stage keys of a build, and reuse of the previous build's files for a stage whose key did not change.

A stage's key is the hash of the inputs it reads (``graph.pipeline.manifest.digest``); when it equals the key
the previous build recorded in ``out/manifest.json``, the stage's files are hard-linked from the previous
``out/`` into the staging folder, each checked first against its hash in that manifest, instead of being made
again. The result is byte-identical to a clean build (``tests/test_build_incremental.py``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .changes import RECORDS_CACHE, Changes
from .current import DATASET_CACHE
from .manifest import Manifest, file_hash
from .outputs import Staging, link_tree

#: Files whose bytes differ between two builds of the same data (LadybugDB stamps each database; pickle
#: shares repeated objects differently): not hashed in the manifest, compared by content in the tests
#: (the dataset by its content digest, ``current.dataset_digest``).
VOLATILE = {"graph.lbdb", DATASET_CACHE, RECORDS_CACHE}


class Stages:
    """Stage keys of this build and reuse of the previous build's files when a key is unchanged."""

    def __init__(self, previous: Manifest | None, out: Path, stage: Staging, full: bool):
        self.prev, self.out, self.stage = previous, out, stage
        self.full = full
        self.keys: dict[str, str] = {}
        self.reused: list[str] = []
        self.known: dict[str, str] = {}  # hash of each file linked from the previous build (checked)
        #: records changed since the previous build (``graph.pipeline.changes``), set once the seeds are
        #: validated; None when there is no previous build to go by (first build, --full, unreadable cache)
        self.changes: Changes | None = None

    def reuse(self, name: str, key: str, files: Callable[[str], bool]) -> bool:
        """Link the previous build's files of stage ``name`` (those ``files(path)`` accepts) if its key is unchanged.

        Every file is checked against its hash in the previous manifest; any difference means redo.
        """
        self.keys[name] = key
        if self.full or self.prev is None or self.prev.stages.get(name) != key:
            return False
        mine = sorted(p for p in [*self.prev.outputs, *VOLATILE] if files(p))
        if not mine:
            return False
        for rel in mine:
            src = self.out / rel
            if not src.is_file() or (rel not in VOLATILE and file_hash(src) != self.prev.outputs.get(rel)):
                return False
        for rel in mine:
            self._link(rel)
        self.reused.append(name)
        return True

    def _link(self, rel: str) -> None:
        dst = self.stage.dir / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        link_tree(self.out / rel, dst)
        if rel not in VOLATILE:
            self.known[rel] = self.prev.outputs[rel]

    def usable(self, rel: str) -> bool:
        """True when the previous build wrote ``rel`` and it still has the hash the manifest gives (not with --full)."""
        if self.full or self.prev is None or rel not in self.prev.outputs:
            return False
        src = self.out / rel
        return src.is_file() and file_hash(src) == self.prev.outputs[rel]

    def link(self, rel: str) -> bool:
        """Link one file of the previous build into the new one if it is ``usable``."""
        if not self.usable(rel):
            return False
        self._link(rel)
        return True


def under(*prefixes: str) -> Callable[[str], bool]:
    """A test of a path in out/: true for each of ``prefixes`` and everything under it (``'maps'``: maps/…)."""
    return lambda p: any(p == x or p.startswith(x.rstrip("/") + "/") for x in prefixes)
