"""The standard set of maps the build writes under ``out/maps/``.

``overview.html`` (every organization), and for each multinational
``ego-<id>.html`` (it and its direct partners) and ``exposure-<id>.html`` (its
China exposure). Centrality and the exposure index are computed once for the
whole dataset and shared by every map.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...analysis import CentralityTable, ExposureIndex, centrality_table, partner_graph
from ...analysis.partners import group_roots
from ...models.dataset import Dataset
from ...core.gcpause import frozen_gc
from .exposure_view import exposure_map
from .network import MapOptions, ego_map, overview_map
from .render import write_map

MAPS_DIR = "maps"


@dataclass(frozen=True)
class MapFile:
    """One written map: what it shows and where it is, relative to the output folder."""

    kind: str          # 'overview', 'ego' or 'exposure'
    org: str | None    # organization id for ego and exposure maps
    title: str
    path: str          # e.g. 'maps/ego-pfizer.html'
    nodes: int
    edges: int
    records: tuple[str, ...] = ()  # ids of the deals and nodes (organizations, assets) whose cards it shows


def map_path(kind: str, org: str | None = None) -> str:
    """Where a map lives relative to the output folder: 'maps/overview.html', 'maps/ego-<id>.html'…"""
    return f"{MAPS_DIR}/overview.html" if kind == "overview" else f"{MAPS_DIR}/{kind}-{org}.html"


def saved_centrality(out_dir: Path, ds: Dataset) -> CentralityTable | None:
    """The centrality table ``run_analyses`` wrote as ``out_dir/centrality.json``, if it is for ``ds``.

    It counts as ``ds``'s when it has exactly the nodes of ``ds``'s partner network (organizations,
    subsidiaries of a multinational rolled into their group: ``partners.group_roots``), each with as
    many distinct deals as in ``ds``; anything else (an older build's file) is ignored.
    """
    path = Path(out_dir) / "centrality.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data.get("organizations", [])
    root = group_roots(ds)
    deals: dict[str, set[str]] = {r: set() for r in root.values()}
    for d in ds.deals.values():
        for o in d.party_ids():
            deals.setdefault(root.get(o, o), set()).add(d.id)
    if {r.get("id"): r.get("deals") for r in rows} != {k: len(v) for k, v in deals.items()}:
        return None
    return CentralityTable(rows, data.get("meta", {}))


def write_maps(ds: Dataset, out_dir: Path | str, *, centrality: Any = None,
               exposure_index: ExposureIndex | None = None, exposures: dict[str, Any] | None = None,
               only: Any = None, layouts: Any = None) -> list[MapFile]:
    """Write the overview, and an ego and an exposure map per multinational, under ``out_dir/maps/``.

    ``centrality``: ``graph.analysis.centrality_table`` of ``ds`` if the caller already has it; else
    the ``centrality.json`` that ``graph.analysis.run_analyses`` wrote in ``out_dir``, else computed.
    ``exposure_index``: a ``graph.analysis.ExposureIndex`` of ``ds`` likewise; ``exposures``: the
    ``Exposure`` of each multinational that ``run_analyses`` returned, reused as is. Returns the maps
    written, overview first, then by organization id. ``only``: a set of paths (``map_path``) to draw, the
    others being skipped (a rebuild that reuses the unchanged maps); None draws every map. ``layouts``: a
    ``layoutmemo.LayoutMemo`` giving the previous build's positions of the maps whose layout inputs are unchanged.
    """
    out = Path(out_dir)
    if centrality is None:
        centrality = saved_centrality(out, ds) or centrality_table(partner_graph(ds))
    opts = MapOptions(centrality=centrality, exposure_index=exposure_index or ExposureIndex(ds), exposures=exposures,
                      layouts=layouts)
    written: list[MapFile] = []

    def save(kind: str, org: str | None, draw, *args) -> None:
        rel = map_path(kind, org)
        if only is not None and rel not in only:
            return
        if layouts is not None:
            layouts.current = rel
        mg = draw(ds, *args, opts=opts)
        write_map(mg, out / rel)
        shown = {n.id.split(":", 1)[-1] for n in mg.nodes} | set(mg.deals)
        written.append(MapFile(kind, org, mg.title, rel, len(mg.nodes), len(mg.edges), tuple(sorted(shown))))

    # The dataset (millions of objects at 10k deals) is never changed while the maps are drawn: frozen,
    # the garbage collector's full passes skip it instead of walking it again (2 s of CPU at 10k deals).
    with frozen_gc():
        save("overview", None, overview_map)
        for oid in sorted(o.id for o in ds.organizations.values() if o.multinational):
            save("ego", oid, ego_map, oid)
            save("exposure", oid, exposure_map, oid)
    return written
