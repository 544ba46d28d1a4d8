"""The page contexts of the site, built from a ``Dataset`` (see ``graph.publish.site.context`` for what each holds).

``SiteIndex(ds)`` walks the dataset once and keeps every reverse link (an
organization's deals, events, assets and family; an asset's deals and events;
a deal's events and conflicts), so each page is then built in time
proportional to what it shows. ``org_page``, ``asset_page`` and ``deal_page``
give one page each.

Deal direction (who gives and who takes) comes from the ontology through
``vocabulary().role_side``. A deal's headline value is ``graph.models.values.headline``
(the project's one definition), summed in ``Decimal`` (``text.deal_total``) so that it shows
exactly: USD 200 million plus up to USD 1.77 billion is "up to USD 1.97 billion".
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from ...describe.conflicts import find_conflicts
from ...models.dataset import Dataset
from ...models import Deal, Event
from ...models.vocabulary import vocabulary
from .context import (AssetPage, AssetRow, Claim, DealPage, DealRow, EventPage, EventRow, Fact, Link, OrgPage, Term,
                      Tie)
from .text import Citations, date_key, date_text, deal_headline, label, money_text, place_text

KIND_DIRS = {"org": "org", "asset": "asset", "deal": "deal", "event": "event", "source": "source"}


def label_of_field(name: str) -> str:
    """A seed field as a heading: 'territory_exclude' -> 'Territory exclude'."""
    return name.replace("_", " ").capitalize()


def page_path(kind: str, rid: str, ext: str = "html") -> str:
    """The stable path of a record's page from the site root: ``page_path('org', 'msd')`` -> 'org/msd.html'."""
    return f"{KIND_DIRS[kind]}/{rid}.{ext}"


class SiteIndex:
    """A dataset with its reverse links, ready to give any page's context.

    ``docs``: the source documents folder (hover text of citations), or None. ``out``: the output
    folder, to find the analyses' ``exposure.json`` and the maps already written there, or None.

    Example, on ``graph.ingest.curation.example()`` (Hengrui licenses to GSK, X and Y; GSK's country is
    curated, Y's unknown):

    >>> from graph.ingest.curation import example
    >>> ix = SiteIndex(example())
    >>> [(r.deal.id, r.role) for r in ix.org_page("gsk").deals]
    [('d', 'licensee')]
    >>> [(f.label, f.value, f.basis, f.note) for f in ix.org_page("gsk").curated]
    [('Headquarters', 'United Kingdom (GB)', 'curated', 'London-based')]
    >>> [(f.value, f.basis) for f in ix.org_page("y").curated]
    [('not known', 'unknown')]
    >>> [(role, side, org.name) for role, side, org in ix.deal_page("d").parties][:2]
    [('licensor', 'gives', 'HENGRUI'), ('licensee', 'takes', 'GSK')]
    """

    def __init__(self, ds: Dataset, docs: Path | None = None, out: Path | None = None):
        self.ds = ds
        self.v = vocabulary()
        self._rows: dict[tuple[str, str, str], Any] = {}
        self._links: dict[tuple[str, str], Link] = {}
        self._totals: dict[str, tuple[Any, Any, str | None]] = {}
        self._deal_base: dict[str, DealRow] = {}
        self.memo: dict[str, Any] = {}          # what list and source pages share (lists._cited_lines)
        self.cites = Citations(ds, docs)
        self.org_deals: dict[str, list[tuple[str, Deal]]] = defaultdict(list)
        self.asset_deals: dict[str, list[Deal]] = defaultdict(list)
        self.deal_events: dict[str, list[Event]] = defaultdict(list)
        self.asset_events: dict[str, list[Event]] = defaultdict(list)
        self.org_events: dict[str, list[Event]] = defaultdict(list)
        self.originated: dict[str, list[str]] = defaultdict(list)
        for d in sorted(ds.deals.values(), key=lambda d: (date_key(d.date), d.id)):
            for role, orgs in d.parties.items():
                for o in orgs:
                    self.org_deals[o].append((role, d))
            for a in dict.fromkeys(d.assets):
                self.asset_deals[a].append(d)
        for e in sorted(ds.events.values(), key=lambda e: (date_key(e.date), e.id)):
            if e.deal:
                self.deal_events[e.deal].append(e)
            deal = ds.deals.get(e.deal) if e.deal else None
            for a in dict.fromkeys([*e.assets, *(deal.assets if deal else [])]):
                self.asset_events[a].append(e)
            for o in dict.fromkeys([*e.orgs, *([e.agency] if e.agency else []), *(deal.party_ids() if deal else [])]):
                self.org_events[o].append(e)
        for a in ds.assets.values():
            if a.originator:
                self.originated[a.originator].append(a.id)
        self.exposure = self._exposure_rows(out)
        maps_dir = out / "maps" if out is not None else None
        self.map_files = {p.name for p in maps_dir.iterdir()} if maps_dir is not None and maps_dir.is_dir() else set()

    @cached_property
    def conflicts(self) -> list:
        """``describe.conflicts.find_conflicts`` of the dataset (also the conflicts list page's rows); made when first asked."""
        return find_conflicts(self.ds)

    @cached_property
    def conflicted(self) -> set[tuple[str, str]]:  # noqa: D102
        return {(c.subject, c.what) for c in self.conflicts}

    # ------------------------------------------------------------------ links and rows
    def _link(self, kind: str, rid: str) -> Link:
        table = {"org": self.ds.organizations, "asset": self.ds.assets, "deal": self.ds.deals,
                 "source": self.ds.sources, "event": self.ds.events}[kind]
        rec = table.get(rid)
        if rec is None:
            return Link(kind, rid, rid, None)
        if kind == "deal":
            name = rec.title or self.deal_name(rec)
        elif kind == "event":
            name = rec.title or f"{label('event_types', rec.type)}: {rid}"
        elif kind == "source":
            name = rec.title
        else:
            name = rec.name
        return Link(kind, rid, name, page_path(kind, rid) if kind in KIND_DIRS else None)

    def deal_name(self, d: Deal) -> str:
        """'3SBio / Pfizer licence (2025-05)': parties, type and date, for deals without a title."""
        names = " / ".join(self.ds.organizations[o].name if o in self.ds.organizations else o for o in d.party_ids())
        when = f" ({d.date})" if d.date else ""
        return f"{names} {label('deal_types', d.type)}{when}"

    def deal_row(self, d: Deal, role: str = "") -> DealRow:
        """The deal as a table row; made once per deal and role, then shared by every page showing it."""
        key = ("deal", d.id, role)
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = self._deal_row(d, role)
        return row

    def event_row(self, e: Event) -> EventRow:
        """The event as a timeline entry; made once, shared by every page showing it."""
        key = ("event", e.id, "")
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = self._event_row(e)
        return row

    def link(self, kind: str, rid: str) -> Link:
        """A record by name with its page path (no path when the id is not in the dataset); made once."""
        key = (kind, rid)
        hit = self._links.get(key)
        if hit is None:
            hit = self._links[key] = self._link(kind, rid)
        return hit

    def _deal_row(self, d: Deal, role: str = "") -> DealRow:
        base = self._deal_base.get(d.id)
        if base is not None:            # the same deal in another role: only the role differs
            b = base
            return DealRow(b.deal, b.date, b.type, label("roles", role) if role else "", b.parties, b.assets, b.value,
                           b.value_usd, b.status, b.cites)
        _, total, qualifier = self.headline(d)
        row = self._deal_base[d.id] = DealRow(self.link("deal", d.id), date_text(d.date, getattr(d, "period", None)), label("deal_types", d.type),
                       label("roles", role) if role else "",
                       tuple((label("roles", r), self.link("org", o)) for r, orgs in d.parties.items() for o in orgs),
                       tuple(self.link("asset", a) for a in d.assets),
                       "" if total is None else money_text(total, qualifier), "" if total is None else str(total),
                       label("statuses", d.status),
                       self.cites.cites(d.sources))
        return row

    def headline(self, d: Deal) -> tuple[Any, Any, str | None]:
        """``text.deal_headline`` of the deal (the headline, its exact total and qualifier), computed once."""
        hit = self._totals.get(d.id)
        if hit is None:
            hit = self._totals[d.id] = deal_headline(d)
        return hit

    def terms(self, kind: str, rec: Deal | Event) -> tuple[Term, ...]:
        """Every money term of a deal or event, each claim as its source wrote it."""
        out = []
        for k, claims in rec.terms.items():
            out.append(Term(k, label("term_kinds", k), tuple(
                Claim(c.text, c.qualifier, c.disclosure,
                      money_text(c.usd) if c.usd is not None and c.currency != "USD" else None,
                      self.cites.cites(c.sources or rec.sources)) for c in claims),
                (f"{kind} {rec.id}", k) in self.conflicted))
        return tuple(out)

    def _event_row(self, e: Event) -> EventRow:
        about = ([self.link("deal", e.deal)] if e.deal else []) + [self.link("asset", a) for a in e.assets] + \
                [self.link("org", o) for o in dict.fromkeys([*e.orgs, *([e.agency] if e.agency else [])])]
        return EventRow(self.link("event", e.id), date_text(e.date, getattr(e, "period", None)), label("event_types", e.type), tuple(about),
                        self.terms("event", e), e.note, self.cites.cites(e.sources))

    def asset_row(self, aid: str, relation: str) -> AssetRow:
        """The asset as a table row with how the page's record relates to it; made once per pair."""
        key = ("asset", aid, relation)
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = self._asset_row(aid, relation)
        return row

    def _asset_row(self, aid: str, relation: str) -> AssetRow:
        a = self.ds.assets.get(aid)
        if a is None:
            return AssetRow(self.link("asset", aid), "", "", "", None, relation)
        return AssetRow(self.link("asset", aid), label("modalities", a.modality), label("stages", a.stage),
                        a.target or "", self.link("org", a.originator) if a.originator else None, relation)

    def fact(self, what: str, value: Any, cites: tuple = (), href: str | None = None) -> list[Fact]:
        """A one-item list with the fact, or nothing when the value is empty.

        Facts of a record's own fields carry no citations of their own: the record's sources follow
        them once, as the last fact ('Sources', see ``sources_fact``).
        """
        if value is None or (isinstance(value, (str, list, tuple)) and not value):
            return []
        text = ", ".join(value) if isinstance(value, (list, tuple)) else str(value)
        return [Fact(what, text, cites, "cited", None, href)]

    @staticmethod
    def facts(pairs: Iterable[tuple[str, Any]]) -> list[Fact]:
        """``fact(what, value)`` of each pair, in order: the facts of a record's own fields."""
        out = []
        for what, value in pairs:
            if value is None or (isinstance(value, (str, list, tuple)) and not value):
                continue
            out.append(Fact(what, ", ".join(value) if isinstance(value, (list, tuple)) else str(value), ()))
        return out

    @staticmethod
    def sources_fact(cites: tuple) -> list[Fact]:
        """The record's citations, as the closing fact of its profile."""
        return [Fact("Sources", "", cites)]

    def profile(self, rec: Any, items: list[tuple[str, str | None, Any, str | None]]) -> tuple[list[Fact], list[Fact]]:
        """A record's facts split into document facts (closed by its sources) and curated or unknown ones.

        ``items``: (label, seed field or None, value, link). A field the record lists under ``curated``
        is a curated fact with its basis; one under ``unknown`` is shown as not known, with the reason;
        an unknown field not among ``items`` is added by its field name. Everything else is stated by
        the record's cited lines.
        """
        curated: dict[str, str] = getattr(rec, "curated", None) or {}
        unknown: dict[str, str] = getattr(rec, "unknown", None) or {}
        doc: list[Fact] = []
        apart: list[Fact] = []
        for what, name, value, href in items:
            if name in curated:
                apart += [Fact(what, f.value, (), "curated", curated[name], href) for f in self.fact(what, value)]
            elif name in unknown:
                apart.append(Fact(what, "not known", (), "unknown", unknown[name]))
            else:
                doc += self.fact(what, value, href=href)
        shown = {name for _, name, _, _ in items}
        apart += [Fact(label_of_field(k), "not known", (), "unknown", why)
                  for k, why in unknown.items() if k not in shown]
        return doc + self.sources_fact(self.cites.cites(rec.sources)), apart

    # ------------------------------------------------------------------ pages
    def org_page(self, oid: str) -> OrgPage:
        """The context of ``org/<oid>.html``."""
        o = self.ds.organizations[oid]
        facts, curated = self.profile(o, [
            ("Name", None, o.name, None), ("Also known as", None, o.aliases, None),
            ("Former names", "former_names", o.former_names, None),
            ("Headquarters", "country", place_text(o.country), None), ("Kind", "type", label("org_kinds", o.type), None),
            ("Multinational", "multinational", "yes" if o.multinational else "", None), ("Note", None, o.note, None)])
        deals = tuple(self.deal_row(d, role) for role, d in self._dedupe(self.org_deals.get(oid, [])))
        assets = [self.asset_row(a, "originated") for a in sorted(self.originated.get(oid, []))]
        seen = set(self.originated.get(oid, []))
        for role, d in self.org_deals.get(oid, []):
            for a in d.assets:
                if a not in seen:
                    seen.add(a)
                    assets.append(self.asset_row(a, f"{label('roles', role)} in a deal"))
        events = tuple(self.event_row(e) for e in self.org_events.get(oid, []))
        maps = tuple((what, f"maps/{kind}-{oid}.html") for kind, what in (("ego", "Partners map"),
                                                                          ("exposure", "China exposure map"))
                     if f"{kind}-{oid}.html" in self.map_files)
        if "overview.html" in self.map_files:
            maps += (("Overview map", "maps/overview.html"),)
        ego = f"maps/ego-{oid}.html" if f"ego-{oid}.html" in self.map_files else None
        row = self.exposure.get(oid)
        return OrgPage(o.name, page_path("org", oid), "../", page_path("org", oid, "json"),
                       org=self.link("org", oid), facts=tuple(facts), curated=tuple(curated), family=tuple(self.ties.get(oid, [])),
                       deals=deals, assets=tuple(assets), events=events,
                       exposure=self._exposure_figures(row) if row else (),
                       exposure_json=f"exposure/{oid}.json" if row and self._exposure_files.get(oid) else None,
                       maps=maps, ego_map=ego)

    def asset_page(self, aid: str) -> AssetPage:
        """The context of ``asset/<aid>.html``."""
        a = self.ds.assets[aid]
        origin = self.ds.organizations[a.originator].name if a.originator in self.ds.organizations else a.originator
        family = label("modalities", self.v.modality_family(a.modality))
        modality = label("modalities", a.modality) + (f" ({family})" if family != label("modalities", a.modality)
                                                       else "")
        facts, curated = self.profile(a, [
            ("Name", None, a.name, None), ("Code names", None, a.codes, None), ("Also known as", None, a.aliases, None),
            ("Kind", "type", label("asset_kinds", a.type), None),
            ("Originator", "originator", origin, self.link("org", a.originator).href if a.originator else None),
            ("Modality", "modality", modality, None), ("Target or mechanism", "target", a.target, None),
            ("Indication", None, a.indication, None), ("Stage", None, label("stages", a.stage), None),
            ("Note", None, a.note, None)])
        return AssetPage(a.name, page_path("asset", aid), "../", page_path("asset", aid, "json"),
                         asset=self.link("asset", aid), facts=tuple(facts), curated=tuple(curated),
                         deals=tuple(self.deal_row(d) for d in self.asset_deals.get(aid, [])),
                         events=tuple(self.event_row(e) for e in self.asset_events.get(aid, [])))

    def deal_page(self, did: str) -> DealPage:
        """The context of ``deal/<did>.html``."""
        d = self.ds.deals[did]
        c = self.cites.cites(d.sources)
        split = [f"{self.ds.organizations[s.org].name if s.org in self.ds.organizations else s.org} {s.percent}%"
                 for s in d.cost_split]
        facts = self.facts((
            ("Title", d.title), ("Type", label("deal_types", d.type)),
            ("Date", date_text(d.date, getattr(d, "period", None))), ("Status", label("statuses", d.status)),
            ("Stage at signing", label("stages", d.stage_at_signing)),
            ("Territory included", [place_text(p) for p in d.territory_include]),
            ("Territory excluded", [place_text(p) for p in d.territory_exclude]),
            ("Royalties", d.royalties), ("Cost split", split), ("Note", d.note))) + self.sources_fact(c)
        h, total, qualifier = self.headline(d)
        value = "" if total is None else money_text(total, qualifier)
        shown = value or {"undisclosed": "not disclosed", "no-usd": "not given in USD"}.get(h.reason or "",
                                                                                          "no value terms")
        basis = ", ".join(label("term_kinds", k) for k in h.kinds)
        terms = self.terms("deal", d)
        return DealPage(self.link("deal", did).name, page_path("deal", did), "../", page_path("deal", did, "json"),
                        deal=self.link("deal", did), facts=tuple(facts),
                        parties=tuple((label("roles", r), self.v.role_side(r), self.link("org", o))
                                      for r, orgs in d.parties.items() for o in orgs),
                        assets=tuple(self.asset_row(a, "covered") for a in d.assets), headline=shown, headline_basis=basis,
                        terms=terms, events=tuple(self.event_row(e) for e in self.deal_events.get(did, [])),
                        conflicts=tuple(t for t in terms if t.conflict),
                        disputes=tuple(Fact(label_of_field(k), alt.text(), self.cites.cites(alt.sources))
                                       for k, alts in (getattr(d, "disputes", None) or {}).items() for alt in alts))

    def event_page(self, eid: str) -> EventPage:
        """The context of ``event/<eid>.html``."""
        e = self.ds.events[eid]
        row = self.event_row(e)
        facts = (self.fact("Title", e.title) + self.fact("Type", row.type) + self.fact("Date", row.date)
                 + self.fact("Country", place_text(e.country)) + self.fact("Indication", e.indication)
                 + self.fact("Rights returned", e.returned) + self.fact("Note", e.note)
                 + self.sources_fact(row.cites))
        return EventPage(row.event.name, page_path("event", eid), "../", page_path("event", eid, "json"),
                         event=row.event, facts=tuple(facts), about=row.about, terms=row.terms)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _dedupe(pairs: Iterable[tuple[str, Deal]]) -> list[tuple[str, Deal]]:
        """One row per deal (an organization in two roles of one deal shows its first role)."""
        seen: set[str] = set()
        out = []
        for role, d in pairs:
            if d.id not in seen:
                seen.add(d.id)
                out.append((role, d))
        return out

    @cached_property
    def ties(self) -> dict[str, list[Tie]]:
        """Each organization's corporate family ties (``Tie``), in dataset order; made when first asked."""
        ties: dict[str, list[Tie]] = defaultdict(list)
        ds, cite = self.ds, self.cites.cites
        for o in ds.organizations.values():
            c = cite(o.sources)
            if o.subsidiary_of:
                basis = (getattr(o, "curated", None) or {}).get("subsidiary_of")
                note, tc = (f"curated: {basis}", ()) if basis else ("", c)
                ties[o.id].append(Tie("subsidiary of", self.link("org", o.subsidiary_of), note, tc))
                ties[o.subsidiary_of].append(Tie("parent of", self.link("org", o.id), note, tc))
            for f in o.formed_by:
                ties[o.id].append(Tie("formed by", self.link("org", f), "", c))
                ties[f].append(Tie("formed", self.link("org", o.id), "", c))
            for s in o.stakes:
                sc = cite(s.sources or o.sources)
                ties[o.id].append(Tie("holds a stake in", self.link("org", s.org), f"{s.percent}%", sc))
                ties[s.org].append(Tie("stake held by", self.link("org", o.id), f"{s.percent}%", sc))
        for d in ds.deals.values():
            if d.type == "acquisition" or "acquirer" in d.parties:
                for a in d.parties.get("acquirer", []):
                    for t in d.parties.get("target", []):
                        when = f"deal {d.id}" + (f", {d.date}" if d.date else "")
                        ties[t].append(Tie("acquired by", self.link("org", a), when, cite(d.sources)))
                        ties[a].append(Tie("acquired", self.link("org", t), when, cite(d.sources)))
        return ties

    def _exposure_rows(self, out: Path | None) -> dict[str, dict[str, Any]]:
        """Exposure rows from the analyses' ``exposure.json`` in ``out``, when present and for this dataset."""
        self._exposure_files: dict[str, bool] = {}
        path = out / "exposure.json" if out is not None else None
        if path is None or not path.is_file():
            return {}
        rows = json.loads(path.read_text(encoding="utf-8")).get("multinationals", [])
        if not all(r.get("id") in self.ds.organizations for r in rows):
            return {}
        folder = out / "exposure"
        names = {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
        self._exposure_files = {r["id"]: r["id"] in names for r in rows}
        return {r["id"]: r for r in rows}

    def _exposure_figures(self, row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        """(label, value) for each exposure figure, as the analysis writes them (``exposure_text.row_cells``:
        sourcing, market and capital deals, share and value, each a range when some deals may count)."""
        from ...analysis.exposure_text import row_cells

        out = [("All deals", f"{row['all_deals']:,}")] if isinstance(row.get("all_deals"), int) else []
        for k, text in row_cells(row).items():
            measure, _, part = k.partition("_")
            what = "China-originated assets reached through chains" if k == "chains" else \
                f"{measure.capitalize()} {part or 'deals'}"
            out.append((what, text))
        partners = [self.ds.organizations[p].name for p in row.get("partners") or [] if p in self.ds.organizations]
        if partners:
            out.append(("Chinese partners", ", ".join(partners)))
        return tuple(out)
