"""The maps' graphs: overview and ego network, as plain ``MapGraph`` data (exposure maps: ``exposure_view``).

A ``MapGraph`` holds everything a reader can see or hover: nodes (organizations, and
assets on exposure maps) with their colour groups, size, position and card rows; lines
with the deals behind them; the deals themselves (``cards.deal_record``); and the
documents the deals cite. It knows nothing of HTML: ``render.py`` turns it into a page.

Lines are deals drawn as deals (``flows.links``): one line per ordered pair of
organizations, from the party that gives rights to the one that takes them, carrying
every deal between them in that direction; undirected lines for collaborations between
peers. Corporate links (subsidiary, NewCo founders, stakes) are dotted lines.

Node ids are ``org:<id>`` and ``asset:<id>``. Everything is sorted, so the same dataset
and options give the same map.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import networkx as nx

from ...models.dataset import Dataset
from ...core.errors import DealgraphError
from ...models import Deal
from . import cards, flows, layout, metrics, style
from .filters import CHINA_MAINLAND, DealFilter

ORG, ASSET = "org:", "asset:"


@dataclass
class MapNode:
    id: str
    label: str
    kind: str                      # 'organization' or 'asset'
    groups: dict[str, str]         # colour scheme -> group key
    size: float
    about: list[list[str]]         # card rows: headquarters, kind, names, sources…
    measures: list[list[str]] = field(default_factory=list)   # card rows on the "Measures" tab
    names: list[str] = field(default_factory=list)            # every name search may match
    china: bool = False            # headquartered in mainland China
    greater_china: bool = False    # in Greater China (CN, HK, MO, TW)
    multinational: bool = False
    focus: bool = False
    importance: float = 0.0        # label priority: disclosed value of its deals
    deals: list[str] = field(default_factory=list)   # deals with no other party recorded
    x: float = 0.0
    y: float = 0.0

    @property
    def shape(self) -> str:
        return "star" if self.focus else "diamond" if self.kind == "asset" else "dot"


@dataclass
class MapEdge:
    source: str
    target: str
    kind: str                      # 'deal', or a ``style.LINK_STYLES`` key
    directed: bool = True
    deals: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)   # corporate links in words


@dataclass
class MapGraph:
    """A map ready to render (see the module docstring)."""

    title: str
    subtitle: str
    kind: str                                          # 'overview', 'ego' or 'exposure'
    nodes: list[MapNode]
    edges: list[MapEdge]
    deals: dict[str, dict[str, Any]]
    documents: dict[str, list[str]]
    focus: str | None = None
    summary: list[tuple[str, str]] = field(default_factory=list)  # headline facts shown above the map
    notes: list[str] = field(default_factory=list)
    schemes: tuple[str, ...] = ("side", "country")
    size_text: str = ""
    greater_china: bool = False
    colour_by: str = "side"

    def node_ids(self) -> set[str]:
        return {n.id for n in self.nodes}


# --------------------------------------------------------------------------- options
@dataclass(frozen=True)
class MapOptions:
    """How a map is drawn and which precomputed analysis it may reuse.

    ``colour_by``: the colour scheme the page opens with (``style.COLOUR_BY``; side and headquarters
    are always offered). ``size_by``: a centrality column (``metrics.SIZE_MEASURES``).
    ``centrality``: ``graph.analysis.centrality_table`` of the *whole* dataset, reused when no filter
    is set. ``exposure_index``: a ``graph.analysis.ExposureIndex`` of the whole dataset, likewise;
    ``exposures``: the analyses' ``Exposure`` per multinational (``run_analyses``), likewise.
    ``greater_china``: count HK, MO and TW as China (for side colours and direction).
    """

    colour_by: str = "side"
    size_by: str = "value_degree"
    centrality: Any = None
    exposure_index: Any = None
    exposures: Any = None          # multinational id -> Exposure of the whole dataset (mainland China)
    greater_china: bool = False
    layouts: Any = None            # a ``layoutmemo.LayoutMemo``: positions kept from the previous build

    def checked(self) -> "MapOptions":
        if self.colour_by not in style.COLOUR_BY:
            raise DealgraphError(f"unknown colour scheme '{self.colour_by}': expected one of "
                                 f"{', '.join(style.COLOUR_BY)}")
        if self.size_by not in metrics.SIZE_MEASURES:
            raise DealgraphError(f"unknown size measure '{self.size_by}': expected one of "
                                 f"{', '.join(metrics.SIZE_MEASURES)}")
        return self

    def schemes(self) -> tuple[str, ...]:
        return ("side", "country") + ((self.colour_by,) if self.colour_by not in ("side", "country") else ())


def resolve_org(ds: Dataset, name: str) -> str:
    """The id of the organization called ``name`` (id, name, alias or former name, any case), or a clear error."""
    try:
        return ds.org(name).id
    except KeyError:
        key = name.strip().casefold()
        for o in ds.organizations.values():
            if key in (n.casefold() for n in [o.id, *o.names()]):
                return o.id
        close = sorted(o.name for o in ds.organizations.values()
                       if any(key in n.casefold() or n.casefold() in key for n in o.names()))[:5]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise DealgraphError(f"no organization called '{name}'{hint}") from None


# --------------------------------------------------------------------------- pieces shared by every map
def org_node(ds: Dataset, oid: str, cent: metrics.Centrality, top: float, colour_by: str,
             focus: bool = False) -> MapNode:
    """The node of one organization: colour groups for every scheme, size from ``cent``, card rows."""
    o = ds.organizations[oid]
    groups = {"side": style.MULTINATIONAL if o.multinational else style.OTHER,
              "country": style.country_group(o.country)[0]}
    if colour_by == "kind":
        groups["kind"] = style.kind_group(o.type)[0]
    elif colour_by == "community":
        groups["community"] = style.community_group(cent.community(oid))[0]
    gc = bool(o.country) and o.country in _greater_china()
    value = cent.size_of(oid)
    return MapNode(ORG + oid, o.name, "organization", groups, style.node_size(value, top),
                   cards.org_about(ds, oid), [list(r) for r in cent.info(oid)], o.names(),
                   china=o.country in CHINA_MAINLAND, greater_china=gc, multinational=bool(o.multinational),
                   focus=focus, importance=value)


@cache
def _greater_china() -> frozenset[str]:
    from ...models.vocabulary import vocabulary
    return frozenset(vocabulary().place_members("GREATER-CHINA"))


def relation_links(ds: Dataset, keep: set[str]) -> dict[tuple[str, str, str], list[str]]:
    """Corporate links among ``keep``: (from, to, style) -> words. Subsidiary → parent, NewCo → founder,
    holder → held."""
    out: dict[tuple[str, str, str], list[str]] = {}
    for oid in sorted(keep):
        o = ds.organizations[oid]
        if o.subsidiary_of in keep:
            out.setdefault((oid, o.subsidiary_of, "subsidiary"), []).append(
                f"{o.name} is a subsidiary of {ds.organizations[o.subsidiary_of].name}")
        for f in o.formed_by:
            if f in keep:
                out.setdefault((oid, f, "formed-by"), []).append(f"{o.name} was formed by {ds.organizations[f].name}")
        for s in o.stakes:
            if s.org in keep:
                pct = format(s.percent.normalize(), "f") if hasattr(s.percent, "normalize") else str(s.percent)
                out.setdefault((oid, s.org, "stake"), []).append(
                    f"{o.name} holds {pct}% of {ds.organizations[s.org].name}")
    return out


def deal_lines(deals: list[Deal], keep: set[str],
               lines_of: dict[str, list[tuple[str, str, bool]]] | None = None,
               presorted: bool = False) -> dict[tuple[str, str, bool], list[str]]:
    """(from, to, directed) -> deal ids, for every line of ``flows.links`` with both ends in ``keep``.

    ``lines_of``: ``flows.links`` of each deal by id, if the caller already has them; ``presorted``:
    ``deals`` are already in (date, id) order.
    """
    out: dict[tuple[str, str, bool], list[str]] = {}
    for d in deals if presorted else sorted(deals, key=lambda d: (d.date or "", d.id)):
        for a, b, directed in (lines_of[d.id] if lines_of is not None and d.id in lines_of else flows.links(d)):
            if a in keep and b in keep:
                out.setdefault((a, b, directed), []).append(d.id)
    return out


def link_graph(ds: Dataset, deals: list[Deal],
               lines_of: dict[str, list[tuple[str, str, bool]]] | None = None) -> nx.Graph:
    """Undirected graph of the lines a map can draw: deal links and corporate links (for ego neighbourhoods).

    ``lines_of``: ``flows.links`` of each deal by id, if the caller already has them.
    """
    G = nx.Graph()
    for d in deals:
        G.add_nodes_from(d.party_ids())
        for a, b, _ in (lines_of[d.id] if lines_of is not None and d.id in lines_of else flows.links(d)):
            G.add_edge(a, b)
    active = set(G)
    for a, b, _ in relation_links(ds, set(ds.organizations)):
        if a in active or b in active:
            G.add_edge(a, b)
    return G


# The map set draws an ego and an exposure map for every multinational from one selection of deals;
# the link graph, the organization -> deals index and each deal's lines of the last selection are built
# once and reused while that selection (a Dataset object, never changed after loading) is alive.
_LAST: dict[str, Any] = {"ref": None, "ds": None, "indexes": None}


def _indexes(ds: Dataset, sub: Dataset) -> tuple[nx.Graph, dict[str, list[Deal]], dict[str, list], dict[str, int]]:
    """(``link_graph`` of the selection ``sub``, its deals by party id, ``flows.links`` by deal id, each
    deal's rank in (date, id) order), reused for the same ``sub``."""
    ref = _LAST["ref"]
    if ref is None or ref() is not sub or _LAST["ds"]() is not ds:
        deals_of: dict[str, list[Deal]] = {}
        for d in sub.deals.values():
            for p in dict.fromkeys(d.party_ids()):
                deals_of.setdefault(p, []).append(d)
        lines_of = {d.id: flows.links(d) for d in sub.deals.values()}
        rank = {d.id: i for i, d in enumerate(sorted(sub.deals.values(), key=lambda d: (d.date or "", d.id)))}
        _LAST["ref"], _LAST["ds"] = weakref.ref(sub), weakref.ref(ds)
        _LAST["indexes"] = (link_graph(ds, list(sub.deals.values()), lines_of), deals_of, lines_of, rank)
    return _LAST["indexes"]


def _size_text(cent: metrics.Centrality, filtered: bool) -> str:
    return (f"Node size: {cent.method}, over {'the selected deals' if filtered else 'all deals'} "
            "(area grows with the value).")


def assemble(ds: Dataset, sub: Dataset, keep: set[str], kind: str, title: str, subtitle: str, flt: DealFilter,
             opts: MapOptions, focus: str | None = None, notes: list[str] | None = None) -> MapGraph:
    """A map of the organizations ``keep``: every selected deal line and corporate link among them."""
    cent = metrics.centrality(sub, None if flt.active else opts.centrality, opts.size_by)
    top = max((cent.size_of(n) for n in keep), default=0.0)
    nodes = [org_node(ds, n, cent, top, opts.colour_by, focus=(n == focus)) for n in sorted(keep)]
    _, deals_of, lines_of, rank = _indexes(ds, sub)
    deals = sorted({d.id: d for n in sorted(keep) for d in deals_of.get(n, ())}.values(), key=lambda d: rank[d.id])
    edges = [MapEdge(ORG + a, ORG + b, "deal", directed, ids)
             for (a, b, directed), ids in sorted(deal_lines(deals, keep, lines_of, presorted=True).items())]
    edges += [MapEdge(ORG + a, ORG + b, st, True, [], words)
              for (a, b, st), words in sorted(relation_links(ds, keep).items())]
    shown = {d for e in edges for d in e.deals}
    by_id = {n.id: n for n in nodes}
    for d in deals:
        if d.id not in shown:
            parties = d.party_ids()
            if len(parties) == 1:
                by_id[ORG + parties[0]].deals.append(d.id)
                shown.add(d.id)
    records = {k: cards.deal_record(ds, sub.deals[k]) for k in sorted(shown)}
    place(nodes, edges, kind, ORG + focus if focus else None, opts.layouts)
    summary = [("Organizations", str(len(nodes))), ("Lines", str(len(edges))), ("Deals", str(len(records)))]
    return MapGraph(title, subtitle, kind, nodes, edges, records, cards.documents(ds),
                    ORG + focus if focus else None, summary, notes or [], opts.schemes(),
                    _size_text(cent, flt.active), opts.greater_china, opts.colour_by)


def place(nodes: list[MapNode], edges: list[MapEdge], kind: str, focus: str | None, memo: Any = None) -> None:
    """Give every node its precomputed position (``layout``): layered for exposure maps, force-directed else.

    ``memo``: a ``layoutmemo.LayoutMemo``; the positions of the previous build's page when everything read
    here (``layoutmemo.layout_key``) is unchanged, instead of laying the map out again."""
    weights: dict[tuple[str, str], float] = {}
    for e in edges:
        k = (e.source, e.target)
        weights[k] = weights.get(k, 0.0) + max(1, len(e.deals))
    ids = [n.id for n in nodes]
    sizes = {n.id: n.size for n in nodes}
    pos = None
    if memo is not None:
        from .layoutmemo import layout_key
        key = layout_key(kind, focus, ids, [(a, b, w) for (a, b), w in weights.items()], [n.size for n in nodes])
        pos = memo.positions(key, ids)
    if pos is not None:
        pass
    elif kind == "exposure":
        pos = layout.layered_layout(ids, list(weights), focus, sizes)
    else:
        pos = layout.component_layout(ids, [(a, b, w) for (a, b), w in weights.items()], sizes=sizes)
        if focus in pos:
            fx, fy = pos[focus]
            pos = {k: (x - fx, y - fy) for k, (x, y) in pos.items()}
    for n in nodes:
        n.x, n.y = pos[n.id]


# --------------------------------------------------------------------------- maps
def selection(ds: Dataset, flt: DealFilter) -> Dataset:
    """The dataset with only the deals ``flt`` keeps, or a DealgraphError saying what removed them all."""
    sub = flt.apply(ds)
    if flt.active and not sub.deals:
        raise DealgraphError("no deal is left: " + "; ".join(flt.explain(ds)))
    return sub


def overview_map(ds: Dataset, flt: DealFilter = DealFilter(), opts: MapOptions = MapOptions()) -> MapGraph:
    """Every organization in a selected deal, plus organizations corporate links tie to them."""
    opts.checked()
    flt = flt.checked()
    sub = selection(ds, flt)
    G = _indexes(ds, sub)[0]
    return assemble(ds, sub, set(G), "overview", "Deal network: all organizations", flt.describe() or "all deals",
                    flt, opts)


def ego_map(ds: Dataset, name: str, hops: int = 1, flt: DealFilter = DealFilter(),
            opts: MapOptions = MapOptions()) -> MapGraph:
    """``name`` (any alias) and every organization within ``hops`` lines of it in the selected deals.

    With a filter that leaves the organization no deal, a DealgraphError says which criterion
    removed its deals (an ego map of one lone star says nothing).
    """
    opts.checked()
    flt = flt.checked()
    if hops < 1:
        raise DealgraphError(f"--hops must be at least 1 (got {hops})")
    oid = resolve_org(ds, name)
    o = ds.organizations[oid]
    sub = flt.apply(ds)
    notes = []
    if oid not in _indexes(ds, sub)[1]:               # no selected deal names it
        mine = [d for d in ds.deals.values() if oid in d.party_ids()]
        if mine:
            why = "; ".join(flt.explain(ds, sorted(mine, key=lambda d: d.id)))
            raise DealgraphError(f"{o.name} has no deal left in this selection: {why}")
        notes.append(f"{o.name} has no deal recorded in the seeds.")
    G = _indexes(ds, sub)[0]
    keep = set(nx.ego_graph(G, oid, radius=hops)) if oid in G else {oid}
    hop_words = "direct partners" if hops == 1 else f"organizations within {hops} links"
    return assemble(ds, sub, keep, "ego", f"{o.name} and its {hop_words}", flt.describe() or "all deals", flt,
                    opts, focus=oid, notes=notes)
