"""Where the ontology files are, their namespaces, and loading them with rdflib."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, Namespace

from ..core.resources import resource_dir

ONTOLOGY_DIR = resource_dir("ontology")
ONTOLOGY_FILES = ("dealgraph.ttl", "places.ttl")
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

DG = Namespace("https://w3id.org/dealgraph/ontology#")
ID = Namespace("https://w3id.org/dealgraph/id/")
PLACE = Namespace("https://w3id.org/dealgraph/place/")
CURRENCY = Namespace("https://w3id.org/dealgraph/currency/")
MODALITY = Namespace("https://w3id.org/dealgraph/modality/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


@cache
def ontology_graph() -> Graph:
    """The ontology and its reference data (places, currencies) as one rdflib graph.

    Cached: callers must not modify it (copy it first).
    """
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    bind_prefixes(g)
    return g


def bind_prefixes(g: Graph) -> None:
    for prefix, ns in (("dg", DG), ("dgid", ID), ("dgp", PLACE), ("dgc", CURRENCY), ("dgm", MODALITY),
                       ("prov", PROV), ("schema", SCHEMA), ("skos", SKOS)):
        g.bind(prefix, ns, override=True)
