"""Which maps a rebuild must redraw: each map is keyed on exactly what it shows.

A map's page holds the layout and cards of its organizations, assets and deals. What decides them is
the dataset without its notes (``manifest.projection_digest``: parties, roles, dates, money,
countries, assets…) plus the notes of the records the map shows (a deal's card and an
organization's card show its note). So the key of one map is::

    digest(maps stage key, manifest.text_digest(ds, ids of the records the map shows))

where the maps stage key hashes the code, the ontology and the projection. The build keeps each map's
key, title, size and record ids in ``out/.cache/maps.json``. On a rebuild with the same stage key
(the same set of maps, the same records in each), a map whose key is unchanged and whose file still
has its recorded hash is linked from the previous ``out/``; the others are redrawn. A changed note
redraws the overview and the maps of that record's multinationals only; a changed amount, party or
date changes the stage key and redraws every map.

Example: ``MapCache(ds, key, stages).stale()`` lists the map paths to draw, overview first.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..models.dataset import Dataset
from .manifest import digest, text_digest
from ..publish.maps.site import MapFile, map_path

CACHE = ".cache/maps.json"


class MapCache:
    """The maps of one build: those linked from the previous build and those drawn now (see the module doc).

    ``stages``: the build's stage bookkeeping (``graph.pipeline.stages.Stages``: ``prev``, ``keys``, ``reused``,
    ``usable(rel)``, ``link(rel)``, ``out``, ``full``).
    """

    def __init__(self, ds: Dataset, key: str, stages: Any):
        self.ds, self.key = ds, key
        self.expected = [map_path("overview")] + [map_path(kind, oid) for oid in sorted(
            o.id for o in ds.organizations.values() if o.multinational) for kind in ("ego", "exposure")]
        self.entries: dict[str, dict[str, Any]] = {}
        stages.keys["maps"] = key
        previous = stages.prev is not None and stages.prev.stages.get("maps") == key and stages.usable(CACHE)
        if previous:
            saved = json.loads((stages.out / CACHE).read_text(encoding="utf-8")).get("maps", [])
            for e in saved:
                if e["path"] in self.expected and e["key"] == self.map_key(e["records"]) and stages.link(e["path"]):
                    self.entries[e["path"]] = e
        if not self.stale():
            stages.reused.append("maps")

    def map_key(self, records: Any) -> str:
        """The key of a map showing ``records`` (ids), in this build."""
        return digest(self.key, text_digest(self.ds, records))

    def stale(self) -> list[str]:
        """Paths of the maps to draw (not reusable from the previous build), in the order ``write_maps`` draws them."""
        return [p for p in self.expected if p not in self.entries]

    def add(self, drawn: list[MapFile]) -> None:
        """Record maps just drawn (``write_maps``' result)."""
        for m in drawn:
            self.entries[m.path] = {**asdict(m), "records": list(m.records), "key": self.map_key(m.records)}

    def save(self, stage: Any) -> list[MapFile]:
        """Write ``.cache/maps.json`` into the staging folder; every map of the build, overview first."""
        missing = self.stale()
        if missing:
            raise RuntimeError(f"maps not drawn: {', '.join(missing[:3])}")
        rows = [self.entries[p] for p in self.expected]
        stage.write_text(CACHE, json.dumps({"maps": rows}, indent=0, sort_keys=True, ensure_ascii=False) + "\n")
        return [MapFile(**{k: (tuple(v) if k == "records" else v) for k, v in e.items() if k != "key"}) for e in rows]
