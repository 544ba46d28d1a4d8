"""Seed files cut into their records' text, so that a record whose text did not change is not parsed again.

Terms:

- **Item**: one top-level entry of a seed file's list, as text: from its ``- `` line at column 0 up to the next
  such line (its trailing comments and blank lines included), with the line it starts on.
- **Plain file**: one whose cut is sure to give the same records as parsing it whole: UTF-8 text without
  ``\\r``, byte-order marks or aliases (``*``: an item then depends on no other item), where every line is
  blank, a comment, indented, or starts an item (``- `` or a lone ``-``), and only comments and blank lines
  precede the first item. Anything else (flow lists at the top, directives, ``---``, tabs at column 0) is
  not plain: ``split_items`` gives None and the file is parsed whole, as without a cache.
- **Item digest**: BLAKE2b of an item's text (``item_digest``); the previous build records, for each kind, the
  digest of every item → the id of the record it validated to (``graph.pipeline.changes.Previous``).

``parse_items`` parses only some items of a file, each at its own line (the others' lines left blank), and
gives their raw records, or None when the result would not be certain to equal the whole file's parse
(a problem, a record count or a start line that differs, a block scalar that keeps trailing blank lines):
the caller then parses the whole file, which also reports every problem at its exact line.

Example::

    >>> items = split_items("# deals\\n- id: a\\n  note: x\\n\\n- id: b\\n")
    >>> [(i.line, i.text) for i in items]
    [(2, '- id: a\\n  note: x\\n\\n'), (5, '- id: b\\n')]
    >>> parse_items([items[1]], "deals.yaml")
    [{'id': 'b'}]
    >>> split_items("- id: a\\n  name: &n x\\n- id: b\\n  name: *n\\n") is None   # an alias: parse whole
    True
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .yamlio import has_controls, load_text

if TYPE_CHECKING:
    from ..models.dataset import Dataset

#: A line that neither is blank, a comment, indented, nor starts an item (``- x`` or a lone ``-``).
_ODD_LINE = re.compile(r"^(?:[^ #\n-]|-[^ \n])", re.M)
_ITEM_START = re.compile(r"^-(?: |$)", re.M)
#: A block scalar indicator with '+' (keep trailing blank lines): parsing such an item apart could differ.
_KEEP = re.compile(r"[|>][0-9]?\+")


@dataclass(frozen=True)
class Item:
    """One top-level entry of a seed file: the line it starts on and its text (see the module docstring)."""

    line: int
    text: str

    @cached_property
    def digest(self) -> str:
        """``item_digest`` of the text."""
        return item_digest(self.text)


@dataclass
class Reuse:
    """What validation may take from a previous one: its ``dataset``, and per kind the ``items`` it recorded
    (item digest → id of the record that item validated to; ``loading.validate_seeds`` gives both)."""


    dataset: "Dataset"
    items: dict[str, dict[str, str]] = field(default_factory=dict)
    #: ``(kind, id)`` → digest of each record of ``dataset`` (``manifest.record_digests``), when known
    digests: dict[tuple[str, str], str] = field(default_factory=dict)
    #: the pickled bytes of each record of ``dataset`` (``current.loads_dataset``), written again as they are
    blobs: dict[int, tuple[Any, bytes]] = field(default_factory=dict)

    def known_digests(self, ds: "Dataset") -> dict[tuple[str, str], str]:
        """The ``digests`` of the records ``ds`` took from ``dataset`` (the same objects), for ``record_digests``."""
        old = self.dataset
        return {key: d for key, d in self.digests.items()
                if ds.table(key[0]).get(key[1]) is old.table(key[0]).get(key[1], ds)}


def item_digest(text: str) -> str:
    """BLAKE2b (128 bits, hex) of an item's text.

    >>> len(item_digest("- id: a\\n"))
    32
    """
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def split_items(text: str) -> list[Item] | None:
    """The items of a plain file's text, in order; None when the file is not plain (see the module docstring)."""
    if "*" in text or "\r" in text or "\ufeff" in text or _ODD_LINE.search(text):
        return None
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    if not starts:
        return None
    head = text[:starts[0]]
    if any(s.strip() and not s.lstrip().startswith("#") for s in head.split("\n")):
        return None
    items = []
    line = head.count("\n") + 1
    ends = starts[1:] + [len(text)]
    for a, b in zip(starts, ends):
        chunk = text[a:b]
        items.append(Item(line, chunk))
        line += chunk.count("\n")
    return items


def parse_items(items: list[Item], file: str) -> list[Any] | None:
    """The raw records of ``items`` (some items of one plain file, in file order), each parsed at its own line;
    None when the parse is not certain to equal that of the whole file (see the module docstring)."""
    if not items:
        return []
    parts: list[str] = []
    line = 1
    for it in items:
        if it.line < line or _KEEP.search(it.text):
            return None
        parts.append("\n" * (it.line - line))
        parts.append(it.text if it.text.endswith("\n") else it.text + "\n")
        line = it.line + parts[-1].count("\n")
    data, lines, problems = load_text("".join(parts), file)
    if problems or not isinstance(data, list) or len(data) != len(items):
        return None
    if any(lines.get((j,)) != it.line or not isinstance(raw, dict) for j, (it, raw) in enumerate(zip(items, data))):
        return None
    return data


def reuse_records(text: str | None, file: str, model: Any, known: dict[str, str], old: dict[str, Any]) \
        -> list[tuple[Item, Any]] | None:
    """Each item of a seed file's ``text`` with its record: ``old[known[digest]]`` when its digest is ``known``
    (the previous validation's record, the same object), else parsed (``parse_items``) and validated by
    ``model``. None when the file is not plain, or any item cannot be parsed apart or validated, or two
    items give one id: the caller then parses the whole file, which reports every problem at its line."""
    items = split_items(text) if text is not None and not has_controls(text) else None
    if items is None:
        return None
    found = [old.get(known.get(it.digest, "")) for it in items]
    raws = parse_items([it for it, rec in zip(items, found) if rec is None], file)
    if raws is None:
        return None
    fresh = iter(raws)
    out = []
    for it, rec in zip(items, found):
        if rec is None:
            try:
                rec = model.model_validate(next(fresh))
            except ValidationError:
                return None
        out.append((it, rec))
    return out if len({rec.id for _, rec in out}) == len(out) else None  # a duplicate id: the whole read tells
