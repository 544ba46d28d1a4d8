"""The partner network: who deals with whom, and in which direction.

**Links of one deal** (``deal_links``). Each role of a deal is on a side,
read from the ontology (``vocabulary().role_side``): *gives* (licensor,
target, seller, investor), *takes* (licensee, acquirer, buyer, investee) or
*peer* (co-developer, partner, host). Two parties of a deal are linked as:

* ``flow`` a → b: a gives and b takes, or a gives and b is a peer (a licensor
  and its co-developer): rights, an asset, money or goods pass from a to b;
* ``mutual`` a – b: two peers in different roles (host and resident), a peer
  and a taker (a NewCo's parent and the NewCo licensee), or the parties of a
  deal whose only role is one peer role (the two partners of a collaboration,
  the co-developers of a co-development);
* ``co-party`` a – b: two parties on the same side otherwise: the same role
  (co-licensees, co-investors, co-hosts) or two giving or two taking roles
  (a licensor and an investor founding a NewCo together). Co-parties did not
  deal with each other; they are linked only when asked (``co_parties=True``).

**Groups.** With ``roll_up=True`` (the default) every subsidiary whose
``subsidiary_of`` chain leads to a multinational is merged into its topmost
multinational ancestor: Janssen, JLABS and JJDC are Johnson & Johnson, not its
partners, and deals inside a group link nobody.

**The graph** (``partner_graph``) is a ``networkx.DiGraph``: one node per
organization (or group), one edge u → v per ordered pair linked by a deal.
A flow gives the edge giver → taker; a mutual or co-party link gives edges
both ways. ``undirected(G)`` folds it into the ``networkx.Graph`` on which
centrality and communities are computed.
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterable

import networkx as nx

from ..models.dataset import Dataset
from ..core.gcpause import without_gc
from ..models import Deal
from ..models.values import Headline, headline
from ..models.vocabulary import vocabulary

RELATIONS = ("subsidiary_of", "formed_by", "stake")
LINK_KINDS = ("flow", "mutual", "co-party")
_STRENGTH = {"co-party": 0, "mutual": 1, "flow": 2}


def headlines(ds: Dataset) -> dict[str, Headline]:
    """Headline value of every deal, by deal id."""
    return {d.id: headline(d) for d in ds.deals.values()}


def _link(d: Deal, ra: str, rb: str) -> tuple[str, bool]:
    """(kind, reversed) of a link between a party in role ``ra`` and one in role ``rb``."""
    side = vocabulary().role_side
    sa, sb = side(ra), side(rb)
    if ra == rb:
        return ("mutual" if sa == "peer" and len(d.parties) == 1 else "co-party"), False
    if sa == "gives" and sb in ("takes", "peer"):
        return "flow", False
    if sb == "gives" and sa in ("takes", "peer"):
        return "flow", True
    if "peer" in (sa, sb):
        return "mutual", False
    return "co-party", False


def deal_links(d: Deal) -> list[tuple[str, str, str]]:
    """The links between the parties of deal ``d``: ``(a, b, kind)``, sorted.

    For a ``flow`` a gives to b; ``mutual`` and ``co-party`` links are listed
    once with a < b. A pair that meets in several roles keeps its strongest
    link (flow, then mutual, then co-party). See the module docstring.

    Parameters
    ----------
    d : Deal
        A deal; its ``parties`` map roles to organization ids.

    Returns
    -------
    list of (str, str, str)

    Examples
    --------
    >>> deal_links(tiny.deals["d3"])      # licensor cn1, co-developers mnc and mnc2
    [('cn1', 'mnc', 'flow'), ('cn1', 'mnc2', 'flow'), ('mnc', 'mnc2', 'co-party')]
    """
    best: dict[tuple[str, str], tuple[str, bool]] = {}
    items = [(r, o) for r, orgs in sorted(d.parties.items()) for o in orgs]
    for (ra, a), (rb, b) in combinations(items, 2):
        if a == b:
            continue
        kind, rev = _link(d, ra, rb)
        src, dst = (b, a) if rev else (a, b)
        if kind != "flow" and src > dst:
            src, dst = dst, src
        key = (min(a, b), max(a, b))
        old = best.get(key)
        if old is None or _STRENGTH[kind] > _STRENGTH[old[0]]:
            best[key] = (kind, src != key[0])
    out = []
    for (a, b), (kind, rev) in best.items():
        out.append((b, a, kind) if rev else (a, b, kind))
    return sorted(out)


def group_roots(ds: Dataset) -> dict[str, str]:
    """Organization id → the id it rolls up into: its topmost multinational ancestor, else itself.

    >>> group_roots(tiny)["mnc"]
    'mnc'
    """
    orgs = ds.organizations
    out: dict[str, str] = {}
    for oid in orgs:
        root, seen, cur = oid, {oid}, orgs[oid]
        while cur.subsidiary_of and cur.subsidiary_of in orgs and cur.subsidiary_of not in seen:
            seen.add(cur.subsidiary_of)
            cur = orgs[cur.subsidiary_of]
            if cur.multinational:
                root = cur.id
        out[oid] = root
    return out


@without_gc
def partner_graph(ds: Dataset, relations: Iterable[str] = (), heads: dict[str, Headline] | None = None, *,
                  co_parties: bool = False, roll_up: bool = True) -> nx.DiGraph:
    """The partner network of ``ds``: organizations linked by the deals they made with each other.

    Each deal links its parties as ``deal_links`` says: a *flow* edge from
    the party that gives (licensor, seller, target, investor) to the party
    that takes (licensee, buyer, acquirer, investee), or to a peer that
    receives (a co-developer); *mutual* links between peers give edges both
    ways. Parties on the same side of a deal (co-licensees, co-investors) are
    *co-parties* and are not linked unless ``co_parties=True``.

    Parameters
    ----------
    ds : Dataset
    relations : iterable of str, optional
        Any of 'subsidiary_of', 'formed_by', 'stake': add those
        organization-to-organization relations as edges (child → parent,
        NewCo → founder, company → holder). Off by default.
    heads : dict, optional
        Precomputed ``headlines(ds)``.
    co_parties : bool, default False
        Also link co-parties of a deal (both ways, kind 'co-party').
    roll_up : bool, default True
        Merge subsidiaries into their topmost multinational ancestor
        (``group_roots``); links inside a group are dropped.

    Returns
    -------
    networkx.DiGraph
        Nodes: organization ids, with ``name``, ``country``, ``kind``,
        ``multinational``, ``deals`` (distinct deals of the node, members
        included) and ``members`` (ids merged into it, itself included).
        Edges u → v: ``deals`` (sorted ids of the deals linking u to v),
        ``flows`` (those in which u gives to v), ``mutual``, ``co_party``,
        ``relations`` (sorted relation names), ``weight`` (deals + relations)
        and ``value_usd`` (sum of the deals' disclosed headline values,
        ``values.headline``; undisclosed add 0). ``G.graph['deal_usd']``
        holds each linked deal's headline USD (None when undisclosed).
        Nodes and edges are added in sorted order: the same data gives the
        same graph.

    Examples
    --------
    >>> G = partner_graph(tiny)
    >>> G["cn1"]["mnc"]["flows"], G.has_edge("mnc", "cn1")     # cn1 licenses to mnc (d1, d3)
    (['d1', 'd3'], False)
    >>> G.has_edge("mnc", "mnc2")                               # co-developers of d3: co-parties
    False
    >>> partner_graph(tiny, co_parties=True)["mnc"]["mnc2"]["co_party"]
    ['d3']

    References
    ----------
    Issue #10 of this project: co-parties and subsidiaries are not partners.
    """
    relations = tuple(relations)
    bad = [r for r in relations if r not in RELATIONS]
    if bad:
        raise ValueError(f"unknown relation {bad[0]!r}: expected one of {', '.join(RELATIONS)}")
    heads = heads if heads is not None else headlines(ds)
    root = group_roots(ds) if roll_up else {o: o for o in ds.organizations}
    members: dict[str, list[str]] = {}
    for o in sorted(root):
        members.setdefault(root[o], []).append(o)
    node_deals: dict[str, set[str]] = {}
    edges: dict[tuple[str, str], dict[str, set[str]]] = {}

    def edge(a: str, b: str) -> dict[str, set[str]]:
        e = edges.get((a, b))
        if e is None:
            e = edges[(a, b)] = {"flows": set(), "mutual": set(), "co_party": set(), "relations": set()}
        return e

    for d in ds.deals.values():
        for o in d.party_ids():
            if o not in ds.organizations:
                raise ValueError(f"deal '{d.id}' names organization '{o}', which is not in the dataset")
            node_deals.setdefault(root[o], set()).add(d.id)
        for a, b, kind in deal_links(d):
            ra, rb = root[a], root[b]
            if ra == rb:
                continue
            if kind == "flow":
                edge(ra, rb)["flows"].add(d.id)
            elif kind == "mutual" or co_parties:
                slot = "mutual" if kind == "mutual" else "co_party"
                edge(ra, rb)[slot].add(d.id)
                edge(rb, ra)[slot].add(d.id)
    if relations:
        for o in ds.organizations.values():
            links: list[tuple[str, str]] = []
            if "subsidiary_of" in relations and o.subsidiary_of:
                links.append((o.subsidiary_of, "subsidiary_of"))
            if "formed_by" in relations:
                links.extend((f, "formed_by") for f in o.formed_by)
            if "stake" in relations:
                links.extend((s.org, "stake") for s in o.stakes)
            for other, what in links:
                a, b = (root[o.id], root[other]) if what != "stake" else (root[other], root[o.id])
                if other in root and a != b:
                    edge(a, b)["relations"].add(what)

    G = nx.DiGraph()
    G.graph["deal_usd"] = {}
    for oid in sorted(members):
        o = ds.organizations[oid]
        G.add_node(oid, name=o.name, country=o.country, kind=o.type, multinational=o.multinational,
                   deals=len(node_deals.get(oid, ())), members=members[oid])
    for (a, b) in sorted(edges):
        e = edges[(a, b)]
        deals = sorted(e["flows"] | e["mutual"] | e["co_party"])
        for x in deals:
            G.graph["deal_usd"][x] = heads[x].usd
        G.add_edge(a, b, deals=deals, flows=sorted(e["flows"]), mutual=sorted(e["mutual"]),
                   co_party=sorted(e["co_party"]), relations=sorted(e["relations"]),
                   weight=len(deals) + len(e["relations"]),
                   value_usd=float(sum(heads[x].usd or 0.0 for x in deals)))
    return G


def undirected(G: nx.DiGraph) -> nx.Graph:
    """The partner network with direction folded: one edge per pair of partners.

    An edge's ``deals`` and ``relations`` are the union over both directions,
    ``weight`` = their number, ``value_usd`` the disclosed headline value of
    those deals (each counted once), ``flows``/``mutual``/``co_party`` the
    union too. An undirected graph is returned as it is.

    >>> H = undirected(partner_graph(tiny))
    >>> H["mnc"]["cn1"]["weight"], H["mnc"]["cn1"]["value_usd"]
    (2, 3000000000.0)
    """
    if not G.is_directed():
        return G
    usd = G.graph.get("deal_usd", {})
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(sorted(G.nodes(data=True)))
    pairs: dict[tuple[str, str], dict[str, set[str]]] = {}
    for a, b, data in G.edges(data=True):
        key = (a, b) if a < b else (b, a)
        p = pairs.setdefault(key, {"deals": set(), "flows": set(), "mutual": set(), "co_party": set(),
                                   "relations": set()})
        for k in p:
            p[k].update(data.get(k, ()))
    for (a, b) in sorted(pairs):
        p = pairs[(a, b)]
        H.add_edge(a, b, **{k: sorted(v) for k, v in p.items()}, weight=len(p["deals"]) + len(p["relations"]),
                   value_usd=float(sum(usd.get(x) or 0.0 for x in p["deals"])))
    return H
