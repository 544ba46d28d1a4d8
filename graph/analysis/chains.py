"""What exposure needs from a dataset, computed once (``ExposureIndex``), and the indirect chains.

**Group.** A multinational's figures cover its *group*: itself and every
organization whose ``subsidiary_of`` chain leads to it. Deals between members
of the group are its own deals; a member is never its own counterparty.

**Chinese, unknown.** An organization's headquarters country is its own
``country``, else its nearest ``subsidiary_of`` parent's. It is *Chinese* when
that country is in ``china`` (``{'CN'}`` by default; ``GREATER_CHINA`` adds
Hong Kong, Macau and Taiwan), *unknown* when no country is recorded (the seeds
say ``unknown`` or nothing), and *other* otherwise. Unknown is never read as
"not Chinese": exposure counts it apart, as "possibly China".

**Indirect chains**: China-originated assets (originator Chinese; with an
originator of unknown country, *possibly* China-originated) that a group
reaches through a chain with at least one organization in between, rather
than by a direct deal with the originator. Rights pass along a deal that
covers the asset from a licensor, seller or target to a licensee,
co-developer, partner, buyer or acquirer; control passes, for every asset the
controlled organization holds, from a target to its acquirer, an investee to
its investor, a subsidiary to its parent (``subsidiary_of``), a NewCo to its
founders (``formed_by``) and a company to an organization holding a stake in
it (``stake``). So a NewCo that licensed the asset and was formed by, or sold
to, the multinational, or a sublicence from the NewCo, all reach it. A deal
that names no asset carries its licensor's unnamed rights one step, after
which only control passes them on (``unnamed`` counts those chains). Each
chain is the shortest found (fewest links; ties in a fixed order), at most
``max_hops`` links, and is listed as ``[org, link, org, link, …,
multinational]`` where a link is a deal id or one of 'subsidiary_of',
'formed_by', 'stake'. A chain's ``year`` is the latest year among its dated
deals and decides whether it falls in the period (a chain with no dated deal
counts only without bounds); ``terminated`` marks a chain through a
terminated deal; ``status`` is 'china' or 'unknown' (the originator's).
"""
from __future__ import annotations

from collections import defaultdict, deque
from functools import cached_property
from typing import Any, NamedTuple

from ..models.dataset import Dataset
from ..models import Deal
from ..models.values import Headline, headline, term_usd
from ..models.vocabulary import vocabulary
from .partners import deal_links

CHINA = frozenset({"CN"})
GREATER_CHINA = frozenset(p for p in vocabulary().place_members("GREATER-CHINA") if p in vocabulary().countries)
GIVER_ROLES = ("licensor", "seller")
TAKER_ROLES = ("licensee", "co-developer", "partner", "buyer")
MUTUAL_ROLES = ("co-developer", "partner")
CONTROL_ROLES = (("target", "acquirer"), ("investee", "investor"))
FLOWS = tuple((g, TAKER_ROLES) for g in GIVER_ROLES) + tuple((m, (m,)) for m in MUTUAL_ROLES) + tuple(
    (low, (high,)) for low, high in CONTROL_ROLES)
"""(giver role, taker roles): how rights pass along a deal in a chain."""
MAX_HOPS = 6
_COUNTRIES = vocabulary().countries


def china_places(greater_china: bool = False) -> frozenset[str]:
    """``{'CN'}``, or with ``greater_china`` also HK, MO and TW."""
    return GREATER_CHINA if greater_china else CHINA


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
        self.holdings: dict[str, list[tuple[str, str]]] = defaultdict(list)
        """holder → [(organization, how)]: stakes it holds, NewCos it formed."""
        for o in sorted(ds.organizations.values(), key=lambda o: o.id):
            for st in o.stakes:
                self.holdings[o.id].append((st.org, f"stake {st.percent}% held by {o.id}"))
            for f in o.formed_by:
                self.holdings[f].append((o.id, f"formed by {f}"))
        self._chains: dict[tuple[frozenset[str], frozenset[str], int], dict[str, list[dict[str, Any]]]] = {}
        self._links: dict[str, list[tuple[str, str, str]]] = {}
        self._facts: dict[str, dict[str, Any]] = {}

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

    def links(self, deal_id: str) -> list[tuple[str, str, str]]:
        """``partners.deal_links`` of a deal, computed once (a deal of several groups is seen by each)."""
        got = self._links.get(deal_id)
        if got is None:
            got = self._links[deal_id] = deal_links(self.ds.deals[deal_id])
        return got

    def facts(self, deal_id: str) -> dict[str, Any]:
        """What every listing of a deal shares, computed once: ``head`` (its ``Headline``), ``upfront_usd``,
        ``equity_usd``, ``parties`` (ids in order), ``modalities``, ``families`` and ``terminated``."""
        got = self._facts.get(deal_id)
        if got is None:
            d = self.ds.deals[deal_id]
            mods, fams = self.modalities(deal_id)
            got = self._facts[deal_id] = {
                "head": self.heads[deal_id], "upfront_usd": term_usd(d, "upfront"), "equity_usd": term_usd(d, "equity"),
                "parties": d.party_ids(), "modalities": mods, "families": fams, "terminated": self.terminated(deal_id)}
        return got

    def status(self, org_id: str, china: frozenset[str]) -> str:
        """'china', 'unknown' or 'other': where the organization is headquartered (see the module docstring).

        >>> ix = ExposureIndex(tiny)
        >>> [ix.status(o, CHINA) for o in ("cn1", "hk1", "unk", "medsub")]
        ['china', 'other', 'unknown', 'other']
        """
        c = self.countries.get(org_id)
        if c in china:
            return "china"
        return "unknown" if c is None or c not in _COUNTRIES else "other"

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
                found[s].append({**item, "originator": origin, "chain": chain, "status": self.status(origin, china),
                                 "year": max(years) if years else None,
                                 "terminated": any(self.terminated(x) for x in deal_links)})

        onward: dict[str, tuple[bool, set[str]]] = {}   # originator → (a controller has controllers, controllers)
        for a in sorted(ds.assets):
            asset = ds.assets[a]
            origin = asset.originator
            if origin is None or self.status(origin, china) == "other":
                continue
            held = rights.get(a, {})
            own, ctl = held.get(origin, ()), control.get(origin, ())
            if origin not in onward:
                onward[origin] = (any(l.dst in control for l in ctl), {l.dst for l in ctl})
            further, controllers = onward[origin]
            if not (further or any(l.dst in held or l.dst in control for l in own)
                    or any(h in controllers for h in held)):
                continue          # nobody past the direct partners: no chain can be indirect
            first = (*own, *ctl)
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
                if self.status(g, china) != "other" and any(l.dst in control for _, l in by_giver[g]):
                    parent = walk(g, by_giver[g], None)
                    record(g, parent, {"asset": None, "asset_name": None, "modality": "unspecified",
                                       "family": "unspecified", "rights": d.id})
        return dict(found)
