"""graph.ttl and graph.jsonld written with an index of where each subject's block lies, and rewritten by splicing.

Terms:

- **Block**: what one subject takes in a file (``serialize.blocks``): in Turtle ``"\\n<s> a … .\\n"``, in
  JSON-LD one object. Both files hold the blocks in subject order (``Triples`` is sorted), Turtle
  after ``TTL_HEAD``, JSON-LD after ``JS_HEAD`` joined by ``JS_SEP`` and followed by ``JS_FOOT``.
- **Index** (:class:`RdfIndex`): the byte offset where each block starts in each file, plus one more
  offset past the last block (for JSON-LD, where a next block's separator would start + ``len(JS_SEP)``),
  so block ``i`` is ``[start[i], start[i+1])`` in Turtle and ``[start[i], start[i+1] - 2)`` in JSON-LD.
  Subjects are not stored: the Turtle block starts with its subject, read back when needed.
- **Splice** (:func:`splice`): the new files are the old files' bytes with some subjects' blocks
  replaced, dropped or inserted; unchanged runs of blocks are copied as bytes. The result is the file
  a full write of the new triples gives, byte for byte (tests/test_rdf_incremental.py).

Example: ``ix = write_indexed(rdf_triples(ds).groups, "g.ttl", "g.jsonld")`` then
``splice(OldFiles("g.ttl", "g.jsonld", ix), {subject: new_pairs}, "n.ttl", "n.jsonld")``.
"""
from __future__ import annotations

import json
import mmap
import os
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .serialize import JS_FOOT, JS_HEAD, JS_SEP, JSONLD_CONTEXT, TTL_HEAD, blocks

_SEP = JS_SEP.encode()


@dataclass
class RdfIndex:
    """Start offsets of each subject's block in graph.ttl and graph.jsonld (``n + 1`` each, see module doc)."""

    ttl: array
    js: array

    def __len__(self) -> int:
        return len(self.ttl) - 1

    def to_bytes(self) -> bytes:
        return len(self.ttl).to_bytes(8, "little") + self.ttl.tobytes() + self.js.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "RdfIndex":
        n = int.from_bytes(data[:8], "little")
        ttl, js = array("q"), array("q")
        ttl.frombytes(data[8:8 + 8 * n])
        js.frombytes(data[8 + 8 * n:8 + 16 * n])
        if len(js) != n:
            raise ValueError("truncated RDF index")
        return cls(ttl, js)


def write_indexed(groups: Iterable[tuple[str, Any]], ttl_path: Path | str, js_path: Path | str) -> RdfIndex:
    """Write Turtle and JSON-LD (as ``serialize.write_rdf`` does, same bytes) and give the index of their blocks."""
    ttl_at, js_at = array("q"), array("q")
    _fresh(ttl_path, js_path)
    with open(ttl_path, "wb") as ttl, open(js_path, "wb") as js:
        tpos, jpos = ttl.write(TTL_HEAD.encode()), js.write(JS_HEAD.encode())
        first = True
        for _, tblock, jblock in blocks(groups):
            if not first:
                jpos += js.write(_SEP)
            first = False
            ttl_at.append(tpos)
            js_at.append(jpos)
            tpos += ttl.write(tblock.encode())
            jpos += js.write(jblock.encode())
        ttl_at.append(tpos)
        js_at.append(jpos + len(_SEP))
        js.write(JS_FOOT.encode())
    return RdfIndex(ttl_at, js_at)


class OldFiles:
    """The previous build's graph.ttl and graph.jsonld with their index: subjects and blocks by position."""

    def __init__(self, ttl_path: Path | str, js_path: Path | str, index: RdfIndex):
        self.ttl, self.js = _mapped(ttl_path), _mapped(js_path)  # read only where needed; copied by the kernel
        self.ix = index
        if len(index) == 0 or index.ttl[-1] != len(self.ttl) or \
                index.js[-1] - len(_SEP) + len(JS_FOOT.encode()) != len(self.js):
            raise ValueError("the RDF index does not fit the files")

    def __len__(self) -> int:
        return len(self.ix)

    def __getitem__(self, i: int) -> str:
        """The subject of block ``i`` (an N-Triples term, ``<https://…>``)."""
        start = self.ix.ttl[i] + 1
        return self.ttl[start:self.ttl.find(b" ", start)].decode()

    def find(self, subject: str) -> int | None:
        """Position of ``subject``'s block, or None."""
        i = bisect_left(self, subject)
        return i if i < len(self) and self[i] == subject else None

    def under(self, prefix: str) -> list[str]:
        """Every subject starting with ``prefix``, in order."""
        i, out = bisect_left(self, prefix), []
        while i < len(self) and (s := self[i]).startswith(prefix):
            out.append(s)
            i += 1
        return out

    def types(self, subject: str) -> set[str] | None:
        """The classes (full IRIs) the subject's block gives it, or None when it has no block."""
        i = self.find(subject)
        if i is None:
            return None
        node = json.loads(self.js[self.ix.js[i]:self.ix.js[i + 1] - len(_SEP)])
        got = node.get("@type", [])
        return {_expand(t) for t in ([got] if isinstance(got, str) else got)}


def _fresh(*paths: Path | str) -> None:
    """New inodes: a file linked from the previous build is never written through."""
    for p in paths:
        Path(p).unlink(missing_ok=True)


def _mapped(path: Path | str) -> Any:
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(f.fileno()).st_size else b""


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    ns = JSONLD_CONTEXT.get(prefix)
    return ns + local if ns is not None and not local.startswith("//") else curie


def splice(old: OldFiles, replaced: dict[str, Any], ttl_path: Path | str, js_path: Path | str) -> RdfIndex:
    """Write the old files with the blocks of ``replaced``'s subjects made from their new sorted pairs
    (an empty value drops the subject; a subject new to the files is inserted in order); the new index."""
    new = sorted(replaced)
    made = {s: (t.encode(), j.encode()) for s, t, j in blocks((s, replaced[s]) for s in new if replaced[s])}
    ttl_at, js_at = array("q"), array("q")
    ix = old.ix
    _fresh(ttl_path, js_path)
    with open(ttl_path, "wb") as ttl, open(js_path, "wb") as js:
        tpos, jpos = ttl.write(TTL_HEAD.encode()), js.write(JS_HEAD.encode())
        first = True
        i = 0
        for s in [*new, None]:
            j = len(old) if s is None else bisect_left(old, s, lo=i)
            if j > i:  # copy blocks i..j-1 as they were
                if not first:
                    jpos += js.write(_SEP)
                first = False
                dt, dj = tpos - ix.ttl[i], jpos - ix.js[i]
                ttl_at.extend(x + dt for x in ix.ttl[i:j])
                js_at.extend(x + dj for x in ix.js[i:j])
                tpos += ttl.write(memoryview(old.ttl)[ix.ttl[i]:ix.ttl[j]])
                jpos += js.write(memoryview(old.js)[ix.js[i]:ix.js[j] - len(_SEP)])
            if s is None:
                break
            i = j + 1 if j < len(old) and old[j] == s else j
            if s in made:
                if not first:
                    jpos += js.write(_SEP)
                first = False
                ttl_at.append(tpos)
                js_at.append(jpos)
                tblock, jblock = made[s]
                tpos += ttl.write(tblock)
                jpos += js.write(jblock)
        ttl_at.append(tpos)
        js_at.append(jpos + len(_SEP))
        js.write(JS_FOOT.encode())
    return RdfIndex(ttl_at, js_at)
