"""What a map page shows once its in-page filters are set: the rule ``map.js`` follows, in Python.

Given the deals that pass a ``DealFilter`` (the page's controls map onto one: years with the
"include undated" switch, family, type, direction, minimum value, modality family):

1. a deal line is visible when at least one of its deals passes;
2. an organization is visible when it is the map's focus, ends a visible deal line, or has a
   passing deal with no other party recorded;
3. a corporate link or asset-origin line is visible when either end is visible after step 2, and
   then both its ends are visible.

``hidden`` counts the deals that fail (and how many of them are undated) and the organizations not
visible. The browser tests compare the page's counts with this function's.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...models.dataset import Dataset
from .filters import DealFilter
from .network import MapGraph


@dataclass(frozen=True)
class Visible:
    nodes: frozenset[str]
    edges: frozenset[int]          # indices into ``MapGraph.edges``
    deals: frozenset[str]
    hidden_deals: int
    hidden_undated: int
    hidden_organizations: int

    def line(self) -> str:
        """The page's "hidden" line: 'hidden: 12 deals, 5 undated; 7 organizations'."""
        if not self.hidden_deals and not self.hidden_organizations:
            return f"showing all {len(self.deals)} deals"
        d, o = self.hidden_deals, self.hidden_organizations
        return (f"hidden: {d} {'deal' if d == 1 else 'deals'}, {self.hidden_undated} undated; "
                f"{o} {'organization' if o == 1 else 'organizations'}")


def visible(mg: MapGraph, flt: DealFilter, ds: Dataset) -> Visible:
    """The nodes, lines and deals of ``mg`` that stay visible under ``flt`` (see the module docstring)."""
    flt = flt.checked()
    ok = {k for k in mg.deals if flt.matches(ds.deals[k], ds)}
    nodes = {n.id for n in mg.nodes if n.focus or any(d in ok for d in n.deals)}
    edges = set()
    for i, e in enumerate(mg.edges):
        if e.kind == "deal" and any(d in ok for d in e.deals):
            edges.add(i)
            nodes.update((e.source, e.target))
    links = [i for i, e in enumerate(mg.edges) if e.kind != "deal" and (e.source in nodes or e.target in nodes)]
    for i in links:
        edges.add(i)
        nodes.update((mg.edges[i].source, mg.edges[i].target))
    gone = [k for k in mg.deals if k not in ok]
    orgs = sum(1 for n in mg.nodes if n.kind == "organization" and n.id not in nodes)
    return Visible(frozenset(nodes), frozenset(edges), frozenset(ok), len(gone),
                   sum(1 for k in gone if not mg.deals[k]["date"]), orgs)
