"""Which way a deal runs: from the parties that give (rights, an asset, shares, goods) to those that take.

Roles get their side from the ontology (``vocabulary().role_side``: 'gives', 'takes' or 'peer').
For one deal with givers G, takers T and peers P:

- when G is not empty, every giver points at every taker, and peers count as takers
  (a licensor and its co-developer: licensor → co-developer);
- else when T and P are not empty, each peer is linked to each taker with an undirected line;
- else peers are linked pairwise with undirected lines (a research collaboration);
- parties on the same side are never linked (no line between two licensees of one deal).

So a licence runs licensor → licensee, an acquisition target → acquirer, an equity
investment investor → investee, a procurement seller → buyer.

Direction of a deal relative to China (``direction``), for a set of Chinese organizations:
'out' (a Chinese party gives to a non-Chinese one), 'in' (the reverse), 'cross' (an undirected deal
between Chinese and non-Chinese parties), 'domestic' (only Chinese parties) or 'foreign' (none).
"""
from __future__ import annotations

from ...models import Deal
from ...models.vocabulary import vocabulary

DIRECTIONS = {
    "out": "China → abroad (out-licensing, sales abroad)",
    "in": "abroad → China",
    "cross": "China ↔ abroad (collaboration)",
    "domestic": "within China",
    "foreign": "no Chinese party",
}


def sides(deal: Deal) -> tuple[list[str], list[str], list[str]]:
    """(givers, takers, peers) of a deal, each in seed order without repeats."""
    v = vocabulary()
    out: dict[str, list[str]] = {"gives": [], "takes": [], "peer": []}
    for role, orgs in deal.parties.items():
        side = v.role_side(role) if role in v.role_sides else "peer"
        for o in orgs:
            if o not in out[side]:
                out[side].append(o)
    return out["gives"], out["takes"], out["peer"]


def links(deal: Deal) -> list[tuple[str, str, bool]]:
    """The lines one deal draws: (from, to, directed), per the module docstring.

    Undirected pairs are written in id order. A deal with one party draws none.
    """
    g, t, p = sides(deal)
    if g:
        takers = [x for x in t + p if x not in g]
        return sorted({(a, b, True) for a in g for b in takers if a != b})
    if t and p:
        return sorted({(min(a, b), max(a, b), False) for a in p for b in t if a != b})
    peers = p or t
    return sorted({(a, b, False) for i, a in enumerate(peers) for b in peers[i + 1:] if a != b
                   for a, b in [tuple(sorted((a, b)))]})


def direction(deal: Deal, chinese: set[str] | frozenset[str]) -> str:
    """'out', 'in', 'cross', 'domestic' or 'foreign' for ``deal`` (see the module docstring)."""
    parties = deal.party_ids()
    cn = [p for p in parties if p in chinese]
    if not cn:
        return "foreign"
    if len(cn) == len(parties):
        return "domestic"
    kinds = set()
    for a, b, directed in links(deal):
        if (a in chinese) == (b in chinese):
            continue
        kinds.add(("out" if a in chinese else "in") if directed else "cross")
    for k in ("out", "in", "cross"):
        if k in kinds:
            return k
    return "cross"
