"""The ontology loads, the built graph conforms to the SHACL shapes, broken graphs fail with readable messages."""
from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef

from graph.ingest.loading import load_seeds
from graph.models.ontology import DG, ONTOLOGY_DIR, PROV
from graph.rdf.triples import iri, to_rdf
from graph.rdf.shacl import validate_graph

from .support import FIXTURE, SEEDS


def test_ontology_and_shapes_parse():
    g = Graph().parse(ONTOLOGY_DIR / "dealgraph.ttl")
    assert (DG.Deal, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    assert len(shapes) > 100


def test_fixture_and_shipped_seeds_conform():
    assert validate_graph(to_rdf(load_seeds(FIXTURE))) == []
    assert validate_graph(to_rdf(load_seeds(SEEDS))) == []


def _messages(g: Graph) -> set[str]:
    return {str(v) for v in validate_graph(g)}


def test_missing_name_and_provenance_are_reported():
    g = to_rdf(load_seeds(FIXTURE))
    org = iri("org", "acme")
    g.remove((org, DG.name, None))
    g.remove((org, PROV.wasDerivedFrom, None))
    msgs = _messages(g)
    assert "dgid:org/acme dg:name: an organization needs exactly one canonical name" in msgs
    assert ("dgid:org/acme prov:wasDerivedFrom: every statement must cite at least one source line "
            "(prov:wasDerivedFrom a dg:Citation)") in msgs


def test_bad_values_are_reported():
    g = to_rdf(load_seeds(FIXTURE))
    stake = iri("org", "initech", "stake", "acme")
    g.set((stake, DG.percent, Literal(140)))
    term = URIRef(f"{iri('deal', '2025-03-acme-globex')}/term/upfront/1")
    g.remove((term, DG.currency, None))
    g.set((iri("asset", "ab-101"), DG.modality, URIRef("https://w3id.org/dealgraph/modality/nanobot")))
    msgs = _messages(g)
    assert "dgid:org/initech/stake/acme dg:percent: a percentage is one number from 0 to 100" in msgs
    assert "dgid:deal/2025-03-acme-globex/term/upfront/1 : a disclosed amount needs dg:amount and dg:currency" in msgs
    assert "dgid:asset/ab-101 dg:modality: an asset has exactly one modality from the modality scheme" in msgs


def test_role_classes_are_materialised():
    g = to_rdf(load_seeds(FIXTURE))
    assert (iri("org", "acme"), RDF.type, DG.Licensor) in g
    assert (iri("org", "globex"), RDF.type, DG.Licensee) in g
    q = """SELECT ?o WHERE { ?p a dg:Participation ; dg:role dg:licensor ; dg:playedBy ?o }"""
    assert [str(r.o) for r in g.query(q, initNs={"dg": DG})] == [str(iri("org", "acme"))]
