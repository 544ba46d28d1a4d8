"""graph.ttl and graph.jsonld hold exactly the graph's triples, parse back with two libraries, and are
byte-identical across builds; the fast triple walk gives the same graph as rdflib terms would."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.pipeline.build import build
from graph.ingest.loading import load_seeds
from graph.rdf.ntriples import Triples, term
from graph.rdf.triples import rdf_triples, to_rdf
from graph.rdf.serialize import jsonld, turtle

from .support import FIXTURE, SEEDS


def _nt_set(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    return set(ox.serialize(ox.parse(data, format=fmt), format=ox.RdfFormat.N_TRIPLES).decode().splitlines())


def test_turtle_and_jsonld_parse_back_to_the_same_triples():
    triples = rdf_triples(load_seeds(SEEDS))
    want = set(triples.ntriples().splitlines())
    assert len(want) == len(triples) > 5000
    ttl, js = turtle(triples), jsonld(triples)
    # Oxigraph reads both back to the very same canonical N-Triples lines ...
    assert _nt_set(ttl.encode(), ox.RdfFormat.TURTLE) == want
    assert _nt_set(js.encode(), ox.RdfFormat.JSON_LD) == want
    # ... and rdflib to the same graph
    graph = triples.to_graph()
    assert set(Graph().parse(data=ttl, format="turtle")) == set(graph)
    assert set(Graph().parse(data=js, format="json-ld")) == set(graph)


def test_turtle_is_readable_with_prefixes():
    text = turtle(rdf_triples(load_seeds(FIXTURE)))
    assert "@prefix dg: <https://w3id.org/dealgraph/ontology#> ." in text
    assert "<https://w3id.org/dealgraph/id/org/acme> a dg:Licensor , dg:Organization ;\n    prov:wasDerivedFrom" in text
    assert "\\/" not in text  # no escaped slashes in names


def test_escapes_and_datatypes_survive():
    s = "<https://w3id.org/dealgraph/id/org/x>"
    odd = 'a "quoted"\\ name\nover two lines\t— with ü and \x01'
    rows = [(s, "<https://w3id.org/dealgraph/ontology#name>", term(odd)),
            (s, "<https://w3id.org/dealgraph/ontology#percent>", term(Literal("12.50", datatype=XSD.decimal))),
            (s, "<https://w3id.org/dealgraph/ontology#note>", term(Literal("chat", lang="fr")))]
    triples = Triples.of(rows)
    want = {(URIRef(s[1:-1]), URIRef(p[1:-1]), o) for (_, p, _), o in
            zip(rows, (Literal(odd), Literal("12.50", datatype=XSD.decimal), Literal("chat", lang="fr")))}
    assert set(triples.to_graph()) == want
    assert set(Graph().parse(data=turtle(triples), format="turtle")) == want
    assert set(Graph().parse(data=jsonld(triples), format="json-ld")) == want


def test_to_rdf_is_the_same_graph_as_the_triples():
    ds = load_seeds(FIXTURE)
    g = to_rdf(ds)
    assert len(g) == len(rdf_triples(ds))
    assert (URIRef("https://w3id.org/dealgraph/id/org/acme"), URIRef("https://w3id.org/dealgraph/ontology#name"),
            Literal("Acme Bio")) in g


def test_two_builds_write_byte_identical_rdf(tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        build(FIXTURE, out, store=None, analyses=False, quiet=True)
    for name in ("graph.ttl", "graph.jsonld"):
        first, second = ((o / name).read_bytes() for o in outs)
        assert first == second and len(first) > 1000, name
