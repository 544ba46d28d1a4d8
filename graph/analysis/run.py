"""Run every analysis on a dataset and write the results: CSV, JSON, PNG, and node properties in a store.

Files under ``out_dir``:

* ``centrality.csv`` / ``centrality.json``: every measure per organization
  (``centrality.centrality_table``), JSON with the computation metadata;
* ``exposure.csv`` / ``exposure.json``: one row per multinational with the
  sourcing, market and capital figures and their bounds
  (``exposure.Exposure.row``), JSON with the definitions used;
* ``exposure/<id>.json``: each multinational's full detail (each measure's
  partners, composition, deal lists, indirect chains, holdings);
* ``plots/centrality_top.png`` and ``plots/exposure.png``.

The same dataset always gives byte-identical CSV and JSON files.
"""
from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

from ..models.dataset import Dataset
from ..models.vocabulary import label
from .centrality import EXACT_LIMIT, SAMPLE, SEED, CentralityTable, centrality_table
from .chains import MAX_HOPS, china_places
from .direction import DIRECTION_WORDS, DIRECTIONS
from .exposure import ROW_COLUMNS, Exposure, exposures
from ..core.gcpause import without_gc
from ..core.csvsafe import writer as csv_writer
from .partners import partner_graph

CENTRALITY_COLUMNS = ["id", "name", "country", "multinational", "deals", "degree", "weighted_degree", "value_degree",
                      "betweenness", "closeness", "pagerank", "community"]
EXPOSURE_COLUMNS = ROW_COLUMNS

# node properties written back to the store: name -> schema type
CENTRALITY_PROPS = {"degree": "INT64", "weighted_degree": "DOUBLE", "value_degree": "DOUBLE", "betweenness": "DOUBLE",
                    "closeness": "DOUBLE", "pagerank": "DOUBLE", "community": "INT64"}
EXPOSURE_PROPS = {**{f"{m}_{k}": t for m in DIRECTIONS for k, t in (
    ("deals", "INT64"), ("deals_high", "INT64"), ("share", "DOUBLE"), ("share_high", "DOUBLE"),
    ("value_usd", "DOUBLE"))}, "china_indirect_assets": "INT64"}

DEFINITIONS = {
    **{m: w for m, w in DIRECTION_WORDS.items()},
    "direction": "each deal of a group counts in one direction: capital (equity, fund, incubator deals), market "
                 "(procurement, distribution, localisation, territory wholly in Greater China, rights granted by the "
                 "group), else sourcing (rights to the group, or peers); see graph/analysis/direction.py",
    "bounds": "<m>_deals counts deals with a party headquartered in China (lower bound); <m>_possible_deals those "
              "whose party has no recorded country; <m>_deals_high = their sum (upper bound); shares likewise",
    "headline_value": "total term if disclosed in USD, else the sum of disclosed upfront, upfront_equity, near_term, "
                      "payment and milestones; equity investments are not part of it (see graph/models/values.py)",
    "qualified_values": "amounts written 'up to', 'over', 'about' or 'under' count in full",
    "undisclosed": "a deal without a disclosed USD headline counts as a deal and adds no value; "
                   "<m>_undisclosed_deals counts them",
    "share": "<m>_share = <m>_deals / all_deals of the multinational's group in the period",
    "hhi": "Herfindahl index over Chinese partners, sum of squared shares of deals, 1/n..1; a deal with "
           "several Chinese partners is split equally among them",
    "indirect_assets": "China-originated assets reached through a chain with another organization in between, "
                       "not by a direct deal with the originator (part of sourcing)",
    "any_deals": "China deals in any direction (context only, not a headline figure)",
}


def _cell(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return ";".join(map(str, v))
    return "" if v is None else v


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """Rows as CSV text with a header, lists joined by ';', None as empty."""
    buf = io.StringIO()
    w = csv_writer(buf, lineterminator="\n")  # spreadsheet-safe
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_centrality(table: CentralityTable, out_dir: Path) -> list[Path]:
    paths = [out_dir / "centrality.csv", out_dir / "centrality.json"]
    _write(paths[0], to_csv(table.rows, CENTRALITY_COLUMNS))
    _write(paths[1], to_json({"meta": table.meta, "organizations": table.rows}))
    return paths


def write_exposure(results: list[Exposure], out_dir: Path, meta: dict[str, Any]) -> list[Path]:
    rows = [e.row() for e in results]
    paths = [out_dir / "exposure.csv", out_dir / "exposure.json"]
    _write(paths[0], to_csv(rows, EXPOSURE_COLUMNS))
    _write(paths[1], to_json({"meta": meta, "multinationals": rows}))
    for e in results:
        p = out_dir / "exposure" / f"{e.org}.json"
        _write(p, to_json(e.to_dict()))
        paths.append(p)
    return paths


def store_rows(table: CentralityTable, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for ``Store.set_node_properties``: centrality for every organization, exposure for each multinational
    (``rows``: ``Exposure.row()`` of each, as ``exposure.json`` holds them)."""
    cent = [{"id": r["id"], **{p: r[p] for p in CENTRALITY_PROPS}} for r in table.rows]
    expo = [{"id": r["id"], **{p: r[p] for p in EXPOSURE_PROPS if p in r},
             "china_indirect_assets": r["sourcing_indirect_assets"]} for r in rows]
    return cent, expo


def _set_properties(store: Any, cent: list[dict[str, Any]], expo: list[dict[str, Any]]) -> None:
    org = label("Organization")
    store.set_node_properties(org, cent, CENTRALITY_PROPS)
    if expo:
        store.set_node_properties(org, expo, EXPOSURE_PROPS)


def write_back(store: Any, out_dir: Path | str) -> None:
    """Set the analyses' node properties in ``store`` from the files ``run_analyses`` wrote in ``out_dir``
    (``centrality.json``, ``exposure.json``), without computing anything: what a rebuild does when the store
    changed but the analyses' inputs did not. The store ends as ``run_analyses(ds, out_dir, store)`` leaves it.

    Example: ``write_back(LadybugStore("out/graph.lbdb"), "out")``.
    """
    out = Path(out_dir)
    cent = json.loads((out / "centrality.json").read_text(encoding="utf-8"))
    expo = json.loads((out / "exposure.json").read_text(encoding="utf-8"))
    _set_properties(store, *store_rows(CentralityTable(cent["organizations"], cent.get("meta", {})),
                                       expo["multinationals"]))


@without_gc
def run_analyses(ds: Dataset, out_dir: Path | str, store: Any = None, *, greater_china: bool = False,
                 from_year: int | None = None, to_year: int | None = None, exact_limit: int = EXACT_LIMIT,
                 k: int = SAMPLE, seed: int = SEED, timings: dict[str, float] | None = None) -> dict[str, Any]:
    """Partner network, centrality and China exposure of every multinational, written under ``out_dir``.

    With a ``store`` (a ``graph.stores.Store`` already loaded with this dataset)
    the figures are also set as Organization node properties: ``degree``,
    ``weighted_degree``, ``value_degree``, ``betweenness``, ``closeness``,
    ``pagerank``, ``community`` on every organization (every node of the
    partner network: a subsidiary rolled into its group gets none), and on
    multinationals ``<m>_deals``, ``<m>_deals_high``, ``<m>_share``,
    ``<m>_share_high``, ``<m>_value_usd`` for m = sourcing, market, capital,
    and ``china_indirect_assets``. Returns the paths written, the metadata and, for the
    default period and China, ``exposures`` (multinational id -> ``Exposure``) for the maps to reuse. ``timings``, when given, receives seconds per step.
    """
    from .plots import plot_centrality_top, plot_exposure  # matplotlib: only a run that plots loads it (0.3 s)

    out = Path(out_dir)
    t = timings if timings is not None else {}

    def step(name: str, fn, *a, **kw):
        start = time.perf_counter()
        res = fn(*a, **kw)
        t[name] = t.get(name, 0.0) + time.perf_counter() - start
        return res

    G = step("partner_graph", partner_graph, ds)
    table = step("centrality", centrality_table, G, exact_limit, k, seed, timings=t)
    china = china_places(greater_china)
    results = step("exposure", exposures, ds, from_year, to_year, china)
    meta = {"china": sorted(china), "period": {"from": from_year, "to": to_year}, "max_hops": MAX_HOPS,
            "multinationals": len(results), "definitions": DEFINITIONS}
    files = step("write_centrality", write_centrality, table, out)
    files += step("write_exposure", write_exposure, results, out, meta)
    files.append(step("plot_centrality", plot_centrality_top, table.rows, out / "plots" / "centrality_top.png"))
    files.append(step("plot_exposure", plot_exposure, results, out / "plots" / "exposure.png"))
    if store is not None:
        step("store", _set_properties, store, *store_rows(table, [e.row() for e in results]))
    return {"files": files, "centrality": table.meta, "exposure": meta,
            "exposures": {e.org: e for e in results} if not (from_year or to_year or greater_china) else {}}
