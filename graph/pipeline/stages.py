"""Stage keys of a build, and reuse of the previous build's files for a stage whose key did not change.

A stage's key is the hash of the inputs it reads (``graph.pipeline.manifest.digest``); when it equals the key
the previous build recorded in ``out/manifest.json``, the stage's files are hard-linked from the previous
``out/`` into the staging folder, each checked first against its hash in that manifest, instead of being made
again. The result is byte-identical to a clean build (``tests/test_build_incremental.py``).

**Checked without reading.** Hashing the 50,000 files of a 10k-deal build takes a second, so each build also
records, beside ``out/`` in ``.<out>.stat`` (``StatRecord``), the inode, size and modification time (ns) of
every file it wrote, with those of its own ``manifest.json``. The next build takes a file of ``out/`` whose
three figures are still the recorded ones as having the hash in the manifest; any other file is hashed. The
record is used only while ``out/manifest.json`` is the very file it names (not after a copy, a restore or
another build), and files modified during a build, or within ``RACY_NS`` of the record being made (a clock
tick could hide an edit), are left out of it: they are hashed next time. The record lies beside ``out/``, not
in it, so ``out/`` stays byte-identical to a clean build.
"""
from __future__ import annotations

import bisect
import json
import os
import time
from array import array
from pathlib import Path
from typing import Any, Callable

from ..core.gcpause import paused_gc
from .changes import RECORDS_CACHE, Changes
from .current import DATASET_CACHE
from .manifest import MANIFEST, Manifest, file_hash
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
        self.started = time.time_ns()  # files linked from the previous build and modified since are not recorded
        self.stats = StatRecord.read(out, previous) if previous is not None and not full else {}

    def intact(self, rel: str) -> bool:
        """True when ``out/rel`` still has the hash the previous manifest gives: its inode, size and mtime are the
        recorded ones (``StatRecord``), or else its bytes hash to it."""
        src = self.out / rel
        rec = self.stats.get(rel)
        if rec is not None:
            try:
                if _sig(os.stat(src)) == rec:
                    return True
            except OSError:
                return False
        return src.is_file() and file_hash(src) == self.prev.outputs.get(rel)

    def hash_if_linked(self, rel: str, st: os.stat_result) -> str | None:
        """The previous manifest's hash of ``rel`` when the staged file ``st`` is the previous build's file, unchanged
        (same inode, size and mtime as recorded: a page the site linked from ``out/``); else None."""
        rec = self.stats.get(rel)
        return self.prev.outputs.get(rel) if rec is not None and rec == _sig(st) else None

    def output_hashes(self, entries: list[tuple[str, os.stat_result]]) -> dict[str, str]:
        """``{path: sha256}`` of the staged files ``entries`` (``Staging.scan``) but the manifest and ``VOLATILE``: the
        hash checked when linked (``known``), the previous manifest's when the file is the previous build's, unchanged
        (``hash_if_linked``), else its bytes hashed — in two threads (``hashlib`` lets go of the interpreter lock:
        the 100 MB of RDF files written afresh are hashed while the other files are looked up). Keeps what
        ``save_record`` records of each."""
        from concurrent.futures import ThreadPoolExecutor

        now = time.time_ns()
        outputs: dict[str, Any] = {}
        self._record: dict[str, tuple[int, int, int]] = {}
        with ThreadPoolExecutor(2) as pool:
            for rel, st in entries:
                if rel == MANIFEST or rel in VOLATILE:
                    continue
                h = self.known.get(rel) or self.hash_if_linked(rel, st)
                since = self.started  # a file linked from the previous build: unchanged since this build started
                if h is None:  # the stat was taken before the bytes are read; only large files go to the pool: a
                    # future per file would hold a million objects at 100k deals (500,000 files), about 1 GB at the peak
                    path, since = self.stage.dir / rel, now
                    h = pool.submit(file_hash, path) if st.st_size > BIG_FILE else file_hash(path)
                outputs[rel] = h
                if st.st_mtime_ns < since - RACY_NS:
                    self._record[rel] = _sig(st)
        return {rel: h if isinstance(h, str) else h.result() for rel, h in outputs.items()}

    def save_record(self, manifest_file: Path, outputs: dict[str, str]) -> None:
        """Write ``.<out>.stat`` for the new manifest (``StatRecord``): before the swap, renames keep inodes and times."""
        StatRecord.write(self.out, manifest_file, sorted(outputs), getattr(self, "_record", {}))

    def reuse(self, name: str, key: str, files: Callable[[str], bool]) -> bool:
        """Link the previous build's files of stage ``name`` (those ``files(path)`` accepts) if its key is unchanged.

        Every file is checked against its hash in the previous manifest; any difference means redo.
        """
        self.keys[name] = key
        if self.full or self.prev is None or self.prev.stages.get(name) != key:
            return False
        prefixes = getattr(files, "prefixes", None)
        if prefixes is not None:  # ``under(...)``: only the outputs under those top-level names are tested
            tops = self._by_top()
            pool = [p for top in sorted({x.split("/", 1)[0] for x in prefixes}) for p in tops.get(top, ())]
        else:
            pool = list(self.prev.outputs)
        mine = sorted(p for p in {*pool, *VOLATILE} if files(p))
        if not mine:
            return False
        for rel in mine:
            if not ((self.out / rel).is_file() if rel in VOLATILE else self.intact(rel)):
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

    def _by_top(self) -> dict[str, list[str]]:
        if not hasattr(self, "_tops"):
            self._tops: dict[str, list[str]] = {}
            for p in self.prev.outputs:
                self._tops.setdefault(p.split("/", 1)[0], []).append(p)
        return self._tops

    def usable(self, rel: str) -> bool:
        """True when the previous build wrote ``rel`` and it still has the hash the manifest gives (not with --full)."""
        if self.full or self.prev is None or rel not in self.prev.outputs:
            return False
        return self.intact(rel)

    def link(self, rel: str) -> bool:
        """Link one file of the previous build into the new one if it is ``usable``."""
        if not self.usable(rel):
            return False
        self._link(rel)
        return True


def write_manifest(stages: Stages, manifest: Callable[[dict[str, str]], Manifest]) -> list[str]:
    """Write ``manifest.json`` (``manifest(outputs)`` makes it from the hash of every staged file, ``output_hashes``)
    and the stat record beside out/; every staged file, sorted as ``Staging.file_names``.

    The collector is paused: the 50,000 paths and stats allocated here would otherwise set off full collections
    that walk the whole dataset (2.6 s of 3 at 10k deals)."""
    with paused_gc():
        entries = stages.stage.scan()
        outputs = stages.output_hashes(entries)
        stages.save_record(stages.stage.write_text(MANIFEST, manifest(outputs).to_json()), outputs)
        names = [rel for rel, _ in entries if rel != MANIFEST]
        names.insert(bisect.bisect(names, [MANIFEST], key=lambda n: n.split("/")), MANIFEST)
        return names


def summary_stage(ds: Any, stages: Stages, key: str) -> dict[str, Any]:
    """``summary.json`` and its dict (``describe.summary.summarize``): linked from the previous build and read back when
    ``key`` (the code and the dataset without notes: what the counts read) is unchanged, else counted and written."""
    from ..describe.summary import summarize, summary_from_json

    if stages.reuse("summary", key, lambda p: p == "summary.json"):
        try:
            summary = summary_from_json(json.loads((stages.stage.dir / "summary.json").read_text(encoding="utf-8")), ds)
        except (OSError, ValueError):
            summary = None
        if summary is not None:
            return summary
        stages.reused.remove("summary")
        stages.known.pop("summary.json", None)
    summary = summarize(ds)
    stages.stage.write_json("summary.json", summary)
    return summary


def under(*prefixes: str) -> Callable[[str], bool]:
    """A test of a path in out/: true for each of ``prefixes`` and everything under it (``'maps'``: maps/…).

    >>> f = under("maps", ".cache/maps.json"); f("maps/a.html"), f(".cache/maps.json"), f(".cache/x"), f.prefixes
    (True, True, False, ('maps', '.cache/maps.json'))
    """
    def test(p: str) -> bool:
        return any(p == x or p.startswith(x.rstrip("/") + "/") for x in prefixes)

    test.prefixes = prefixes  # type: ignore[attr-defined]  # lets ``Stages.reuse`` look only under these names
    return test


#: An edit this close (ns) after a file's recorded modification time may not change that time (file-system
#: clocks tick every few ms): such files are not recorded.
RACY_NS = 1_000_000_000
#: Files larger than this are hashed in a second thread while the small ones are hashed at once (``output_hashes``).
BIG_FILE = 1 << 20
_MAGIC = b"dealgraph-stat-1\n"


def _sig(st: os.stat_result) -> tuple[int, int, int]:
    return st.st_ino, st.st_size, st.st_mtime_ns


class StatRecord:
    """``.<out>.stat`` beside ``out/``: inode, size and mtime of each file of the manifest (see the module doc).

    Binary: a magic line, the manifest's device, inode, size and mtime, the file count, then three arrays of
    64-bit integers (inodes, sizes, mtimes) in the manifest's order of ``outputs``; inode 0 = not recorded.
    """

    @staticmethod
    def path(out: Path) -> Path:
        return out.parent / f".{out.name}.stat"

    @staticmethod
    def read(out: Path, manifest: Manifest) -> dict[str, tuple[int, int, int]]:
        """``{path: (inode, size, mtime_ns)}`` recorded for the build whose manifest is ``out/manifest.json``;
        {} when there is no record or it belongs to another manifest file."""
        try:
            data = StatRecord.path(out).read_bytes()
            head = array("q")
            head.frombytes(data[len(_MAGIC):len(_MAGIC) + 5 * 8])
            st = os.stat(out / MANIFEST)
            n = head[4]
            if not data.startswith(_MAGIC) or list(head[:4]) != [st.st_dev, *_sig(st)] or n != len(manifest.outputs) \
                    or len(data) != len(_MAGIC) + (5 + 3 * n) * 8:
                return {}
            cols = array("q")
            cols.frombytes(data[len(_MAGIC) + 5 * 8:])
        except (OSError, ValueError, IndexError):
            return {}
        return {rel: (cols[i], cols[n + i], cols[2 * n + i]) for i, rel in enumerate(manifest.outputs) if cols[i]}

    @staticmethod
    def write(out: Path, manifest_file: Path, outputs: list[str], stats: dict[str, tuple[int, int, int]]) -> None:
        """Record ``stats`` (path → inode, size, mtime; missing = not recorded) for the manifest ``manifest_file``
        whose ``outputs`` are listed in that order; written whole (a temporary file renamed). A cache: a failure
        to write it only removes it."""
        target = StatRecord.path(out)
        tmp = target.with_name(f"{target.name}.{os.getpid()}")
        try:
            st = os.stat(manifest_file)
            cols = [stats.get(rel, (0, 0, 0)) for rel in outputs]
            body = array("q", [st.st_dev, *_sig(st), len(outputs)])
            for k in range(3):
                body.extend(c[k] for c in cols)
            tmp.write_bytes(_MAGIC + body.tobytes())
            os.replace(tmp, target)
        except OSError:
            for p in (tmp, target):
                try:
                    p.unlink()
                except OSError:
                    pass
