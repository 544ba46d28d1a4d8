"""Each multinational's exposure to China, direct and through chains of deals.

Terms used throughout (all computed by ``exposure``):

**Group.** A multinational's figures cover its *group*: itself and every
organization whose ``subsidiary_of`` chain leads to it. Deals between members
of the group are its own deals; a member is never its own counterparty.

**Chinese.** An organization is Chinese when its headquarters country (its own
``country``, else the nearest ``subsidiary_of`` parent's) is in ``china``: by
default ``{'CN'}``; ``GREATER_CHINA`` adds Hong Kong, Macau and Taiwan.

**Period.** Deals count when their year is within ``[from_year, to_year]``
(either bound may be None). Undated deals count only when neither bound is
given; otherwise they are left out and counted in ``undated_excluded``.

**Direct exposure**: the group's deals in which at least one party outside the
group is Chinese (a *China deal*).

* ``deals``, ``all_deals``, ``share`` = deals / all_deals;
* ``value_usd``: the sum of the China deals' headline values
  (``values.headline``: the ``total`` if disclosed, else the disclosed parts;
  equity left out). Amounts written "up to", "over", "about" or "under" count
  in full and are labelled: ``by_qualifier`` gives deals and value per
  qualifier. Undisclosed amounts count as deals but add no value:
  ``undisclosed_deals`` says how many China deals have no USD headline value,
  ``no_value_reasons`` why (undisclosed, no-usd, not-given);
* ``all_value_usd`` the same over all its deals, ``value_share`` =
  value_usd / all_value_usd (None when all_value_usd is 0);
* ``upfront_usd`` and ``equity_usd``: disclosed ``upfront`` and ``equity`` terms
  of the China deals in which the group is on the paying side (licensee,
  acquirer, investor, buyer, co-developer or partner): the upfront it paid and
  the equity it bought. ``inbound_deals`` counts those deals,
  ``outbound_deals`` the others (the group as licensor, seller, target…).

**Composition** of the China deals: ``by_modality`` and ``by_family`` (modality
and its top concept, of the assets the deal covers; a deal without assets is
'unspecified'; a deal covering several modalities counts once under each, its
value split equally among them so values add up), ``by_type``, ``by_year``
('undated' for no date). Each bucket lists ``deals``, ``value_usd`` and the
Chinese ``partners`` behind it.

**Partners and concentration.** ``partners`` lists each Chinese counterparty
with its deals; a deal with several Chinese partners is split equally among
them, both as a count (``weight``) and as value. The Herfindahl index is the
sum of squared partner shares: ``hhi_deals = Σ (weight_p / Σ weight)²``,
``hhi_value = Σ (value_p / Σ value)²`` (None without disclosed value); it runs
from 1/n (n equal partners) to 1 (a single partner).

**Terminated**: China deals with status 'terminated' or a termination event,
with the event's ``retained`` amount (what the licensor kept) and
``returned`` (what went back).

**Indirect exposure**: China-originated assets (originator Chinese) that the
group reaches through a chain with at least one organization in between,
rather than by a direct deal with the originator. Rights pass along a deal
that covers the asset from a licensor, seller or target to a licensee,
co-developer, partner, buyer or acquirer; control passes, for every asset the
controlled organization holds, from a target to its acquirer, an investee to
its investor, a subsidiary to its parent (``subsidiary_of``), a NewCo to its
founders (``formed_by``) and a company to an organization holding a stake in
it (``stake``). So a NewCo that licensed the asset and was formed by, or sold
to, the multinational, or a sublicence from the NewCo, all reach it. A deal
that names no asset carries its licensor's unnamed rights one step, after
which only control passes them on (``unnamed`` counts those chains). Each
chain is the shortest found (fewest links; ties in a fixed order), at most ``max_hops``
links, and is listed as ``[org, link, org, link, …, multinational]`` where a
link is a deal id or one of 'subsidiary_of', 'formed_by', 'stake'. A chain's
``year`` is the latest year among its dated deals and decides whether it
falls in the period (a chain with no dated deal counts only without bounds);
``terminated`` marks a chain through a terminated deal.
"""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, NamedTuple

from ..dataset import Dataset
from ..models import Deal
from ..vocabulary import vocabulary
from ..gcpause import without_gc
from ..values import Headline, headline, preferred, term_usd, usd_of

CHINA = frozenset({"CN"})
GREATER_CHINA = frozenset(p for p in vocabulary().place_members("GREATER-CHINA") if p in vocabulary().countries)

PAYER_ROLES = frozenset({"licensee", "acquirer", "investor", "buyer", "co-developer", "partner"})
GIVER_ROLES = ("licensor", "seller")
TAKER_ROLES = ("licensee", "co-developer", "partner", "buyer")
MUTUAL_ROLES = ("co-developer", "partner")
CONTROL_ROLES = (("target", "acquirer"), ("investee", "investor"))
FLOWS = tuple((g, TAKER_ROLES) for g in GIVER_ROLES) + tuple((m, (m,)) for m in MUTUAL_ROLES) + tuple(
    (low, (high,)) for low, high in CONTROL_ROLES)
"""(giver role, taker roles): how rights pass along a deal."""
MAX_HOPS = 6
MONEY_DIGITS = 2
SHARE_DIGITS = 6


def china_places(greater_china: bool = False) -> frozenset[str]:
    """``{'CN'}``, or with ``greater_china`` also HK, MO and TW."""
    return GREATER_CHINA if greater_china else CHINA


def in_period(year: int | None, from_year: int | None, to_year: int | None) -> bool:
    """Whether a deal of ``year`` counts in the period (undated: only when there are no bounds)."""
    if from_year is None and to_year is None:
        return True
    if year is None:
        return False
    return (from_year is None or year >= from_year) and (to_year is None or year <= to_year)


def _money(x: float) -> float:
    return round(x, MONEY_DIGITS) + 0.0


def _share(num: float, den: float) -> float | None:
    return round(num / den, SHARE_DIGITS) + 0.0 if den else None


# --------------------------------------------------------------------------- the index
class Link(NamedTuple):
    """One step of a chain, to ``dst`` through ``via``: a deal id or a relation name."""

    dst: str
    via: str


class ExposureIndex:
    """What exposure needs from a dataset, computed once: headlines, groups, headquarters, edges."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self.heads: dict[str, Headline] = {d.id: headline(d) for d in ds.deals.values()}
        self.deals_of: dict[str, list[str]] = defaultdict(list)
        for d in sorted(ds.deals.values(), key=lambda d: d.id):
            for o in d.party_ids():
                self.deals_of[o].append(d.id)
        self.children: dict[str, list[str]] = defaultdict(list)
        for o in sorted(ds.organizations.values(), key=lambda o: o.id):
            if o.subsidiary_of:
                self.children[o.subsidiary_of].append(o.id)
        self.countries = {o: self._country(o) for o in ds.organizations}
        self.years: dict[str, int | None] = {d.id: d.year for d in ds.deals.values()}
        self._mods: dict[str, tuple[list[str], list[str]]] = {}
        self.terminations: dict[str, list[Any]] = defaultdict(list)
        for e in sorted(ds.events.values(), key=lambda e: e.id):
            if e.type == "termination" and e.deal:
                self.terminations[e.deal].append(e)
        self._chains: dict[tuple[frozenset[str], frozenset[str], int], dict[str, list[dict[str, Any]]]] = {}

    # -- organizations -------------------------------------------------------
    def group(self, org_id: str) -> list[str]:
        """The organization and all its subsidiaries (transitively), sorted."""
        out, todo = {org_id}, [org_id]
        while todo:
            for c in self.children.get(todo.pop(), []):
                if c not in out:
                    out.add(c)
                    todo.append(c)
        return sorted(out)

    def country(self, org_id: str) -> str | None:
        """Headquarters country: the organization's own, else its nearest parent's."""
        return self.countries.get(org_id)

    def _country(self, org_id: str) -> str | None:
        seen = set()
        o = self.ds.organizations.get(org_id)
        while o is not None and o.id not in seen:
            if o.country:
                return o.country
            seen.add(o.id)
            o = self.ds.organizations.get(o.subsidiary_of) if o.subsidiary_of else None
        return None

    def modalities(self, deal_id: str) -> tuple[list[str], list[str]]:
        """(modalities, modality families) of the assets a deal covers, sorted; ['unspecified'] without assets."""
        got = self._mods.get(deal_id)
        if got is None:
            v, assets = vocabulary(), self.ds.assets
            mods = sorted({assets[a].modality for a in self.ds.deals[deal_id].assets if a in assets}) or ["unspecified"]
            got = self._mods[deal_id] = (mods, sorted({v.modality_family(m) for m in mods}))
        return got

    def terminated(self, deal_id: str) -> bool:
        return self.ds.deals[deal_id].status == "terminated" or bool(self.terminations.get(deal_id))

    # -- chain edges -----------------------------------------------------------
    @cached_property
    def control(self) -> dict[str, list[Link]]:
        """Asset-agnostic edges: controlled organization → controller."""
        out: dict[str, set[Link]] = defaultdict(set)
        for d in self.ds.deals.values():
            for low, high in CONTROL_ROLES:
                for a in d.parties.get(low, []):
                    for b in d.parties.get(high, []):
                        if a != b:
                            out[a].add(Link(b, d.id))
        for o in self.ds.organizations.values():
            if o.subsidiary_of and o.subsidiary_of != o.id:
                out[o.id].add(Link(o.subsidiary_of, "subsidiary_of"))
            for f in o.formed_by:
                if f != o.id:
                    out[o.id].add(Link(f, "formed_by"))
            for s in o.stakes:
                if s.org != o.id:
                    out[s.org].add(Link(o.id, "stake"))
        return {k: sorted(v) for k, v in out.items()}

    @staticmethod
    def rights_pairs(d: Deal) -> list[tuple[str, str]]:
        """(giver, taker) pairs through which a deal passes rights to what it covers."""
        p = d.parties
        pairs = set()
        for giver, takers in FLOWS:
            gs = p.get(giver)
            if not gs:
                continue
            for taker in takers:
                for b in p.get(taker, ()):
                    for a in gs:
                        if a != b:
                            pairs.add((a, b))
        return sorted(pairs)

    @cached_property
    def rights(self) -> dict[str, dict[str, list[Link]]]:
        """Asset-specific edges: asset → holder → [taker via deal]."""
        out: dict[str, dict[str, set[Link]]] = defaultdict(lambda: defaultdict(set))
        for d in self.ds.deals.values():
            if not d.assets:
                continue
            pairs = self.rights_pairs(d)
            for a in d.assets:
                for g, t in pairs:
                    out[a][g].add(Link(t, d.id))
        return {a: {g: sorted(v) for g, v in m.items()} for a, m in out.items()}

    # -- chains ----------------------------------------------------------------
    def chains(self, china: frozenset[str], subjects: frozenset[str], max_hops: int = MAX_HOPS
               ) -> dict[str, list[dict[str, Any]]]:
        """Indirect chains for each subject organization (every period; filter by ``year`` after)."""
        key = (china, subjects, max_hops)
        if key not in self._chains:
            self._chains[key] = self._find_chains(china, subjects, max_hops)
        return self._chains[key]

    def _find_chains(self, china: frozenset[str], subjects: frozenset[str], max_hops: int
                     ) -> dict[str, list[dict[str, Any]]]:
        ds, control, rights = self.ds, self.control, self.rights
        groups = {s: frozenset(self.group(s)) for s in subjects}
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)

        def walk(origin: str, start: list[tuple[str, Link]], asset: str | None) -> dict[str, tuple[str, str] | None]:
            parent: dict[str, tuple[str, str] | None] = {origin: None}
            depth = {origin: 0}
            queue: deque[str] = deque()
            for src, link in start:
                if link.dst not in parent:
                    parent[link.dst], depth[link.dst] = (src, link.via), 1
                    queue.append(link.dst)
            held = rights.get(asset, {}) if asset else {}
            while queue:
                u = queue.popleft()
                if depth[u] >= max_hops:
                    continue
                for link in (*held.get(u, ()), *control.get(u, ())):
                    if link.dst not in parent:
                        parent[link.dst], depth[link.dst] = (u, link.via), depth[u] + 1
                        queue.append(link.dst)
            return parent

        def record(origin: str, parent: dict[str, tuple[str, str] | None], item: dict[str, Any]) -> None:
            direct = {m for m, p in parent.items() if p is not None and p[0] == origin}
            for s in sorted(subjects.intersection(parent)):
                if origin in groups[s] or groups[s] & direct:
                    continue          # its own asset, or a direct deal with the originator
                chain: list[str] = [s]
                cur = s
                while parent[cur] is not None:
                    prev, via = parent[cur]
                    chain[:0] = [prev, via]
                    cur = prev
                deal_links = [x for x in chain[1::2] if x in ds.deals]
                years = [y for x in deal_links if (y := self.years[x]) is not None]
                found[s].append({**item, "originator": origin, "chain": chain,
                                 "year": max(years) if years else None,
                                 "terminated": any(self.terminated(x) for x in deal_links)})

        for a in sorted(ds.assets):
            asset = ds.assets[a]
            origin = asset.originator
            if origin is None or self.country(origin) not in china:
                continue
            held = rights.get(a, {})
            first = (*held.get(origin, ()), *control.get(origin, ()))
            if not any(l.dst in held or l.dst in control for l in first):
                continue          # nobody past the direct partners: no chain can be indirect
            parent = walk(origin, [(origin, l) for l in first], a)
            if len(parent) > 1:
                record(origin, parent, {"asset": a, "asset_name": asset.name, "modality": asset.modality,
                                        "family": vocabulary().modality_family(asset.modality), "rights": None})
        for d in sorted(ds.deals.values(), key=lambda d: d.id):
            if d.assets:
                continue
            by_giver: dict[str, list[tuple[str, Link]]] = defaultdict(list)
            for g, t in self.rights_pairs(d):
                by_giver[g].append((g, Link(t, d.id)))
            for g in sorted(by_giver):
                if self.country(g) in china and any(l.dst in control for _, l in by_giver[g]):
                    parent = walk(g, by_giver[g], None)
                    record(g, parent, {"asset": None, "asset_name": None, "modality": "unspecified",
                                       "family": "unspecified", "rights": d.id})
        return dict(found)


# --------------------------------------------------------------------------- results
@dataclass
class Exposure:
    """One organization's China exposure over a period (see the module docstring for every figure)."""

    org: str
    name: str
    country: str | None
    group: list[str]
    period: dict[str, int | None]
    china: list[str]
    direct: dict[str, Any] = field(default_factory=dict)
    indirect: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.org, "name": self.name, "country": self.country, "group": self.group,
                "period": self.period, "china": self.china, "direct": self.direct, "indirect": self.indirect}

    def row(self) -> dict[str, Any]:
        """The headline figures as one flat row (for CSV and tables)."""
        d, i = self.direct, self.indirect
        q = d["by_qualifier"]
        return {
            "id": self.org, "name": self.name, "country": self.country,
            "china_deals": d["deals"], "all_deals": d["all_deals"], "china_share": d["share"],
            "china_value_usd": d["value_usd"], "all_value_usd": d["all_value_usd"],
            "china_value_share": d["value_share"], "china_upfront_usd": d["upfront_usd"],
            "china_equity_usd": d["equity_usd"], "undisclosed_deals": d["undisclosed_deals"],
            **{f"values_{k.replace('-', '_')}": q.get(k, {}).get("deals", 0)
               for k in ("exact", "about", "up-to", "over", "under")},
            "hhi_deals": d["hhi_deals"], "hhi_value": d["hhi_value"], "terminated": len(d["terminated"]),
            "china_partners": len(d["partners"]), "indirect_assets": i["assets"], "indirect_unnamed": i["unnamed"],
            "partners": [p["id"] for p in d["partners"]],
        }


def _bucket() -> dict[str, Any]:
    return {"deals": 0, "value_usd": 0.0, "partners": set()}


def _close(buckets: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: {"deals": b["deals"], "value_usd": _money(b["value_usd"]), "partners": sorted(b["partners"])}
            for k, b in sorted(buckets.items(), key=lambda kv: str(kv[0]))}


def _hhi(weights: Iterable[float]) -> float | None:
    w = [x for x in weights if x > 0]
    total = sum(w)
    if not total:
        return None
    return round(sum((x / total) ** 2 for x in w), SHARE_DIGITS) + 0.0


def _direct(ix: ExposureIndex, group: list[str], china: frozenset[str], from_year: int | None,
            to_year: int | None) -> dict[str, Any]:
    ds, countries, years = ix.ds, ix.countries, ix.years
    gset = set(group)
    deal_ids = sorted({d for m in group for d in ix.deals_of.get(m, [])})
    all_deals = 0
    all_value = 0.0
    undated = 0
    china_deals: list[tuple[Deal, list[str]]] = []
    for did in deal_ids:
        d = ds.deals[did]
        year = years[did]
        if not in_period(year, from_year, to_year):
            undated += year is None
            continue
        all_deals += 1
        h = ix.heads[did]
        if h.usd is not None:
            all_value += h.usd
        cn = [p for p in d.party_ids() if p not in gset and countries.get(p) in china]
        if cn:
            china_deals.append((d, sorted(cn)))

    value = upfront = equity = 0.0
    inbound = undisclosed = 0
    reasons: dict[str, int] = defaultdict(int)
    by_q: dict[str, dict[str, Any]] = {}
    by_mod: dict[str, dict[str, Any]] = defaultdict(_bucket)
    by_fam: dict[str, dict[str, Any]] = defaultdict(_bucket)
    by_type: dict[str, dict[str, Any]] = defaultdict(_bucket)
    by_year: dict[str, dict[str, Any]] = defaultdict(_bucket)
    partners: dict[str, dict[str, Any]] = {}
    terminated, listing = [], []
    for d, cn in china_deals:
        h = ix.heads[d.id]
        usd = h.usd or 0.0
        roles = sorted(r for r, orgs in d.parties.items() if any(o in gset for o in orgs))
        paying = bool(PAYER_ROLES.intersection(roles))
        up = term_usd(d, "upfront") if paying else None
        eq = term_usd(d, "equity") if paying else None
        if h.usd is None:
            undisclosed += 1
            reasons[h.reason or "not-given"] += 1
        else:
            value += h.usd
            b = by_q.setdefault(h.qualifier, {"deals": 0, "value_usd": 0.0})
            b["deals"] += 1
            b["value_usd"] += h.usd
        inbound += paying
        upfront += up or 0.0
        equity += eq or 0.0
        mods, fams = ix.modalities(d.id)
        year = years[d.id]
        for buckets, keys in ((by_mod, mods), (by_fam, fams), (by_type, [d.type]),
                              (by_year, [str(year) if year else "undated"])):
            for k in keys:
                b = buckets[k]
                b["deals"] += 1
                b["value_usd"] += usd / len(keys)
                b["partners"].update(cn)
        for p in cn:
            e = partners.setdefault(p, {"deals": [], "weight": 0.0, "value_usd": 0.0, "upfront_usd": 0.0,
                                        "equity_usd": 0.0})
            e["deals"].append(d.id)
            e["weight"] += 1 / len(cn)
            e["value_usd"] += usd / len(cn)
            e["upfront_usd"] += (up or 0.0) / len(cn)
            e["equity_usd"] += (eq or 0.0) / len(cn)
        is_term = ix.terminated(d.id)
        if is_term:
            evs = ix.terminations.get(d.id, [])
            ret = [preferred(e.terms, "retained") for e in evs]
            ret = [r for r in ret if r is not None]
            terminated.append({
                "deal": d.id, "partners": cn, "status": d.status, "events": [e.id for e in evs],
                "date": next((e.date for e in evs if e.date), None),
                "retained_usd": _money(sum(usd_of(r) or 0.0 for r in ret)) if any(usd_of(r) for r in ret) else None,
                "retained": [r.text for r in ret], "returned": [e.returned for e in evs if e.returned],
                "headline_usd": h.usd, "headline_qualifier": h.qualifier})
        listing.append({
            "deal": d.id, "date": d.date, "type": d.type, "status": d.status, "roles": roles, "partners": cn,
            "inbound": paying, "headline_usd": h.usd, "qualifier": h.qualifier, "basis": h.basis,
            "kinds": list(h.kinds), "no_value_reason": h.reason, "upfront_usd": up, "equity_usd": eq,
            "assets": list(d.assets), "modalities": list(mods), "families": list(fams), "terminated": is_term})

    total_w = sum(p["weight"] for p in partners.values())
    total_v = sum(p["value_usd"] for p in partners.values())
    partner_rows = []
    for pid in sorted(partners, key=lambda p: (-partners[p]["weight"], -partners[p]["value_usd"], p)):
        e = partners[pid]
        o = ds.organizations.get(pid)
        partner_rows.append({"id": pid, "name": o.name if o else pid, "country": ix.country(pid),
                             "deals": e["deals"], "weight": round(e["weight"], SHARE_DIGITS) + 0.0,
                             "value_usd": _money(e["value_usd"]), "upfront_usd": _money(e["upfront_usd"]),
                             "equity_usd": _money(e["equity_usd"]),
                             "deal_share": _share(e["weight"], total_w), "value_share": _share(e["value_usd"], total_v)})
    n = len(china_deals)
    return {
        "deals": n, "all_deals": all_deals, "share": _share(n, all_deals),
        "value_usd": _money(value), "all_value_usd": _money(all_value), "value_share": _share(value, all_value),
        "upfront_usd": _money(upfront), "equity_usd": _money(equity),
        "inbound_deals": inbound, "outbound_deals": n - inbound,
        "disclosed_deals": n - undisclosed, "undisclosed_deals": undisclosed,
        "no_value_reasons": dict(sorted(reasons.items())),
        "by_qualifier": {k: {"deals": b["deals"], "value_usd": _money(b["value_usd"])} for k, b in sorted(by_q.items())},
        "hhi_deals": _hhi(p["weight"] for p in partners.values()),
        "hhi_value": _hhi(p["value_usd"] for p in partners.values()),
        "partners": partner_rows,
        "by_modality": _close(by_mod), "by_family": _close(by_fam), "by_type": _close(by_type),
        "by_year": _close(by_year),
        "terminated": terminated, "undated_excluded": undated, "deal_list": listing,
    }


def _indirect(chains: list[dict[str, Any]], from_year: int | None, to_year: int | None) -> dict[str, Any]:
    kept = [c for c in chains if in_period(c["year"], from_year, to_year)]
    named = sorted({c["asset"] for c in kept if c["asset"]})
    fam: dict[str, set[str]] = defaultdict(set)
    mod: dict[str, set[str]] = defaultdict(set)
    for c in kept:
        key = c["asset"] or f"rights:{c['rights']}"
        fam[c["family"]].add(key)
        mod[c["modality"]].add(key)
    return {"assets": len(named), "unnamed": sum(1 for c in kept if not c["asset"]),
            "chains": len(kept), "terminated_chains": sum(1 for c in kept if c["terminated"]),
            "originators": sorted({c["originator"] for c in kept}),
            "by_family": {k: len(v) for k, v in sorted(fam.items())},
            "by_modality": {k: len(v) for k, v in sorted(mod.items())},
            "chain_list": sorted(kept, key=lambda c: (c["asset"] or "", c["rights"] or "", c["chain"]))}


@without_gc
def exposure(ds: Dataset, org: str, from_year: int | None = None, to_year: int | None = None,
             china: Iterable[str] = CHINA, index: ExposureIndex | None = None, max_hops: int = MAX_HOPS) -> Exposure:
    """China exposure of one organization (by id) and its group over ``[from_year, to_year]``.

    See the module docstring for what each figure counts, how "up to" values
    and undisclosed values are treated, and how indirect chains are found.
    """
    if org not in ds.organizations:
        raise KeyError(f"no organization with id '{org}'")
    ix = index or ExposureIndex(ds)
    china = frozenset(china)
    return _exposure(ix, org, from_year, to_year, china, ix.chains(china, frozenset({org}), max_hops))


def _exposure(ix: ExposureIndex, org: str, from_year: int | None, to_year: int | None, china: frozenset[str],
              chains: dict[str, list[dict[str, Any]]]) -> Exposure:
    o = ix.ds.organizations[org]
    group = ix.group(org)
    return Exposure(org, o.name, ix.country(org), group, {"from": from_year, "to": to_year}, sorted(china),
                    _direct(ix, group, china, from_year, to_year), _indirect(chains.get(org, []), from_year, to_year))


@without_gc
def exposures(ds: Dataset, from_year: int | None = None, to_year: int | None = None, china: Iterable[str] = CHINA,
              orgs: Iterable[str] | None = None, index: ExposureIndex | None = None,
              max_hops: int = MAX_HOPS) -> list[Exposure]:
    """China exposure of every multinational (or of ``orgs``), sorted by id."""
    ix = index or ExposureIndex(ds)
    china = frozenset(china)
    wanted = sorted(set(orgs) if orgs is not None else (o.id for o in ds.organizations.values() if o.multinational))
    for w in wanted:
        if w not in ds.organizations:
            raise KeyError(f"no organization with id '{w}'")
    chains = ix.chains(china, frozenset(wanted), max_hops)
    return [_exposure(ix, w, from_year, to_year, china, chains) for w in wanted]
