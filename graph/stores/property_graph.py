"""The dataset as a property graph: labelled nodes and typed relationships.

This is what the stores load and what NetworkX analyses read. ``SCHEMA`` fixes
every label's properties and types (LadybugDB needs them up front) and every
relationship type's endpoints; names come from the ontology
(``vocabulary.label`` / ``vocabulary.rel``). Every node and relationship
carries ``sources``: the citations (``doc:line``) behind it, plus
``curated:<field>`` for each fact the curators supplied (never a document line).
Organizations and assets also carry ``curated`` (the curated fields),
``curation`` (``'<field>: <basis>'`` lines) and ``unknown`` (``'<field>: <reason>'``);
organizations ``country_source`` ('document', 'curated' or 'unknown') and
``country_basis``; assets ``modality_source``; deals ``date_source`` and the same
``curated``/``curation``/``unknown`` lists (a deal's date can be curated).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Iterator

from ..models.dataset import Dataset
from ..models import Money
from ..models.facts import CURATED_DOC, curated_cites
from ..models.vocabulary import label, rel, vocabulary

STRING, INT, FLOAT, BOOL, STRINGS = "STRING", "INT64", "DOUBLE", "BOOLEAN", "STRING[]"

# Deal properties flattened from the preferred (first) claim of each term kind.
TERM_COLUMNS = ("usd", "qualifier", "disclosure")


@dataclass(frozen=True)
class RelSchema:
    type: str
    ends: tuple[tuple[str, str], ...]          # (from label, to label) pairs
    props: tuple[tuple[str, str], ...] = ()    # besides 'sources'


@dataclass(frozen=True)
class Schema:
    nodes: dict[str, tuple[tuple[str, str], ...]]  # label -> ((property, type), …); first is 'id'
    rels: dict[str, RelSchema]


@cache
def schema() -> Schema:
    """Labels, properties and relationship types of the property graph."""
    v = vocabulary()
    term_cols = tuple((f"{k}_{c}", FLOAT if c == "usd" else STRING) for k in v.term_kinds for c in TERM_COLUMNS)
    O, A, D, E, S, T, M, P, SRC = (label(x) for x in ("Organization", "Asset", "Deal", "Event", "MarketStatistic",
                                                       "FinancialTerm", "Modality", "Place", "SourceDocument"))
    src = (("sources", STRINGS),)
    cur = (("curated", STRINGS), ("curation", STRINGS), ("unknown", STRINGS))
    disp = (("disputed", STRINGS), ("disputes", STRINGS))
    when = (("date_precision", STRING), ("period", STRING), ("year_from", INT), ("year_to", INT))
    nodes = {
        O: (("id", STRING), ("name", STRING), ("aliases", STRINGS), ("former_names", STRINGS), ("country", STRING),
            ("kind", STRING), ("multinational", BOOL), ("note", STRING), ("country_source", STRING),
            ("country_basis", STRING)) + cur + src,
        A: (("id", STRING), ("name", STRING), ("type", STRING), ("codes", STRINGS), ("aliases", STRINGS),
            ("modality", STRING), ("modality_family", STRING), ("target", STRING), ("indication", STRING),
            ("stage", STRING), ("note", STRING), ("modality_source", STRING)) + cur + src,
        M: (("id", STRING), ("name", STRING), ("family", STRING)),
        D: (("id", STRING), ("type", STRING), ("title", STRING), ("date", STRING), ("year", INT)) + when + (("status", STRING),
            ("stage_at_signing", STRING), ("royalties", STRING), ("territory_include", STRINGS),
            ("territory_exclude", STRINGS), ("note", STRING), ("included_terms", STRINGS), ("date_source", STRING))
            + cur + disp + term_cols + src,
        T: (("id", STRING), ("kind", STRING), ("text", STRING), ("amount", FLOAT), ("currency", STRING),
            ("qualifier", STRING), ("disclosure", STRING), ("usd", FLOAT), ("fx_rate", FLOAT),
            ("includes", STRINGS)) + src,
        E: (("id", STRING), ("type", STRING), ("title", STRING), ("date", STRING), ("year", INT)) + when + (("indication", STRING),
            ("returned", STRING), ("note", STRING)) + disp + src,
        S: (("id", STRING), ("measure", STRING), ("period", STRING), ("value", FLOAT), ("unit", STRING),
            ("currency", STRING), ("qualifier", STRING), ("written", STRING), ("note", STRING)) + src,
        SRC: (("id", STRING), ("title", STRING), ("publisher", STRING), ("date", STRING), ("type", STRING),
              ("file", STRING)),
        P: (("id", STRING), ("name", STRING), ("kind", STRING)),
    }
    R = RelSchema
    rels = [
        R(rel("Participation"), ((O, D),), (("role", STRING), ("cost_share", FLOAT), ("contribution_usd", FLOAT),
                                            ("contribution_text", STRING))),
        R(rel("coversAsset"), ((D, A),)),
        R(rel("modality"), ((A, M),)),
        R(rel("broader"), ((M, M),)),
        R(rel("originator"), ((A, O),)),
        R(rel("subsidiaryOf"), ((O, O),)),
        R(rel("formedBy"), ((O, O),)),
        R(rel("EquityStake"), ((O, O),), (("percent", FLOAT),)),
        R(rel("acquiredBy"), ((O, O),), (("deal", STRING), ("date", STRING), ("price_usd", FLOAT))),
        R(rel("headquarters"), ((O, P),)),
        R(rel("territoryIncluded"), ((D, P),)),
        R(rel("territoryExcluded"), ((D, P),)),
        R(rel("partOf"), ((P, P),)),
        R(rel("hasTerm"), ((D, T), (E, T)), (("kind", STRING),)),
        R(rel("concernsDeal"), ((E, D),)),
        R(rel("concernsAsset"), ((E, A),)),
        R(rel("involves"), ((E, O),), (("role", STRING),)),
        R(rel("eventCountry"), ((E, P),)),
        R(rel("publishedBy"), ((S, O),)),
        R(rel("wasDerivedFrom"), ((O, SRC), (A, SRC), (D, SRC), (E, SRC), (S, SRC)), (("line", INT),)),
    ]
    return Schema(nodes, {r.type: R(r.type, r.ends, r.props + src) for r in rels})


@dataclass
class PropertyGraph:
    """Nodes by label (rows of properties, 'id' unique per label) and relationships by type.

    A relationship row holds ``from``/``to`` ids, ``from_label``/``to_label`` and its properties.
    """

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {**{k: len(v) for k, v in sorted(self.nodes.items())}, **{k: len(v) for k, v in sorted(self.rels.items())}}

    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    def rel_count(self) -> int:
        return sum(len(v) for v in self.rels.values())

    def iter_rels(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for t, rows in self.rels.items():
            for r in rows:
                yield t, r


def _num(x: Decimal | None) -> float | None:
    return float(x) if x is not None else None


def _cites(cites: list[Any]) -> list[str]:
    return sorted({str(c) for c in cites})


class _Builder:
    def __init__(self) -> None:
        sch = schema()
        self.g = PropertyGraph({lbl: [] for lbl in sch.nodes}, {t: [] for t in sch.rels})
        self._ids: dict[str, set[str]] = {lbl: set() for lbl in sch.nodes}
        self._cols = {lbl: [p for p, _ in props] for lbl, props in sch.nodes.items()}

    def node(self, lbl: str, **props: Any) -> None:
        if props["id"] in self._ids[lbl]:
            return
        self._ids[lbl].add(props["id"])
        cols = self._cols[lbl]
        unknown = set(props) - set(cols)
        if unknown:
            raise KeyError(f"{lbl} has no properties {sorted(unknown)} in the schema")
        self.g.nodes[lbl].append({c: props.get(c) for c in cols})

    def edge(self, typ: str, src: tuple[str, str], dst: tuple[str, str], sources: list[Any], **props: Any) -> None:
        row = {"from": src[1], "to": dst[1], "from_label": src[0], "to_label": dst[0], **props,
               "sources": _cites(sources)}
        self.g.rels[typ].append(row)


def curation_props(rec: Any) -> dict[str, Any]:
    """``curated``, ``curation`` and ``unknown`` properties of an organization or asset node.

    >>> from graph.models import Organization
    >>> gsk = Organization(id="gsk", name="GSK", type="pharma", country="GB", multinational=True,
    ...                    curated={"country": "London-based group"}, sources=["caixin-2026:51"])
    >>> curation_props(gsk)
    {'curated': ['country'], 'curation': ['country: London-based group'], 'unknown': []}
    """
    return {"curated": sorted(rec.curated), "curation": [f"{k}: {v}" for k, v in sorted(rec.curated.items())],
            "unknown": [f"{k}: {v}" for k, v in sorted(rec.unknown.items())]}


def fact_sources(rec: Any, field: str) -> list[Any]:
    """The sources of one fact of a record: ``['curated:<field>']`` when curated, else the record's citations."""
    return [f"{CURATED_DOC}:{field}"] if field in rec.curated else list(rec.sources)


def when_props(rec: Any) -> dict[str, Any]:
    """``date_precision``, ``period``, ``year_from`` and ``year_to`` of a deal or event node (``year`` is set
    only when the date lies in one year; a span of years sets only year_from and year_to).

    >>> from graph.models import Deal
    >>> d = Deal(id="x", type="licence", parties={"partner": "a"}, date="2022/2025", period="three years to CIIE 2025",
    ...          sources=["d:1"])
    >>> when_props(d), d.year
    ({'date_precision': 'years', 'period': 'three years to CIIE 2025', 'year_from': 2022, 'year_to': 2025}, None)
    """
    y0, y1 = rec.year_span
    return {"date_precision": rec.date_precision, "period": rec.period, "year_from": y0, "year_to": y1}


def dispute_props(rec: Any) -> dict[str, Any]:
    """``disputed`` (the fields sources disagree on) and ``disputes`` (one line per field, each version with
    its sources) of a deal or event node.

    >>> from graph.models import Deal
    >>> d = Deal(id="x", type="licence", parties={"licensor": "a"}, territory_exclude=["CN"], sources=["d:1"],
    ...          disputes={"territory_exclude": [{"value": ["CN"], "sources": ["d:1"]}, {"value": [], "sources": ["d:2"]}]})
    >>> dispute_props(d)
    {'disputed': ['territory_exclude'], 'disputes': ['territory_exclude: CN (d:1) vs (none) (d:2)']}
    """
    return {"disputed": sorted(rec.disputes),
            "disputes": [f"{f}: " + " vs ".join(f"{a.text()} ({', '.join(map(str, a.sources))})" for a in alts)
                         for f, alts in sorted(rec.disputes.items())]}


def _term_columns(terms: dict[str, list[Money]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, claims in terms.items():
        first = claims[0]
        out[f"{kind}_usd"] = _num(first.usd) if first.disclosed else None
        out[f"{kind}_qualifier"] = first.qualifier if first.disclosed else None
        out[f"{kind}_disclosure"] = first.disclosure
    return out


def to_property_graph(ds: Dataset) -> PropertyGraph:
    """Turn a validated dataset into nodes and relationships (deterministic order).

    The graph is the union of every record's part (``record_graph``), the modalities of the vocabulary
    with their ``broader`` links, and the places the records use with the regions above them
    (``place_graph``).
    """
    v = vocabulary()
    b = _Builder()
    M = label("Modality")
    for key, m in v.modalities.items():
        b.node(M, id=key, name=m.label, family=v.modality_family(key))
        for up in m.broader:
            b.edge(rel("broader"), (M, key), (M, up), [])
    places: set[str] = set()
    for kind in ds.KINDS:
        emit = _EMITTERS[kind]
        for rec in ds.table(kind).values():
            emit(b, rec, places)
    _places(b, places)
    return _sorted(b.g)


def record_graph(ds: Dataset, keys: "set[tuple[str, str]] | frozenset[tuple[str, str]]") -> PropertyGraph:
    """The part of ``to_property_graph(ds)`` that the records ``keys`` (``(kind, id)``, present in ``ds``) give:
    each record's node, its financial-term nodes and the relationships it owns (``patch.rel_owner``).

    The parts of all records, the modalities and the places make up the whole graph, and no two parts share a
    row (``tests/test_store_patch.py``). Example: ``record_graph(ds, {("deals", "d1")}).nodes["Deal"]``.
    """
    b = _Builder()
    for kind in ds.KINDS:
        emit, table = _EMITTERS[kind], ds.table(kind)
        for k, i in sorted(keys):
            if k == kind:
                emit(b, table[i], set())
    return _sorted(b.g)


def place_graph(places: set[str]) -> PropertyGraph:
    """The ``Place`` nodes of ``places`` and of every region above them, with their ``partOf`` links."""
    b = _Builder()
    _places(b, places)
    return _sorted(b.g)


def _places(b: _Builder, places: set[str]) -> None:
    v = vocabulary()
    P = label("Place")
    todo = sorted(places)
    seen: set[str] = set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        c = v.places[p]
        b.node(P, id=p, name=c.label, kind="country" if p in v.countries else "region")
        for up in c.broader:
            b.edge(rel("partOf"), (P, p), (P, up), [])
            todo.append(up)


def _sorted(g: PropertyGraph) -> PropertyGraph:
    for rows in g.nodes.values():
        rows.sort(key=lambda r: r["id"])
    for rows in g.rels.values():
        rows.sort(key=lambda r: (r["from"], r["to"], str(r.get("role") or r.get("kind") or "")))
    return g


def _cite_edges(b: _Builder, lbl: str, rec: Any) -> None:
    SRC = label("SourceDocument")
    for c in sorted({(c.doc, c.line) for c in rec.sources}):
        b.edge(rel("wasDerivedFrom"), (lbl, rec.id), (SRC, c[0]), [f"{c[0]}:{c[1]}"], line=c[1])


def _terms(b: _Builder, lbl: str, owner: str, terms: dict[str, list[Money]], fallback: list[Any]) -> None:
    T = label("FinancialTerm")
    for kind, claims in terms.items():
        for n, c in enumerate(claims, 1):
            tid = f"{owner}/{kind}/{n}"
            b.node(T, id=tid, kind=kind, text=c.text, amount=_num(c.amount), currency=c.currency,
                   qualifier=c.qualifier if c.disclosed else None, disclosure=c.disclosure, usd=_num(c.usd),
                   fx_rate=_num(c.fx_rate), includes=c.includes, sources=_cites(c.sources or fallback))
            b.edge(rel("hasTerm"), (lbl, owner), (T, tid), c.sources or fallback, kind=kind)


def _source(b: _Builder, s: Any, places: set[str]) -> None:
    b.node(label("SourceDocument"), id=s.id, title=s.title, publisher=s.publisher, date=s.date, type=s.type,
           file=s.file)


def _organization(b: _Builder, o: Any, places: set[str]) -> None:
    O, P = label("Organization"), label("Place")
    b.node(O, id=o.id, name=o.name, aliases=o.aliases, former_names=o.former_names, country=o.country,
           kind=o.type, multinational=o.multinational, note=o.note, country_source=o.provenance_of("country"),
           country_basis=o.curated.get("country") or o.unknown.get("country"), **curation_props(o),
           sources=_cites(o.sources) + curated_cites(o))
    _cite_edges(b, O, o)
    if o.country:
        places.add(o.country)
        b.edge(rel("headquarters"), (O, o.id), (P, o.country), fact_sources(o, "country"))
    if o.subsidiary_of:
        b.edge(rel("subsidiaryOf"), (O, o.id), (O, o.subsidiary_of), fact_sources(o, "subsidiary_of"))
    for f in o.formed_by:
        b.edge(rel("formedBy"), (O, o.id), (O, f), o.sources)
    for st in o.stakes:
        b.edge(rel("EquityStake"), (O, o.id), (O, st.org), st.sources or o.sources, percent=_num(st.percent))


def _asset(b: _Builder, a: Any, places: set[str]) -> None:
    v = vocabulary()
    A, O, M = label("Asset"), label("Organization"), label("Modality")
    b.node(A, id=a.id, name=a.name, type=a.type, codes=a.codes, aliases=a.aliases, modality=a.modality,
           modality_family=v.modality_family(a.modality), target=a.target, indication=a.indication,
           stage=a.stage, note=a.note, modality_source=a.provenance_of("modality"), **curation_props(a),
           sources=_cites(a.sources) + curated_cites(a))
    _cite_edges(b, A, a)
    b.edge(rel("modality"), (A, a.id), (M, a.modality), fact_sources(a, "modality"))
    if a.originator:
        b.edge(rel("originator"), (A, a.id), (O, a.originator), fact_sources(a, "originator"))


def _deal(b: _Builder, d: Any, places: set[str]) -> None:
    O, A, D, P = label("Organization"), label("Asset"), label("Deal"), label("Place")
    b.node(D, id=d.id, type=d.type, title=d.title, date=d.date, year=d.year, **when_props(d), status=d.status,
           stage_at_signing=d.stage_at_signing, royalties=d.royalties, territory_include=d.territory_include,
           territory_exclude=d.territory_exclude, note=d.note, included_terms=sorted(d.included_terms()),
           date_source=d.provenance_of("date") if d.date else None, **curation_props(d), **dispute_props(d),
           sources=_cites(d.sources) + curated_cites(d), **_term_columns(d.terms))
    _cite_edges(b, D, d)
    shares = {s.org: _num(s.percent) for s in d.cost_split}
    for role, orgs in d.parties.items():
        for o in orgs:
            share = d.contribution(o)
            b.edge(rel("Participation"), (O, o), (D, d.id), (share.sources if share else []) or d.sources,
                   role=role, cost_share=shares.get(o), contribution_usd=_num(share.usd) if share else None,
                   contribution_text=share.text if share else None)
    for a in d.assets:
        b.edge(rel("coversAsset"), (D, d.id), (A, a), d.sources)
    for p in d.territory_include:
        places.add(p)
        b.edge(rel("territoryIncluded"), (D, d.id), (P, p), d.sources)
    for p in d.territory_exclude:
        places.add(p)
        b.edge(rel("territoryExcluded"), (D, d.id), (P, p), d.sources)
    _terms(b, D, d.id, d.terms, d.sources)
    if d.type == "acquisition":
        price = d.terms.get("total", [None])[0]
        for t in d.parties.get("target", []):
            for acq in d.parties.get("acquirer", []):
                b.edge(rel("acquiredBy"), (O, t), (O, acq), d.sources, deal=d.id, date=d.date,
                       price_usd=_num(price.usd) if price is not None and price.disclosed else None)


def _event(b: _Builder, e: Any, places: set[str]) -> None:
    O, A, D, E, P = label("Organization"), label("Asset"), label("Deal"), label("Event"), label("Place")
    b.node(E, id=e.id, type=e.type, title=e.title, date=e.date, year=e.year, **when_props(e),
           indication=e.indication, returned=e.returned, note=e.note, **dispute_props(e), sources=_cites(e.sources))
    _cite_edges(b, E, e)
    if e.deal:
        b.edge(rel("concernsDeal"), (E, e.id), (D, e.deal), e.sources)
    for a in e.assets:
        b.edge(rel("concernsAsset"), (E, e.id), (A, a), e.sources)
    for o in e.orgs:
        b.edge(rel("involves"), (E, e.id), (O, o), e.sources, role="party")
    if e.agency:
        b.edge(rel("involves"), (E, e.id), (O, e.agency), e.sources, role="agency")
    if e.country:
        places.add(e.country)
        b.edge(rel("eventCountry"), (E, e.id), (P, e.country), e.sources)
    _terms(b, E, e.id, e.terms, e.sources)


def _statistic(b: _Builder, s: Any, places: set[str]) -> None:
    S, O = label("MarketStatistic"), label("Organization")
    first = s.money[0] if s.money else None
    b.node(S, id=s.id, measure=s.measure, period=s.period, value=_num(s.number), unit=s.unit,
           currency=first.currency if first else None, qualifier=first.qualifier if first else s.qualifier,
           written=s.written, note=s.note, sources=_cites(s.sources))
    _cite_edges(b, S, s)
    if s.provider:
        b.edge(rel("publishedBy"), (S, s.id), (O, s.provider), s.sources)


_EMITTERS = {"sources": _source, "organizations": _organization, "assets": _asset, "deals": _deal,
             "events": _event, "statistics": _statistic}
