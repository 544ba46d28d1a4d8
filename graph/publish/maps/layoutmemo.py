"""Positions of a map kept from the previous build when what the layout reads is unchanged.

``network.place`` computes a map's positions from exactly these inputs, and nothing else: the map's kind,
its focus node, its node ids in order, its weighted lines in order (one weight per ordered pair of ends:
the number of deals on their lines) and each node's size (its radius, from the centrality the map shows).
``layout_key`` digests them. A deal's amount, status or date that changes neither which lines a map has
nor any node's size leaves the key, and so the positions, as they were: ``LayoutMemo`` then reads the
positions from the previous page (its ``nodes`` records, as ``render.page_data`` writes them) instead of
laying the map out again, which is most of a map's cost. Any doubt (no previous page, a page that does
not hold every node once, a different key) and the map is laid out as on a clean build; so a map is the
same bytes either way.

Example: ``memo = LayoutMemo({"maps/overview.html": (key, Path("old/maps/overview.html"))})``; then
``write_maps(..., layouts=memo)``; ``memo.keys`` holds each drawn map's key, for the next build.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

_DECODE = json.JSONDecoder().raw_decode
DATA_OPEN = '<script type="application/json" id="map-data">'


def layout_key(kind: str, focus: str | None, ids: list[str], weights: list[tuple[str, str, float]],
               sizes: list[float]) -> str:
    """A digest of everything ``network.place`` reads (see the module docstring).

    >>> layout_key("ego", "org:a", ["org:a"], [], [5.0]) == layout_key("ego", "org:a", ["org:a"], [], [5.0])
    True
    """
    text = json.dumps([kind, focus, ids, weights, sizes], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_positions(page: Path) -> dict[str, tuple[Any, Any]] | None:
    """Node id -> (x, y) as the map page ``page`` holds them; None when it is not a page as ``render`` writes it."""
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return None
    start = text.find(DATA_OPEN)
    at = text.find(',"nodes":[', start)
    if start < 0 or at < 0:
        return None
    try:
        nodes, _ = _DECODE(text, at + len(',"nodes":'))
    except ValueError:
        return None
    out: dict[str, tuple[Any, Any]] = {}
    for n in nodes if isinstance(nodes, list) else ():
        if not isinstance(n, dict) or n.get("id") in out or "x" not in n or "y" not in n:
            return None
        out[n["id"]] = (n["x"], n["y"])
    return out


class LayoutMemo:
    """Layout keys and pages of the previous build's maps (``previous``: map path -> (key, page file)).

    ``write_maps`` sets ``current`` to the path of the map it draws; ``network.place`` asks ``positions``
    and, when it had to lay the map out, nothing more: ``keys`` records every drawn map's key either way.
    ``reused`` lists the maps whose positions came from their previous page. ``check(path)``: whether the
    previous page of map ``path`` may be read (the build's ``Stages.usable``: it still has its recorded hash).
    """

    def __init__(self, previous: dict[str, tuple[str, Path]] | None = None, check: Any = None):
        self.previous = dict(previous or {})
        self.check = check
        self.current: str | None = None
        self.keys: dict[str, str] = {}
        self.reused: list[str] = []

    def positions(self, key: str, ids: list[str]) -> dict[str, tuple[Any, Any]] | None:
        """The positions of the map being drawn when its previous page had the same ``key`` and holds every
        node of ``ids`` and no other; else None (lay it out). Records ``key`` for the map either way."""
        if self.current is None:
            return None
        self.keys[self.current] = key
        old = self.previous.get(self.current)
        if old is None or old[0] != key or (self.check is not None and not self.check(self.current)):
            return None
        pos = page_positions(old[1])
        if pos is None or len(pos) != len(ids) or any(i not in pos for i in ids):
            return None
        self.reused.append(self.current)
        return pos
