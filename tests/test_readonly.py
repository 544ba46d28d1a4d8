"""The query runner is read-only by construction, on LadybugDB and on the real Neo4j 5.26 test server.

Every statement below writes, reads a file, writes a file, changes the catalogue, opens a transaction,
installs or loads an extension, attaches a database or checkpoints. Each is refused on both engines, the
store is unchanged afterwards (file bytes and folder for LadybugDB, every node and relationship count and
every organization name for Neo4j) and no file appears where the statement tried to write.
Then the second guard alone (the store's private read-only copy; Neo4j READ_ACCESS with execute_read)
is shown to hold when the allow-list is bypassed.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from graph.ingest.loading import load_seeds
from graph.stores.property_graph import PropertyGraph, to_property_graph
from graph.query.run import WriteRefused, run_query
from graph.query.readonly import StatementRefused, check_read_statement, tokenize
from graph.stores.base import ReadOnlyViolation, Store
from graph.stores.ladybug import LadybugStore
from graph.stores.neo4j import Neo4jStore

from .support import FIXTURE

PASSWD = "/etc/passwd"

# {target} is a path in the test's own folder that must never appear.
STATEMENTS = {
    "backtick_backslash_load_from": "UNWIND [1] AS `a\\` LOAD FROM '/etc/passwd' (header=false) RETURN * // `",
    "backtick_backslash_copy_to": "UNWIND [1] AS `a\\` COPY (MATCH (o:Organization) RETURN o.id) TO '{target}' // `",
    "backtick_backslash_load_csv": "UNWIND [1] AS `x\\` LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l // `",
    "load_from": "LOAD FROM '/etc/passwd' (header=false, file_format='csv') RETURN *",
    "load_from_after_match": "MATCH (o:Organization) WITH o LIMIT 1 LOAD FROM '/etc/passwd' RETURN *",
    "copy_to": "COPY (MATCH (o:Organization) RETURN o.id) TO '{target}'",
    "copy_from": "COPY Organization FROM '{target}'",
    "checkpoint": "CHECKPOINT",
    "checkpoint_after_return": "MATCH (o:Organization) RETURN o.id CHECKPOINT",
    "second_statement_checkpoint": "MATCH (o:Organization) RETURN o.id; CHECKPOINT",
    "load_csv": "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "load_csv_with_headers": "WITH 1 AS x LOAD CSV WITH HEADERS FROM 'file:///etc/passwd' AS row RETURN row",
    "call_procedure": "CALL db.labels() YIELD label RETURN label",
    "call_table_function": "CALL show_tables() RETURN *",
    "call_subquery_write": "MATCH (o:Organization) CALL { WITH o SET o.name = 'x' } RETURN o.id",
    "union_call": "MATCH (o:Organization) RETURN o.id AS x UNION CALL db.labels() YIELD label RETURN label AS x",
    "unknown_function_file": "RETURN apoc.load.json('file:///etc/passwd') AS j",
    "unknown_function": "MATCH (o:Organization) RETURN file() AS f",
    "install_extension": "INSTALL json",
    "load_extension": "LOAD EXTENSION json",
    "attach": "ATTACH '{target}' AS other (dbtype lbug)",
    "detach_database": "DETACH other",
    "use_database": "USE other MATCH (n) RETURN n",
    "begin_transaction": "BEGIN TRANSACTION",
    "commit": "COMMIT",
    "rollback": "ROLLBACK",
    "create_table": "CREATE NODE TABLE Evil(id STRING, PRIMARY KEY(id))",
    "drop_table": "DROP TABLE Organization",
    "alter_table": "ALTER TABLE Organization ADD evil STRING",
    "create_macro": "CREATE MACRO evil(x) AS x",
    "export_database": "EXPORT DATABASE '{target}'",
    "import_database": "IMPORT DATABASE '{target}'",
    "create_node": "CREATE (o:Organization {id: 'intruder', name: 'Intruder'}) RETURN o.id",
    "create_after_with": "MATCH (o:Organization) WITH o LIMIT 1 CREATE (:Place {id: 'xx'})",
    "set": "MATCH (o:Organization) SET o.name = 'Renamed'",
    "remove": "MATCH (o:Organization) REMOVE o.name",
    "detach_delete": "MATCH (d:Deal) DETACH DELETE d",
    "merge": "MERGE (o:Organization {id: 'intruder'}) RETURN o",
    "foreach": "MATCH (o:Organization) FOREACH (x IN [1] | CREATE (:Place {id: 'yy'}))",
    "lowercase_create": "match (o:Organization) create (:Place {id: 'zz'})",
    "profile": "PROFILE MATCH (n) RETURN n",
    "show": "SHOW DATABASES",
    "create_index": "CREATE INDEX evil FOR (o:Organization) ON (o.name)",
    "unterminated_comment_hides_nothing": "MATCH (o:Organization) RETURN o.id /* LOAD CSV FROM 'x' AS l",
    "escaped_quote_in_string": "MATCH (o:Organization) WHERE o.name = 'a\\' LOAD FROM \\'/etc/passwd' RETURN o.id",
    "line_separator_ends_comment": "MATCH (o:Organization) RETURN o.id // c\u2028LOAD CSV FROM 'file:///etc/passwd' AS l",
    "in_transactions": "MATCH (o:Organization) CALL { WITH o RETURN o.id AS i } IN TRANSACTIONS RETURN i",
    "param_backtick_trick": "MATCH (o:Organization) WHERE o.id = $`p\\` LOAD FROM '/etc/passwd' RETURN * // `",
}


@pytest.fixture(scope="module")
def graph() -> PropertyGraph:
    return to_property_graph(load_seeds(FIXTURE))


@pytest.fixture(scope="module")
def ladybug(tmp_path_factory: pytest.TempPathFactory, graph: PropertyGraph):
    store = LadybugStore(tmp_path_factory.mktemp("ro-lb") / "graph.lbdb")
    store.load(graph)
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo4j(neo4j_uri: str, graph: PropertyGraph):
    store = Neo4jStore(neo4j_uri)
    store.load(graph)
    yield store
    store.close()


def _fingerprint(store: Store) -> tuple:
    names = store.query("MATCH (o:Organization) RETURN o.id AS id, o.name AS name ORDER BY id")
    state: tuple = (tuple((r["id"], r["name"]) for r in names), tuple(sorted(store.counts().items())))
    if isinstance(store, LadybugStore):
        folder = sorted(p.name for p in store.path.parent.iterdir())
        state += (hashlib.sha256(store.path.read_bytes()).hexdigest(), tuple(folder))
    return state


def test_at_least_thirty_statements():
    assert len(STATEMENTS) >= 30


@pytest.mark.parametrize("engine", ["ladybug", "neo4j"])
@pytest.mark.parametrize("kind", sorted(STATEMENTS))
def test_statement_is_refused_and_changes_nothing(engine: str, kind: str, request, tmp_path: Path):
    store = request.getfixturevalue(engine)
    target = tmp_path / "written.csv"
    before, files = _fingerprint(store), sorted(tmp_path.iterdir())
    path = tmp_path / f"{kind}.cypher"
    path.write_text(STATEMENTS[kind].replace("{target}", str(target)) + "\n", encoding="utf-8")
    with pytest.raises(WriteRefused) as err:
        run_query(store, path, {"p": "x"} if "$`p" in STATEMENTS[kind] else {})
    message = str(err.value)
    assert message.startswith(f"query '{kind}' is refused at line ") and "read-only" in message
    assert "\n" not in message
    assert not target.exists()
    assert sorted(tmp_path.iterdir()) == files + [path]
    assert _fingerprint(store) == before


@pytest.mark.parametrize("text, where, words", [
    ("UNWIND [1] AS `a\\` LOAD FROM '/etc/passwd' RETURN * // `", "line 1, column 15", "backslash inside a `name`"),
    ("MATCH (o)\nRETURN o.id\nCHECKPOINT", "line 3, column 1", "CHECKPOINT is not allowed"),
    ("MATCH (o) RETURN o.id; MATCH (d) RETURN d", "line 1, column 22", "several statements"),
    ("CALL db.labels()", "line 1, column 1", "starts with MATCH, OPTIONAL, RETURN, UNWIND, WITH, not 'CALL'"),
    ("MATCH (o) RETURN apoc.load.json('x')", "line 1, column 18", "it calls 'apoc.load.json'"),
    ("MATCH (o) RETURN 'never closed", "line 1, column 18", "string is never closed"),
    ("MATCH (o) RETURN o.id AS `never closed", "line 1, column 26", "`name` is never closed"),
    ("MATCH (o) RETURN o.id\nEVILCLAUSE 'x'", "line 2, column 1", "'EVILCLAUSE' is not allowed"),
    ("MATCH (o) RETURN o.id ORDER BY o.id LIMT 3", "line 1, column 37", "are); did you mean LIMIT?"),
])
def test_refusals_name_line_column_and_reason(text: str, where: str, words: str):
    with pytest.raises(StatementRefused) as err:
        check_read_statement(text)
    assert str(err.value).startswith(where + ": ") and words in str(err.value)


def test_tokenizer_follows_cypher_lexical_rules():
    toks = tokenize("MATCH (`a``b`:L) // LOAD x\nWHERE n.s = 'it\\\\s' /* CREATE\n */ RETURN \"q\" AS `c`")
    assert [(t.kind, t.text) for t in toks] == [
        ("word", "MATCH"), ("punct", "("), ("name", "a`b"), ("punct", ":"), ("word", "L"), ("punct", ")"),
        ("word", "WHERE"), ("word", "n"), ("punct", "."), ("word", "s"), ("punct", "="), ("string", "'it\\\\s'"),
        ("word", "RETURN"), ("string", '"q"'), ("word", "AS"), ("name", "c")]
    assert (toks[6].line, toks[6].column) == (2, 1)


def test_write_words_in_strings_names_and_comments_are_read(ladybug: LadybugStore):
    rows = ladybug.query("MATCH (o:Organization) WHERE o.name <> 'LOAD FROM x; CHECKPOINT' "
                         "RETURN o.id AS `COPY`, toLower(o.name) AS n ORDER BY `COPY` LIMIT 1 // CREATE")
    assert rows == [{"COPY": "acme", "n": "acme bio"}]


def test_ladybug_second_guard_keeps_the_store_when_the_check_is_bypassed(ladybug: LadybugStore):
    """CHECKPOINT and a write sent straight to the engine reach only the private copy."""
    before = _fingerprint(ladybug)
    for stmt in ("CHECKPOINT", "CREATE (:Place {id: 'xx', name: 'x'})"):
        with pytest.raises(Exception):
            ladybug._execute_read(stmt)
        ladybug.close()  # a later query opens a fresh copy of the untouched file
    assert _fingerprint(ladybug) == before
    assert sorted(p.name for p in ladybug.path.parent.iterdir()) == ["graph.lbdb", "graph.lbdb.lock"]


def test_neo4j_second_guard_is_a_read_session(neo4j: Neo4jStore):
    before = _fingerprint(neo4j)
    for stmt in ("CREATE (:Place {id: 'xx'})", "MATCH (o:Organization) SET o.name = 'x'",
                 "CREATE CONSTRAINT evil IF NOT EXISTS FOR (p:Place) REQUIRE p.name IS UNIQUE"):
        with pytest.raises(ReadOnlyViolation):
            neo4j._execute_read(stmt)
    assert _fingerprint(neo4j) == before


def test_doctests_of_the_hardening_modules_run():
    """The examples in the docstrings are doctests; pytest does not collect them, so run them here."""
    import doctest

    import graph.core.csvsafe
    import graph.core.errors
    import graph.interchange.matching
    import graph.interchange.results
    import graph.query.readonly
    import graph.ingest.rules
    import graph.ingest.yamlio

    for module in (graph.core.csvsafe, graph.core.errors, graph.interchange.matching, graph.interchange.results,
                   graph.query.readonly, graph.ingest.rules, graph.ingest.yamlio):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
