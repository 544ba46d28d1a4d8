"""Centrality of organizations in the partner network (``partners.partner_graph``).

Each measure is one small function taking the partner graph (an undirected
``networkx.Graph`` keyed by organization id) and returning ``{id: value}``
(sampled measures return a ``Measured`` with the values and how they were
computed). ``centrality_table`` puts every measure in one table, one row per
organization. Every result is deterministic: the computations run on a copy of
the graph whose nodes are the integers 0..n-1 in sorted-id order (so string
hashing never changes an iteration order) and every random choice takes a
fixed ``seed``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx
import numpy as np
import rustworkx as rx

from ..core.gcpause import without_gc
from .partners import undirected

EXACT_LIMIT = 5_000
"""Graphs with at most this many nodes get exact betweenness and closeness; larger ones are sampled."""
SAMPLE = 64
"""Default number of sampled source nodes (betweenness) and pivots per component (closeness) above EXACT_LIMIT."""
SEED = 0
DIGITS = 12
"""Floats in the table are rounded to this many decimals, so output is byte-identical across runs."""

METRICS = ("deals", "degree", "weighted_degree", "value_degree", "betweenness", "closeness", "pagerank", "community")


@dataclass
class Measured:
    """Values of a measure by node, with how they were computed (``method``, ``k``, ``seed``…)."""

    values: dict[Any, float]
    meta: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- integer view
@dataclass
class IntegerView:
    """The graph relabelled 0..n-1 in sorted node order, with the chosen edge weight as 'w'.

    Every measure builds one when not given; pass ``view=IntegerView.of(G, 'weight')`` to build it
    once for several (betweenness and closeness ignore its weights).
    """

    ids: list[Any]
    H: nx.Graph

    @classmethod
    def of(cls, G: nx.Graph, weight: str | None = "weight") -> "IntegerView":
        G = undirected(G)
        ids = sorted(G)
        pos = {v: i for i, v in enumerate(ids)}
        H = nx.Graph()
        H.add_nodes_from(range(len(ids)))
        edges = sorted((min(pos[u], pos[v]), max(pos[u], pos[v]), 1 if weight is None else d.get(weight, 1))
                       for u, v, d in G.edges(data=True))
        H.add_weighted_edges_from(edges, weight="w")
        return cls(ids, H)

    def back(self, values: dict[int, Any]) -> dict[Any, Any]:
        return {self.ids[i]: values[i] for i in range(len(self.ids))}

    def compiled(self) -> rx.PyGraph:
        """The same graph in rustworkx (node i is integer i), for the exact shortest-path measures."""
        R = rx.PyGraph(multigraph=False)
        R.add_nodes_from(range(len(self.ids)))
        R.add_edges_from_no_data(list(self.H.edges()))
        return R


def rounded(values: dict[Any, float]) -> dict[Any, float]:
    """Values as the table holds them: floats rounded to ``DIGITS`` decimals, -0.0 made 0.0.

    >>> rounded({"a": 1 / 3, "b": -0.0})
    {'a': 0.333333333333, 'b': 0.0}
    """
    return {k: round(float(v), DIGITS) + 0.0 for k, v in values.items()}


# --------------------------------------------------------------------------- measures
def degree(G: nx.Graph) -> dict[Any, int]:
    """Degree: the number of distinct partners of each organization.

    >>> G = nx.Graph([("a", "b"), ("a", "c")])
    >>> degree(G)
    {'a': 2, 'b': 1, 'c': 1}
    """
    G = undirected(G)
    return {v: G.degree(v) for v in sorted(G)}


def weighted_degree(G: nx.Graph, weight: str = "weight") -> dict[Any, float]:
    """Weighted degree: the sum of ``weight`` over each organization's edges.

    With ``weight='weight'`` it is the number of partner-deal pairs (a deal with
    two partners of the organization counts twice); with ``weight='value_usd'``
    the disclosed headline value of its deals, summed over its partners.

    >>> G = nx.Graph(); G.add_edge("a", "b", weight=2); G.add_edge("a", "c", weight=1)
    >>> weighted_degree(G)
    {'a': 3.0, 'b': 2.0, 'c': 1.0}
    """
    G = undirected(G)
    return {v: float(sum(d.get(weight, 1) or 0 for _, _, d in G.edges(v, data=True))) for v in sorted(G)}


def betweenness(G: nx.Graph, exact_limit: int = EXACT_LIMIT, k: int = SAMPLE, seed: int = SEED,
                view: IntegerView | None = None) -> Measured:
    """Betweenness: the share of shortest paths between other pairs that pass through each organization.

    Paths count hops (edge weights are ignored); values are normalised by
    ``(n-1)(n-2)/2`` as in ``networkx.betweenness_centrality``. Exact (Brandes)
    when the graph has at most ``exact_limit`` nodes; above, estimated from
    ``k`` source nodes drawn with ``random.Random(seed)`` among the sorted ids
    and rescaled to the whole graph. ``meta`` says which: ``method`` 'exact' or
    'sampled', ``k`` and ``seed``.

    >>> G = nx.path_graph(["a", "b", "c"])
    >>> betweenness(G).values        # b is on the only a–c path: 1 of 1 pair
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    ix = view or IntegerView.of(G, None)
    n = len(ix.ids)
    if n <= exact_limit:
        # Brandes in rustworkx, one thread so the sums always run in the same order; the same
        # definition and normalisation as networkx.betweenness_centrality (sums may differ in the last bit,
        # about 1e-16, far below the DIGITS decimals kept)
        got = rx.graph_betweenness_centrality(ix.compiled(), normalized=True, endpoints=False,
                                              parallel_threshold=n + 1)
        vals = {i: got[i] for i in range(n)}
        meta = {"method": "exact", "nodes": n}
    else:
        k = min(k, n)
        vals = nx.betweenness_centrality(ix.H, k=k, normalized=True, weight=None, seed=seed)
        meta = {"method": "sampled", "nodes": n, "k": k, "seed": seed}
    return Measured(rounded(ix.back(vals)), meta)


def closeness(G: nx.Graph, exact_limit: int = EXACT_LIMIT, k: int = SAMPLE, seed: int = SEED,
              view: IntegerView | None = None) -> Measured:
    """Closeness: how near an organization is to everyone it can reach, in hops.

    For a node u reaching r nodes (itself included) in a graph of n nodes,
    ``closeness(u) = (r-1)/(n-1) * (r-1)/sum(d(u,v))`` (the Wasserman–Faust form
    ``networkx.closeness_centrality`` uses, which is fair to disconnected
    graphs); 0 for an isolated node. Exact when the graph has at most
    ``exact_limit`` nodes. Above, per connected component: components of at
    most ``k`` nodes are computed exactly; in larger ones ``sum(d(u,v))`` is
    estimated as ``(r-1)`` times the mean distance from u to ``k`` pivots drawn
    with ``random.Random(seed)`` (Eppstein–Wang), u itself left out.

    >>> G = nx.path_graph(["a", "b", "c"])
    >>> closeness(G).values          # b: 2 others at distance 1 → 2/2 = 1; a: 2/(1+2)
    {'a': 0.666666666667, 'b': 1.0, 'c': 0.666666666667}
    """
    ix = view or IntegerView.of(G, None)
    H, n = ix.H, len(ix.ids)
    if n <= exact_limit:
        return Measured(rounded(ix.back(_exact_closeness(ix))), {"method": "exact", "nodes": n})
    rng = random.Random(seed)
    vals: dict[int, float] = {}
    sampled = pivots_used = 0
    for comp in sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: c[0]):
        r = len(comp)
        if r == 1:
            vals[comp[0]] = 0.0
            continue
        if r <= k:
            for u in comp:
                total = sum(nx.single_source_shortest_path_length(H, u).values())
                vals[u] = (r - 1) / total * (r - 1) / (n - 1)
            continue
        sampled += 1
        pivots = rng.sample(comp, k)
        pivots_used += k
        sums = dict.fromkeys(comp, 0)
        for p in pivots:
            for v, d in nx.single_source_shortest_path_length(H, p).items():
                sums[v] += d
        pset = set(pivots)
        for u in comp:
            m = k - (u in pset)
            mean = sums[u] / m
            vals[u] = (r - 1) / (mean * (n - 1)) if mean > 0 else 0.0
    meta = {"method": "sampled", "nodes": n, "k": k, "seed": seed, "sampled_components": sampled,
            "pivots": pivots_used}
    return Measured(rounded(ix.back(vals)), meta)


def _exact_closeness(ix: IntegerView) -> dict[int, float]:
    """Wasserman–Faust closeness of every node from all-pairs hop distances, one component at a time.

    The distance sums are whole numbers and the formula is ``networkx.closeness_centrality``'s,
    in its order of operations, so the values are the same floats.
    """
    R, n = ix.compiled(), len(ix.ids)
    vals = dict.fromkeys(range(n), 0.0)
    for comp in rx.connected_components(R):
        if len(comp) < 2:
            continue
        sub = R.subgraph(sorted(comp))              # node payloads are the integer ids
        D = rx.graph_distance_matrix(sub, parallel_threshold=len(comp) + 1, null_value=0.0)
        reach = len(comp) - 1.0                     # a component: every member reaches all the others
        for u, total in zip(sub.nodes(), D.sum(axis=1).tolist()):
            vals[u] = reach / total * (reach / (n - 1))
    return vals


def pagerank(G: nx.Graph, weight: str | None = "weight", alpha: float = 0.85, tol: float = 1e-12,
             max_iter: int = 1000, view: IntegerView | None = None) -> dict[Any, float]:
    """PageRank: the share of time a random walker spends at each organization.

    The walker follows an edge with probability ∝ its ``weight`` (deals shared),
    and with probability ``1 - alpha`` (or always, from an organization with no
    edges) jumps to a node chosen uniformly. This is ``networkx.pagerank``'s
    definition (uniform personalization and dangling distribution), works on
    disconnected graphs, and sums to 1. Computed by power iteration with numpy
    until the L1 change is below ``n * tol``.

    Star a–b, a–c, a–d, alpha 0.85: centre ``c = 0.15/4 + 0.85*3*l`` and leaves
    ``l = 0.15/4 + 0.85*c/3`` give c = 0.4797, l = 0.1734.

    >>> G = nx.star_graph(["a", "b", "c", "d"])
    >>> round(pagerank(G)["a"], 4)
    0.4797
    """
    ix = view or IntegerView.of(G, weight)
    n = len(ix.ids)
    if n == 0:
        return {}
    src, dst, w = [], [], []
    for u, v, d in ix.H.edges(data="w"):
        src += (u, v)
        dst += (v, u)
        w += (float(d), float(d))
    src_a, dst_a, w_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(w, dtype=float)
    out_w = np.bincount(src_a, weights=w_a, minlength=n)
    dangling = out_w == 0
    inv = np.zeros(n)
    inv[~dangling] = 1.0 / out_w[~dangling]
    x = np.full(n, 1.0 / n)
    for it in range(1, max_iter + 1):
        last = x
        flow = np.bincount(dst_a, weights=(last * inv)[src_a] * w_a, minlength=n)
        x = alpha * flow + (alpha * last[dangling].sum() + 1.0 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    else:
        raise nx.PowerIterationFailedConvergence(max_iter)
    return rounded(ix.back(dict(enumerate(x.tolist()))))


def communities(G: nx.Graph, weight: str | None = "weight", seed: int = SEED, resolution: float = 1.0,
                view: IntegerView | None = None) -> dict[Any, int]:
    """Community of each organization, by Louvain modularity maximisation.

    ``networkx.community.louvain_communities`` with edge ``weight`` (deals shared)
    and a fixed ``seed``. Communities are numbered 0, 1, 2… from the largest to
    the smallest, ties broken by the smallest member id; an organization with
    no partner is a community of its own.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> communities(G)
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1}
    """
    ix = view or IntegerView.of(G, weight)
    parts = nx.community.louvain_communities(ix.H, weight="w" if weight else None, seed=seed, resolution=resolution)
    # member ids sorted; the integer order is the sorted-id order, so min index = smallest id
    ordered = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    out: dict[int, int] = {}
    for cid, members in enumerate(ordered):
        for m in members:
            out[m] = cid
    return ix.back(out)


# --------------------------------------------------------------------------- table
@dataclass
class CentralityTable:
    """Every measure per organization (``rows``, sorted by id) and how the measures were computed (``meta``)."""

    rows: list[dict[str, Any]]
    meta: dict[str, Any]

    def sorted(self, by: str = "weighted_degree", descending: bool = True) -> list[dict[str, Any]]:
        return sort_rows(self.rows, by, descending)


def sort_rows(rows: Iterable[dict[str, Any]], by: str, descending: bool = True) -> list[dict[str, Any]]:
    """Rows ordered by column ``by`` (largest first unless ``descending=False``), ties by id.

    Missing values (None) go last either way.
    """
    rows = list(rows)
    if rows and by not in rows[0]:
        raise KeyError(f"unknown metric '{by}': expected one of {', '.join(k for k in rows[0] if k not in ('id',))}")
    sign = -1 if descending else 1

    def key(r: dict[str, Any]) -> tuple:
        v = r.get(by)
        if v is None:
            return (1, 0, r["id"])
        if isinstance(v, str):
            return (0, v, r["id"])
        return (0, sign * v, r["id"])

    return sorted(rows, key=key)


@without_gc
def centrality_table(G: nx.Graph, exact_limit: int = EXACT_LIMIT, k: int = SAMPLE, seed: int = SEED,
                     timings: dict[str, float] | None = None) -> CentralityTable:
    """One row per organization of the partner network, with every centrality measure.

    The network's direction is folded first (``partners.undirected``): two
    organizations are neighbours when a deal links them either way; co-parties
    are neighbours only if ``G`` was built with ``co_parties=True``.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
        ``partners.partner_graph(ds)`` (or any graph keyed by organization id
        with ``weight`` and ``value_usd`` edge attributes).
    exact_limit : int, default 5000
        Largest graph for exact betweenness and closeness; above, sampled.
    k : int, default 64
        Sampled sources (betweenness) and pivots per component (closeness).
    seed : int, default 0
        Random seed for sampling and Louvain.
    timings : dict, optional
        Filled with the seconds each measure took.

    Returns
    -------
    CentralityTable
        ``rows`` sorted by id, columns ``id``, ``name``, ``country``,
        ``multinational``, ``deals`` (deals it is a party to), ``degree``,
        ``weighted_degree`` (by deal count), ``value_degree`` (by disclosed
        headline USD), ``betweenness``, ``closeness``, ``pagerank`` (weighted by
        deal count), ``community``; ``meta`` records node and edge counts and
        how betweenness and closeness were computed (exact or sampled, sample
        size, seed).

    Examples
    --------
    >>> from graph.analysis.partners import partner_graph
    >>> t = centrality_table(partner_graph(tiny))
    >>> row = next(r for r in t.rows if r["id"] == "mnc")
    >>> row["degree"], row["weighted_degree"], t.meta["betweenness"]["method"]
    (4, 5.0, 'exact')

    References
    ----------
    U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25 (2001) 163–177.
    D. Eppstein and J. Wang, "Fast approximation of centrality", J. Graph Algorithms Appl. 8 (2004) 39–45.
    V. D. Blondel et al., "Fast unfolding of communities in large networks" (Louvain), J. Stat. Mech. (2008) P10008.
    L. Page et al., "The PageRank citation ranking: bringing order to the web", Stanford (1999).
    """
    import time

    def timed(name: str, fn, *a, **kw):
        t = time.perf_counter()
        out = fn(*a, **kw)
        if timings is not None:
            timings[name] = time.perf_counter() - t
        return out

    G = undirected(G)
    # one integer view serves all: betweenness and closeness ignore its weights
    ix = timed("index", IntegerView.of, G, "weight")
    deg = timed("degree", degree, G)
    wdeg = timed("weighted_degree", weighted_degree, G, "weight")
    vdeg = timed("value_degree", weighted_degree, G, "value_usd")
    btw = timed("betweenness", betweenness, G, exact_limit, k, seed, view=ix)
    clo = timed("closeness", closeness, G, exact_limit, k, seed, view=ix)
    pr = timed("pagerank", pagerank, G, "weight", view=ix)
    com = timed("communities", communities, G, "weight", seed, view=ix)
    return assemble(G, deg, wdeg, vdeg, btw, clo, pr, com, seed)


def assemble(G: nx.Graph, deg: dict, wdeg: dict, vdeg: dict, btw: Measured, clo: Measured, pr: dict, com: dict,
             seed: int = SEED) -> CentralityTable:
    """The table from measures already computed on ``G`` (what ``centrality_table`` returns)."""
    rows = []
    for v in sorted(G):
        a = G.nodes[v]
        rows.append({"id": v, "name": a.get("name"), "country": a.get("country"),
                     "multinational": bool(a.get("multinational")), "deals": a.get("deals", 0),
                     "degree": deg[v], "weighted_degree": wdeg[v], "value_degree": round(vdeg[v], 2),
                     "betweenness": btw.values[v], "closeness": clo.values[v], "pagerank": pr[v],
                     "community": com[v]})
    meta = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "communities": len(set(com.values())), "betweenness": btw.meta, "closeness": clo.meta,
            "pagerank": {"weight": "weight", "alpha": 0.85},
            "louvain": {"weight": "weight", "seed": seed, "resolution": 1.0}}
    return CentralityTable(rows, meta)
