"""`dealgraph build` writes its outputs, is repeatable, and a failed build changes nothing."""
from __future__ import annotations

import json

from click.testing import CliRunner
from rdflib import Graph

from graph.cli import main

from .support import copy_fixture


def _build(seeds, out, *extra):
    return CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(out), "--store", "none",
                                     "--no-analyses", "-q", *extra])


def test_build_writes_rdf_and_summary(tmp_path):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    r = _build(seeds, out)
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} >= {"graph.ttl", "graph.jsonld", "summary.json"}
    ttl = Graph().parse(out / "graph.ttl")
    jsonld = Graph().parse(out / "graph.jsonld", format="json-ld")
    assert len(ttl) == len(jsonld) > 100
    summary = json.loads((out / "summary.json").read_text())
    assert summary["records"]["deals"] == 1
    assert summary["deals_by_type"] == {"licence": 1}
    assert summary["deals_by_year"] == {"2025": 1}
    assert summary["deals_by_modality"] == {"adc": 1}
    assert summary["organizations_by_country"] == {"CN": 1, "US": 1, "unknown": 1}
    assert "deals by type" in r.output  # the summary table is printed


def test_build_twice_gives_identical_files(tmp_path):
    seeds = copy_fixture(tmp_path)
    _build(seeds, tmp_path / "a")
    _build(seeds, tmp_path / "b")
    for name in ("graph.ttl", "graph.jsonld", "summary.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_failed_build_keeps_previous_outputs(tmp_path):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    assert _build(seeds, out).exit_code == 0
    before = (out / "graph.ttl").read_bytes()
    (seeds / "deals.yaml").write_text((seeds / "deals.yaml").read_text().replace("licence", "handshake"))
    r = _build(seeds, out)
    assert r.exit_code == 2
    assert "seeds/deals.yaml:2: type: unknown deal type 'handshake'" in r.output
    assert (out / "graph.ttl").read_bytes() == before


def test_validate_prints_a_summary_and_checks_citations(tmp_path):
    seeds = copy_fixture(tmp_path)
    from .support import FIXTURE_DOCS
    r = CliRunner().invoke(main, ["validate", "--seeds", str(seeds), "--docs", str(FIXTURE_DOCS)])
    assert r.exit_code == 0, r.output
    assert "deals" in r.output and "every citation checked" in r.output
    (seeds / "assets.yaml").write_text((seeds / "assets.yaml").read_text().replace("[mini:2]", "[mini:1]"))
    r = CliRunner().invoke(main, ["validate", "--seeds", str(seeds), "--docs", str(FIXTURE_DOCS)])
    assert r.exit_code == 2  # a citation problem is a seed problem, located like the others
    assert "1 problem in the seeds" in r.output and "seeds/assets.yaml:1: sources: mini:1:" in r.output


def test_conflicts_and_coverage_on_fixture(tmp_path):
    seeds = copy_fixture(tmp_path)
    r = CliRunner().invoke(main, ["conflicts", "--seeds", str(seeds), "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output) == []
    r = CliRunner().invoke(main, ["coverage", "--seeds", str(seeds), "--format", "json"])
    rows = {row["measure"]: row for row in json.loads(r.output)}
    # the fixture's one 2025 deal against the reported 12 deals worth USD 3.5 billion
    assert rows["china-out-licensing-deal-count"]["graph"] == 1
    assert rows["china-out-licensing-deal-count"]["share"] == "8.3%"
    assert rows["china-out-licensing-total-value"]["graph"] == 1.25e9  # upfront 50m + up to 1.2bn milestones
    assert rows["china-out-licensing-total-value"]["share"] == "35.7%"


def test_help_for_every_command():
    for cmd in main.commands:
        r = CliRunner().invoke(main, [cmd, "--help"])
        assert r.exit_code == 0 and "Usage:" in r.output, cmd
