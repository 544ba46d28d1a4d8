"""The graphs the maps draw: overview, ego network and China exposure, as plain ``MapGraph`` data.

A ``MapGraph`` holds everything a reader can see or hover: nodes (organizations,
and assets on exposure maps) with their colour, size and tooltip rows; edges
with their style and the deals behind them; a table of those deals (date,
type, parties, assets, headline and upfront values, sources); and the legend.
It knows nothing of HTML: ``render.py`` turns it into a page.

Node ids are ``org:<id>`` and ``asset:<id>``. Everything is sorted, so the same
dataset and options give the same map.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..dataset import Dataset
from ..errors import DealgraphError
from ..models import Deal
from ..vocabulary import vocabulary
from . import metrics, style
from .filters import DealFilter, usd_text

ORG, ASSET = "org:", "asset:"


@dataclass
class MapNode:
    id: str
    label: str
    kind: str                    # 'organization' or 'asset'
    colour: str
    group: str                   # legend label of the colour
    size: float
    info: list[tuple[str, str]]  # tooltip rows (field, value), shown as text
    shape: str = "dot"
    ring: bool = False           # multinational: drawn with a dark ring
    focus: bool = False
    importance: float = 0.0      # for choosing which labels to draw on large maps
    deals: list[str] = field(default_factory=list)   # deals with no other party recorded
    x: float | None = None
    y: float | None = None


@dataclass
class MapEdge:
    source: str
    target: str
    style: str                   # a deal type key, or a LINK_STYLES key
    deals: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)   # corporate links in words
    arrow: bool = False


@dataclass
class MapGraph:
    """A map ready to render (see the module docstring)."""

    title: str
    subtitle: str
    kind: str                                          # 'overview', 'ego' or 'exposure'
    nodes: list[MapNode]
    edges: list[MapEdge]
    deals: dict[str, dict[str, Any]]
    legend: style.Legend
    focus: str | None = None
    summary: list[tuple[str, str]] = field(default_factory=list)  # headline facts shown above the map

    def node_ids(self) -> set[str]:
        return {n.id for n in self.nodes}


# --------------------------------------------------------------------------- deal and org descriptions
def _money(deal: Deal, kind: str) -> str:
    claims = deal.terms.get(kind)
    if not claims:
        return ""
    c = claims[0]
    if not c.disclosed:
        return "none" if c.disclosure == "absent" else c.disclosure
    if c.usd is not None and c.currency not in (None, "USD"):
        return f"{c.text} (≈ {usd_text(c.usd)})"
    return c.text


def deal_info(ds: Dataset, d: Deal) -> dict[str, Any]:
    """What a reader sees about one deal: plain strings and lists of strings."""
    v = vocabulary()
    usd, qual = d.headline()
    parties = []
    for role, orgs in d.parties.items():
        label = v.roles[role].label if role in v.roles else role
        parties.append([label, ", ".join(ds.organizations[o].name if o in ds.organizations else o for o in orgs)])
    assets = []
    for a in d.assets:
        rec = ds.assets.get(a)
        if rec is None:
            assets.append(a)
            continue
        mod = v.modalities[rec.modality].label if rec.modality in v.modalities else rec.modality
        extra = ", ".join(x for x in (mod, rec.target or "") if x)
        assets.append(f"{rec.name} ({extra})" if extra else rec.name)
    return {
        "id": d.id,
        "title": d.title or "",
        "date": d.date or "undated",
        "type": v.deal_types[d.type].label if d.type in v.deal_types else d.type,
        "status": v.statuses[d.status].label if d.status in v.statuses else d.status,
        "parties": parties,
        "assets": assets,
        "headline": usd_text(usd, qual) if usd is not None else "not disclosed",
        "upfront": _money(d, "upfront") or "not stated",
        "sources": sorted({str(c) for c in d.sources} | {str(c) for cl in d.terms.values() for m in cl
                                                        for c in m.sources}),
        "note": d.note or "",
    }


def _country_text(code: str | None) -> str:
    if not code:
        return "not recorded"
    p = vocabulary().places.get(code)
    return f"{p.label} ({code})" if p else code


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _org_node(ds: Dataset, oid: str, deals: int, cent: metrics.Centrality, top: float, colour_by: str,
              extra: list[tuple[str, str]] = ()) -> MapNode:
    v = vocabulary()
    o = ds.organizations[oid]
    if colour_by == "kind":
        _, group, colour = style.kind_group(o.type)
    elif colour_by == "community":
        _, group, colour = style.community_group(cent.community(oid))
    else:
        _, group, colour = style.country_group(o.country)
    info: list[tuple[str, str]] = [("Headquarters", _country_text(o.country)),
                                   ("Kind", v.org_kinds[o.type].label if o.type in v.org_kinds else o.type)]
    if o.multinational:
        info.append(("Multinational", "yes"))
    info.append(("Deals", str(deals)))
    info.extend(cent.info(oid))
    info.extend(extra)
    others = o.names()[1:]
    if others:
        info.append(("Also known as", "; ".join(others[:6]) + (" …" if len(others) > 6 else "")))
    if o.note:
        info.append(("Note", o.note))
    info.append(("Sources", ", ".join(sorted({str(c) for c in o.sources}))))
    value = cent.size_of(oid)
    return MapNode(ORG + oid, o.name, "organization", colour, group, style.node_size(value, top), info,
                   ring=o.multinational, importance=value)


def _legend(nodes: list[MapNode], edges: list[MapEdge], colour_by: str, cent: metrics.Centrality,
            notes: list[str], filtered: bool) -> style.Legend:
    titles = {"country": "Colour: headquarters", "kind": "Colour: kind of organization",
              "community": "Colour: partner community"}
    counts: dict[tuple[str, str], int] = {}
    for n in nodes:
        if n.kind == "organization":
            counts[(n.group, n.colour)] = counts.get((n.group, n.colour), 0) + 1
    order = [g[1] for g in style.COUNTRY_GROUPS] + [style.UNKNOWN[1]]
    colours = sorted(((g, c, k) for (g, c), k in counts.items()),
                     key=lambda t: (order.index(t[0]) if t[0] in order else len(order), -t[2], t[0]))
    lines: list[tuple[str, str, Any]] = []
    v = vocabulary()
    used = sorted({e.style for e in edges})
    for fam_key, fam_text, dashes, types in style.EDGE_FAMILIES:
        for t in types:
            if t in used:
                lines.append((v.deal_types[t].label, style.DEAL_TYPE_COLOURS[t], dashes))
    for key, (text, colour, dashes) in style.LINK_STYLES.items():
        if key in used:
            lines.append((text, colour, dashes))
    marks = []
    if any(n.ring for n in nodes):
        marks.append(("ring", "Dark ring: multinational"))
    if any(n.kind == "asset" for n in nodes):
        marks.append(("diamond", "Diamond: asset (drug, device, platform or program)"))
    if any(n.focus for n in nodes):
        marks.append(("star", "Star: the organization this map is about"))
    return style.Legend(titles.get(colour_by, "Colour"), colours,
                        f"Size: {cent.method}, over {'the selected deals' if filtered else 'all deals'} "
                        "(the area grows with the value). Line width: number of deals between the two; "
                        "colour and dashes: their most common kind (hover a line for every deal).",
                        lines, marks, notes)


def _edge_style(ds: Dataset, deals: list[str], relations: list[str]) -> str:
    if deals:
        counts: dict[str, int] = {}
        for d in deals:
            t = ds.deals[d].type
            counts[t] = counts.get(t, 0) + 1
        order = [t for _, _, _, types in style.EDGE_FAMILIES for t in types]
        return min(counts, key=lambda t: (-counts[t], order.index(t) if t in order else len(order), t))
    return {"subsidiary_of": "subsidiary", "formed_by": "formed-by", "stake": "stake"}[relations[0]]


def _link_words(ds: Dataset, a: str, b: str, relations: list[str]) -> list[str]:
    out = []
    for r in relations:
        for x, y in ((a, b), (b, a)):
            ox, oy = ds.organizations[x], ds.organizations[y]
            if r == "subsidiary_of" and ox.subsidiary_of == y:
                out.append(f"{ox.name} is a subsidiary of {oy.name}")
            elif r == "formed_by" and y in ox.formed_by:
                out.append(f"{ox.name} was formed by {oy.name}")
            elif r == "stake":
                for s in ox.stakes:
                    if s.org == y:
                        out.append(f"{ox.name} holds {_fmt(float(s.percent))}% of {oy.name}")
    return sorted(set(out))


# --------------------------------------------------------------------------- maps
@dataclass(frozen=True)
class MapOptions:
    """How a map is drawn and which precomputed analysis it may reuse.

    ``colour_by``: 'country' (headquarters region), 'kind' or 'community' (Louvain, from the analysis).
    ``size_by``: a centrality column (see ``metrics.SIZE_MEASURES``).
    ``centrality``: ``graph.analysis.centrality_table`` of the *whole* dataset, reused when no filter is
    set (with a filter, centrality is recomputed on the deals shown). ``exposure_index``: a
    ``graph.analysis.ExposureIndex`` of the whole dataset, reused likewise.
    """

    colour_by: str = "country"
    size_by: str = "weighted_degree"
    centrality: Any = None
    exposure_index: Any = None

    def checked(self) -> "MapOptions":
        if self.colour_by not in style.COLOUR_BY:
            raise DealgraphError(f"unknown colour scheme '{self.colour_by}': expected one of "
                                 f"{', '.join(style.COLOUR_BY)}")
        if self.size_by not in metrics.SIZE_MEASURES:
            raise DealgraphError(f"unknown size measure '{self.size_by}': expected one of "
                                 f"{', '.join(metrics.SIZE_MEASURES)}")
        return self


def _selection(ds: Dataset, flt: DealFilter) -> tuple[Dataset, nx.Graph]:
    """The filtered dataset and its partner network, limited to organizations in a selected deal
    and the organizations corporate links tie to them."""
    sub = flt.checked().apply(ds)
    G = metrics.map_graph(sub)
    active = {n for n, d in G.nodes(data="deals") if d}
    keep = set(active)
    for a, b, rel in G.edges(data="relations"):
        if rel and (a in active or b in active):
            keep.update((a, b))
    return sub, G.subgraph(sorted(keep)).copy()


def _centrality(sub: Dataset, flt: DealFilter, opts: MapOptions) -> metrics.Centrality:
    return metrics.centrality(sub, None if flt.active else opts.centrality, opts.size_by)


def _assemble(ds: Dataset, sub: Dataset, G: nx.Graph, kind: str, title: str, subtitle: str, flt: DealFilter,
              opts: MapOptions, focus: str | None = None, notes: list[str] | None = None) -> MapGraph:
    cent = _centrality(sub, flt, opts)
    top = max((cent.size_of(n) for n in G.nodes), default=0.0)
    nodes = []
    for n in sorted(G.nodes):
        node = _org_node(ds, n, G.nodes[n]["deals"], cent, top, opts.colour_by)
        if n == focus:
            node.focus, node.shape = True, "star"
        nodes.append(node)
    edges, deals = [], {}
    for a, b in sorted(tuple(sorted(e)) for e in G.edges):
        data = G.edges[a, b]
        ids = sorted(data["deals"], key=lambda d: (sub.deals[d].date or "", d))
        edges.append(MapEdge(ORG + a, ORG + b, _edge_style(sub, ids, data["relations"]), ids,
                             _link_words(ds, a, b, data["relations"])))
        for d in ids:
            if d not in deals:
                deals[d] = deal_info(ds, sub.deals[d])
    by_id = {n.id: n for n in nodes}
    for d in sorted(sub.deals.values(), key=lambda d: (d.date or "", d.id)):
        parties = d.party_ids()
        if len(parties) == 1 and ORG + parties[0] in by_id:
            by_id[ORG + parties[0]].deals.append(d.id)
            deals[d.id] = deal_info(ds, d)
    legend = _legend(nodes, edges, opts.colour_by, cent, notes or [], flt.active)
    summary = [("Organizations", str(len(nodes))), ("Links", str(len(edges))), ("Deals", str(len(deals)))]
    return MapGraph(title, subtitle, kind, nodes, edges, dict(sorted(deals.items())), legend,
                    ORG + focus if focus else None, summary)


def overview_map(ds: Dataset, flt: DealFilter = DealFilter(), opts: MapOptions = MapOptions()) -> MapGraph:
    """Every organization in a selected deal (plus organizations corporate links tie to them)."""
    opts.checked()
    sub, G = _selection(ds, flt)
    return _assemble(ds, sub, G, "overview", "Deal network: all organizations", flt.describe() or "all deals",
                     flt, opts)


def resolve_org(ds: Dataset, name: str) -> str:
    """The id of the organization called ``name`` (id, name, alias or former name), or a clear error."""
    try:
        return ds.org(name).id
    except KeyError:
        key = name.casefold()
        close = sorted(o.name for o in ds.organizations.values()
                       if any(key in n.casefold() or n.casefold() in key for n in o.names()))[:5]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise DealgraphError(f"no organization called '{name}'{hint}") from None


def ego_map(ds: Dataset, name: str, hops: int = 1, flt: DealFilter = DealFilter(),
            opts: MapOptions = MapOptions()) -> MapGraph:
    """``name`` (any alias) and every organization within ``hops`` links of it in the selected deals."""
    opts.checked()
    if hops < 1:
        raise DealgraphError(f"--hops must be at least 1 (got {hops})")
    oid = resolve_org(ds, name)
    sub, G = _selection(ds, flt)
    notes = []
    if oid not in G:
        G.add_node(oid, deals=0)
        notes.append(f"{ds.organizations[oid].name} has no deals in this selection.")
    E = nx.ego_graph(G, oid, radius=hops).copy()
    o = ds.organizations[oid]
    hop_words = "direct partners" if hops == 1 else f"organizations within {hops} links"
    return _assemble(ds, sub, E, "ego", f"{o.name} and its {hop_words}", flt.describe() or "all deals", flt, opts,
                     focus=oid, notes=notes)


RELATION_STYLE = {"subsidiary_of": "subsidiary", "formed_by": "formed-by", "stake": "stake"}


def exposure_map(ds: Dataset, name: str, flt: DealFilter = DealFilter(), opts: MapOptions = MapOptions()
                 ) -> MapGraph:
    """How China-headquartered organizations' deals and assets reach ``name`` (any alias).

    From ``graph.analysis.exposure``: its direct China deals (one line per Chinese partner, pointing
    the way rights flow: licensor → licensee) and every indirect chain (originator → licence → NewCo
    → acquisition → multinational…), with the China-originated assets as diamonds on their originator.
    Line tooltips list the deals behind each link.
    """
    opts.checked()
    oid = resolve_org(ds, name)
    sub = flt.checked().apply(ds)
    index = None if flt.active else opts.exposure_index
    exp = metrics.china_exposure(sub, oid, index=index)
    cent = _centrality(sub, flt, opts)
    group = set(exp.group)
    pairs: dict[tuple[str, str], dict[str, set[str]]] = {}

    def link(a: str, b: str, via: str) -> None:
        p = pairs.setdefault((a, b), {"deals": set(), "relations": set()})
        (p["deals"] if via in sub.deals else p["relations"]).add(via)

    roles_in = ("licensee", "co-developer", "partner", "buyer", "acquirer", "investor", "host")
    for row in exp.direct["deal_list"]:
        d = sub.deals[row["deal"]]
        members = [m for m in d.party_ids() if m in group] or [oid]
        for cn in row["partners"]:
            for m in members:
                taking = any(m in d.parties.get(r, []) for r in roles_in)
                if taking:
                    link(cn, m, d.id)
                else:
                    link(m, cn, d.id)
    assets: dict[str, str] = {}        # asset id -> originator
    for ch in exp.indirect["chain_list"]:
        c = ch["chain"]
        for i in range(0, len(c) - 2, 2):
            link(c[i], c[i + 1 + 1], c[i + 1])
        if ch["asset"]:
            assets[ch["asset"]] = ch["originator"]
    for row in exp.direct["deal_list"]:
        for a in row["assets"]:
            rec = sub.assets.get(a)
            if rec is not None and rec.originator and rec.originator in {p for r in exp.direct["deal_list"]
                                                                           for p in r["partners"]}:
                assets.setdefault(a, rec.originator)

    orgs = {oid} | {x for ab in pairs for x in ab} | set(assets.values())
    top = max((cent.size_of(n) for n in orgs), default=0.0)
    direct_partners = {p["id"]: p for p in exp.direct["partners"]}
    originators = set(exp.indirect["originators"])
    deal_count = {n: 0 for n in orgs}
    for d in sub.deals.values():
        for p in d.party_ids():
            if p in deal_count:
                deal_count[p] += 1
    o = ds.organizations[oid]
    nodes: list[MapNode] = []
    for n in sorted(orgs):
        extra: list[tuple[str, str]] = []
        if n in direct_partners:
            p = direct_partners[n]
            extra.append(("Deals with " + o.name, f"{len(p['deals'])} (headline {usd_text(p['value_usd']) or 'n/a'})"))
        if n in originators:
            mine = sorted(sub.assets[a].name for a, orig in assets.items() if orig == n)
            extra.append(("China-originated assets reaching " + o.name, ", ".join(mine) or "unnamed rights"))
        node = _org_node(ds, n, deal_count[n], cent, top, "country", extra)
        if n == oid:
            node.focus, node.shape = True, "star"
            dx, ix = exp.direct, exp.indirect
            share = f" ({dx['share']:.0%} of its {dx['all_deals']})" if dx["share"] is not None else ""
            node.info[:0] = [("China deals", f"{dx['deals']}{share}"),
                             ("China deal value", usd_text(dx["value_usd"]) or "none disclosed"),
                             ("Chinese partners", str(len(dx["partners"]))),
                             ("Indirect China-originated assets", str(ix["assets"])),
                             ("Indirect chains", str(ix["chains"]))]
        nodes.append(node)
    edges: list[MapEdge] = []
    deals: dict[str, dict[str, Any]] = {}
    for (a, b), p in sorted(pairs.items()):
        ids = sorted(p["deals"], key=lambda d: (sub.deals[d].date or "", d))
        rels = sorted(p["relations"])
        words = _link_words(ds, a, b, rels)
        st = _edge_style(sub, ids, rels) if (ids or rels) else "rights"
        edges.append(MapEdge(ORG + a, ORG + b, st, ids, words, arrow=True))
        for d in ids:
            deals.setdefault(d, deal_info(ds, sub.deals[d]))
    v = vocabulary()
    for a in sorted(assets):
        rec = sub.assets[a]
        info = [("Modality", v.modalities[rec.modality].label if rec.modality in v.modalities else rec.modality),
                ("Stage", v.stages[rec.stage].label if rec.stage in v.stages else rec.stage)]
        if rec.target:
            info.append(("Target", rec.target))
        if rec.indication:
            info.append(("Indication", rec.indication))
        info.append(("Originator", ds.organizations[assets[a]].name))
        if rec.codes:
            info.append(("Codes", ", ".join(rec.codes)))
        info.append(("Sources", ", ".join(sorted({str(c) for c in rec.sources}))))
        nodes.append(MapNode(ASSET + a, rec.name, "asset", style.ASSET_COLOUR, "Asset", 11.0, info, shape="diamond"))
        edges.append(MapEdge(ORG + assets[a], ASSET + a, "originated",
                             links=[f"{rec.name} was originated by {ds.organizations[assets[a]].name}"]))
    notes = ["Arrows show the way rights flow: licensor → licensee → acquirer; NewCo → founder; "
             "subsidiary → parent."]
    if not exp.direct["deals"] and not exp.indirect["chains"]:
        notes.append(f"No deal or chain links {o.name} to a China-headquartered organization in this selection.")
    legend = _legend(nodes, edges, "country", cent, notes, flt.active)
    summary = [("China deals", str(exp.direct["deals"])), ("Chinese partners", str(len(exp.direct["partners"]))),
               ("Indirect chains", str(exp.indirect["chains"])), ("Assets", str(len(assets)))]
    return MapGraph(f"China exposure of {o.name}", flt.describe() or "all deals", "exposure", nodes, edges,
                    dict(sorted(deals.items())), legend, ORG + oid, summary)
