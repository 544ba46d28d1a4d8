"""LadybugDB store: schema from the ontology, COPY load, atomic rebuild, lock, read-only queries, analysis writes."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph.core.errors import DealgraphError
from graph.ingest.loading import load_seeds
from graph.stores.property_graph import PropertyGraph, schema, to_property_graph
from graph.stores import open_store
from graph.stores.base import QueryError, ReadOnlyViolation
from graph.stores.ladybug import LADYBUG_VERSION, LadybugStore, schema_ddl
from graph.ingest.synth import synthetic_dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_graph() -> PropertyGraph:
    return to_property_graph(load_seeds(ROOT / "seeds"))


@pytest.fixture(scope="module")
def synth_graph() -> PropertyGraph:
    return to_property_graph(synthetic_dataset(300, seed=3))


@pytest.fixture()
def store(tmp_path: Path, seed_graph: PropertyGraph):
    s = LadybugStore(tmp_path / "graph.lbdb")
    s.load(seed_graph)
    yield s
    s.close()


def _siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name and p.name != path.name + ".lock")


# ---------------------------------------------------------------------------------------------- schema and load
def test_schema_ddl_covers_every_label_and_relationship_pair():
    ddl = "\n".join(schema_ddl())
    for lbl in schema().nodes:
        assert f"CREATE NODE TABLE `{lbl}`(" in ddl
    for rtype, rs in schema().rels.items():
        line = next(s for s in schema_ddl() if s.startswith(f"CREATE REL TABLE `{rtype}`("))
        for a, b in rs.ends:
            assert f"FROM `{a}` TO `{b}`" in line
    # HAS_TERM and SOURCED_FROM join several pairs of labels
    assert len(schema().rels["HAS_TERM"].ends) == 2 and len(schema().rels["SOURCED_FROM"].ends) == 5


def test_load_creates_one_database_file_with_every_table(store: LadybugStore, seed_graph: PropertyGraph):
    assert store.path.is_file()
    assert _siblings(store.path) == []  # no write-ahead log or build leftovers
    tables = {r["name"]: r["type"] for r in store._execute_read("CALL show_tables() RETURN name, type")}
    assert {t for t, k in tables.items() if k == "NODE"} == set(schema().nodes)
    assert {t for t, k in tables.items() if k == "REL"} == set(schema().rels)
    assert store.counts() == {**{k: len(seed_graph.nodes[k]) for k in schema().nodes},
                              **{k: len(seed_graph.rels[k]) for k in schema().rels}}


def test_seed_facts_come_back_through_parameterised_queries(store: LadybugStore):
    rows = store.query("MATCH (o:Organization)-[p:PARTY_TO]->(d:Deal) WHERE d.id = $deal "
                       "RETURN o.id AS org, p.role AS role, d.upfront_usd AS upfront ORDER BY role",
                       {"deal": "2025-05-3sbio-pfizer"})
    assert rows == [{"org": "pfizer", "role": "licensee", "upfront": 1.25e9},
                    {"org": "3sbio", "role": "licensor", "upfront": 1.25e9}]
    hengrui = store.query("MATCH (o:Organization) WHERE list_contains(o.aliases, $alias) RETURN o",
                          {"alias": "Jiangsu Hengrui"})
    assert len(hengrui) == 1
    node = hengrui[0]["o"]
    assert node["id"] == "hengrui" and node["country"] == "CN" and "Hengrui" in node["aliases"]
    assert not any(k.startswith("_") for k in node)  # a node comes back as its properties only
    # a value with quotes is data, never Cypher
    assert store.query("MATCH (o:Organization) WHERE o.name = $n RETURN o.id", {"n": "x' OR 1=1 //"}) == []


def test_relationship_tables_with_several_label_pairs_hold_each_pair(store: LadybugStore, seed_graph):
    by_pair = {}
    for r in seed_graph.rels["HAS_TERM"]:
        by_pair[(r["from_label"], r["to_label"])] = by_pair.get((r["from_label"], r["to_label"]), 0) + 1
    assert by_pair[("Event", "Term")] >= 1 and by_pair[("Deal", "Term")] >= 1
    for (a, b), n in by_pair.items():
        got = store.query(f"MATCH (:{a})-[r:HAS_TERM]->(:{b}) RETURN count(r) AS n")[0]["n"]
        assert got == n
    retained = store.query("MATCH (e:Event)-[:HAS_TERM {kind: $k}]->(t:Term) RETURN e.id AS e, t.usd AS usd",
                           {"k": "retained"})
    assert {"e": "immuneonco-axion-termination", "usd": 35e6} in retained


def test_paths_come_back_as_nodes_and_relationships(store: LadybugStore):
    rows = store.query("MATCH p = (:Organization {id: $o})-[:PARTY_TO]->(:Deal) RETURN p", {"o": "3sbio"})
    assert rows
    p = rows[0]["p"]
    assert [n["id"] for n in p["nodes"]] == ["3sbio", "2025-05-3sbio-pfizer"]
    assert p["relationships"][0]["role"] == "licensor"


def test_loading_twice_gives_the_same_answers(store: LadybugStore, seed_graph):
    q = "MATCH (d:Deal) RETURN d.id AS id, d.total_usd AS total, d.sources AS s ORDER BY id"
    before = store.query(q)
    store.load(seed_graph)
    assert store.query(q) == before
    assert store.counts()["Deal"] == len(seed_graph.nodes["Deal"])


def test_reload_replaces_the_graph(store: LadybugStore, synth_graph, seed_graph):
    store.load(synth_graph)
    assert store.counts()["Deal"] == 300
    assert store.query("MATCH (o:Organization {id: $id}) RETURN o.id", {"id": "hengrui"}) == []
    store.load(seed_graph)
    assert store.counts()["Deal"] == len(seed_graph.nodes["Deal"])


def test_open_store_defaults_to_ladybug(tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    s = open_store(path=tmp_path / "g.lbdb")
    assert isinstance(s, LadybugStore) and s.path == tmp_path / "g.lbdb"


def test_the_neo4j_driver_is_imported_only_for_neo4j(tmp_path):
    code = ("import sys\nfrom graph.stores import open_store\n"
            f"s = open_store(path={str(tmp_path / 'g.lbdb')!r})\n"
            "print(type(s).__name__, 'neo4j' in sys.modules)\n")
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["LadybugStore", "False"], out.stderr


# ---------------------------------------------------------------------------------------------- failures
def test_a_crash_mid_load_leaves_the_previous_database(store: LadybugStore, synth_graph, seed_graph):
    def crash(msg: str) -> None:
        if msg.startswith("PARTY_TO"):
            raise RuntimeError("simulated crash")

    with pytest.raises(RuntimeError, match="simulated crash"):
        store.load(synth_graph, progress=crash)
    assert store.counts()["Deal"] == len(seed_graph.nodes["Deal"])
    assert store.query("MATCH (o:Organization {id: $id}) RETURN o.name AS n", {"id": "3sbio"}) == [{"n": "3SBio"}]
    assert _siblings(store.path) == []


def test_ctrl_c_mid_load_leaves_the_previous_database(store: LadybugStore, synth_graph, seed_graph):
    def interrupt(msg: str) -> None:
        if msg.startswith("Deal"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.load(synth_graph, progress=interrupt)
    assert store.counts()["Organization"] == len(seed_graph.nodes["Organization"])
    assert _siblings(store.path) == []


def test_a_killed_build_leaves_the_old_database_and_the_next_build_cleans_up(store, synth_graph, seed_graph):
    """A build killed with SIGKILL (no clean-up at all) leaves only a stray ``.building-*`` file."""
    code = textwrap.dedent(f"""
        import os, signal
        from graph.stores.ladybug import LadybugStore
        from graph.ingest.synth import synthetic_dataset
        from graph.stores.property_graph import to_property_graph
        def die(msg):
            if msg.startswith("COVERS"):
                os.kill(os.getpid(), signal.SIGKILL)
        LadybugStore({str(store.path)!r}).load(to_property_graph(synthetic_dataset(300, seed=3)), progress=die)
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr
    assert any(".building-" in n for n in _siblings(store.path))
    assert store.counts()["Deal"] == len(seed_graph.nodes["Deal"])
    store.load(synth_graph)
    assert _siblings(store.path) == []
    assert store.counts()["Deal"] == 300


def test_a_second_writer_fails_at_once(store: LadybugStore, seed_graph):
    holder = textwrap.dedent(f"""
        import sys, time
        from graph.stores.ladybug import LadybugStore
        with LadybugStore({str(store.path)!r})._write_lock():
            print("locked", flush=True)
            sys.stdin.readline()
    """)
    proc = subprocess.Popen([sys.executable, "-c", holder], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        t = time.perf_counter()
        with pytest.raises(DealgraphError, match=rf"being written by pid {proc.pid}"):
            store.load(seed_graph)
        with pytest.raises(DealgraphError, match="lock"):
            store.set_node_properties("Organization", [{"id": "gsk", "x": 1.0}], {"x": "DOUBLE"})
        assert time.perf_counter() - t < 2.0
        assert store.counts()["Deal"] == len(seed_graph.nodes["Deal"])  # readers are not blocked
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    store.load(seed_graph)  # lock released with the holder


def test_queries_cannot_write(store: LadybugStore):
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        store.query("CREATE (:Place {id: $id, name: $id})", {"id": "XX"})
    with pytest.raises(ReadOnlyViolation):
        store.query("MATCH (o:Organization) SET o.name = $n", {"n": "x"})
    with pytest.raises(ReadOnlyViolation):
        store.query("MATCH (o:Organization) DETACH DELETE o")
    assert store.query("MATCH (p:Place {id: $id}) RETURN p", {"id": "XX"}) == []
    assert store.query("MATCH (o:Organization {id: $id}) RETURN o.name AS n", {"id": "gsk"}) == [{"n": "GSK"}]


def test_bad_queries_name_the_problem(store: LadybugStore, tmp_path):
    with pytest.raises(QueryError, match="Nope"):
        store.query("MATCH (n:Nope) RETURN n")
    with pytest.raises(ReadOnlyViolation, match="several statements"):
        store.query("MATCH (n:Deal) RETURN n.id; MATCH (n:Deal) RETURN n.year")
    with pytest.raises(DealgraphError, match="dealgraph build"):
        LadybugStore(tmp_path / "missing.lbdb").query("MATCH (n:Deal) RETURN n")


def test_a_graph_the_database_would_reject_is_refused_before_writing(store: LadybugStore, seed_graph):
    broken = PropertyGraph({k: list(v) for k, v in seed_graph.nodes.items()},
                           {k: list(v) for k, v in seed_graph.rels.items()})
    broken.rels["COVERS"] = [*broken.rels["COVERS"], {"from": "2025-05-3sbio-pfizer", "to": "no-such-asset",
                                                      "from_label": "Deal", "to_label": "Asset", "sources": []}]
    broken.nodes["Place"] = [*broken.nodes["Place"], broken.nodes["Place"][0]]
    with pytest.raises(DealgraphError) as err:
        store.load(broken)
    assert "no-such-asset" in str(err.value) and f"Place id '{broken.nodes['Place'][0]['id']}' appears twice" \
        in str(err.value)
    assert store.counts()["COVERS"] == len(seed_graph.rels["COVERS"])


def test_an_unrelated_ladybug_module_is_reported_with_what_to_install(tmp_path):
    fake = tmp_path / "shadow" / "ladybug"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('"""ladybug-tools: environmental design (not a database)."""\n')
    env = {**os.environ, "PYTHONPATH": f"{fake.parent}{os.pathsep}{ROOT}"}
    code = ("from graph.stores.ladybug import LadybugStore\n"
            "try:\n    LadybugStore('x.lbdb')\nexcept Exception as e:\n    print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60).stdout
    assert out.startswith("DealgraphError the installed 'ladybug' module is not LadybugDB")
    assert f"pip install ladybug=={LADYBUG_VERSION}" in out


# ---------------------------------------------------------------------------------------------- analysis writes
def test_set_node_properties_adds_columns_and_sets_values(store: LadybugStore, tmp_path):
    store.set_node_properties("Organization",
                              [{"id": "hengrui", "degree": 3, "rank": 1}, {"id": "gsk", "degree": 0.5, "rank": 2},
                               {"id": "not-a-node", "degree": 9.0, "rank": 3}],
                              {"degree": "DOUBLE", "rank": "INT64"})
    rows = store.query("MATCH (o:Organization) WHERE o.degree IS NOT NULL "
                       "RETURN o.id AS id, o.degree AS degree, o.rank AS rank ORDER BY id")
    assert rows == [{"id": "gsk", "degree": 0.5, "rank": 2}, {"id": "hengrui", "degree": 3.0, "rank": 1}]
    # again, with new values and a null: columns are not added twice, values replaced
    store.set_node_properties("Organization", [{"id": "gsk", "degree": None, "rank": 5}],
                              {"degree": "DOUBLE", "rank": "INT64"})
    again = LadybugStore(store.path)  # a fresh reader sees what was written
    assert again.query("MATCH (o:Organization {id: $id}) RETURN o.degree AS d, o.rank AS r", {"id": "gsk"}) == \
        [{"d": None, "r": 5}]
    again.close()
    store.set_node_properties("Deal", [{"id": "2025-05-3sbio-pfizer", "china_origin": True}],
                              {"china_origin": "BOOLEAN"})
    assert store.query("MATCH (d:Deal) WHERE d.china_origin RETURN d.id AS id") == [{"id": "2025-05-3sbio-pfizer"}]


def test_set_node_properties_refuses_bad_requests(store: LadybugStore):
    store.set_node_properties("Organization", [{"id": "gsk", "score": 1.0}], {"score": "DOUBLE"})
    with pytest.raises(DealgraphError, match="already holds DOUBLE"):
        store.set_node_properties("Organization", [{"id": "gsk", "score": "high"}], {"score": "STRING"})
    with pytest.raises(DealgraphError, match="unknown label"):
        store.set_node_properties("Company", [], {"score": "DOUBLE"})
    with pytest.raises(DealgraphError, match="cannot be a property name"):
        store.set_node_properties("Organization", [], {"x) DETACH DELETE n //": "DOUBLE"})
    with pytest.raises(DealgraphError, match="not one of"):
        store.set_node_properties("Organization", [], {"x": "MAP"})


# ---------------------------------------------------------------------------------------------- scale
def test_ten_thousand_synthetic_deals_load_in_full(tmp_path):
    pg = to_property_graph(synthetic_dataset(10_000, seed=1))
    s = LadybugStore(tmp_path / "big.lbdb")
    report = s.load(pg)
    assert report.nodes == pg.node_count() and report.relationships == pg.rel_count()
    assert s.counts() == {**{k: len(pg.nodes[k]) for k in schema().nodes},
                          **{k: len(pg.rels[k]) for k in schema().rels}}
    top = s.query("MATCH (o:Organization)-[:PARTY_TO {role: $r}]->(:Deal) RETURN o.id AS id, count(*) AS n "
                  "ORDER BY n DESC, id LIMIT 1", {"r": "licensee"})[0]
    assert top["n"] > 100  # power-law partner counts: one multinational in hundreds of deals
    s.close()
