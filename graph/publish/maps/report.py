"""The browsable report ``out/index.html``: one static page that opens offline.

Sections: the build summary (``graph.describe.summary.summarize``); league tables of
licensors and licensees by deal count and by headline value; deals by year and
by modality; centrality and China exposure tables from ``graph.analysis``
(read from the ``centrality.json`` and ``exposure.json`` the analyses wrote in
the same folder, or computed when they are absent), with their PNG plots from
``plots/`` embedded as ``data:`` URIs; figures on which sources disagree
(``graph.describe.conflicts``); coverage against reported market totals
(``graph.describe.coverage``); and links to every map under ``maps/``.

Values are headline values (``Deal.headline()``, the project's one definition):
"up to", "over" and "about" amounts count at face value; deals with no
disclosed USD value count as deals and add nothing. The page runs no script;
Jinja escapes every name, note and source, and a Content-Security-Policy
forbids scripts and any fetch.
"""
from __future__ import annotations

import base64
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import jinja2

from ...analysis.direction import DIRECTION_WORDS
from ...analysis.exposure_text import row_cells
from ...describe.conflicts import find_conflicts
from ...describe.coverage import coverage
from ...models.dataset import Dataset
from ...describe.summary import summarize
from ...models.vocabulary import vocabulary
from .filters import usd_text
from .render import TEMPLATES
from .site import MAPS_DIR, MapFile, saved_centrality

LICENSOR_ROLES = ("licensor",)
LICENSEE_ROLES = ("licensee", "co-developer")
TOP = 15
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
              "form-action 'none'")


@dataclass(frozen=True)
class LeagueRow:
    org: str
    name: str
    country: str
    deals: int
    value_usd: float
    undisclosed: int


def league(ds: Dataset, roles: Iterable[str], by: str = "count", top: int = TOP) -> list[LeagueRow]:
    """Organizations taking part in deals in any of ``roles``, ranked by deal count or headline value.

    ``value_usd`` sums the disclosed headline values of those deals; ``undisclosed`` counts the deals
    without one. Ties break by the other figure, then by name.
    """
    roles = tuple(roles)
    deals: dict[str, int] = defaultdict(int)
    value: dict[str, float] = defaultdict(float)
    hidden: dict[str, int] = defaultdict(int)
    for d in ds.deals.values():
        usd, _ = d.headline()
        for o in sorted({o for r in roles for o in d.parties.get(r, [])}):
            deals[o] += 1
            if usd is None:
                hidden[o] += 1
            else:
                value[o] += float(usd)
    rows = [LeagueRow(o, ds.organizations[o].name, ds.organizations[o].country or "", deals[o], value[o], hidden[o])
            for o in deals]
    if by == "value":
        rows = [r for r in rows if r.value_usd > 0]
        rows.sort(key=lambda r: (-r.value_usd, -r.deals, r.name))
    else:
        rows.sort(key=lambda r: (-r.deals, -r.value_usd, r.name))
    return rows[:top]


def deals_by_year(ds: Dataset) -> list[dict[str, Any]]:
    """Per year (undated last): deal count, disclosed headline value, deals without one."""
    out: dict[str, dict[str, Any]] = {}
    for d in ds.deals.values():
        key = str(d.year) if d.year else "undated"
        row = out.setdefault(key, {"year": key, "deals": 0, "value_usd": 0.0, "undisclosed": 0})
        row["deals"] += 1
        usd, _ = d.headline()
        if usd is None:
            row["undisclosed"] += 1
        else:
            row["value_usd"] += float(usd)
    return sorted(out.values(), key=lambda r: (r["year"] == "undated", r["year"]))


def deals_by_modality(ds: Dataset) -> list[dict[str, Any]]:
    """Per modality family and modality: deals covering at least one asset of it (a deal may count in several)."""
    v = vocabulary()
    fam: dict[str, set[str]] = defaultdict(set)
    mod: dict[str, set[str]] = defaultdict(set)
    for d in ds.deals.values():
        mods = {ds.assets[a].modality for a in d.assets if a in ds.assets} or {"unspecified"}
        for m in mods:
            mod[m].add(d.id)
            fam[v.modality_family(m)].add(d.id)
    rows = []
    for f in sorted(fam, key=lambda f: (-len(fam[f]), f)):
        rows.append({"family": v.modalities[f].label, "modality": "", "deals": len(fam[f]), "level": 0})
        for m in sorted((m for m in mod if v.modality_family(m) == f), key=lambda m: (-len(mod[m]), m)):
            if m != f:
                rows.append({"family": "", "modality": v.modalities[m].label, "deals": len(mod[m]), "level": 1})
    return rows


def _analysis_rows(out: Path, ds: Dataset) -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
    """Centrality rows and meta, and exposure rows, from the analysis files in ``out`` or computed afresh."""
    from ...analysis import centrality_table, exposures, partner_graph
    from ...analysis.exposure import ROW_COLUMNS

    table = saved_centrality(out, ds)
    ej = out / "exposure.json"
    if table is not None and ej.is_file():
        rows = json.loads(ej.read_text(encoding="utf-8")).get("multinationals", [])
        if sorted(r["id"] for r in rows) == sorted(o.id for o in ds.organizations.values() if o.multinational) and all(
                set(r) == set(ROW_COLUMNS) for r in rows):
            return table.rows, table.meta, rows
    table = table or centrality_table(partner_graph(ds))
    return table.rows, table.meta, [x.row() for x in exposures(ds)]


def _plots(out: Path) -> list[dict[str, str]]:
    plots = []
    for p in sorted((out / "plots").glob("*.png")) if (out / "plots").is_dir() else []:
        data = base64.b64encode(p.read_bytes()).decode("ascii")
        plots.append({"name": p.stem.replace("_", " ").capitalize(), "file": f"plots/{p.name}",
                      "uri": f"data:image/png;base64,{data}"})
    return plots


def _maps(out: Path, ds: Dataset, maps: list[MapFile] | None) -> list[dict[str, Any]]:
    if maps is not None:
        files = [(m.kind, m.org, m.path, m.title) for m in maps]
    else:
        files = []
        folder = out / MAPS_DIR
        for p in sorted(folder.glob("*.html")) if folder.is_dir() else []:
            kind, _, org = p.stem.partition("-")
            if p.stem == "overview":
                files.append(("overview", None, f"{MAPS_DIR}/{p.name}", "Deal network: all organizations"))
            elif kind in ("ego", "exposure") and org in ds.organizations:
                files.append((kind, org, f"{MAPS_DIR}/{p.name}", ""))
    rows: dict[str | None, dict[str, Any]] = {}
    for kind, org, path, title in files:
        name = ds.organizations[org].name if org else title
        r = rows.setdefault(org, {"org": org, "name": name, "country": ds.organizations[org].country if org else ""})
        r[kind] = path
    overview = rows.pop(None, None)
    return ([overview] if overview else []) + sorted(rows.values(), key=lambda r: r["name"].casefold())


def _pct(x: Any) -> str:
    return "" if x is None else f"{float(x):.0%}"


def _num(x: Any, digits: int = 4) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and x != int(x):
        return f"{x:.{digits}g}"
    return f"{int(x):,}"


def _site_pages(out: Path) -> list[tuple[str, str]]:
    """(path, title) of the site's list pages when ``graph.publish.site.write_site`` wrote them in ``out``; else []."""
    from ..site.write import NAV

    return [(f"{name}.html", title) for name, title in NAV] if (out / f"{NAV[0][0]}.html").is_file() else []


def _subject_page(subject: str) -> str | None:
    """The site page of a conflict's subject ('deal <id>' -> 'deal/<id>.html'); None for statistics."""
    kind, _, rid = subject.partition(" ")
    return f"deal/{rid}.html" if kind == "deal" else None


def report_html(ds: Dataset, out_dir: Path | str, maps: list[MapFile] | None = None) -> str:
    """The report page as a string (see the module docstring)."""
    out = Path(out_dir)
    v = vocabulary()
    summary = summarize(ds)
    cent_rows, cent_meta, expo_rows = _analysis_rows(out, ds)
    cent_top = sorted((r for r in cent_rows if r.get("deals")),
                      key=lambda r: (-(r.get("weighted_degree") or 0), -(r.get("pagerank") or 0), r["id"]))[:25]
    expo = [{**r, "cells": row_cells(r)} for r in sorted(
        expo_rows, key=lambda r: (-(r.get("sourcing_deals_high") or 0), -(r.get("sourcing_deals") or 0),
                                  -(r.get("market_deals_high") or 0), -(r.get("capital_deals_high") or 0), r["id"]))]
    years = deals_by_year(ds)
    top_year = max((r["deals"] for r in years), default=0)
    mods = deals_by_modality(ds)
    top_mod = max((r["deals"] for r in mods), default=0)
    country = {o.id: o.country or "" for o in ds.organizations.values()}
    conflicts = [{"subject": c.subject, "what": c.what, "spread": c.spread(), "page": _subject_page(c.subject),
                  "claims": [{"value": cl.value, "sources": ", ".join(cl.sources)} for cl in c.claims]}
                 for c in find_conflicts(ds)]
    cov = coverage(ds)
    cov_gc = {(r.statistic): r for r in coverage(ds, greater_china=True)}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters.update(usd=lambda x, q=None: usd_text(x, q) if x else "", pct=_pct, num=_num)
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return env.get_template("report.html").render(
        csp=REPORT_CSP, css=jinja2.utils.markupsafe.Markup(css), summary=summary, counts=ds.counts(),
        deal_types={v.deal_types[k].label if k in v.deal_types else k: n
                    for k, n in summary["deals_by_type"].items()},
        leagues=[("Top licensors by number of deals", league(ds, LICENSOR_ROLES, "count")),
                 ("Top licensors by headline value", league(ds, LICENSOR_ROLES, "value")),
                 ("Top licensees and co-developers by number of deals", league(ds, LICENSEE_ROLES, "count")),
                 ("Top licensees and co-developers by headline value", league(ds, LICENSEE_ROLES, "value"))],
        years=years, top_year=top_year, mods=mods, top_mod=top_mod,
        cent=cent_top, cent_meta=cent_meta, expo=expo, directions=DIRECTION_WORDS, country=country, plots=_plots(out),
        conflicts=conflicts, site=_site_pages(out), coverage=cov, coverage_gc=cov_gc, maps=_maps(out, ds, maps),
        place=lambda c: v.places[c].label if c in v.places else (c or "not recorded"))


def write_report(ds: Dataset, out_dir: Path | str, maps: list[MapFile] | None = None) -> Path:
    """Write ``out_dir/index.html`` (see the module docstring). ``maps``: what ``write_maps`` returned, if called
    (else the maps already under ``out_dir/maps/`` are linked). Returns the path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    path.write_text(report_html(ds, out, maps), encoding="utf-8")
    return path
