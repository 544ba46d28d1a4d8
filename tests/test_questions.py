"""Forty-odd analyst questions (tests/questions.yaml), each answered through the CLI or the query library alone.

Every question carries its answer in our own words and the doc:line citations that state it; the
checks below compare what `dealgraph` returns with that answer. No Cypher is written here: a
question is asked with a library query (by name and parameters), `graph.find.search.search`, or a
`dealgraph` command.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from graph.cli import main
from graph.ingest.loading import load_seeds
from graph.stores.property_graph import to_property_graph
from graph.query.run import list_queries, run_query
from graph.find.search import search
from graph.stores import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
QUESTIONS = yaml.safe_load((ROOT / "tests" / "questions.yaml").read_text(encoding="utf-8"))
CITE = re.compile(r"^[a-z0-9-]+:\d+$")


@pytest.fixture(scope="module")
def ds():
    return load_seeds(SEEDS)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, ds):
    path = tmp_path_factory.mktemp("questions") / "graph.lbdb"
    with open_store(path=path) as s:
        s.load(to_property_graph(ds))
    with open_store(path=path) as s:
        s.path_for_cli = path  # the CLI questions read the same database
        yield s


def _get(row: Any, column: str) -> Any:
    """A column of a row; dotted names walk into nested JSON (``direct.by_type.licence.partners``)."""
    value = row
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(got, (int, float, Decimal)):
        return Decimal(repr(float(got))) == Decimal(repr(float(want)))
    return got == want


def ask(q: dict[str, Any], ds, store) -> tuple[list[dict[str, Any]], str]:
    """The rows (and raw output) answering question ``q``."""
    a = q["ask"]
    if "query" in a:
        return run_query(store, a["query"], a.get("params", {})), ""
    if "search" in a:
        return [h.row() for h in search(ds, a["search"], a.get("kind"), limit=None)], ""
    args = [str(x) for x in a["cli"]]
    extra = ["--seeds", str(SEEDS)] if args[0] in ("search", "exposure", "centrality", "conflicts") else [
        "--db", str(store.path_for_cli)]
    res = CliRunner().invoke(main, args + extra, env={"NEO4J_URI": None})
    assert res.exit_code == 0, res.output
    try:
        data = json.loads(res.stdout)
    except json.JSONDecodeError:
        return [], res.stdout
    return (data if isinstance(data, list) else [data]), res.stdout


def check(q: dict[str, Any], rows: list[dict[str, Any]], out: str) -> None:
    for n, exp in enumerate(q["expect"], 1):
        where = f"{q['id']} check {n}"
        sel = [r for r in rows if all(_same(_get(r, k), v) for k, v in exp.get("where", {}).items())]
        if "rows" in exp:
            assert len(sel) == exp["rows"], f"{where}: {len(sel)} rows, expected {exp['rows']}: {sel}"
        assert len(sel) >= exp.get("min_rows", 1), f"{where}: no row matches {exp.get('where')} in {rows[:5]}"
        for col, want in exp.get("equals", {}).items():
            for r in sel:
                assert _same(_get(r, col), want), f"{where}: {col} is {_get(r, col)!r}, expected {want!r}"
        for col, items in exp.get("contains", {}).items():
            for r in sel:
                got = _get(r, col)
                for item in items:
                    ok = (item in got) if isinstance(got, (list, str)) else False
                    if not ok and isinstance(got, list):
                        ok = any(isinstance(g, str) and item in g for g in got)
                    assert ok, f"{where}: {col} = {got!r} lacks {item!r}"
        for col, items in exp.get("includes", {}).items():
            values = [_get(r, col) for r in sel]
            for item in items:
                assert any(_same(v, item) for v in values), f"{where}: no {col} = {item!r} among {values}"
        for col, items in exp.get("excludes", {}).items():
            values = [_get(r, col) for r in sel]
            assert not [i for i in items if i in values], f"{where}: {col} holds one of {items}"
        for col, want in exp.get("sum", {}).items():
            total = sum(Decimal(repr(float(_get(r, col) or 0))) for r in sel)
            assert total == Decimal(repr(float(want))), f"{where}: {col} adds up to {total}, expected {want}"
        for col, want in exp.get("first", {}).items():
            assert _same(_get(sel[0], col), want), f"{where}: first {col} is {_get(sel[0], col)!r}"
        for text in exp.get("text", []):
            assert text in out, f"{where}: output lacks {text!r}"


def test_the_question_set_is_large_varied_and_cited(ds):
    assert len(QUESTIONS) >= 40
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    queries = {q["ask"].get("query") for q in QUESTIONS} - {None}
    assert len(queries) >= 20 and {"search", "cli"} <= {k for q in QUESTIONS for k in q["ask"]}
    assert {q.name for q in list_queries()} >= queries
    for q in QUESTIONS:
        assert q["question"].endswith("?") and isinstance(q["answer"], str) and q["expect"], q["id"]
        for c in q["cites"]:
            assert CITE.match(c) and c.split(":")[0] in ds.sources, f"{q['id']}: bad citation {c}"


@pytest.mark.parametrize("q", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_question_is_answered(q, ds, store):
    rows, out = ask(q, ds, store)
    check(q, rows, out)


def test_questions_and_answers_are_in_our_own_words(ds):
    """No question or answer copies eight words in a row from a source document (as tests/test_own_words.py)."""
    from graph.ingest.provenance import normalise

    from .support import source_documents

    docs = source_documents()

    def runs(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9$%.,'-]+", normalise(text))
        return {tuple(words[i:i + 8]) for i in range(len(words) - 7)}

    source = set()
    for s in ds.sources.values():
        for line in (docs / s.file).read_text(encoding="utf-8").splitlines():
            source |= runs(line)
    copied = [f"{q['id']}.{f}" for q in QUESTIONS for f in ("question", "answer") if runs(q[f]) & source]
    assert copied == []
