"""Single breaks of the fixture graph, one for every kind of violation ontology/shapes.ttl can raise.

Each row of BREAKS is (change of an rdflib graph, focus node, path or None, constraint component), each on
its own node and path so that its violation is told apart. Used by tests/test_shacl_engines.py (both
engines find each) and tests/test_rdf_incremental.py (the check of changed nodes finds what the whole check finds).
"""
from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import XSD

from graph.models.ontology import DG, PROV
from graph.rdf.triples import iri

DEAL = iri("deal", "2025-03-acme-globex")
UPFRONT = URIRef(f"{DEAL}/term/upfront/1")
MILESTONES = URIRef(f"{DEAL}/term/milestones/1")
LICENSEE = URIRef(f"{DEAL}/party/licensee/globex")
LICENSOR = URIRef(f"{DEAL}/party/licensor/acme")
COST = URIRef(f"{DEAL}/cost/globex")
STAKE = iri("org", "initech", "stake", "acme")
EVENT = iri("event", "acme-globex-termination")
RETAINED = URIRef(f"{EVENT}/term/retained/1")
SOURCE = iri("source", "mini")
ASSET = iri("asset", "ab-101")
ACME, GLOBEX, INITECH = iri("org", "acme"), iri("org", "globex"), iri("org", "initech")
STAT_COUNT, STAT_VALUE = iri("stat", "mini-2025-count"), iri("stat", "mini-2025-value")
CITE = [URIRef(f"{SOURCE}#L{n}") for n in range(2, 7)]
NOWHERE = URIRef("https://w3id.org/dealgraph/nowhere/x")
CURATED = [iri("org", "globex", "curated", f) for f in ("country", "name", "note", "type", "aliases")]


def curated(node, subject=None):
    """A well-formed curated fact (optionally the only provenance of ``subject``)."""
    def change(g):
        g.add((node, RDF.type, DG.CuratedFact))
        g.add((node, DG.basis, Literal("common knowledge")))
        g.add((node, DG.aboutProperty, DG.headquarters))
        g.add((node, PROV.wasAttributedTo, DG.curators))
        if subject is not None:
            g.remove((subject, PROV.wasDerivedFrom, None))
            g.add((subject, PROV.wasDerivedFrom, node))
    return change


def then(*changes):
    return lambda g: [c(g) for c in changes]


def drop(s, p):
    return lambda g: g.remove((s, p, None))


def put(s, p, o):
    return lambda g: g.set((s, p, o))


def also(s, p, o):
    return lambda g: g.add((s, p, o))


def dec(x):
    return Literal(Decimal(x), datatype=XSD.decimal)


# (what breaks, focus, path or None, constraint component)
BREAKS = [
    (drop(CITE[0], DG.document), CITE[0], DG.document, "MinCountConstraintComponent"),
    (also(CITE[1], DG.line, Literal(99, datatype=XSD.positiveInteger)), CITE[1], DG.line, "MaxCountConstraintComponent"),
    (put(CITE[2], DG.document, ACME), CITE[2], DG.document, "ClassConstraintComponent"),
    (put(CITE[3], DG.line, Literal("four")), CITE[3], DG.line, "DatatypeConstraintComponent"),
    (drop(SOURCE, DG.title), SOURCE, DG.title, "MinCountConstraintComponent"),
    (put(SOURCE, DG.key, Literal("Not A Key")), SOURCE, DG.key, "PatternConstraintComponent"),
    (also(SOURCE, DG.fileName, Literal("other.md")), SOURCE, DG.fileName, "MaxCountConstraintComponent"),
    (drop(ACME, DG.name), ACME, DG.name, "MinCountConstraintComponent"),
    (drop(ACME, PROV.wasDerivedFrom), ACME, PROV.wasDerivedFrom, "MinCountConstraintComponent"),
    (put(ACME, DG.headquarters, DG.Deal), ACME, DG.headquarters, "ClassConstraintComponent"),
    (put(ACME, DG.organizationKind, NOWHERE), ACME, DG.organizationKind, "NodeConstraintComponent"),
    (put(ACME, DG.isMultinational, Literal("yes")), ACME, DG.isMultinational, "DatatypeConstraintComponent"),
    (also(GLOBEX, DG.name, Literal("Globex Two")), GLOBEX, DG.name, "MaxCountConstraintComponent"),
    (also(GLOBEX, DG.subsidiaryOf, ASSET), GLOBEX, DG.subsidiaryOf, "ClassConstraintComponent"),
    (also(GLOBEX, DG.formedBy, ASSET), GLOBEX, DG.formedBy, "ClassConstraintComponent"),
    (also(GLOBEX, DG.acquiredBy, ASSET), GLOBEX, DG.acquiredBy, "ClassConstraintComponent"),
    (drop(GLOBEX, DG.key), GLOBEX, DG.key, "MinCountConstraintComponent"),
    (also(INITECH, DG.stakes, DEAL), INITECH, DG.stakes, "ClassConstraintComponent"),
    (put(INITECH, DG.name, Literal(7)), INITECH, DG.name, "DatatypeConstraintComponent"),
    (drop(STAKE, DG.stakeIn), STAKE, DG.stakeIn, "MinCountConstraintComponent"),
    (put(STAKE, DG.percent, dec("140")), STAKE, DG.percent, "MaxInclusiveConstraintComponent"),
    (drop(STAKE, PROV.wasDerivedFrom), STAKE, PROV.wasDerivedFrom, "MinCountConstraintComponent"),
    (put(COST, DG.percent, dec("-5")), COST, DG.percent, "MinInclusiveConstraintComponent"),
    (drop(COST, DG.shareOf), COST, DG.shareOf, "MinCountConstraintComponent"),
    (drop(ASSET, DG.name), ASSET, DG.name, "MinCountConstraintComponent"),
    (put(ASSET, DG.modality, NOWHERE), ASSET, DG.modality, "ClassConstraintComponent"),
    (put(ASSET, DG.stage, NOWHERE), ASSET, DG.stage, "NodeConstraintComponent"),
    (also(ASSET, DG.originator, GLOBEX), ASSET, DG.originator, "MaxCountConstraintComponent"),
    (drop(DEAL, DG.dealType), DEAL, DG.dealType, "MinCountConstraintComponent"),
    (put(DEAL, DG.date, Literal("March 2025")), DEAL, DG.date, "OrConstraintComponent"),
    (also(DEAL, DG.hasParticipation, ACME), DEAL, DG.hasParticipation, "ClassConstraintComponent"),
    (also(DEAL, DG.coversAsset, ACME), DEAL, DG.coversAsset, "ClassConstraintComponent"),
    (also(DEAL, DG.territoryIncluded, Literal("China")), DEAL, DG.territoryIncluded, "ClassConstraintComponent"),
    (also(DEAL, DG.territoryExcluded, ACME), DEAL, DG.territoryExcluded, "ClassConstraintComponent"),
    (put(DEAL, DG.status, NOWHERE), DEAL, DG.status, "NodeConstraintComponent"),
    (also(DEAL, DG.hasTerm, ASSET), DEAL, DG.hasTerm, "ClassConstraintComponent"),
    (also(DEAL, DG.costShare, ACME), DEAL, DG.costShare, "ClassConstraintComponent"),
    (drop(LICENSEE, DG.playedBy), LICENSEE, DG.playedBy, "MinCountConstraintComponent"),
    (also(LICENSEE, DG.role, DG.licensor), LICENSEE, DG.role, "MaxCountConstraintComponent"),
    (put(LICENSOR, DG.role, ACME), LICENSOR, DG.role, "ClassConstraintComponent"),
    (drop(UPFRONT, DG.currency), UPFRONT, None, "SPARQLConstraintComponent"),
    (drop(UPFRONT, DG.termKind), UPFRONT, DG.termKind, "MinCountConstraintComponent"),
    (put(UPFRONT, DG.qualifier, NOWHERE), UPFRONT, DG.qualifier, "NodeConstraintComponent"),
    (put(MILESTONES, DG.amount, dec("-1")), MILESTONES, DG.amount, "MinInclusiveConstraintComponent"),
    (also(MILESTONES, DG.usdValue, dec("1")), MILESTONES, DG.usdValue, "MaxCountConstraintComponent"),
    (put(MILESTONES, DG.disclosure, NOWHERE), MILESTONES, DG.disclosure, "InConstraintComponent"),
    (lambda g: (g.set((RETAINED, DG.currency, URIRef("https://w3id.org/dealgraph/currency/CNY"))),
                g.set((RETAINED, DG.usdValue, dec("1"))), g.remove((RETAINED, DG.fxSource, None))),
     RETAINED, None, "SPARQLConstraintComponent"),
    (drop(EVENT, DG.eventType), EVENT, DG.eventType, "MinCountConstraintComponent"),
    (lambda g: [g.remove((EVENT, p, None)) for p in (DG.concernsDeal, DG.concernsAsset, DG.involves, DG.agency)],
     EVENT, None, "OrConstraintComponent"),
    (drop(STAT_COUNT, DG.measure), STAT_COUNT, DG.measure, "MinCountConstraintComponent"),
    (put(STAT_COUNT, DG.statValue, dec("-3")), STAT_COUNT, DG.statValue, "MinInclusiveConstraintComponent"),
    (also(STAT_COUNT, DG.period, Literal("2026")), STAT_COUNT, DG.period, "MaxCountConstraintComponent"),
    (drop(STAT_COUNT, DG.unit), STAT_COUNT, DG.unit, "MinCountConstraintComponent"),
    (also(STAT_COUNT, DG.publishedBy, ASSET), STAT_COUNT, DG.publishedBy, "ClassConstraintComponent"),
    (put(STAT_VALUE, DG.statValue, Literal("a lot")), STAT_VALUE, DG.statValue, "DatatypeConstraintComponent"),
    # provenance: a curated fact may stand beside citations, never alone, and is never a citation
    (curated(CURATED[0], subject=INITECH), INITECH, PROV.wasDerivedFrom, "QualifiedMinCountConstraintComponent"),
    (also(EVENT, PROV.wasDerivedFrom, ACME), EVENT, PROV.wasDerivedFrom, "OrConstraintComponent"),
    (then(curated(CURATED[1]), drop(CURATED[1], DG.basis)), CURATED[1], DG.basis, "MinCountConstraintComponent"),
    (then(curated(CURATED[2]), also(CURATED[2], DG.aboutProperty, DG.name)), CURATED[2], DG.aboutProperty,
     "MaxCountConstraintComponent"),
    (then(curated(CURATED[3]), put(CURATED[3], PROV.wasAttributedTo, ACME)), CURATED[3], PROV.wasAttributedTo,
     "HasValueConstraintComponent"),
    (then(curated(CURATED[4]), also(CURATED[4], RDF.type, DG.Citation)), CURATED[4], None, "NotConstraintComponent"),
    (put(iri("event", "acme-globex-termination"), DG.date, Literal("2025/20x")), EVENT, DG.date,
     "OrConstraintComponent"),
]
