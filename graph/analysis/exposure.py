"""Each multinational's exposure to China, by direction, with honest bounds.

Three named measures, each over the multinational's *group* (itself and its
subsidiaries, ``chains``) and a *period*, each a full set of figures
(``measures.summarise``: counts, shares, headline value, upfront, partners,
composition) with a lower and an upper bound:

* **sourcing** — the headline "China exposure": China-originated assets and
  rights flowing *to* the group: in-licensing, options, acquisitions,
  co-development and collaborations with Chinese organizations, deals that
  bring it an asset a Chinese organization originated, and the last deal of
  every NewCo or acquisition chain from a Chinese originator
  (``sourcing['indirect']`` lists those chains, ``chains``);
* **market** — the group selling, distributing, localising or manufacturing
  *into* China: procurement, distribution, localisation, deals whose territory
  is Greater China, and rights it grants to Chinese partners;
* **capital** — equity investments, funds and incubator residencies with
  Chinese organizations; ``capital['holdings']`` adds the stakes the group
  holds in, and the NewCos it formed as, Chinese organizations.

Each deal of the group counts in one direction (``direction.deal_direction``)
and, in it, as *China* or *possibly China* (``direction.china_link``): a deal
whose counterparty has no recorded headquarters country is never read as "not
Chinese"; it is counted apart, so ``deals`` is a lower bound and
``deals_high`` = deals + possible_deals an upper bound (likewise ``share`` and
``share_high``, ``value_usd`` and ``value_high_usd``). Shares are of *all* the
group's deals in the period. ``direct`` keeps the old single figure, every
deal with a Chinese counterparty in any direction, as context for maps and
checks, never as the headline.

**Period.** Deals count when their year is within ``[from_year, to_year]``
(either bound may be None). Undated deals count only when neither bound is
given; otherwise they are left out and counted in ``undated_excluded``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..models.dataset import Dataset
from ..core.gcpause import without_gc
from .chains import CHINA, GREATER_CHINA, MAX_HOPS, ExposureIndex, china_places
from .direction import DIRECTIONS, china_link, counterparties, deal_direction
from .measures import summarise

__all__ = ["CHINA", "DIRECTIONS", "GREATER_CHINA", "MAX_HOPS", "Exposure", "ExposureIndex", "ROW_COLUMNS",
           "china_places", "exposure", "exposures", "in_period"]

ROW_COLUMNS = ["id", "name", "country", "all_deals", "all_value_usd",
               *(f"{m}_{c}" for m in DIRECTIONS for c in (
                   "deals", "possible_deals", "deals_high", "share", "share_high", "value_usd", "value_possible_usd",
                   "upfront_usd", "undisclosed_deals", "partners")),
               "sourcing_equity_usd", "sourcing_hhi_deals", "sourcing_indirect_assets",
               "sourcing_indirect_possible", "sourcing_indirect_unnamed", "sourcing_terminated",
               "capital_equity_usd", "capital_holdings",
               "any_deals", "any_possible_deals", "undated_excluded"]
"""Columns of ``Exposure.row()``: the CSV and the table of every multinational."""


def in_period(year: int | None, from_year: int | None, to_year: int | None) -> bool:
    """Whether a deal of ``year`` counts in the period (undated: only when there are no bounds).

    >>> in_period(None, None, None), in_period(None, 2024, None), in_period(2023, 2024, 2025)
    (True, False, False)
    """
    if from_year is None and to_year is None:
        return True
    if year is None:
        return False
    return (from_year is None or year >= from_year) and (to_year is None or year <= to_year)


@dataclass
class Exposure:
    """One multinational's China exposure over a period (module docstring; every figure in ``measures``)."""

    org: str
    name: str
    country: str | None
    group: list[str]
    period: dict[str, int | None]
    china: list[str]
    sourcing: dict[str, Any] = field(default_factory=dict)
    market: dict[str, Any] = field(default_factory=dict)
    capital: dict[str, Any] = field(default_factory=dict)
    direct: dict[str, Any] = field(default_factory=dict)
    indirect: dict[str, Any] = field(default_factory=dict)

    def measure(self, name: str) -> dict[str, Any]:
        """The figures of measure ``name`` ('sourcing', 'market' or 'capital')."""
        if name not in DIRECTIONS:
            raise KeyError(f"unknown measure '{name}': expected one of {', '.join(DIRECTIONS)}")
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.org, "name": self.name, "country": self.country, "group": self.group,
                "period": self.period, "china": self.china, "sourcing": self.sourcing, "market": self.market,
                "capital": self.capital, "direct": self.direct, "indirect": self.indirect}

    def row(self) -> dict[str, Any]:
        """The headline figures as one flat row with the keys ``ROW_COLUMNS``."""
        s, c, i = self.sourcing, self.capital, self.indirect
        out: dict[str, Any] = {"id": self.org, "name": self.name, "country": self.country,
                               "all_deals": s["all_deals"], "all_value_usd": s["all_value_usd"]}
        for m in DIRECTIONS:
            f = self.measure(m)
            out.update({f"{m}_{k}": f[k] for k in ("deals", "possible_deals", "deals_high", "share", "share_high",
                                                   "value_usd", "value_possible_usd", "upfront_usd",
                                                   "undisclosed_deals")})
            out[f"{m}_partners"] = [p["id"] for p in f["partners"]]
        out.update({"sourcing_equity_usd": s["equity_usd"], "sourcing_hhi_deals": s["hhi_deals"],
                    "sourcing_indirect_assets": i["assets"], "sourcing_indirect_possible": i["possible_assets"],
                    "sourcing_indirect_unnamed": i["unnamed"], "sourcing_terminated": len(s["terminated"]),
                    "capital_equity_usd": c["equity_usd"], "capital_holdings": [h["id"] for h in c["holdings"]],
                    "any_deals": self.direct["deals"], "any_possible_deals": self.direct["possible_deals"],
                    "undated_excluded": s["undated_excluded"]})
        return out


def _indirect(chains: list[dict[str, Any]], from_year: int | None, to_year: int | None) -> dict[str, Any]:
    kept = [c for c in chains if in_period(c["year"], from_year, to_year)]
    sure = [c for c in kept if c["status"] == "china"]
    fam: dict[str, set[str]] = defaultdict(set)
    mod: dict[str, set[str]] = defaultdict(set)
    for c in sure:
        key = c["asset"] or f"rights:{c['rights']}"
        fam[c["family"]].add(key)
        mod[c["modality"]].add(key)
    order = (lambda c: (c["asset"] or "", c["rights"] or "", c["chain"]))
    return {"assets": len({c["asset"] for c in sure if c["asset"]}), "unnamed": sum(1 for c in sure if not c["asset"]),
            "possible_assets": len({c["asset"] for c in kept if c["asset"] and c["status"] != "china"}),
            "chains": len(sure), "possible_chains": len(kept) - len(sure),
            "terminated_chains": sum(1 for c in sure if c["terminated"]),
            "originators": sorted({c["originator"] for c in sure}),
            "by_family": {k: len(v) for k, v in sorted(fam.items())},
            "by_modality": {k: len(v) for k, v in sorted(mod.items())},
            "chain_list": sorted(sure, key=order),
            "possible_chain_list": sorted((c for c in kept if c["status"] != "china"), key=order)}


def _holdings(ix: ExposureIndex, gset: frozenset[str], china: frozenset[str]) -> list[dict[str, Any]]:
    how: dict[str, list[str]] = defaultdict(list)
    for member in sorted(gset):
        for org, what in ix.holdings.get(member, ()):
            if org not in gset:
                how[org].append(what)
    out = []
    for oid in sorted(how):
        status = ix.status(oid, china)
        if status != "other":
            out.append({"id": oid, "name": ix.ds.organizations[oid].name, "country": ix.country(oid),
                        "status": status, "how": how[oid]})
    return out


def _exposure(ix: ExposureIndex, org: str, from_year: int | None, to_year: int | None, china: frozenset[str],
              chains: dict[str, list[dict[str, Any]]]) -> Exposure:
    ds = ix.ds
    group = ix.group(org)
    gset = frozenset(group)
    indirect = _indirect(chains.get(org, []), from_year, to_year)
    chain_ends: dict[str, list[str]] = defaultdict(list)
    for c in (*indirect["chain_list"], *indirect["possible_chain_list"]):
        links = c["chain"]
        for k in range(1, len(links), 2):
            if links[k] in ds.deals and links[k + 1] in gset:
                chain_ends[links[k]].append(c["originator"])
                break
    all_deals, all_value, undated = 0, 0.0, 0
    found: dict[str, dict[str, list]] = {m: {"china": [], "possible": []} for m in (*DIRECTIONS, "any")}
    for did in sorted({d for m in group for d in ix.deals_of.get(m, [])}):
        d = ds.deals[did]
        if not in_period(ix.years[did], from_year, to_year):
            undated += ix.years[did] is None
            continue
        all_deals += 1
        all_value += ix.heads[did].usd or 0.0
        cps = counterparties(d, gset, ix.links(did))
        direction = deal_direction(d, gset, cps)
        if direction is None:
            continue
        inbound = "in" in cps.values()
        for name, way in ((direction, direction), ("any", None)):
            link = china_link(ix, d, gset, way, china, chain_ends, cps)
            if link is not None:
                link["inbound"] = inbound
                found[name]["china" if link["status"] == "china" else "possible"].append((d, link))
    figures = {m: summarise(ix, gset, f["china"], f["possible"], all_deals, all_value) for m, f in found.items()}
    for f in figures.values():
        f["undated_excluded"] = undated
    figures["sourcing"]["indirect"] = indirect
    figures["capital"]["holdings"] = _holdings(ix, gset, china)
    o = ds.organizations[org]
    return Exposure(org, o.name, ix.country(org), group, {"from": from_year, "to": to_year}, sorted(china),
                    figures["sourcing"], figures["market"], figures["capital"], figures["any"], indirect)


@without_gc
def exposure(ds: Dataset, org: str, from_year: int | None = None, to_year: int | None = None,
             china: Iterable[str] = CHINA, index: ExposureIndex | None = None, max_hops: int = MAX_HOPS) -> Exposure:
    """China exposure of one organization and its group, by direction: sourcing, market and capital.

    Each deal of the group in ``[from_year, to_year]`` faces one way
    (``direction.deal_direction``) and links the group to China for certain,
    possibly (a party of unknown country) or not at all
    (``direction.china_link``). For each measure ``m``, ``deals`` counts the
    certain China deals and ``deals_high`` adds the possible ones:
    ``share = deals / all_deals`` ≤ ``share_high = deals_high / all_deals``.

    Parameters
    ----------
    ds : Dataset
    org : str
        Organization id (``names.find_org`` resolves any name or alias).
    from_year, to_year : int, optional
        Period bounds (inclusive); undated deals count only without bounds.
    china : iterable of str, default ``CHINA`` ({'CN'})
        Countries that count as China; ``GREATER_CHINA`` adds HK, MO, TW.
    index : ExposureIndex, optional
        A prebuilt index of ``ds``, to share between calls.
    max_hops : int, default 6
        Longest indirect chain searched.

    Returns
    -------
    Exposure
        ``sourcing``, ``market``, ``capital`` (figures of ``measures.summarise``),
        ``direct`` (all directions together) and ``indirect`` (chains).

    Examples
    --------
    Big Pharma (``mnc``) in-licenses from cn1 (d1, d3) and cn2 (d2), and
    sublicenses cn2's peptide a5 from us1 (d4); hk1 (d7) is not mainland China:

    >>> e = exposure(tiny, "mnc")
    >>> e.sourcing["deals"], e.sourcing["all_deals"], e.sourcing["share"], e.market["deals"]
    (4, 5, 0.8, 0)

    Med Devices sells to a Chinese distributor (d10), invests in a Chinese
    biotech (d11), licenses from Zeta Bio, whose country is unknown (d12), and
    its Shanghai subsidiary partners with cn2 for the China market (d14):

    >>> m = exposure(tiny, "med")
    >>> [(x, m.measure(x)["deals"], m.measure(x)["deals_high"]) for x in ("sourcing", "market", "capital")]
    [('sourcing', 0, 1), ('market', 2, 2), ('capital', 1, 1)]
    >>> m.sourcing["share"], m.sourcing["share_high"]
    (0.0, 0.25)

    References
    ----------
    Herfindahl–Hirschman index: S. A. Rhoades, "The Herfindahl-Hirschman
    Index", Federal Reserve Bulletin 79 (1993) 188–189.
    """
    if org not in ds.organizations:
        raise KeyError(f"no organization with id '{org}'")
    ix = index or ExposureIndex(ds)
    china = frozenset(china)
    return _exposure(ix, org, from_year, to_year, china, ix.chains(china, frozenset({org}), max_hops))


@without_gc
def exposures(ds: Dataset, from_year: int | None = None, to_year: int | None = None, china: Iterable[str] = CHINA,
              orgs: Iterable[str] | None = None, index: ExposureIndex | None = None,
              max_hops: int = MAX_HOPS) -> list[Exposure]:
    """China exposure (``exposure``) of every multinational, or of ``orgs``, sorted by id.

    Parameters
    ----------
    ds : Dataset
    from_year, to_year, china, index, max_hops
        As for ``exposure``.
    orgs : iterable of str, optional
        Organization ids; by default every organization flagged multinational.

    Returns
    -------
    list of Exposure

    Examples
    --------
    >>> [(e.org, e.sourcing["deals"], e.market["deals"], e.capital["deals"]) for e in exposures(tiny)]
    [('med', 0, 2, 1), ('mnc', 4, 0, 0), ('mnc2', 3, 0, 0)]
    """
    ix = index or ExposureIndex(ds)
    china = frozenset(china)
    wanted = sorted(set(orgs) if orgs is not None else (o.id for o in ds.organizations.values() if o.multinational))
    for w in wanted:
        if w not in ds.organizations:
            raise KeyError(f"no organization with id '{w}'")
    chains = ix.chains(china, frozenset(wanted), max_hops)
    return [_exposure(ix, w, from_year, to_year, china, chains) for w in wanted]
