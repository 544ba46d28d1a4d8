"""New cards on an unchanged map: the page of a map whose records changed in their text only.

A map page (``render.render_html``) carries its data as one JSON text (``render.page_data``). Of what a
reader sees, only the **cards** read the records' text-only fields (notes, ``manifest.TEXT_ONLY_FIELDS``):
a deal's record in ``deals`` (``cards.deal_record``) and a node's ``about`` rows (``cards.org_about``,
``exposure_view.asset_node``). Which nodes, lines and deals a map has, their positions (the force
layout, most of a map's cost), sizes and colours come from the rest of the dataset. So when that rest is
unchanged (the same ``manifest.projection_digest``, code and ontology: the same maps stage key), the new
page is the previous page with the cards of the changed records written afresh, and ``recard`` makes it
so: it replaces those JSON values in the previous page's text and keeps every other byte.

Why the result is the page a full draw gives: ``render.json_for_script`` of a dict is the concatenation
of its keys' and values' encodings (no spaces, no indent), so replacing one value's text by the encoding
of the new value is the encoding of the new data; values decoded from the page and encoded again give the
same text (Python's float repr round-trips).

How a value is found in the text without parsing all of it: inside a JSON string every ``"`` is written
``\\"``, and after a closing quote only ``,`` ``:`` ``}`` ``]`` may follow. So ``,"<id>":{`` or
``{"<id>":{`` (an id not starting with one of those four) is always the key ``<id>`` with an object value;
in the ``deals`` object (from ``,"deals":{`` to ``,"org_names":``, whose records hold no objects) it is
that deal. Likewise ``{"id":"org:<id>",`` in ``nodes`` starts that node. Each record asked for must be
found, once; anything else and ``recard`` writes nothing and says so, and the caller draws the map.

Example: ``recard(ds, Path("old/maps/overview.html"), Path("new/maps/overview.html"), {"deal-1"})``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

from ...models.dataset import Dataset
from . import cards
from .exposure_view import asset_node
from .network import ASSET, ORG
from .render import compact_deal, json_for_script

DATA_OPEN = '<script type="application/json" id="map-data">'
_DECODE = json.JSONDecoder().raw_decode
_STRUCTURAL = ',:]}'


def _once(text: str, pattern: str, start: int, end: int) -> int:
    """Position of the one occurrence of ``pattern`` in ``text[start:end]``; -1 if none, -2 if several."""
    at = text.find(pattern, start, end)
    if at < 0:
        return -1
    return at if text.find(pattern, at + 1, end) < 0 else -2


def _value_at(data: str, pattern: str, lo: int, hi: int, offset: int) -> tuple[int, int, Any] | None:
    """(start, end, decoded) of the object that ``pattern`` leads to (its ``{`` is ``offset`` chars into the
    match), when ``pattern`` occurs once between ``lo`` and ``hi``; None when absent; a ValueError if twice."""
    at = _once(data, pattern, lo, hi)
    if at == -2:
        raise ValueError(f"{pattern[:60]} found twice")
    if at < 0:
        return None
    start = at + offset
    value, end = _DECODE(data, start)
    if not isinstance(value, dict) or end > hi:
        raise ValueError(f"{pattern[:60]} is not an object in its section")
    return start, end, value


def _sections(data: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(start, end) of the ``nodes`` list and of the ``deals`` object in page data, found in one pass: each key
    is the first of its kind after the previous one (``render.page_data`` writes them once, in this order, and
    no record inside has such a key)."""
    at, bounds = 0, []
    for marker in (',"nodes":[', ',"edges":[', ',"deals":{', ',"org_names":'):
        at = data.find(marker, at)
        if at < 0:
            raise ValueError(f"no {marker} in the page data")
        bounds.append(at)
        at += len(marker)
    return (bounds[0] + len(',"nodes":'), bounds[1]), (bounds[2] + len(',"deals":'), bounds[3])


#: the fields of a deal's page record that nothing else on the page reads (no line, size, table or count):
#: a deal whose record changed in these only may take a new card on a map whose figures are unchanged
CARD_ONLY = frozenset({"title", "status", "headline", "headline_usd", "upfront", "upfront_usd", "sources", "note"})


def recarded(ds: Dataset, data: str, ids: Iterable[str], card_only: bool = False) -> str:
    """The page data text ``data`` with the cards of the records ``ids`` (deals, organizations, assets the map
    shows: ``MapFile.records``) made afresh from ``ds``. A ValueError when one of them is not found once, or
    ``data`` is not laid out as ``render.page_data`` writes it (see the module docstring). ``card_only``: also
    a ValueError when a deal's new record differs from its old one outside ``CARD_ONLY``.

    Example (``graph.ingest.curation.example()``: Hengrui licenses to GSK), a deal's note edited:

    >>> from graph.ingest.curation import example
    >>> from graph.publish.maps.network import overview_map
    >>> from graph.publish.maps.render import page_data
    >>> ds = example(); d = next(iter(ds.deals))
    >>> before = json_for_script(page_data(overview_map(ds)))
    >>> ds.deals[d] = ds.deals[d].model_copy(update={"note": "Edited."})
    >>> after = json_for_script(page_data(overview_map(ds)))
    >>> after != before, recarded(ds, before, {d}) == after
    (True, True)
    """
    nodes, deals = _sections(data)
    spans: list[tuple[int, int, str]] = []
    for i in sorted(set(ids)):
        before = len(spans)
        key = json_for_script(i)
        if not i or i[0] in _STRUCTURAL or i[0].isspace():
            raise ValueError(f"id {key} may not be found safely")
        if i in ds.deals:
            # the first deal follows the object's "{", every other a comma
            sep = "{" if data.startswith("{" + key + ":{", deals[0]) else ","
            hit = _value_at(data, sep + key + ":{", *deals, len(key) + 2)
            if hit is not None:
                start, end, record = hit
                if "parties" not in record or "dir" not in record:
                    raise ValueError(f"deal {key} is not a deal's record")
                fresh = compact_deal(cards.deal_record(ds, ds.deals[i]))
                if card_only and any(record.get(k) != fresh.get(k) for k in record.keys() | fresh.keys()
                                     if k not in CARD_ONLY):
                    raise ValueError(f"deal {key} changed beyond its card")
                spans.append((start, end, json_for_script(fresh)))
        for prefix, table, about in ((ORG, ds.organizations, cards.org_about), (ASSET, ds.assets, _asset_about)):
            hit = _value_at(data, '{"id":' + json_for_script(prefix + i) + ",", *nodes, 0) if i in table else None
            if hit is not None:
                start, end, node = hit
                node["about"] = about(ds, i)
                spans.append((start, end, json_for_script(node)))
        if len(spans) == before:
            raise ValueError(f"{key} is neither a deal nor a node of this map")
    parts, at = [], 0
    for start, end, text in sorted(spans):
        if start < at:
            raise ValueError("two cards overlap")
        parts += [data[at:start], text]
        at = end
    return "".join(parts) + data[at:]


def _asset_about(ds: Dataset, aid: str) -> list[list[str]]:
    return asset_node(ds, aid).about


def recard(ds: Dataset, old: Path | str, new: Path | str, ids: Iterable[str], card_only: bool = False) -> bool:
    """Write at ``new`` the map page ``old`` with the cards of the records ``ids`` made afresh from ``ds``
    (``recarded``). Only valid when everything but those records' text is as when ``old`` was drawn (the
    same maps stage key). Returns False, writing nothing, when ``old`` is not a page as ``render`` writes it:
    then draw the map instead.
    """
    text = Path(old).read_text(encoding="utf-8")
    start = text.find(DATA_OPEN) + len(DATA_OPEN)
    end = text.find("</script>", start)
    if start < len(DATA_OPEN) or end < 0:
        return False
    try:
        data = recarded(ds, text[start:end], ids, card_only)
    except ValueError:
        return False
    # a fresh file renamed over ``new``: never written through a link to the previous build's page, and ``new``
    # never missing meanwhile (the site, written in parallel, lists which maps exist)
    new = Path(new)
    fresh = new.with_name(f".{new.name}.new")
    fresh.write_text(text[:start] + data + text[end:], encoding="utf-8")
    os.replace(fresh, new)
    return True
