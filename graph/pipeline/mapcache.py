"""Which maps a rebuild must redraw: each map is keyed on exactly what it shows.

A map's page holds the layout and cards of its organizations, assets and deals. What decides them is
the dataset without its notes (``manifest.projection_digest``: parties, roles, dates, money,
countries, assets…) plus the notes of the records the map shows (a deal's card and an
organization's card show its note). So the key of one map is::

    digest(maps stage key, [[id, its notes] for each record the map shows that has a note])

where the maps stage key hashes the code, the ontology and the projection. The build keeps each map's
key, title, size and record ids in ``out/.cache/maps.json``. On a rebuild with the same stage key
(the same set of maps, the same records in each), a map whose key is unchanged and whose file still
has its recorded hash is linked from the previous ``out/``. A changed note touches the overview and the
maps of that record's multinationals only, and their layout not at all: when the build knows which records
changed (``Stages.changes``), those maps are written from their previous page with new cards
(``graph.publish.maps.recard``), without being laid out again; without it they are redrawn. A changed
amount, party or date changes the stage key: when only deals changed, the ego and exposure maps they cannot
have touched are linked (``mapskip``); every other map is drawn, in its previous positions when what its
layout reads is unchanged and the code is the same (``graph.publish.maps.layoutmemo``).

Example: ``MapCache(ds, key, stages).stale()`` lists the map paths to draw, overview first.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..models.dataset import Dataset
from .manifest import TEXT_ONLY_FIELDS, code_version, digest
from ..publish.maps.layoutmemo import LayoutMemo
from ..publish.maps.site import MapFile, map_path, write_maps

CACHE = ".cache/maps.json"


class MapCache:
    """The maps of one build: those linked from the previous build and those drawn now (see the module doc).

    ``stages``: the build's stage bookkeeping (``graph.pipeline.stages.Stages``: ``prev``, ``keys``, ``reused``,
    ``usable(rel)``, ``link(rel)``, ``out``, ``full``).
    """

    def __init__(self, ds: Dataset, key: str, stages: Any, exposures: Any = None):
        self.ds, self.key, self.out, self.exposures = ds, key, stages.out, exposures
        self._index: Any = None  # an ExposureIndex of ``ds``, made when an exposure map's Exposure is not given
        self.expected = [map_path("overview")] + [map_path(kind, oid) for oid in sorted(
            o.id for o in ds.organizations.values() if o.multinational) for kind in ("ego", "exposure")]
        self.entries: dict[str, dict[str, Any]] = {}
        self._texts: dict[str, list[Any]] | None = None
        #: maps whose records changed in their text only: path -> (previous entry, ids of its changed records)
        self.recardable: dict[str, tuple[dict[str, Any], set[str]]] = {}
        self.card_only: set[str] = set()  # of those, maps whose deals changed beyond their text (``recard``'s card_only)
        stages.keys["maps"] = key
        saved = []
        if stages.prev is not None and stages.usable(CACHE):
            saved = json.loads((stages.out / CACHE).read_text(encoding="utf-8")).get("maps", [])
        #: positions of the previous build's maps, reused when what their layout reads is unchanged (any stage key)
        #: and the previous build ran the same code (the layout functions themselves unchanged)
        same_code = stages.prev is not None and stages.prev.code == code_version()
        self.layouts = LayoutMemo({e["path"]: (e["layout"], self.out / e["path"]) for e in saved
                                   if e.get("layout") and same_code}, check=stages.usable)
        if saved and stages.prev.stages.get("maps") == key:
            # With the same stage key, only the records' text can differ: a map none of whose records changed
            # keeps its key (no need to hash its records' text again), one with changed records gets new cards.
            changed = None if stages.changes is None else {i for _, i in stages.changes.keys}
            expected = set(self.expected)
            for e in saved:
                path = e["path"]
                if path not in expected:
                    continue
                mine = None if changed is None else changed.intersection(e["records"])
                same = e["key"] == (e["key"] if mine == set() else self.map_key(e["records"]))
                if same and stages.link(path):
                    self.entries[path] = e
                elif not same and mine and stages.usable(path):
                    self.recardable[path] = (e, mine)
        elif saved:
            # deals edited: the ego maps none of whose records (and figures) they touch are linked (``mapskip``)
            from .mapskip import new_cards, untouched

            figures = stages.stage.dir / "centrality.json"
            keep = untouched(ds, stages, saved, figures, exposures) & set(self.expected)
            for e in saved:
                if e["path"] in keep and stages.link(e["path"]):
                    self.entries[e["path"]] = {**e, "key": self.map_key(e["records"])}
            # the overview and ego maps the edits change in their deals' cards only: new cards, same page otherwise
            by_path = {e["path"]: e for e in saved}
            for path, ids in new_cards(ds, stages, saved, figures, set(self.entries)).items():
                if path in self.expected and stages.usable(path):
                    self.recardable[path] = (by_path[path], ids)
                    self.card_only.add(path)
        if not self.stale():
            stages.reused.append("maps")

    def map_key(self, records: Any) -> str:
        """The key of a map showing ``records`` (ids), in this build: the stage key and the text-only fields
        (``manifest.TEXT_ONLY_FIELDS``) of those of the records that have any."""
        if self._texts is None:  # id -> its text fields; the first table holding an id wins (deals first)
            fields, texts = sorted(TEXT_ONLY_FIELDS), {}
            for table in (self.ds.events, self.ds.assets, self.ds.organizations, self.ds.deals):
                texts.update((i, [getattr(r, f, None) for f in fields]) for i, r in table.items())
            self._texts = {i: t for i, t in texts.items() if any(x is not None for x in t)}
        texts = self._texts
        return digest(self.key, [[i, texts[i]] for i in sorted(set(records)) if i in texts])

    def stale(self) -> list[str]:
        """Paths of the maps to draw (not reusable from the previous build), in the order ``write_maps`` draws them."""
        return [p for p in self.expected if p not in self.entries]

    def counted(self) -> str:
        """The maps to write, for the build's progress line: '267', or '2 of 267; the others unchanged'."""
        n = len(self.stale())
        return f"{n}" if n == len(self.expected) else f"{n} of {len(self.expected)}; the others unchanged"

    def write(self, stage: Any) -> str:
        """Write every stale map into the staging folder: its previous page with new cards when only its records'
        text changed (``recard``), else drawn (``write_maps``, with the ``exposures`` given). Says how many of each."""
        carded = self.recard(stage) if self.recardable else 0
        stale = self.stale()
        if stale:
            self.add(write_maps(self.ds, stage.dir, exposures=self.exposures, only=set(stale), layouts=self.layouts))
        kept = len(self.layouts.reused)
        return (f"{carded} with new cards only (their layout unchanged), {len(stale)} drawn"
                + (f" ({kept} of them in their previous layout)" if kept else ""))

    def add(self, drawn: list[MapFile]) -> None:
        """Record maps just drawn (``write_maps``' result)."""
        for m in drawn:
            self.entries[m.path] = {**asdict(m), "records": list(m.records), "key": self.map_key(m.records),
                                    "layout": self.layouts.keys.get(m.path),
                                    "exp": self.exposure_digest(m.org) if m.kind == "exposure" else None}

    def exposure_digest(self, org: str) -> str:
        """``mapskip.exposure_digest`` of the ``Exposure`` the exposure map of ``org`` shows (the analyses' own
        when given, else computed over the whole dataset as ``write_maps`` does)."""
        from ..analysis import ExposureIndex
        from ..publish.maps.metrics import china_exposure
        from .mapskip import exposure_digest

        exp = (self.exposures or {}).get(org)
        if exp is None:
            self._index = self._index or ExposureIndex(self.ds)
            exp = china_exposure(self.ds, org, index=self._index)
        return exposure_digest(exp)

    def recard(self, stage: Any) -> int:
        """Write the maps whose records changed in their text only (``recardable``) from their previous page
        with new cards (``graph.publish.maps.recard``); those it cannot stay stale, to be drawn. How many written."""
        from ..publish.maps.recard import recard

        done = 0
        for path, (e, ids) in self.recardable.items():
            if recard(self.ds, self.out / path, stage.path(path), ids, card_only=path in self.card_only):
                self.entries[path] = {**e, "key": self.map_key(e["records"])}
                done += 1
        return done

    def save(self, stage: Any) -> list[MapFile]:
        """Write ``.cache/maps.json`` into the staging folder; every map of the build, overview first."""
        missing = self.stale()
        if missing:
            raise RuntimeError(f"maps not drawn: {', '.join(missing[:3])}")
        rows = [self.entries[p] for p in self.expected]
        # one map a line, by the C encoder (with ``indent`` json takes its pure-Python one: twice as slow)
        lines = ",\n".join(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)
        stage.write_text(CACHE, '{"maps": [\n' + lines + "\n]}\n")
        return [MapFile(**{k: (tuple(v) if k == "records" else v) for k, v in e.items() if k not in ("key", "layout", "exp")})
                for e in rows]
