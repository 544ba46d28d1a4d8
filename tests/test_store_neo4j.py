"""Neo4j store against a real Neo4j 5 server: idempotent batched load, convergence, read-only queries, secrets."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from graph.core.errors import DealgraphError
from graph.ingest.loading import load_seeds
from graph.stores.property_graph import PropertyGraph, schema, to_property_graph
from graph.stores import open_store
from graph.stores.base import QueryError, ReadOnlyViolation
from graph.stores.neo4j import Neo4jStore
from graph.ingest.synth import synthetic_dataset

ROOT = Path(__file__).resolve().parents[1]


def _auth_from_env() -> tuple[str | None, str | None]:
    return os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME"), os.environ.get("NEO4J_PASSWORD")


@pytest.fixture()
def store(neo4j_uri: str):
    user, password = _auth_from_env() if os.environ.get("NEO4J_URI") else (None, None)
    s = Neo4jStore(neo4j_uri, user=user, password=password, batch_size=200)
    s.clear()
    yield s
    s.close()


@pytest.fixture(scope="module")
def seed_graph() -> PropertyGraph:
    return to_property_graph(load_seeds(ROOT / "seeds"))


@pytest.fixture(scope="module")
def graph_a() -> PropertyGraph:
    return to_property_graph(synthetic_dataset(300, seed=3))


@pytest.fixture(scope="module")
def graph_b() -> PropertyGraph:
    return to_property_graph(synthetic_dataset(200, seed=4))


def expected_counts(pg: PropertyGraph) -> dict[str, int]:
    return {**{k: len(pg.nodes.get(k, [])) for k in schema().nodes},
            **{k: len(pg.rels.get(k, [])) for k in schema().rels}}


def dump(store: Neo4jStore) -> dict[str, list]:
    """Every node's properties and every relationship (ends, properties) in a stable order."""
    out: dict[str, list] = {}
    for lbl in schema().nodes:
        rows = store.query(f"MATCH (n:{lbl}) RETURN n AS n ORDER BY n.id")
        out[lbl] = [json.dumps(r["n"], sort_keys=True) for r in rows]
    for rtype in schema().rels:
        rows = store.query(f"MATCH (a)-[r:{rtype}]->(b) RETURN a.id AS a, b.id AS b, r AS r")
        out[rtype] = sorted(json.dumps(r, sort_keys=True) for r in rows)
    return out


def assert_no_duplicates(store: Neo4jStore) -> None:
    for lbl in schema().nodes:
        dup = store.query(f"MATCH (n:{lbl}) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(*) AS n")
        assert dup[0]["n"] == 0, lbl
    for rtype in schema().rels:
        dup = store.query(f"MATCH ()-[r:{rtype}]->() WITH r.rid AS k, count(*) AS c WHERE c > 1 RETURN count(*) AS n")
        assert dup[0]["n"] == 0, rtype


# ---------------------------------------------------------------------------------------------- load
def test_load_seeds_and_query_facts(store: Neo4jStore, seed_graph):
    report = store.load(seed_graph)
    assert (report.nodes, report.relationships) == (seed_graph.node_count(), seed_graph.rel_count())
    assert store.counts() == expected_counts(seed_graph)
    rows = store.query("MATCH (o:Organization)-[p:PARTY_TO]->(d:Deal) WHERE d.id = $deal "
                       "RETURN o.id AS org, p.role AS role, d.upfront_usd AS upfront ORDER BY role",
                       {"deal": "2025-05-3sbio-pfizer"})
    assert rows == [{"org": "pfizer", "role": "licensee", "upfront": 1.25e9},
                    {"org": "3sbio", "role": "licensor", "upfront": 1.25e9}]
    node = store.query("MATCH (o:Organization) WHERE $alias IN o.aliases RETURN o", {"alias": "Jiangsu Hengrui"})
    assert [r["o"]["id"] for r in node] == ["hengrui"]
    assert isinstance(node[0]["o"], dict) and node[0]["o"]["country"] == "CN"
    path = store.query("MATCH p = (:Organization {id: $o})-[:PARTY_TO]->(:Deal) RETURN p", {"o": "3sbio"})[0]["p"]
    assert [n["id"] for n in path["nodes"]][0] == "3sbio" and path["relationships"][0]["role"] == "licensor"
    assert "rid" not in path["relationships"][0]  # the load key is not a property anyone asked for


def test_every_label_gets_a_uniqueness_constraint_on_id(store: Neo4jStore, seed_graph, neo4j_driver):
    store.load(seed_graph)
    constrained = {r["label"] for r in store._execute_read(  # SHOW is not a read query
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type WHERE type = 'UNIQUENESS' AND properties = ['id'] "
        "RETURN labelsOrTypes[0] AS label")}
    assert set(schema().nodes) <= constrained
    import neo4j

    with neo4j_driver.session(database=store.database) as session:  # the server itself refuses a second node
        with pytest.raises(neo4j.exceptions.ConstraintError, match="already exists"):
            session.run("CREATE (p:Place {id: $id})", id=seed_graph.nodes["Place"][0]["id"]).consume()


def test_loading_twice_gives_the_same_graph(store: Neo4jStore, graph_a):
    store.load(graph_a)
    first = dump(store)
    report = store.load(graph_a)
    assert report.details["removed_nodes"] == 0 and report.details["removed_relationships"] == 0
    assert dump(store) == first
    assert store.counts() == expected_counts(graph_a)
    assert_no_duplicates(store)


def test_a_load_killed_half_way_converges_when_run_again(store: Neo4jStore, graph_a):
    store.load(graph_a)
    full = dump(store)
    store.clear()
    seen: list[str] = []

    def crash(msg: str) -> None:
        seen.append(msg)
        if msg.startswith("SOURCED_FROM: 400/"):  # in the middle of a relationship type, after some batches
            raise RuntimeError("simulated crash")

    with pytest.raises(RuntimeError, match="simulated crash"):
        store.load(graph_a, progress=crash)
    partial = store.counts()
    assert 0 < partial["SOURCED_FROM"] < len(graph_a.rels["SOURCED_FROM"])
    assert partial["Deal"] == len(graph_a.nodes["Deal"])
    store.load(graph_a)
    assert store.counts() == expected_counts(graph_a)
    assert_no_duplicates(store)
    assert dump(store) == full


def test_a_reload_after_the_seeds_change_holds_only_the_new_graph(store: Neo4jStore, graph_a, graph_b):
    store.load(graph_a)
    report = store.load(graph_b)
    assert report.details["removed_nodes"] > 0 and report.details["removed_relationships"] > 0
    assert store.counts() == expected_counts(graph_b)
    assert_no_duplicates(store)
    gone = {r["id"] for r in graph_a.nodes["Deal"]} - {r["id"] for r in graph_b.nodes["Deal"]}
    assert gone and store.query("MATCH (d:Deal) WHERE d.id IN $ids RETURN count(d) AS n", {"ids": sorted(gone)}) == \
        [{"n": 0}]
    # a property that changed value (or became null) in the new graph is replaced, not merged
    fresh = Neo4jStore(store.uri, user=store._auth[0] if store._auth else None,
                       password=store._auth[1] if store._auth else None)
    fresh.clear()
    fresh.load(graph_b)
    assert dump(store) == dump(fresh)
    fresh.close()


def test_changed_properties_are_replaced(store: Neo4jStore, seed_graph):
    store.load(seed_graph)
    edited = PropertyGraph({k: [dict(r) for r in v] for k, v in seed_graph.nodes.items()},
                           {k: [dict(r) for r in v] for k, v in seed_graph.rels.items()})
    gsk = next(r for r in edited.nodes["Organization"] if r["id"] == "gsk")
    gsk["name"], gsk["note"] = "GSK plc (renamed)", None
    store.load(edited)
    assert store.query("MATCH (o:Organization {id: $id}) RETURN o.name AS name, o.note AS note", {"id": "gsk"}) == \
        [{"name": "GSK plc (renamed)", "note": None}]


# ---------------------------------------------------------------------------------------------- reading
def test_queries_cannot_write(store: Neo4jStore, seed_graph):
    store.load(seed_graph)
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        store.query("CREATE (:Place {id: $id})", {"id": "XX"})
    with pytest.raises(ReadOnlyViolation):
        store.query("MATCH (o:Organization) DETACH DELETE o")
    with pytest.raises(ReadOnlyViolation):
        store.query("CREATE INDEX nope IF NOT EXISTS FOR (n:Deal) ON (n.title)")
    assert store.query("MATCH (p:Place {id: $id}) RETURN p", {"id": "XX"}) == []
    assert store.counts()["Organization"] == len(seed_graph.nodes["Organization"])
    with pytest.raises(QueryError, match="Invalid input"):
        store.query("MATCH (n:Deal RETURN n")


def test_set_node_properties(store: Neo4jStore, seed_graph):
    store.load(seed_graph)
    store.set_node_properties("Organization", [{"id": "hengrui", "degree": 3, "rank": 1},
                                               {"id": "not-a-node", "degree": 1.0, "rank": 9}],
                              {"degree": "DOUBLE", "rank": "INT64"})
    assert store.query("MATCH (o:Organization) WHERE o.degree IS NOT NULL RETURN o.id AS id, o.degree AS d, "
                       "o.rank AS r") == [{"id": "hengrui", "d": 3.0, "r": 1}]
    with pytest.raises(DealgraphError, match="cannot be a property name"):
        store.set_node_properties("Organization", [], {"a b": "DOUBLE"})
    with pytest.raises(DealgraphError, match="unknown label"):
        store.set_node_properties("Company", [], {"x": "DOUBLE"})


def test_open_store_uses_neo4j_when_given_a_uri(neo4j_uri, monkeypatch, tmp_path):
    assert isinstance(open_store(neo4j_uri), Neo4jStore)
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    s = open_store(path=tmp_path / "unused.lbdb")
    assert isinstance(s, Neo4jStore)
    assert not (tmp_path / "unused.lbdb").exists()


# ---------------------------------------------------------------------------------------------- secrets
def test_uri_checks_and_credentials_stay_out_of_reprs_and_errors(monkeypatch):
    with pytest.raises(DealgraphError, match="not a Neo4j URI"):
        Neo4jStore("http://localhost:7474")
    secret = f"pw-{uuid.uuid4().hex}"
    s = Neo4jStore(f"bolt://someone:{secret}@127.0.0.1:{_closed_port()}")
    assert secret not in repr(s) and "someone" not in repr(s) and s.uri.startswith("bolt://127.0.0.1:")
    with pytest.raises(DealgraphError) as err:
        s.query("RETURN 1")
    assert "cannot reach Neo4j at bolt://127.0.0.1:" in str(err.value)
    assert secret not in str(err.value) and secret not in repr(err.value)
    monkeypatch.setenv("NEO4J_PASSWORD", secret)
    s2 = Neo4jStore(f"neo4j+s://127.0.0.1:{_closed_port()}")
    assert secret not in repr(s2) and secret not in repr(vars(s2).get("uri"))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def auth_uri():
    """A Neo4j server that checks passwords: $NEO4J_URI when it has one, else a Neo4j 5.26 started here with
    authentication on (the test harness server has it off), from the same jars as tests/neo4j_server.py."""
    if os.environ.get("NEO4J_URI") and _auth_from_env()[1]:
        yield os.environ["NEO4J_URI"]
        return
    from tests.neo4j_server import HarnessError, HarnessUnavailable, ensure_launcher, find_java, free_port

    try:
        java, classpath = find_java(), ensure_launcher(quiet=True)
    except (HarnessUnavailable, HarnessError) as exc:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"CI=true but no Neo4j with authentication can run: {exc}", pytrace=False)
        pytest.skip(f"no Neo4j with authentication: {exc}")
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="dealgraph-neo4j-auth-"))
    (home / "conf").mkdir()
    port = free_port()
    (home / "conf" / "neo4j.conf").write_text("\n".join([
        "dbms.security.auth_enabled=true",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.http.enabled=false", "server.https.enabled=false",
        f"server.directories.data={home / 'data'}", f"server.directories.logs={home / 'logs'}",
        "server.memory.pagecache.size=16m", "dbms.usage_report.enabled=false", ""]))
    proc = subprocess.Popen([java, "-Xmx384m", "-XX:+UseSerialGC", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                             "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classpath,
                             "org.neo4j.server.CommunityEntryPoint", f"--home-dir={home}",
                             f"--config-dir={home / 'conf'}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.poll() is not None else ""
                pytest.fail(f"the Neo4j server with authentication did not start: {err}", pytrace=False)
            time.sleep(0.5)
        yield f"bolt://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        import shutil

        shutil.rmtree(home, ignore_errors=True)


def test_an_auth_failure_does_not_reveal_the_password(auth_uri, capfd):
    secret = f"Wr0ng-{uuid.uuid4().hex}"
    s = Neo4jStore(auth_uri, user="neo4j", password=secret)
    with pytest.raises(DealgraphError) as err:
        s.query("RETURN 1")
    text = str(err.value)
    assert "refused the credentials" in text and "NEO4J_PASSWORD" in text
    assert secret not in text and secret not in repr(err.value) and secret not in repr(s)
    assert err.value.__cause__ is None and err.value.__suppress_context__  # no driver exception chained on
    out, errs = capfd.readouterr()
    assert secret not in out and secret not in errs
    # the command line says the same, in one line, without the password
    env = {**os.environ, "NEO4J_URI": auth_uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": secret}
    code = ("from graph.stores import open_store\n"
            "try:\n    open_store().query('RETURN 1')\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "refused the credentials" in res.stdout
    assert secret not in res.stdout + res.stderr
