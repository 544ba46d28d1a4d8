"""The partner network: who deals with whom.

``partner_graph(ds)`` is an undirected ``networkx.Graph``:

* one node per organization (every organization, also those in no deal), keyed by
  id, with attributes ``name``, ``country``, ``kind``, ``multinational`` and
  ``deals`` (the number of deals the organization is a party to);
* one edge between two organizations for every deal they are both parties to:
  a deal with three parties links all three pairs. Edge attributes:

  - ``weight``: the number of deals the pair shares (plus, when relation edges
    are switched on, one per relation between them);
  - ``value_usd``: the sum of the headline values (``values.headline``) of those
    deals that have a disclosed USD headline: the ``total`` term if disclosed,
    else the disclosed parts (upfront, near-term, milestones…), "up to" and
    other qualified amounts counted in full; undisclosed deals add 0;
  - ``deals``: the sorted ids of the shared deals;
  - ``relations``: sorted relation labels (``subsidiary_of``, ``formed_by``,
    ``stake``), empty unless asked for.

Acquisitions are deals, so they link acquirer and target like any deal.
Organization-to-organization relations (``subsidiary_of``, ``formed_by``,
``stakes``) are left out by default; ``relations=('subsidiary_of', 'formed_by')``
adds them as edges.

Example: deals d1 {licensor: a, licensee: b} worth USD 100 million and d2
{licensor: a, licensee: b, co-developer: c} undisclosed give edges a–b
(weight 2, value_usd 1e8, deals [d1, d2]), a–c and b–c (weight 1, value_usd 0).
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterable

import networkx as nx

from ..dataset import Dataset
from ..gcpause import without_gc
from ..values import Headline, headline

RELATIONS = ("subsidiary_of", "formed_by", "stake")


def headlines(ds: Dataset) -> dict[str, Headline]:
    """Headline value of every deal, by deal id."""
    return {d.id: headline(d) for d in ds.deals.values()}


@without_gc
def partner_graph(ds: Dataset, relations: Iterable[str] = (), heads: dict[str, Headline] | None = None) -> nx.Graph:
    """The partner network of ``ds`` (see the module docstring).

    ``relations``: any of 'subsidiary_of', 'formed_by', 'stake' to add those
    organization-to-organization relations as edges (off by default).
    ``heads``: precomputed ``headlines(ds)``, to save recomputing them.
    Nodes and edges are added in sorted id order, so the graph is the same on every run.
    """
    relations = tuple(relations)
    bad = [r for r in relations if r not in RELATIONS]
    if bad:
        raise ValueError(f"unknown relation {bad[0]!r}: expected one of {', '.join(RELATIONS)}")
    heads = heads if heads is not None else headlines(ds)
    deal_count: dict[str, int] = {}
    pairs: dict[tuple[str, str], dict] = {}

    def pair(a: str, b: str) -> dict:
        key = (a, b) if a < b else (b, a)
        e = pairs.get(key)
        if e is None:
            e = pairs[key] = {"weight": 0, "value_usd": 0.0, "deals": [], "relations": []}
        return e

    for d in ds.deals.values():
        parties = d.party_ids()
        for o in parties:
            if o not in ds.organizations:
                raise ValueError(f"deal '{d.id}' names organization '{o}', which is not in the dataset")
            deal_count[o] = deal_count.get(o, 0) + 1
        usd = heads[d.id].usd
        for a, b in combinations(parties, 2):
            e = pair(a, b)
            e["weight"] += 1
            e["deals"].append(d.id)
            if usd is not None:
                e["value_usd"] += usd
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
                if other != o.id:
                    e = pair(o.id, other)
                    e["weight"] += 1
                    e["relations"].append(what)

    G = nx.Graph()
    for oid in sorted(ds.organizations):
        o = ds.organizations[oid]
        G.add_node(oid, name=o.name, country=o.country, kind=o.type, multinational=o.multinational,
                   deals=deal_count.get(oid, 0))
    for (a, b) in sorted(pairs):
        e = pairs[(a, b)]
        G.add_edge(a, b, weight=e["weight"], value_usd=e["value_usd"], deals=sorted(e["deals"]),
                   relations=sorted(e["relations"]))
    return G
