"""Read commands answer from what the last build saved (graph/pipeline/current.py): the search index, each
multinational's exposure and the centrality table, and give the same answers as computing them afresh."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

import graph.pipeline.current
import graph.ingest.loading
from graph.analysis import exposure, exposures
from graph.analysis.exposure_text import describe
from graph.pipeline.build import build
from graph.cli import main
from graph.pipeline.current import SEARCH_INDEX, Current, index_key
from graph.find.search import dataset_entries, read_index

from .support import ROOT


def _no(*_a, **_k):
    raise AssertionError("the dataset was loaded")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped seeds, built once without a database (the analyses, maps and pages still run)."""
    top = tmp_path_factory.mktemp("shipped")
    seeds = top / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    out = top / "out"
    build(seeds, out, store=None, quiet=True)
    return seeds, out


def _json(items) -> str:
    return json.dumps([e.to_dict() for e in items], sort_keys=True)


def test_saved_exposures_equal_the_computed_ones(shipped):
    """Every multinational's saved exposure is what ``exposures`` computes, and each one alone is what
    ``exposure`` computes for it (the command's answer before it read the build)."""
    seeds, out = shipped
    cur = Current(seeds, out)
    ds = cur.dataset
    saved = cur.exposures()
    assert saved is not None and len(saved) == sum(o.multinational for o in ds.organizations.values()) > 10
    assert _json(saved) == _json(exposures(ds))
    chains = [e for e in saved if e.indirect["chain_list"]]
    assert chains, "the shipped seeds have China-originated assets reached through chains"
    for e in saved:
        alone = cur.exposures(orgs=[e.org])
        assert _json(alone) == _json([exposure(ds, e.org)])
        assert describe(alone[0]) == describe(exposure(ds, e.org))
    # other options than the build's are not saved: the caller computes them
    assert cur.exposures(2024, 2025) is None and cur.exposures(china=["CN", "HK", "MO", "TW"]) is None
    not_mnc = next(o.id for o in ds.organizations.values() if not o.multinational)
    assert cur.exposures(orgs=[not_mnc]) is None


def test_saved_search_index_equals_the_entries_of_the_dataset(shipped):
    seeds, out = shipped
    cur = Current(seeds, out)
    made = dataset_entries(cur.dataset)
    read = read_index(out / SEARCH_INDEX, index_key(cur.manifest.dataset))
    assert read == made  # fields compared; the normalised words too:
    assert [(e._name_words, e._text_words) for e in read] == [(e._name_words, e._text_words) for e in made]
    assert read_index(out / SEARCH_INDEX, index_key("another dataset")) is None


COMMANDS = [["exposure"], ["exposure", "--format", "json"], ["exposure", "Bayer"], ["exposure", "Pfizer", "--format",
            "csv"], ["exposure", "--readme"], ["centrality", "--top", "5"], ["search", "hengriu"],
            ["search", "SSGJ 707", "--format", "json"]]


def test_read_commands_answer_from_the_build_without_the_dataset(shipped, monkeypatch, tmp_path):
    """With a current build, exposure (one multinational or all), centrality and search read the saved
    results, never the dataset; their answers are those computed from the seeds without a build."""
    seeds, out = shipped
    computed = {}
    for cmd in COMMANDS:  # no build in $DEALGRAPH_OUT (conftest): validated and computed
        r = CliRunner().invoke(main, [*cmd, "--seeds", str(seeds)])
        assert r.exit_code == 0, r.output
        computed[" ".join(cmd)] = r.output
    monkeypatch.setenv("DEALGRAPH_OUT", str(out))
    monkeypatch.setattr(graph.ingest.loading, "load_seeds", _no)
    monkeypatch.setattr(graph.pipeline.current, "read_dataset", _no)
    for cmd in COMMANDS:
        r = CliRunner().invoke(main, [*cmd, "--seeds", str(seeds)])
        assert (r.exit_code, r.output) == (0, computed[" ".join(cmd)]), cmd
    # options other than the build's need the dataset
    r = CliRunner().invoke(main, ["exposure", "Bayer", "--from", "2024", "--seeds", str(seeds)])
    assert r.exit_code == 1 and "the dataset was loaded" in str(r.exception)


def test_an_index_of_other_data_is_not_used(shipped, monkeypatch, tmp_path):
    """A search index whose key does not match the build (edited, or left by other data) is ignored: the
    entries are made from the dataset, and the answer is the same."""
    seeds, out = shipped
    monkeypatch.setenv("DEALGRAPH_OUT", str(out))
    want = CliRunner().invoke(main, ["search", "hengriu", "--seeds", str(seeds)]).output
    index = out / SEARCH_INDEX
    saved = index.read_bytes()
    try:
        index.write_bytes(saved.replace(b'"dataset": "', b'"dataset": "x', 1))
        assert read_index(index, index_key(Current(seeds, out).manifest.dataset)) is None
        assert CliRunner().invoke(main, ["search", "hengriu", "--seeds", str(seeds)]).output == want
    finally:
        index.write_bytes(saved)


def test_search_refuses_a_stale_build(tmp_path, monkeypatch):
    from .support import copy_fixture

    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    build(seeds, out, store=None, analyses=False, quiet=True)
    monkeypatch.setenv("DEALGRAPH_OUT", str(out))
    assert CliRunner().invoke(main, ["search", "Acme", "--seeds", str(seeds)]).exit_code == 0
    orgs = seeds / "organizations.yaml"
    orgs.write_text(orgs.read_text().replace("Acme Bio", "Acme Biotech"))
    r = CliRunner().invoke(main, ["search", "Acme", "--seeds", str(seeds)])
    assert r.exit_code == 1 and "the seeds changed since the last build (organizations.yaml" in r.output


def test_read_commands_do_not_import_matplotlib():
    """matplotlib (about half a second) is for the build's plots; the package and the command line load
    without it, and a read command answers without it."""
    code = ("import sys; from click.testing import CliRunner; from graph.cli import main; "
            "r = CliRunner().invoke(main, ['exposure', 'Acme', '--seeds', 'tests/fixtures/minimal']); "
            "assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('matplotlib', 'graph.analysis.run') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"DEALGRAPH_OUT": "/nonexistent", "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_map_with_default_options_points_to_the_map_the_build_drew(shipped, monkeypatch):
    """`map --focus MNC` with every option at its default and the build's own out/ has nothing to draw: the
    build drew that very map from the same data, so the command says so without loading the dataset. Any
    option draws afresh, and a map file changed since the build (here redrawn with --hops 2) is not taken
    for the build's."""
    seeds, out = shipped
    monkeypatch.chdir(out.parent)
    monkeypatch.setenv("DEALGRAPH_OUT", str(out))
    page = out / "maps" / "ego-pfizer.html"
    before = page.read_bytes()
    try:
        with monkeypatch.context() as m:
            m.setattr(graph.pipeline.current, "read_dataset", _no)
            r = CliRunner().invoke(main, ["map", "--focus", "pfizer", "--seeds", str(seeds)])
            assert r.exit_code == 0, r.output
            assert f"{out / 'maps' / 'ego-pfizer.html'} is current: the last build drew it (Organizations: " in r.output
            r = CliRunner().invoke(main, ["map", "--focus", "pfizer", "--hops", "2", "--seeds", str(seeds)])
            assert "the dataset was loaded" in str(r.exception)  # another option: drawn afresh, from the dataset
        assert page.read_bytes() == before
        r = CliRunner().invoke(main, ["map", "--focus", "pfizer", "--hops", "2", "--seeds", str(seeds)])
        assert r.exit_code == 0 and r.output.startswith("wrote ") and page.read_bytes() != before
        r = CliRunner().invoke(main, ["map", "--focus", "Pfizer", "--seeds", str(seeds)])
        assert r.exit_code == 0 and r.output.startswith("wrote ")  # the file is no longer the build's: redrawn
        assert page.read_bytes() == before  # and it is the build's map again, byte for byte
    finally:
        page.write_bytes(before)
