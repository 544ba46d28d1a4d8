"""`dealgraph query` and `dealgraph queries`, run through the real command (click's CliRunner on
``graph.cli.main``, and once as the installed ``dealgraph`` program) on a LadybugDB file and on Neo4j."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.ingest.loading import load_seeds
from graph.stores.property_graph import PropertyGraph, to_property_graph
from graph.query.run import README, list_queries, run_query
from graph.stores import open_store
from tests.test_queries import canonical, seeds_with_extras

NO_ENV = {"NEO4J_URI": None}  # the commands must not wander off to a server named in the developer's environment


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> PropertyGraph:
    return to_property_graph(load_seeds(seeds_with_extras(tmp_path_factory.mktemp("cli-seeds"))))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, graph: PropertyGraph) -> Path:
    path = tmp_path_factory.mktemp("cli-db") / "graph.lbdb"
    with open_store(path=path) as store:
        store.load(graph)
    return path


@pytest.fixture(scope="module")
def neo4j(neo4j_uri: str, graph: PropertyGraph) -> str:
    with open_store(neo4j_uri=neo4j_uri) as store:
        store.load(graph)
    return neo4j_uri


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env={**NO_ENV, **(env or {})}, catch_exceptions=False)


def test_table_output_is_aligned(db: Path):
    res = invoke("query", "deal_terms", "--param", "deal=2025-05-3sbio-pfizer", "--db", str(db))
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    header, rule, body = lines[0], lines[1], lines[2:]
    assert header.split() == ["deal", "kind", "term", "text", "amount", "currency", "usd", "qualifier",
                              "disclosure", "sources"]
    assert set(rule.replace(" ", "")) == {"-"}
    # every column starts where its header does, on every line
    starts = [header.index(c) for c in ("kind", "term", "text")]
    for line in body:
        assert all(line[s - 2:s] == "  " and line[s] != " " for s in starts), line
    upfront = next(line for line in body if " upfront " in line)
    assert "USD 1.25 billion" in upfront and "1,250,000,000" in upfront  # caixin-2026:76


def test_csv_output_is_machine_readable(db: Path):
    res = invoke("query", "conflicting_deal_terms", "--format", "csv", "--db", str(db))
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    gsk = [r for r in rows if r["deal"] == "2025-07-hengrui-gsk" and r["kind"] == "total"]
    # caixin-2026:52 about $12 billion, pharmcube-2026:445 USD 12.5b
    assert {r["usd"] for r in gsk} == {"12000000000", "12500000000"}  # exact digits, never 1.2e+10
    # list columns are plain text joined with "; ", not JSON
    assert not any(r["sources"].startswith("[") for r in rows)
    assert any("pharmcube-2026:445" in r["sources"].split("; ") for r in gsk)
    res = invoke("query", "company_deals", "-p", "name=Hengrui", "--format", "csv", "--db", str(db))
    msd = next(r for r in csv.DictReader(io.StringIO(res.stdout)) if r["deal"] == "2025-03-hengrui-msd")
    # caixin-2026:54: $200 million upfront, up to $1.77 billion in milestones
    assert msd["terms"] == "milestones: up to USD 1.77 billion; upfront: USD 200 million"
    assert msd["counterparties"] == "Merck & Co., Inc. (licensee)" and "None" not in res.stdout


def test_json_output_matches_the_library_and_both_engines(db: Path, neo4j: str):
    args = ["query", "company_partners", "-p", "name=Jiangsu Hengrui", "-p", "hops=2", "--format", "json"]
    lb = invoke(*args, "--db", str(db))
    neo = invoke(*args, "--neo4j", neo4j)
    assert lb.exit_code == 0 and neo.exit_code == 0, (lb.output, neo.output)
    lb_rows, neo_rows = json.loads(lb.stdout), json.loads(neo.stdout)
    assert canonical(lb_rows) == canonical(neo_rows)
    with open_store(path=db) as store:
        assert lb_rows == run_query(store, "company_partners", {"name": "Jiangsu Hengrui", "hops": 2})
    assert {"id": "gsk", "hops": 1}.items() <= next(r for r in lb_rows if r["id"] == "gsk").items()


def test_neo4j_uri_from_the_environment(db: Path, neo4j: str):
    res = invoke("query", "deal_sources", "-p", "deal=2025-07-hengrui-gsk", "--format", "json",
                 env={"NEO4J_URI": neo4j})
    assert res.exit_code == 0, res.output
    assert any(r["source"] == "caixin-2026" and r["line"] == 52 for r in json.loads(res.stdout))  # caixin-2026:52


NAMED = [(q.name, p, q.example_params()) for q in list_queries() for p, _ in q.names]


@pytest.mark.parametrize("name,param,example", NAMED, ids=[f"{n}-{p}" for n, p, _ in NAMED])
def test_every_name_parameter_refuses_an_unknown_name(db: Path, name, param, example):
    args = [a for k, v in example.items() for a in ("-p", f"{k}={'Qqzx Unheard Of Vvw' if k == param else v}")]
    res = invoke("query", name, *args, "--db", str(db))
    assert res.exit_code == 1 and res.stdout == ""
    assert "Qqzx Unheard Of Vvw" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert "(no rows)" not in res.output


def test_close_names_are_used_and_said_ambiguous_ones_refused(db: Path):
    res = invoke("query", "company_deals", "-p", "name=Hengriu", "--db", str(db))
    assert res.exit_code == 0 and "2025-03-hengrui-msd" in res.stdout
    assert res.stderr.strip() == "note: name: 'Hengriu' taken as organization Jiangsu Hengrui Pharmaceuticals (hengrui)"
    exact = invoke("query", "company_deals", "-p", "name=jiangsu hengrui", "--db", str(db))
    assert exact.stdout == res.stdout and exact.stderr == ""
    res = invoke("query", "company_deals", "-p", "name=Johnson", "--db", str(db))
    assert res.exit_code == 1 and "several organizations" in res.stderr and "jnj-innovation" in res.stderr
    stat = invoke("query", "statistic_series", "-p", "measure=China out-licensing deal count", "--format", "json",
                  "--db", str(db))
    # caixin-2026:12: 94 deals in 2024, 157 in 2025
    assert {(r["period"], r["value"]) for r in json.loads(stat.stdout)} >= {("2024", 94.0), ("2025", 157.0)}


def test_include_undated_counts_undated_deals(db: Path):
    base = ["query", "deals_by_year", "-p", "from_year=2024", "-p", "to_year=2025", "--format", "json", "--db", str(db)]
    left = json.loads(invoke(*base).stdout)
    kept = json.loads(invoke(*base, "--include-undated").stdout)
    assert left[0]["undated_left_out"] > 0 and all(r["year"] is not None for r in left)
    assert sum(r["deals"] for r in kept if r["year"] is None) == left[0]["undated_left_out"]
    both = invoke(*base, "--include-undated", "-p", "include_undated=true")
    assert both.exit_code == 1 and "not both" in both.stderr


def test_missing_parameter_is_a_one_line_error(db: Path):
    res = invoke("query", "company_partners", "-p", "name=Hengrui", "--db", str(db))
    assert res.exit_code == 1
    assert res.stdout == ""
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1
    assert "company_partners" in err and "'hops'" in err and "--param hops=2" in err


@pytest.mark.parametrize("args, words", [
    (["query", "company_dealz"], "no query called 'company_dealz'"),
    (["query", "company_partners", "-p", "name=Hengrui", "-p", "hops=two"], "whole number"),
    (["query", "company_partners", "-p", "name=Hengrui", "-p", "hops=2", "-p", "hop=3"], "no parameter 'hop'"),
    (["query", "company_partners", "-p", "name"], "key=value"),
    (["query", "company_partners", "-p", "name=a", "-p", "name=b", "-p", "hops=1"], "given twice"),
])
def test_bad_invocations_fail_with_one_line(db: Path, args, words):
    res = invoke(*args, "--db", str(db))
    assert res.exit_code == 1, res.output
    assert len(res.stderr.strip().splitlines()) == 1 and words in res.stderr


@pytest.mark.parametrize("engine", ["ladybug", "neo4j"])
def test_a_query_the_database_rejects_is_a_one_line_error(engine, request, tmp_path: Path):
    store_args = ["--db", str(request.getfixturevalue("db"))] if engine == "ladybug" else \
        ["--neo4j", request.getfixturevalue("neo4j")]
    path = tmp_path / "typo.cypher"
    # (a misspelt keyword, LIMT, is refused by the runner's allow-list before the engine; this one reaches it)
    path.write_text("MATCH (o:Organization) RETURN o.id AS id ORDER BY id LIMIT\n", encoding="utf-8")
    res = invoke("query", str(path), *store_args)
    assert res.exit_code == 1 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and "refused the query" in res.stderr


def test_missing_database_is_a_clear_error(tmp_path: Path):
    res = invoke("query", "acquisitions", "--db", str(tmp_path / "nothing.lbdb"))
    assert res.exit_code == 1 and "dealgraph build" in res.stderr
    assert not (tmp_path / "nothing.lbdb").exists()


def _organizations(store_args: list[str]) -> list[dict]:
    res = invoke("query", "top_parties_by_count", "-p", "role=licensor", "-p", "limit=1000", "--format", "json",
                 *store_args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize("engine", ["ladybug", "neo4j"])
@pytest.mark.parametrize("statement", [
    "CREATE (o:Organization {id: 'intruder', name: 'Intruder'}) RETURN o.id AS id",
    "MATCH (o:Organization) WHERE o.id = $id SET o.name = 'Renamed' RETURN o.id AS id",
    "MATCH (d:Deal) DETACH DELETE d",
    "MERGE (o:Organization {id: 'intruder'}) RETURN o.id AS id",
    "CALL db.labels() YIELD label RETURN label",
])
def test_write_attempt_is_refused_and_changes_nothing(engine, statement, request, tmp_path: Path):
    store_args = ["--db", str(request.getfixturevalue("db"))] if engine == "ladybug" else \
        ["--neo4j", request.getfixturevalue("neo4j")]
    before = _organizations(store_args)
    path = tmp_path / "sneaky.cypher"
    path.write_text(statement + "\n", encoding="utf-8")
    params = ["-p", "id=hengrui"] if "$id" in statement else []
    res = invoke("query", str(path), *params, *store_args)
    assert res.exit_code == 1
    assert "read-only" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert _organizations(store_args) == before


def test_queries_lists_every_query_with_its_question():
    res = invoke("queries")
    assert res.exit_code == 0
    for q in list_queries():
        line = next(l for l in res.stdout.splitlines() if l.startswith(q.name + " "))
        assert q.question[:40] in line
    assert "name=Hengrui hops=2" in res.stdout
    data = json.loads(invoke("queries", "--format", "json").stdout)
    partners = next(q for q in data if q["query"] == "company_partners")
    assert partners["params"] == [
        {"name": "name", "example": "Hengrui", "description": "an id, name, alias or former name"},
        {"name": "hops", "example": 2, "description": partners["params"][1]["description"]}]
    rows = list(csv.DictReader(io.StringIO(invoke("queries", "--format", "csv").stdout)))
    assert len(rows) == len(list_queries()) and set(rows[0]) == {"query", "params", "question"}


def test_queries_readme_is_the_committed_readme():
    assert invoke("queries", "--readme").stdout == README.read_text(encoding="utf-8")


def test_help_explains_the_command():
    res = invoke("query", "--help")
    assert res.exit_code == 0
    for words in ("NAME_OR_FILE", "--param", "--format", "--neo4j", "--db", "read-only"):
        assert words in res.stdout


def test_installed_program_runs_a_query_and_fails_cleanly(db: Path):
    exe = Path(sys.executable).with_name("dealgraph")
    program = str(exe) if exe.exists() else shutil.which("dealgraph")
    assert program, "the dealgraph entry point is not installed (pip install -e .)"
    env = {k: v for k, v in __import__("os").environ.items() if k != "NEO4J_URI"}
    ok = subprocess.run([program, "query", "company_profile", "-p", "name=Jiangsu Hengrui", "--format", "json",
                         "--db", str(db)], capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)[0]["id"] == "hengrui"
    bad = subprocess.run([program, "query", "company_profile", "--db", str(db)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.strip().startswith("error: query 'company_profile' needs parameter 'name'")
