"""The same graph in LadybugDB and in Neo4j answers the same Cypher with the same values."""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest

from graph.ingest.loading import load_seeds
from graph.stores.property_graph import schema, to_property_graph
from graph.stores.ladybug import LadybugStore
from graph.stores.neo4j import Neo4jStore
from graph.ingest.synth import synthetic_dataset

ROOT = Path(__file__).resolve().parents[1]


def _neo4j(uri: str) -> Neo4jStore:
    if os.environ.get("NEO4J_URI"):
        return Neo4jStore(uri, user=os.environ.get("NEO4J_USER"), password=os.environ.get("NEO4J_PASSWORD"))
    return Neo4jStore(uri)


@pytest.fixture(scope="module", params=["seeds", "synthetic"])
def stores(request, neo4j_uri, tmp_path_factory):
    """(graph, LadybugDB store, Neo4j store), both loaded with the seed graph or a 500-deal synthetic one."""
    pg = to_property_graph(load_seeds(ROOT / "seeds") if request.param == "seeds" else synthetic_dataset(500, seed=11))
    lb = LadybugStore(tmp_path_factory.mktemp("equiv") / "graph.lbdb")
    lb.load(pg)
    nj = _neo4j(neo4j_uri)
    nj.clear()
    nj.load(pg)
    yield pg, lb, nj
    lb.close()
    nj.close()


def norm(v: Any) -> Any:
    """One spelling for values the two engines return differently but mean the same:
    integral floats vs ints, tuples vs lists; NaN never occurs in the graph."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, float):
        assert not math.isnan(v)
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x) for k, x in sorted(v.items())}
    return v


def rows(store, cypher: str, params: dict[str, Any] | None = None) -> list[tuple]:
    """Query rows as sorted tuples of normalised values."""
    out = [tuple(repr(norm(v)) for v in r.values()) for r in store.query(cypher, params)]
    return sorted(out)


def test_same_counts_per_label_and_type(stores):
    pg, lb, nj = stores
    expected = {**{k: len(pg.nodes.get(k, [])) for k in schema().nodes},
                **{k: len(pg.rels.get(k, [])) for k in schema().rels}}
    assert lb.counts() == expected
    assert nj.counts() == expected


@pytest.mark.parametrize("label", list(schema().nodes))
def test_every_node_property_is_the_same(stores, label):
    pg, lb, nj = stores
    props = [p for p, _ in schema().nodes[label]]
    cypher = f"MATCH (n:{label}) RETURN " + ", ".join(f"n.{p} AS {p}" for p in props) + " ORDER BY id"
    a, b = lb.query(cypher), nj.query(cypher)
    assert len(a) == len(pg.nodes.get(label, []))
    assert [norm(r) for r in a] == [norm(r) for r in b]
    # and both equal the graph that was loaded
    assert [norm(r) for r in a] == [norm({p: row.get(p) for p in props}) for row in sorted(pg.nodes.get(label, []),
                                                                                          key=lambda r: r["id"])]


@pytest.mark.parametrize("rtype", list(schema().rels))
def test_every_relationship_is_the_same(stores, rtype):
    pg, lb, nj = stores
    rs = schema().rels[rtype]
    props = [p for p, _ in rs.props]
    for a, b in rs.ends:
        cypher = (f"MATCH (a:{a})-[r:{rtype}]->(b:{b}) RETURN a.id AS src, b.id AS dst"
                  + "".join(f", r.{p} AS {p}" for p in props))
        got_lb, got_nj = rows(lb, cypher), rows(nj, cypher)
        assert got_lb == got_nj
        want = sorted(tuple(repr(norm(v)) for v in (r["from"], r["to"], *(r.get(p) for p in props)))
                      for r in pg.rels.get(rtype, []) if (r["from_label"], r["to_label"]) == (a, b))
        assert got_lb == want


QUERIES = [
    # deals per licensee with their disclosed upfront total (coalesce: see test_sum_of_nothing_differs)
    ("MATCH (o:Organization)-[p:PARTY_TO]->(d:Deal) WHERE p.role = $role "
     "RETURN o.id AS org, count(d) AS deals, sum(coalesce(d.upfront_usd, 0.0)) AS upfront", {"role": "licensee"}),
    # assets by modality family through the SKOS hierarchy (variable-length path)
    ("MATCH (a:Asset)-[:HAS_MODALITY]->(m:Modality)-[:BROADER*0..5]->(top:Modality) WHERE top.id = $family "
     "RETURN a.id AS asset, m.id AS modality", {"family": "antibody"}),
    # licensors by headquarters country, via the place hierarchy
    ("MATCH (o:Organization)-[:HEADQUARTERED_IN]->(c:Place) WHERE c.id IN $countries "
     "RETURN c.id AS country, count(o) AS orgs", {"countries": ["CN", "US", "GB"]}),
    # whole nodes come back as the same dict of properties
    ("MATCH (d:Deal)-[:COVERS]->(a:Asset) RETURN d.id AS deal, a AS asset", {}),
    # optional match, nulls and lists
    ("MATCH (e:Event) OPTIONAL MATCH (e)-[:CONCERNS]->(d:Deal) "
     "RETURN e.id AS event, d.id AS deal, e.sources AS sources", {}),
]


@pytest.mark.parametrize("cypher,params", QUERIES)
def test_the_same_cypher_gives_the_same_answers(stores, cypher, params):
    _, lb, nj = stores
    assert rows(lb, cypher, params) == rows(nj, cypher, params)


def test_sum_of_nothing_differs_between_the_engines(stores):
    """Known difference, for whoever writes portable Cypher: ``sum`` over only nulls is NULL in
    LadybugDB and 0 in Neo4j. Write ``sum(coalesce(x, 0.0))`` when the total of nothing should be 0."""
    _, lb, nj = stores
    q = "UNWIND [1, 2] AS i RETURN sum(CASE WHEN i > $n THEN 1.0 ELSE null END) AS s"
    assert lb.query(q, {"n": 5}) == [{"s": None}]
    assert nj.query(q, {"n": 5}) == [{"s": 0}]
