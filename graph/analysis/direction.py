"""Which way a deal faces China, for one group: sourcing, market or capital.

**Direction of a deal** for a group (``deal_direction``). Its counterparties
are the parties outside the group linked to a member by ``partners.deal_links``
(a flow either way, or a mutual link; co-parties on the group's own side are
not counterparties). Then, in this order:

* *capital*: equity investments, fund formations and incubator residencies
  (``CAPITAL_TYPES``);
* *market*: procurement, distribution and localisation (``MARKET_TYPES``);
  and any other deal whose licensed territory lies wholly within Greater China
  (rights to sell there, e.g. Medtronic's catheter tie-up for mainland China),
  or in which rights only flow *from* the group (it licenses or sells to the
  counterparty: China rights granted to a Chinese partner);
* *sourcing*: every other deal with a counterparty: rights flow *to* the group
  (licence, option, acquisition, NewCo) or it works with the counterparty as a
  peer (co-development, research or strategic collaboration);
* none: a deal with no counterparty (between members of the group).

**China link of a deal** in its direction (``china_link``): it is *China* when
a counterparty is Chinese, or (sourcing) an asset it covers was originated by
a Chinese organization outside the group, or (sourcing) it is the group's last
link of an indirect chain from a Chinese originator, or (market) its territory
lies wholly within Greater China. Failing that, it is *possibly China* when
one of those parties (counterparty, originator, chain originator) has no
recorded country. The partners behind a link are those Chinese (or unknown)
organizations.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from ..models import Deal
from ..models.vocabulary import vocabulary
from .chains import GREATER_CHINA, ExposureIndex
from .partners import deal_links

DIRECTIONS = ("sourcing", "market", "capital")
"""The exposure measures, headline first."""
CAPITAL_TYPES = frozenset({"equity-investment", "fund-formation", "incubator-residency"})
MARKET_TYPES = frozenset({"procurement", "distribution", "localisation"})
DIRECTION_WORDS = {
    "sourcing": "China-originated assets and rights flowing to the group (in-licensing, options, acquisitions, "
                "co-development, NewCo and acquisition chains)",
    "market": "the group selling, distributing, localising or licensing into China",
    "capital": "equity, funds, incubators and stakes in Chinese organizations",
}
for _t in CAPITAL_TYPES | MARKET_TYPES:
    assert _t in vocabulary().deal_types, f"deal type {_t!r} is not in the ontology"


def counterparties(d: Deal, group: frozenset[str], links: list[tuple[str, str, str]] | None = None
                   ) -> dict[str, str]:
    """Counterparties of the group in deal ``d``: ``{org: 'in' | 'out' | 'mutual'}``.

    'in': the organization gives to the group; 'out': the group gives to it;
    'mutual': peers. Co-parties are left out. ``links``: ``deal_links(d)`` when already known.

    >>> counterparties(tiny.deals["d11"], frozenset({"med", "medsub"}))   # vc1 co-invests: not a counterparty
    {'cninv': 'out'}
    """
    out: dict[str, str] = {}
    for a, b, kind in (deal_links(d) if links is None else links):
        if kind == "co-party" or (a in group) == (b in group):
            continue
        other = b if a in group else a
        way = "mutual" if kind == "mutual" else ("out" if a in group else "in")
        if out.get(other) not in (None, way):
            way = "in" if "in" in (way, out[other]) else way
        out[other] = way
    return dict(sorted(out.items()))


@cache
def _in_greater_china(place: str) -> bool:
    v = vocabulary()
    members = {place} if place in v.countries else {c for c in v.place_members(place) if c in v.countries}
    return bool(members) and members <= GREATER_CHINA


def in_greater_china(d: Deal) -> bool:
    """Whether the deal's included territory is named and lies wholly within Greater China."""
    return bool(d.territory_include) and all(_in_greater_china(p) for p in d.territory_include)


def deal_direction(d: Deal, group: frozenset[str], cps: dict[str, str] | None = None) -> str | None:
    """'sourcing', 'market', 'capital' or None for deal ``d`` seen from ``group`` (module docstring).

    >>> [deal_direction(tiny.deals[x], frozenset({"med", "medsub"})) for x in ("d10", "d11", "d12", "d14")]
    ['market', 'capital', 'sourcing', 'market']

    ``cps``: ``counterparties(d, group)`` when already known.
    """
    cps = counterparties(d, group) if cps is None else cps
    if not cps:
        return None
    if d.type in CAPITAL_TYPES:
        return "capital"
    if d.type in MARKET_TYPES or in_greater_china(d):
        return "market"
    ways = set(cps.values())
    if ways == {"out"}:
        return "market"
    return "sourcing"


def china_link(ix: ExposureIndex, d: Deal, group: frozenset[str], direction: str | None, china: frozenset[str],
               chain_ends: dict[str, list[str]], cps: dict[str, str] | None = None) -> dict[str, Any] | None:
    """How deal ``d`` links the group to China in ``direction``: None, or
    ``{'status': 'china' | 'possible', 'partners': [...], 'via': [...]}``.

    With ``direction=None`` only counterparties count (the any-direction
    "deal with a Chinese counterparty" of ``Exposure.direct``).

    ``via`` says why: 'counterparty', 'originator' (an asset it covers),
    'chain' (it ends an indirect chain), 'territory'. ``chain_ends`` maps a
    deal id to the originators of the group's chains whose last link it is.

    >>> ix = ExposureIndex(tiny)
    >>> china_link(ix, tiny.deals["d12"], frozenset({"med", "medsub"}), "sourcing", frozenset({"CN"}), {})
    {'status': 'possible', 'partners': ['unk'], 'via': ['counterparty']}
    """
    found: dict[str, dict[str, set[str]]] = {"china": {}, "unknown": {}}

    def see(org: str, via: str) -> None:
        s = ix.status(org, china)
        if s in found:
            found[s].setdefault(org, set()).add(via)

    for o in (counterparties(d, group) if cps is None else cps):
        see(o, "counterparty")
    if direction == "sourcing":
        assets = ix.ds.assets
        for a in d.assets:
            orig = assets[a].originator if a in assets else None
            if orig and orig not in group:
                see(orig, "originator")
        for orig in chain_ends.get(d.id, ()):
            see(orig, "chain")
    territory = direction == "market" and in_greater_china(d)
    if found["china"] or territory:
        vias = sorted({v for s in found["china"].values() for v in s} | ({"territory"} if territory else set()))
        return {"status": "china", "partners": sorted(found["china"]), "via": vias}
    if found["unknown"]:
        return {"status": "possible", "partners": sorted(found["unknown"]),
                "via": sorted({v for s in found["unknown"].values() for v in s})}
    return None
