"""The build manifest: rebuilds redo only stale stages and equal a clean build; read commands use the last
build and refuse to answer from it once the seeds have changed."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

import graph.ingest.loading
from graph.pipeline.build import build
from graph.cli import main
from graph.pipeline.manifest import read_manifest

from .support import copy_fixture, tree_digest

ALL_STAGES = ["dataset", "rdf", "summary", "store", "analyses", "maps", "site", "report"]


def _raise(*_a, **_k):
    raise AssertionError("the seeds were validated again")


def test_rebuild_reuses_unchanged_stages_and_equals_a_clean_build(tmp_path):
    seeds = copy_fixture(tmp_path / "p")
    out = tmp_path / "p" / "out"
    first = build(seeds, out, quiet=True)
    assert first.reused == []
    digest = tree_digest(out)
    m = read_manifest(out)
    assert m.seeds_dir == "../seeds" and sorted(m.stages) == sorted(ALL_STAGES)
    assert m.outputs["graph.ttl"] == digest["graph.ttl"] and "graph.lbdb" not in m.outputs

    again = build(seeds, out, quiet=True)  # nothing changed: every stage comes from the last build
    assert again.reused == ALL_STAGES
    assert tree_digest(out) == digest

    (out / "graph.ttl").write_text("tampered\n")  # a reused file must match the manifest's hash
    fixed = build(seeds, out, quiet=True)
    assert "rdf" not in fixed.reused and "maps" in fixed.reused
    assert tree_digest(out) == digest

    # a comment changes the seed file but not the validated dataset: only validation is redone
    deals = seeds / "deals.yaml"
    deals.write_text(deals.read_text() + "# reviewed\n")
    commented = build(seeds, out, quiet=True)
    assert commented.reused == ["rdf", "summary", "store", "analyses", "maps", "site", "report"]
    assert {k: v for k, v in tree_digest(out).items() if k != "manifest.json"} == {
        k: v for k, v in digest.items() if k != "manifest.json"}

    # one record changes: the rebuild redoes what depends on it and equals a clean build of the new seeds
    deals.write_text(deals.read_text().replace("upfront: USD 50 million", "upfront: USD 60 million"))
    changed = build(seeds, out, quiet=True)
    assert changed.reused == []
    clean_seeds = tmp_path / "clean" / "seeds"
    shutil.copytree(seeds, clean_seeds)
    build(clean_seeds, clean_seeds.parent / "out", quiet=True)
    assert tree_digest(out) == tree_digest(clean_seeds.parent / "out") != digest
    assert json.loads((out / "manifest.json").read_text()) == json.loads(
        (clean_seeds.parent / "out" / "manifest.json").read_text())


@pytest.fixture
def built(tmp_path, monkeypatch):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    build(seeds, out, quiet=True)
    monkeypatch.setenv("DEALGRAPH_OUT", str(out))
    return seeds, out


READ_COMMANDS = [
    ["exposure", "Globex", "--format", "json"],
    ["centrality", "--format", "json"],
    ["conflicts", "--format", "json"],
    ["coverage", "--format", "json"],
]


def test_read_commands_answer_from_the_last_build_without_validating(built, monkeypatch, tmp_path):
    seeds, out = built
    answers = {}
    for cmd in READ_COMMANDS:
        answers[cmd[0]] = CliRunner().invoke(main, [*cmd, "--seeds", str(seeds)]).output
    monkeypatch.setattr(graph.ingest.loading, "load_seeds", _raise)
    for cmd in READ_COMMANDS:
        r = CliRunner().invoke(main, [*cmd, "--seeds", str(seeds)])
        assert r.exit_code == 0, r.output
        assert r.output == answers[cmd[0]]
    assert json.loads(answers["exposure"])["name"] == "Globex Pharma"
    r = CliRunner().invoke(main, ["map", "--focus", "Acme", "--seeds", str(seeds), "--out", str(tmp_path / "m.html")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "m.html").read_text().count("Acme Bio") >= 1


def test_read_commands_refuse_stale_data_and_say_how_to_rebuild(built):
    seeds, out = built
    deals = seeds / "deals.yaml"
    deals.write_text(deals.read_text().replace("upfront: USD 50 million", "upfront: USD 60 million"))
    want = (f"error: the seeds changed since the last build (deals.yaml in {seeds}); the last build in {out}/ is "
            f"out of date: run `dealgraph build --seeds {seeds} --out {out}` first\n")
    for cmd in [*READ_COMMANDS, ["map", "--overview", "--out", str(out.parent / "m.html")]]:
        r = CliRunner().invoke(main, [*cmd, "--seeds", str(seeds)])
        assert (r.exit_code, r.output) == (1, want), cmd
    assert not (out.parent / "m.html").exists()
    r = CliRunner().invoke(main, ["query", "deals_above_upfront", "-p", "min_upfront_usd=1", "--db",
                                  str(out / "graph.lbdb")])
    assert r.exit_code == 1
    assert r.output == want.replace("the last build in", "the graph database of the last build in").replace(
        f"--seeds {seeds}", f"--seeds {seeds.resolve()}")
    assert build(seeds, out, quiet=True).reused == []
    r = CliRunner().invoke(main, ["query", "deals_above_upfront", "-p", "min_upfront_usd=1", "--db",
                                  str(out / "graph.lbdb"), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [float(row["upfront_usd"]) for row in json.loads(r.output)] == [60_000_000]


def test_read_commands_validate_seeds_that_have_no_build(tmp_path, monkeypatch):
    seeds = copy_fixture(tmp_path)
    monkeypatch.setenv("DEALGRAPH_OUT", str(tmp_path / "nothing-built-here"))
    r = CliRunner().invoke(main, ["exposure", "Globex", "--format", "json", "--seeds", str(seeds)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["name"] == "Globex Pharma"


@pytest.mark.parametrize("module", ["graph.pipeline.outputs", "graph.pipeline.manifest", "graph.pipeline.stages", "graph.core.progress", "graph.pipeline.current",
                                    "graph.pipeline.parallel"])
def test_doctests(module, monkeypatch):
    import doctest
    import importlib

    from .support import ROOT

    monkeypatch.chdir(ROOT)
    res = doctest.testmod(importlib.import_module(module))
    assert res.attempted > 0 and res.failed == 0
