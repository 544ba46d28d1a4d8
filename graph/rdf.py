"""The dataset as RDF under the ontology (rdflib), exportable as Turtle and JSON-LD.

Statements keep their provenance with PROV-O: records, participations, stakes
and financial terms point at ``dg:Citation`` nodes (a document and a line)
through ``prov:wasDerivedFrom``, so two sources that disagree both stay.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .dataset import Dataset
from .models import Citation, Money
from .ontology import CURRENCY, DG, ID, MODALITY, PLACE, PROV, bind_prefixes
from .vocabulary import vocabulary

KIND = "https://w3id.org/dealgraph/kind/"
STAGE = "https://w3id.org/dealgraph/stage/"
STATUS = "https://w3id.org/dealgraph/status/"
QUAL = "https://w3id.org/dealgraph/qualifier/"
DISC = "https://w3id.org/dealgraph/disclosure/"
UNIT = "https://w3id.org/dealgraph/unit/"


def iri(kind: str, rec_id: str, *rest: str) -> URIRef:
    """IRI of a record: ``iri('deal', '2025-05-3sbio-pfizer')``."""
    return ID[f"{kind}/{rec_id}" + "".join(f"/{r}" for r in rest)]


def field_property(model: type, field: str) -> URIRef:
    """The ontology property a model field carries: ``field_property(Organization, 'country') == dg:headquarters``."""
    curie = model.model_fields[field].json_schema_extra["rdf"]
    prefix, local = curie.split(":", 1)
    return {"dg": DG, "prov": PROV}[prefix][local]


def date_literal(d: str) -> Literal:
    """``2025`` -> xsd:gYear, ``2025-05`` -> xsd:gYearMonth, ``2025-05-20`` -> xsd:date, ``2022/2025`` -> a plain string."""
    if "/" in d:
        return Literal(d)
    dt = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(d), XSD.date)
    return Literal(d, datatype=dt)


def _dec(x: Decimal) -> Literal:
    return Literal(x.normalize() if x == x.to_integral() else x, datatype=XSD.decimal)


class _Writer:
    def __init__(self, ds: Dataset):
        self.g = Graph()
        bind_prefixes(self.g)
        self.ds = ds
        self.v = vocabulary()

    def add(self, s: Any, p: Any, o: Any) -> None:
        if o is None:
            return
        if not isinstance(o, (URIRef, Literal, BNode)):
            o = Literal(o)
        self.g.add((s, p, o))

    def cite(self, subject: URIRef, cites: list[Citation]) -> None:
        for c in cites:
            node = URIRef(f"{iri('source', c.doc)}#L{c.line}")
            self.g.add((node, RDF.type, DG.Citation))
            self.g.add((node, DG.document, iri("source", c.doc)))
            self.g.add((node, DG.line, Literal(c.line, datatype=XSD.positiveInteger)))
            self.g.add((subject, PROV.wasDerivedFrom, node))

    def curation(self, subject: URIRef, kind: str, rec: Any) -> None:
        """Curated facts (``prov:wasDerivedFrom`` a dg:CuratedFact, never a dg:Citation) and unknown facts."""
        for what, table, cls, link in (("curated", rec.curated, DG.CuratedFact, DG.curated),
                                       ("unknown", rec.unknown, DG.UnknownFact, DG.unknownValue)):
            for field, basis in sorted(table.items()):
                node = iri(kind, rec.id, what, field)
                self.g.add((node, RDF.type, cls))
                self.g.add((node, DG.aboutProperty, field_property(type(rec), field)))
                self.g.add((node, DG.basis, Literal(basis)))
                self.g.add((node, PROV.wasAttributedTo, DG.curators))
                self.g.add((subject, link, node))
                if what == "curated":
                    self.g.add((subject, PROV.wasDerivedFrom, node))

    def terms(self, owner: URIRef, terms: dict[str, list[Money]], fallback: list[Citation]) -> None:
        for kind, claims in terms.items():
            for n, m in enumerate(claims, 1):
                t = URIRef(f"{owner}/term/{kind}/{n}")
                self.add(owner, DG.hasTerm, t)
                self.money(t, kind, m, self.v.term_kinds[kind].iri, fallback)

    def money(self, node: URIRef, kind: str, m: Money, cls: URIRef, fallback: list[Citation]) -> None:
        """One money claim as a term node of class ``cls`` (a term kind's class, or dg:Contribution)."""
        self.add(node, RDF.type, cls)
        self.add(node, DG.termKind, kind)
        self.add(node, DG.asWritten, m.text)
        self.add(node, DG.disclosure, URIRef(DISC + m.disclosure))
        if m.disclosed:
            self.add(node, DG.amount, _dec(m.amount))
            self.add(node, DG.currency, CURRENCY[m.currency])
            self.add(node, DG.qualifier, URIRef(QUAL + m.qualifier))
        if m.usd is not None:
            self.add(node, DG.usdValue, _dec(m.usd))
            self.add(node, DG.fxRate, _dec(m.fx_rate) if m.fx_rate is not None else None)
        self.add(node, DG.fxSource, m.fx_source)
        for inc in m.includes:
            self.add(node, DG.includesTerm, inc)
        self.cite(node, m.sources or fallback)

    def disputes(self, subject: URIRef, rec: Any) -> None:
        """Each source's version of a disputed field: dg:disputes a dg:AlternativeClaim with its citations."""
        for field, alts in rec.disputes.items():
            for n, alt in enumerate(alts, 1):
                node = URIRef(f"{subject}/dispute/{field}/{n}")
                self.add(subject, DG.disputes, node)
                self.add(node, RDF.type, DG.AlternativeClaim)
                self.add(node, DG.aboutProperty, field_property(type(rec), field))
                self.add(node, DG.claimedValue, alt.text())
                self.cite(node, alt.sources)

    def common(self, s: URIRef, rec: Any, cls: URIRef) -> None:
        self.add(s, RDF.type, cls)
        self.add(s, DG.key, rec.id)
        for field, prop in (("name", DG.name), ("title", DG.title), ("note", DG.note)):
            self.add(s, prop, getattr(rec, field, None))
        if getattr(rec, "date", None):
            self.add(s, DG.date, date_literal(rec.date))
        if rec.kind in ("deals", "events"):
            self.add(s, DG.period, rec.period)
            self.add(s, DG.datePrecision, rec.date_precision)
        for a in getattr(rec, "aliases", []):
            self.add(s, DG.alias, a)
        if hasattr(rec, "sources") and rec.kind != "sources":
            self.cite(s, rec.sources)


def to_rdf(ds: Dataset) -> Graph:
    """The dataset as an rdflib graph of instance data (the ontology itself is not included)."""
    w = _Writer(ds)
    v, add = w.v, w.add
    for s in ds.sources.values():
        node = iri("source", s.id)
        w.common(node, s, DG.SourceDocument)
        add(node, DG.publisher, s.publisher)
        add(node, DG.sourceKind, s.type)
        add(node, DG.fileName, s.file)
    roles_played: dict[str, set[str]] = {}
    for o in ds.organizations.values():
        node = iri("org", o.id)
        w.common(node, o, DG.Organization)
        w.curation(node, "org", o)
        for f in o.former_names:
            add(node, DG.formerName, f)
        add(node, DG.headquarters, PLACE[o.country] if o.country else None)
        add(node, DG.organizationKind, URIRef(KIND + o.type))
        add(node, DG.isMultinational, Literal(o.multinational))
        add(node, DG.subsidiaryOf, iri("org", o.subsidiary_of) if o.subsidiary_of else None)
        for f in o.formed_by:
            add(node, DG.formedBy, iri("org", f))
        for st in o.stakes:
            sn = iri("org", o.id, "stake", st.org)
            add(node, DG.stakes, sn)
            add(sn, RDF.type, DG.EquityStake)
            add(sn, DG.stakeIn, iri("org", st.org))
            add(sn, DG.percent, _dec(st.percent))
            w.cite(sn, st.sources or o.sources)
    for a in ds.assets.values():
        node = iri("asset", a.id)
        w.common(node, a, DG.Asset)
        w.curation(node, "asset", a)
        add(node, RDF.type, v.asset_kinds[a.type].iri)
        add(node, DG.assetKind, a.type)
        for c in a.codes:
            add(node, DG.codeName, c)
        add(node, DG.modality, MODALITY[a.modality])
        add(node, DG.targetOrMechanism, a.target)
        add(node, DG.indication, a.indication)
        add(node, DG.stage, URIRef(STAGE + a.stage))
        add(node, DG.originator, iri("org", a.originator) if a.originator else None)
    for d in ds.deals.values():
        node = iri("deal", d.id)
        w.common(node, d, DG.Deal)
        w.curation(node, "deal", d)
        add(node, RDF.type, v.deal_types[d.type].iri)
        add(node, DG.dealType, d.type)
        shares = {s.org: s.percent for s in d.cost_split}
        for role, orgs in d.parties.items():
            for o in orgs:
                p = iri("deal", d.id, "party", role, o)
                add(node, DG.hasParticipation, p)
                add(p, RDF.type, DG.Participation)
                add(p, DG.playedBy, iri("org", o))
                add(p, DG.role, v.roles[role].iri)
                w.cite(p, d.sources)
                add(node, DG.party, iri("org", o))
                for n, m in enumerate(d.contributions.get(o, []), 1):
                    c = URIRef(f"{p}/contribution/{n}")
                    add(p, DG.contribution, c)
                    w.money(c, "contribution", m, DG.Contribution, d.sources)
                if role in ("licensor", "licensee"):
                    add(node, DG.hasLicensor if role == "licensor" else DG.hasLicensee, iri("org", o))
                roles_played.setdefault(o, set()).add(role)
        for o, pct in shares.items():
            cs = iri("deal", d.id, "cost", o)
            add(node, DG.costShare, cs)
            add(cs, RDF.type, DG.CostShare)
            add(cs, DG.shareOf, iri("org", o))
            add(cs, DG.percent, _dec(pct))
        for a in d.assets:
            add(node, DG.coversAsset, iri("asset", a))
        add(node, DG.stageAtSigning, URIRef(STAGE + d.stage_at_signing) if d.stage_at_signing else None)
        for p in d.territory_include:
            add(node, DG.territoryIncluded, PLACE[p])
        for p in d.territory_exclude:
            add(node, DG.territoryExcluded, PLACE[p])
        add(node, DG.status, URIRef(STATUS + d.status))
        add(node, DG.royalties, d.royalties)
        w.terms(node, d.terms, d.sources)
        w.disputes(node, d)
        if d.type == "acquisition":
            for t in d.parties.get("target", []):
                for acq in d.parties.get("acquirer", []):
                    add(iri("org", t), DG.acquiredBy, iri("org", acq))
    for org, roles in roles_played.items():
        for r in roles:
            add(iri("org", org), RDF.type, v.role_classes[r])
    for e in ds.events.values():
        node = iri("event", e.id)
        w.common(node, e, DG.Event)
        add(node, RDF.type, v.event_types[e.type].iri)
        add(node, DG.eventType, e.type)
        add(node, DG.concernsDeal, iri("deal", e.deal) if e.deal else None)
        for a in e.assets:
            add(node, DG.concernsAsset, iri("asset", a))
        for o in e.orgs:
            add(node, DG.involves, iri("org", o))
        add(node, DG.agency, iri("org", e.agency) if e.agency else None)
        add(node, DG.eventCountry, PLACE[e.country] if e.country else None)
        add(node, DG.indication, e.indication)
        add(node, DG.rightsReturned, e.returned)
        w.terms(node, e.terms, e.sources)
        w.disputes(node, e)
    for s in ds.statistics.values():
        node = iri("stat", s.id)
        w.common(node, s, DG.MarketStatistic)
        add(node, DG.measure, s.measure)
        add(node, DG.period, s.period)
        add(node, DG.statValue, _dec(s.number))
        add(node, DG.valueAsWritten, s.written)
        add(node, DG.unit, URIRef(UNIT + s.unit))
        add(node, DG.qualifier, URIRef(QUAL + (s.money[0].qualifier if s.money else s.qualifier)))
        if s.money:
            add(node, DG.currency, CURRENCY[s.money[0].currency])
        add(node, DG.publishedBy, iri("org", s.provider) if s.provider else None)
    return w.g
