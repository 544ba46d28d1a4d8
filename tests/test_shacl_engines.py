"""The fast SHACL engine (``shacl``, Rust) and pyshacl report the same violations, and a build reports
SHACL violations at seed file and line.

The fixture graph is broken in every way ontology/shapes.ttl forbids, one constraint per row of
BREAKS (each on its own node and path, so each row's violation is told apart). Both engines must
find every one of them and nothing else in common disagreement: the lists of (focus, path,
constraint component, message) are equal.
"""
from __future__ import annotations

import pytest
from rdflib import Graph

from graph.core.errors import SeedError
from graph.ingest.loading import load_seeds
from graph.models.ontology import DG
from graph.rdf.triples import rdf_triples
from graph.rdf.shacl import check_shapes, locate, short_name, validate_graph

from .shacl_breaks import ACME, BREAKS, UPFRONT
from .support import FIXTURE


def _short(term):
    return short_name(term) if term is not None else ""


@pytest.fixture(scope="module")
def broken() -> Graph:
    g = rdf_triples(load_seeds(FIXTURE)).to_graph()
    assert validate_graph(g) == [] == validate_graph(g, engine="pyshacl")
    for change, *_ in BREAKS:
        change(g)
    return g


def test_both_engines_report_the_same_violations(broken):
    fast, reference = validate_graph(broken), validate_graph(broken, engine="pyshacl")
    assert [(v.focus, v.path, v.component, v.message) for v in fast] == \
           [(v.focus, v.path, v.component, v.message) for v in reference]


@pytest.mark.parametrize("row", range(len(BREAKS)))
def test_every_constraint_is_enforced(broken, row):
    _, focus, path, component = BREAKS[row]
    found = {(v.focus, v.path, v.component) for v in validate_graph(broken)}
    assert (_short(focus), _short(path), component) in found


def test_unbroken_shipped_seeds_conform_on_both_engines():
    from .support import SEEDS

    g = rdf_triples(load_seeds(SEEDS)).to_graph()
    assert validate_graph(g) == [] == validate_graph(g, engine="pyshacl")


def test_a_violation_is_reported_at_seed_file_line_and_field():
    ds = load_seeds(FIXTURE)
    g = rdf_triples(ds).to_graph()
    g.remove((UPFRONT, DG.currency, None))
    g.set((ACME, DG.headquarters, DG.Deal))
    problems = {str(locate(v, ds)) for v in validate_graph(g)}
    deal, acme = ds.origins[("deals", "2025-03-acme-globex")], ds.origins[("organizations", "acme")]
    assert deal.file.endswith("deals.yaml") and acme.file.endswith("organizations.yaml")
    assert (f"{deal.file}:{deal.line}: terms.upfront: a disclosed amount needs dg:amount and dg:currency "
            f"(SHACL SPARQLConstraintComponent on dgid:deal/2025-03-acme-globex/term/upfront/1)") in problems
    assert (f"{acme.file}:{acme.line}: country: headquarters is one ISO 3166-1 country "
            f"(SHACL ClassConstraintComponent on dgid:org/acme)") in problems


def test_check_shapes_raises_a_seed_error_and_passes_a_valid_graph():
    ds = load_seeds(FIXTURE)
    triples = rdf_triples(ds)
    check_shapes(triples, ds)  # valid: no error
    from graph.rdf.ntriples import Triples

    broken = Triples.of(t for t in triples if not (t[0] == f"<{ACME}>" and t[1] == f"<{DG.name}>"))
    with pytest.raises(SeedError) as err:
        check_shapes(broken, ds)
    origin = ds.origins[("organizations", "acme")]
    assert [(p.file, p.line, p.field) for p in err.value.problems] == [(origin.file, origin.line, "name")]
