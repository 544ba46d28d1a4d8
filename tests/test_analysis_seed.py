"""Analyses on the real seeds (facts checked by hand against the source documents), the files
``run_analyses`` writes, figures written back into real stores, and the ``centrality`` / ``exposure`` commands.

The seed set grows; these tests assert facts that stay true, never totals.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.analysis import exposure, exposures, partner_graph, run_analyses
from graph.analysis.centrality import centrality_table
from graph.analysis.names import find_org
from graph.errors import DealgraphError
from graph.loading import load_seeds

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def ds():
    return load_seeds(SEEDS)


def deal_with(e, partner: str) -> dict:
    found = [d for d in e.direct["deal_list"] if partner in d["partners"]]
    assert found, f"{e.org} has no China deal with {partner}"
    return found[0]


# --------------------------------------------------------------------------- facts from the documents
def test_pfizer_3sbio_upfront_and_equity(ds):
    # caixin-2026:76 — USD 1.25 billion upfront, up to USD 4.8 billion milestones, USD 100 million equity
    e = exposure(ds, "pfizer")
    d = deal_with(e, "3sbio")
    assert d["upfront_usd"] == 1.25e9 and d["equity_usd"] == 100e6 and d["inbound"] is True
    assert "ssgj-707" in d["assets"] and "bispecific-antibody" in d["modalities"]
    assert e.direct["upfront_usd"] >= 1.25e9 and e.direct["equity_usd"] >= 100e6
    assert "3sbio" in [p["id"] for p in e.direct["partners"]]


def test_gsk_hengrui_about_12_billion(ds):
    # caixin-2026:52 — "valued at approximately $12 billion (including a $500 million upfront payment)"
    e = exposure(ds, "gsk")
    d = deal_with(e, "hengrui")
    assert (d["headline_usd"], d["qualifier"], d["basis"]) == (12e9, "about", "total")
    assert d["upfront_usd"] == 500e6
    assert e.direct["by_qualifier"]["about"]["deals"] >= 1


def test_msd_hengrui_upfront_plus_up_to_milestones(ds):
    # caixin-2026:54 — USD 200 million upfront and up to USD 1.77 billion in milestones: headline "up to 1.97 billion"
    d = deal_with(exposure(ds, "msd"), "hengrui")
    assert d["headline_usd"] == pytest.approx(1.97e9) and d["qualifier"] == "up-to" and d["basis"] == "parts"
    assert d["upfront_usd"] == 200e6


def test_takeda_innovent_up_to_11_4_billion(ds):
    # caixin-2026:39 — "could be worth up to $11.4 billion"
    d = deal_with(exposure(ds, "takeda"), "innovent")
    assert (d["headline_usd"], d["qualifier"]) == (11.4e9, "up-to")


def test_gsk_reaches_keymed_cm336_through_ouro(ds):
    # pharmcube-2026:401 — Keymed licensed CM336 to Platina (an Ouro subsidiary); Ouro was incubated by GSK
    chains = exposure(ds, "gsk").indirect["chain_list"]
    cm336 = [c for c in chains if c["asset"] == "cm336"]
    assert cm336 and cm336[0]["originator"] == "keymed" and "ouro" in cm336[0]["chain"]
    assert cm336[0]["chain"][-1] == "gsk"


def test_hengrui_found_by_alias(ds):
    assert find_org(ds, "Jiangsu Hengrui").id == "hengrui"
    assert find_org(ds, "MSD").id == "msd"
    with pytest.raises(DealgraphError, match="did you mean 'Pfizer'"):
        find_org(ds, "Pfzer")


def test_every_multinational_has_a_row_and_partners_are_chinese(ds):
    results = exposures(ds)
    assert {e.org for e in results} == {o.id for o in ds.organizations.values() if o.multinational}
    for e in results:
        for p in e.direct["partners"]:
            assert p["country"] == "CN"
        assert e.direct["deals"] == e.direct["disclosed_deals"] + e.direct["undisclosed_deals"]


def test_partner_graph_on_seeds(ds):
    G = partner_graph(ds)
    assert set(G) == set(ds.organizations)
    assert "2025-05-3sbio-pfizer" in G["3sbio"]["pfizer"]["deals"]
    rows = {r["id"]: r for r in centrality_table(G).rows}
    assert rows["pfizer"]["degree"] >= 1 and rows["pfizer"]["multinational"] is True


# --------------------------------------------------------------------------- files
def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix in (".csv", ".json")}


def test_run_analyses_writes_identical_files(ds, tmp_path):
    r = run_analyses(ds, tmp_path / "a")
    out = tmp_path / "a"
    for name in ("centrality.csv", "centrality.json", "exposure.csv", "exposure.json",
                 "plots/centrality_top.png", "plots/exposure.png", "exposure/pfizer.json"):
        assert (out / name).is_file(), name
    assert (out / "plots" / "exposure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert r["centrality"]["betweenness"]["method"] == "exact"
    header = (out / "exposure.csv").read_text().splitlines()[0].split(",")
    assert header[:4] == ["id", "name", "country", "china_deals"]
    data = json.loads((out / "exposure.json").read_text())
    pf = next(m for m in data["multinationals"] if m["id"] == "pfizer")
    assert pf["china_upfront_usd"] >= 1.25e9
    assert "undisclosed" in data["meta"]["definitions"]
    # again, in another process with another hash seed: byte-identical CSV and JSON
    code = (f"from graph.loading import load_seeds; from graph.analysis import run_analyses;"
            f"run_analyses(load_seeds({str(SEEDS)!r}), {str(tmp_path / 'b')!r})")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert _snapshot(out) == _snapshot(tmp_path / "b")


# --------------------------------------------------------------------------- stores
def _check_store(store, ds, out: Path) -> None:
    from graph.property_graph import to_property_graph

    store.load(to_property_graph(ds))
    run_analyses(ds, out, store=store)
    rows = store.query("MATCH (o:Organization {id: $id}) RETURN o.degree AS degree, o.community AS community, "
                       "o.pagerank AS pagerank, o.china_deals AS china_deals, o.china_value_usd AS value, "
                       "o.china_indirect_assets AS indirect", {"id": "pfizer"})
    assert len(rows) == 1
    r = rows[0]
    assert r["degree"] >= 1 and r["china_deals"] >= 1 and r["value"] >= 1.25e9
    assert isinstance(r["community"], int) and 0 < r["pagerank"] < 1
    gsk = store.query("MATCH (o:Organization {id: $id}) RETURN o.china_indirect_assets AS n", {"id": "gsk"})
    assert gsk[0]["n"] >= 1
    # a Chinese company is not a multinational: centrality yes, exposure no
    hr = store.query("MATCH (o:Organization {id: $id}) RETURN o.degree AS d, o.china_deals AS c", {"id": "hengrui"})
    assert hr[0]["d"] >= 2 and hr[0]["c"] is None


def test_figures_written_to_ladybug(ds, tmp_path):
    from graph.stores.ladybug import LadybugStore

    s = LadybugStore(tmp_path / "graph.lbdb")
    try:
        _check_store(s, ds, tmp_path / "out")
    finally:
        s.close()


def test_figures_written_to_neo4j(ds, tmp_path, neo4j_uri):
    from graph.stores.neo4j import Neo4jStore

    user = os.environ.get("NEO4J_USER") if os.environ.get("NEO4J_URI") else None
    password = os.environ.get("NEO4J_PASSWORD") if os.environ.get("NEO4J_URI") else None
    s = Neo4jStore(neo4j_uri, user=user, password=password)
    try:
        s.clear()
        _check_store(s, ds, tmp_path / "out")
    finally:
        s.close()


# --------------------------------------------------------------------------- commands
def _cli(*args: str):
    from graph.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_exposure_by_alias_json():
    res = _cli("exposure", "Pfizer Inc.", "--format", "json", "--seeds", str(SEEDS))
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["id"] == "pfizer"
    assert any("3sbio" in d["partners"] and d["upfront_usd"] == 1.25e9 for d in data["direct"]["deal_list"])


def test_cli_exposure_table_and_period():
    res = _cli("exposure", "GSK", "--seeds", str(SEEDS), "--from", "2025", "--to", "2025")
    assert res.exit_code == 0, res.output
    assert "hengrui" in res.output and "about: " in res.output and "2025–2025" in res.output
    res = _cli("exposure", "--seeds", str(SEEDS), "--format", "csv", "--greater-china")
    lines = res.output.splitlines()
    assert lines[0].startswith("id,name,country,china_deals") and any(line.startswith("pfizer,") for line in lines)


def test_cli_exposure_unknown_name_suggests():
    from graph.cli import main

    # a small typo is resolved by the one name resolver (graph.resolve) and said on stderr
    res = CliRunner().invoke(main, ["exposure", "Pfzer", "--seeds", str(SEEDS)])
    assert res.exit_code == 0 and res.stdout.startswith("Pfizer (pfizer")
    assert res.stderr.strip() == "note: 'Pfzer' taken as organization Pfizer (pfizer)"
    res = CliRunner().invoke(main, ["exposure", "Pfizer Qqzx Nowhere", "--seeds", str(SEEDS)])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.startswith("error: no organization called 'Pfizer Qqzx Nowhere'; did you mean Pfizer (pfizer)")


def test_cli_centrality_top_by_metric():
    res = _cli("centrality", "--top", "3", "--by", "pagerank", "--format", "csv", "--seeds", str(SEEDS))
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert len(lines) == 4 and lines[0].startswith("id,name,country,deals,degree")
    pr = [float(line.rsplit(",", 2)[1]) for line in lines[1:]]
    assert pr == sorted(pr, reverse=True)
    res = _cli("centrality", "--top", "2", "--format", "json", "--seeds", str(SEEDS), "--exact-limit", "5",
               "--sample", "10", "--seed", "3")
    meta = json.loads(res.output)["meta"]["betweenness"]
    assert (meta["method"], meta["k"], meta["seed"]) == ("sampled", 10, 3)
