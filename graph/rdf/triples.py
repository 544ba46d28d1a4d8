"""The dataset as RDF under the ontology, exportable as Turtle and JSON-LD.

Statements keep their provenance with PROV-O: records, participations, stakes
and financial terms point at ``dg:Citation`` nodes (a document and a line)
through ``prov:wasDerivedFrom``, so two sources that disagree both stay.

Triples: the walk over the records (:func:`rdf_triples`) writes each triple as three
N-Triples terms (``<iri>``, ``"text"``, ``"12.5"^^<…#decimal>``), never as rdflib objects,
because a graph of 10,000 deals has 700,000 triples and rdflib's in-memory store spends
tens of seconds on them. :class:`Triples` is that set of triples in canonical order (sorted,
each once): the build checks it against the shapes and writes it (``graph.rdf.serialize``).
:func:`to_rdf` gives the same graph as an rdflib ``Graph`` for notebooks and users.
"""
from __future__ import annotations

from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..models.dataset import Dataset
from ..core.gcpause import without_gc
from ..models import Citation, Money
from .ntriples import IRI as _IRI, READY as _READY, XSD_NS, Lit as _Lit, Terms as _Terms, Triples, decimal as _dec
from .ntriples import in_namespace as _in, ref as _ref, string as _string, term, typed as _typed

__all__ = ["Triples", "date_literal", "field_property", "iri", "rdf_triples", "rdf_triples_by_record", "record_triples",
           "term", "to_rdf"]
from ..models.ontology import CURRENCY, DG, ID, MODALITY, PLACE, PROV
from ..models.vocabulary import vocabulary

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


# --------------------------------------------------------------------------- N-Triples terms
def _iri(kind: str, rec_id: str, *rest: str) -> _IRI:
    """:func:`iri` as an N-Triples term."""
    return _IRI(f"<{ID}{kind}/{rec_id}" + "".join(f"/{r}" for r in rest) + ">")


def _date(d: str) -> _Lit:
    """:func:`date_literal` as an N-Triples term."""
    if "/" in d:
        return _string(d)
    return _typed(d, XSD_NS + {4: "gYear", 7: "gYearMonth"}.get(len(d), "date"))


dg = _Terms(str(DG))
prov = _Terms(str(PROV))
rdf_type = _ref(str(RDF.type))


class _Writer:
    def __init__(self, ds: Dataset):
        self.groups: dict[str, set[tuple[str, str]]] = {}  # subject -> {(predicate, object)}
        self.citations: set[str] = set()
        #: when set, collects what the record gives outside its own nodes: (subject, what it says of it)
        self.ext: set[tuple[str, str]] | None = None
        self.ds = ds
        self.v = vocabulary()

    def add(self, s: Any, p: Any, o: Any) -> None:
        """Add a triple; ``o`` None adds nothing. Terms may be rdflib terms or Python values."""
        if o is None:
            return
        if type(s) is not _IRI:
            s = term(s)
        po = self.groups.get(s)
        if po is None:
            po = self.groups[s] = set()
        po.add((p if type(p) is _IRI else term(p), o if type(o) in _READY else term(o)))

    def result(self) -> Triples:
        return Triples(self.groups)

    def cite(self, subject: Any, cites: list[Citation]) -> None:
        add = self.add
        for c in cites:
            node = _in(f"{ID}source/{c.doc}#L", str(c.line))
            if node not in self.citations:  # a line cited by many records is described once
                self.citations.add(node)
                add(node, rdf_type, dg.Citation)
                add(node, dg.document, _in(f"{ID}source/", c.doc))
                add(node, dg.line, _typed(str(c.line), XSD_NS + "positiveInteger"))
            add(subject, prov.wasDerivedFrom, node)
            if self.ext is not None:
                self.ext.add((node, ""))  # a citation node's triples follow from its IRI

    def curation(self, subject: _IRI, kind: str, rec: Any) -> None:
        """Curated facts (``prov:wasDerivedFrom`` a dg:CuratedFact, never a dg:Citation) and unknown facts."""
        add = self.add
        for what, table, cls, link in (("curated", rec.curated, dg.CuratedFact, dg.curated),
                                       ("unknown", rec.unknown, dg.UnknownFact, dg.unknownValue)):
            for field, basis in sorted(table.items()):
                node = _iri(kind, rec.id, what, field)
                add(node, rdf_type, cls)
                add(node, dg.aboutProperty, field_property(type(rec), field))
                add(node, dg.basis, basis)
                add(node, prov.wasAttributedTo, dg.curators)
                add(subject, link, node)
                if what == "curated":
                    add(subject, prov.wasDerivedFrom, node)

    def terms(self, owner: _IRI, terms: dict[str, list[Money]], fallback: list[Citation]) -> None:
        for kind, claims in terms.items():
            for n, m in enumerate(claims, 1):
                t = _IRI(f"{owner[:-1]}/term/{kind}/{n}>")
                self.add(owner, dg.hasTerm, t)
                self.money(t, kind, m, self.v.term_kinds[kind].iri, fallback)

    def money(self, node: _IRI, kind: str, m: Money, cls: Any, fallback: list[Citation]) -> None:
        """One money claim as a term node of class ``cls`` (a term kind's class, or dg:Contribution)."""
        add = self.add
        add(node, rdf_type, cls)
        add(node, dg.termKind, kind)
        add(node, dg.asWritten, m.text)
        add(node, dg.disclosure, _in(DISC, m.disclosure))
        if m.disclosed:
            add(node, dg.amount, _dec(m.amount))
            add(node, dg.currency, _in(CURRENCY, m.currency))
            add(node, dg.qualifier, _in(QUAL, m.qualifier))
        if m.usd is not None:
            add(node, dg.usdValue, _dec(m.usd))
            add(node, dg.fxRate, _dec(m.fx_rate) if m.fx_rate is not None else None)
        add(node, dg.fxSource, m.fx_source)
        for inc in m.includes:
            add(node, dg.includesTerm, inc)
        self.cite(node, m.sources or fallback)

    def disputes(self, subject: _IRI, rec: Any) -> None:
        """Each source's version of a disputed field: dg:disputes a dg:AlternativeClaim with its citations."""
        add = self.add
        for field, alts in rec.disputes.items():
            for n, alt in enumerate(alts, 1):
                node = _IRI(f"{subject[:-1]}/dispute/{field}/{n}>")
                add(subject, dg.disputes, node)
                add(node, rdf_type, dg.AlternativeClaim)
                add(node, dg.aboutProperty, field_property(type(rec), field))
                add(node, dg.claimedValue, alt.text())
                self.cite(node, alt.sources)

    def common(self, s: _IRI, rec: Any, cls: _IRI) -> None:
        add = self.add
        add(s, rdf_type, cls)
        add(s, dg.key, rec.id)
        for field, prop in (("name", dg.name), ("title", dg.title), ("note", dg.note)):
            add(s, prop, getattr(rec, field, None))
        if getattr(rec, "date", None):
            add(s, dg.date, _date(rec.date))
        if rec.kind in ("deals", "events"):
            add(s, dg.period, rec.period)
            add(s, dg.datePrecision, rec.date_precision)
        for a in getattr(rec, "aliases", []):
            add(s, dg.alias, a)
        if hasattr(rec, "sources") and rec.kind != "sources":
            self.cite(s, rec.sources)


def to_rdf(ds: Dataset) -> Graph:
    """The dataset as an rdflib graph of instance data (the ontology itself is not included).

    The graph of :func:`rdf_triples`, for notebooks and users of the rdflib API.
    Parsing N-Triples into rdflib costs about 15 µs a triple (10 s at 10,000 deals): the build
    never calls this.
    """
    return rdf_triples(ds).to_graph()


@without_gc
def rdf_triples(ds: Dataset) -> Triples:
    """The dataset as RDF triples under the ontology, in canonical order (instance data only).

    Same graph as :func:`to_rdf`, without building rdflib objects: the build checks, writes and
    exports this. ``len(rdf_triples(ds))`` is the triple count.

    Each record gives its node (``dgid:deal/<id>``…), its sub-nodes (participations, terms, stakes,
    cost shares, curated facts, disputes) and the ``dg:Citation`` nodes it cites; a triple stated
    twice counts once. The graph is the union of what each record gives (:func:`record_triples`).
    """
    w = _Writer(ds)
    for kind in ds.KINDS:
        make = _MAKERS[kind]
        for rec in ds.table(kind).values():
            make(w, rec)
    return w.result()


@without_gc
def rdf_triples_by_record(ds: Dataset) -> tuple[Triples, dict[tuple[str, str], tuple[tuple[str, str], ...]]]:
    """:func:`rdf_triples`, and for each record what it gives to subjects outside its own nodes, sorted
    ``(subject, predicate + " " + object)`` (``""`` for a citation node: its triples follow from its IRI).

    A record's own nodes are its IRI and those under it (``dgid:deal/X``, ``dgid:deal/X/…``); the
    others are the citation nodes it cites and, for a deal, its parties (the role class) and an
    acquired target (``dg:acquiredBy``). ``graph.rdf.incremental`` redoes only the changed records with these.

    >>> from graph.ingest.curation import example
    >>> t, ext = rdf_triples_by_record(example())
    >>> t == rdf_triples(example()), all(s.startswith("<https://w3id.org/dealgraph/id/") for x in ext.values() for s, _ in x)
    (True, True)
    """
    w = _Writer(ds)
    w.ext = ext = set()
    out: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
    for kind in ds.KINDS:
        make = _MAKERS[kind]
        for rec in ds.table(kind).values():
            make(w, rec)
            if ext:
                out[(kind, rec.id)] = tuple(sorted(ext))
                ext.clear()
    return w.result(), out


def record_triples(ds: Dataset, kind: str, rec: Any) -> tuple[dict[str, set[tuple[str, str]]], tuple]:
    """What one record gives to the graph: ``({subject: {(predicate, object)}}, outside)``, ``outside`` as
    :func:`rdf_triples_by_record` gives it.

    The union over every record of ``ds`` is :func:`rdf_triples` (``ds`` gives the vocabulary only).
    """
    w = _Writer(ds)
    w.ext = set()
    _MAKERS[kind](w, rec)
    return w.groups, tuple(sorted(w.ext))


def _source(w: _Writer, s: Any) -> None:
    node = _iri("source", s.id)
    add = w.add
    w.common(node, s, dg.SourceDocument)
    add(node, dg.publisher, s.publisher)
    add(node, dg.sourceKind, s.type)
    add(node, dg.fileName, s.file)


def _org(w: _Writer, o: Any) -> None:
    node = _iri("org", o.id)
    add = w.add
    w.common(node, o, dg.Organization)
    w.curation(node, "org", o)
    for f in o.former_names:
        add(node, dg.formerName, f)
    add(node, dg.headquarters, _in(PLACE, o.country) if o.country else None)
    add(node, dg.organizationKind, _in(KIND, o.type))
    add(node, dg.isMultinational, o.multinational)
    add(node, dg.subsidiaryOf, _iri("org", o.subsidiary_of) if o.subsidiary_of else None)
    for f in o.formed_by:
        add(node, dg.formedBy, _iri("org", f))
    for st in o.stakes:
        sn = _iri("org", o.id, "stake", st.org)
        add(node, dg.stakes, sn)
        add(sn, rdf_type, dg.EquityStake)
        add(sn, dg.stakeIn, _iri("org", st.org))
        add(sn, dg.percent, _dec(st.percent))
        w.cite(sn, st.sources or o.sources)


def _asset(w: _Writer, a: Any) -> None:
    node = _iri("asset", a.id)
    add, v = w.add, w.v
    w.common(node, a, dg.Asset)
    w.curation(node, "asset", a)
    add(node, rdf_type, v.asset_kinds[a.type].iri)
    add(node, dg.assetKind, a.type)
    for c in a.codes:
        add(node, dg.codeName, c)
    add(node, dg.modality, _in(MODALITY, a.modality))
    add(node, dg.targetOrMechanism, a.target)
    add(node, dg.indication, a.indication)
    add(node, dg.stage, _in(STAGE, a.stage))
    add(node, dg.originator, _iri("org", a.originator) if a.originator else None)


def _deal(w: _Writer, d: Any) -> None:
    node = _iri("deal", d.id)
    add, v, ext = w.add, w.v, w.ext
    w.common(node, d, dg.Deal)
    w.curation(node, "deal", d)
    add(node, rdf_type, v.deal_types[d.type].iri)
    add(node, dg.dealType, d.type)
    for role, orgs in d.parties.items():
        for o in orgs:
            p = _iri("deal", d.id, "party", role, o)
            org = _iri("org", o)
            add(node, dg.hasParticipation, p)
            add(p, rdf_type, dg.Participation)
            add(p, dg.playedBy, org)
            add(p, dg.role, v.roles[role].iri)
            w.cite(p, d.sources)
            add(node, dg.party, org)
            for n, m in enumerate(d.contributions.get(o, []), 1):
                c = _IRI(f"{p[:-1]}/contribution/{n}>")
                add(p, dg.contribution, c)
                w.money(c, "contribution", m, dg.Contribution, d.sources)
            if role in ("licensor", "licensee"):
                add(node, dg.hasLicensor if role == "licensor" else dg.hasLicensee, org)
            add(org, rdf_type, v.role_classes[role])  # the role played, as a class of the organization
            if ext is not None:
                ext.add((org, v.role_classes[role]))
    for o, pct in {s.org: s.percent for s in d.cost_split}.items():
        cs = _iri("deal", d.id, "cost", o)
        add(node, dg.costShare, cs)
        add(cs, rdf_type, dg.CostShare)
        add(cs, dg.shareOf, _iri("org", o))
        add(cs, dg.percent, _dec(pct))
    for a in d.assets:
        add(node, dg.coversAsset, _iri("asset", a))
    add(node, dg.stageAtSigning, _in(STAGE, d.stage_at_signing) if d.stage_at_signing else None)
    for p in d.territory_include:
        add(node, dg.territoryIncluded, _in(PLACE, p))
    for p in d.territory_exclude:
        add(node, dg.territoryExcluded, _in(PLACE, p))
    add(node, dg.status, _in(STATUS, d.status))
    add(node, dg.royalties, d.royalties)
    w.terms(node, d.terms, d.sources)
    w.disputes(node, d)
    if d.type == "acquisition":
        for t in d.parties.get("target", []):
            for acq in d.parties.get("acquirer", []):
                add(_iri("org", t), dg.acquiredBy, _iri("org", acq))
                if ext is not None:
                    ext.add((_iri("org", t), f"{dg.acquiredBy} {_iri('org', acq)}"))


def _event(w: _Writer, e: Any) -> None:
    node = _iri("event", e.id)
    add, v = w.add, w.v
    w.common(node, e, dg.Event)
    add(node, rdf_type, v.event_types[e.type].iri)
    add(node, dg.eventType, e.type)
    add(node, dg.concernsDeal, _iri("deal", e.deal) if e.deal else None)
    for a in e.assets:
        add(node, dg.concernsAsset, _iri("asset", a))
    for o in e.orgs:
        add(node, dg.involves, _iri("org", o))
    add(node, dg.agency, _iri("org", e.agency) if e.agency else None)
    add(node, dg.eventCountry, _in(PLACE, e.country) if e.country else None)
    add(node, dg.indication, e.indication)
    add(node, dg.rightsReturned, e.returned)
    w.terms(node, e.terms, e.sources)
    w.disputes(node, e)


def _stat(w: _Writer, s: Any) -> None:
    node = _iri("stat", s.id)
    add = w.add
    w.common(node, s, dg.MarketStatistic)
    add(node, dg.measure, s.measure)
    add(node, dg.period, s.period)
    add(node, dg.statValue, _dec(s.number))
    add(node, dg.valueAsWritten, s.written)
    add(node, dg.unit, _in(UNIT, s.unit))
    add(node, dg.qualifier, _in(QUAL, (s.money[0].qualifier if s.money else s.qualifier)))
    if s.money:
        add(node, dg.currency, _in(CURRENCY, s.money[0].currency))
    add(node, dg.publishedBy, _iri("org", s.provider) if s.provider else None)


_MAKERS = {"sources": _source, "organizations": _org, "assets": _asset, "deals": _deal, "events": _event,
           "statistics": _stat}
