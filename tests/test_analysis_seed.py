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
from graph.core.errors import DealgraphError
from graph.ingest.loading import load_seeds

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def ds():
    return load_seeds(SEEDS)


def deal_with(e, partner: str) -> dict:
    found = [d for d in e.direct["deal_list"] if partner in d["partners"]]
    assert found, f"{e.org} has no China deal with {partner}"
    return found[0]


def ids(f: dict) -> set[str]:
    return {r["deal"] for r in f["deal_list"]}


# --------------------------------------------------------------------------- facts from the documents
def test_pfizer_3sbio_upfront_and_equity(ds):
    # caixin-2026:76 — USD 1.25 billion upfront, up to USD 4.8 billion milestones, USD 100 million equity
    e = exposure(ds, "pfizer")
    d = deal_with(e, "3sbio")
    assert d["upfront_usd"] == 1.25e9 and d["equity_usd"] == 100e6 and d["inbound"] is True
    assert "ssgj-707" in d["assets"] and "bispecific-antibody" in d["modalities"]
    assert e.sourcing["upfront_usd"] >= 1.25e9 and e.sourcing["equity_usd"] >= 100e6
    assert "3sbio" in [p["id"] for p in e.sourcing["partners"]]


def test_gsk_hengrui_about_12_billion(ds):
    # caixin-2026:52 — "valued at approximately $12 billion (including a $500 million upfront payment)"
    e = exposure(ds, "gsk")
    d = deal_with(e, "hengrui")
    assert (d["headline_usd"], d["qualifier"], d["basis"]) == (12e9, "about", "total")
    assert d["upfront_usd"] == 500e6
    assert e.sourcing["by_qualifier"]["about"]["deals"] >= 1


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


# --------------------------------------------------------------------------- by direction, counted by hand
def test_bayer_by_direction(ds):
    e = exposure(ds, "bayer")
    # 12 deals of the group (Bayer, Co.Lab, AskBio, BlueRock…), 10 with a Chinese counterparty; the two others
    # buy AskBio and BlueRock in the US (chinabio-2025:138)
    assert (e.direct["deals"], e.direct["all_deals"]) == (10, 12)
    # sourcing 5: Tsinghua and Peking University partnerships (chinabio-2025:116), Puhe's global licence
    # (chinabio-2025:128), Ji Xing's priority rights (chinabio-2025:134), AskBio with Belief BioMed (chinabio-2025:144)
    assert ids(e.sourcing) == {"bayer-tsinghua", "bayer-peking-university", "puhe-bayer",
                               "ji-xing-bayer-priority-rights", "2024-09-askbio-belief-biomed"}
    # market 1: Sinopharm buys its devices (ciie-2025:105)
    assert ids(e.market) == {"2025-sinopharm-bayer-procurement"}
    # capital 4: the three Co.Lab Shanghai residents (chinabio-2025:116) and the Ji Xing financing with RTW
    # (chinabio-2025:134); RTW, the co-investor, is not a partner
    assert ids(e.capital) == {"2024-09-bayer-colab-accuredit", "2024-09-bayer-colab-epigenic",
                              "2024-09-bayer-colab-immunocan", "rtw-bayer-ji-xing-equity"}
    assert "rtw" not in [p["id"] for p in e.capital["partners"]]
    # Bayer is credited with its own USD 35 million of the USD 162 million Ji Xing round (chinabio-2025:134),
    # the only capital deal with a disclosed amount
    assert (e.capital["value_usd"], e.capital["equity_usd"]) == (35e6, 35e6)
    assert (e.sourcing["share"], e.market["share"], e.capital["share"]) == (round(5 / 12, 6), round(1 / 12, 6),
                                                                            round(4 / 12, 6))
    assert e.sourcing["possible_deals"] == e.market["possible_deals"] == e.capital["possible_deals"] == 0


def test_johnson_and_johnson_by_direction(ds):
    e = exposure(ds, "jnj")
    # the J&J–Ronovo record rests on a booth line (ciie-2025:13; issue #10 audit): counted only while it is a deal
    ronovo = int("jnj-ronovo-surgical" in ds.deals)
    # 10 deals (+ Ronovo): Legend (chinabio-2025:76), Hangzhou DAC licence (:84) and JJDC's stake in it (:86),
    # Hitgen and WuXi Advanced Therapies (:96; WuXi AT is US-based), XtalPi (:92), Kaken (JP), LegoChem and Yuhan
    # (KR) (:98), Sinopharm procurement (ciie-2025:105): Chinese counterparty in 6 (+ Ronovo) → 7/11 with Ronovo
    assert (e.direct["deals"], e.direct["all_deals"]) == (6 + ronovo, 10 + ronovo)
    assert {"2017-legend-jnj", "hangzhou-dac-jnj", "jnj-hitgen", "jnj-xtalpi"} <= ids(e.sourcing)
    assert e.sourcing["deals"] == 4 + ronovo and "jnj-wuxi-advanced-therapies" not in ids(e.sourcing)
    assert ids(e.market) == {"2025-sinopharm-jnj-procurement"}
    assert ids(e.capital) == {"jjdc-hangzhou-dac-series-c-extension"}     # JJDC is J&J's venture arm


def test_medtronic_by_direction(ds):
    e = exposure(ds, "medtronic")
    # 4 deals, all with Chinese partners: co-development with Keensea and GenLight (ciie-2025:13) is sourcing;
    # Sinopharm's procurement (ciie-2025:105) and Cardioacc's catheters for mainland China (ciie-2025:108) market
    assert (e.direct["deals"], e.direct["all_deals"]) == (4, 4)
    assert ids(e.sourcing) == {"medtronic-keensea-medical", "medtronic-genlight-medtech"}
    assert ids(e.market) == {"2025-sinopharm-medtronic-procurement", "2025-medtronic-cardioacc"}
    assert (e.sourcing["share"], e.market["share"], e.capital["deals"]) == (0.5, 0.5, 0)


def test_gsk_and_gilead_source_through_hengrui_and_the_ouro_chain(ds):
    g = exposure(ds, "gsk")
    # one deal: Hengrui co-development, about USD 12 billion with USD 500 million upfront (caixin-2026:52)
    assert (g.sourcing["deals"], g.sourcing["all_deals"], g.sourcing["value_usd"], g.sourcing["upfront_usd"]) == (
        1, 1, 12e9, 500e6)
    assert g.indirect["assets"] == 1                 # CM336 through Ouro, which GSK incubated (pharmcube-2026:401)
    gi = exposure(ds, "gilead")
    # one deal: buying Ouro (US) for USD 2.175 billion (pharmcube-2026:403); no Chinese counterparty, but Ouro holds
    # Keymed's CM336 (pharmcube-2026:401): a sourcing deal through the chain, 1 of 1
    assert (gi.direct["deals"], gi.sourcing["deals"], gi.sourcing["all_deals"]) == (0, 1, 1)
    assert gi.sourcing["value_usd"] == 2.175e9
    assert gi.sourcing["deal_list"][0]["via"] == ["chain", "originator"]
    assert gi.sourcing["partners"][0]["id"] == "keymed"


@pytest.mark.parametrize("seller", ["siemens-healthineers", "philips", "ge-healthcare", "varian", "terumo", "agilent",
                                    "b-braun", "edwards-lifesciences", "livanova"])
def test_medtech_sellers_show_market_not_sourcing(ds, seller):
    e = exposure(ds, seller)
    # their China deal is Sinopharm buying their equipment (ciie-2025:105): 100% market, 0% sourcing
    assert "2025-sinopharm-" + seller + "-procurement" in ids(e.market)
    assert e.market["share"] == 1.0
    assert e.sourcing["deals"] == e.sourcing["deals_high"] == 0


def test_sanofi_fund_is_capital(ds):
    e = exposure(ds, "sanofi")
    # RMB 2 billion fund with Cathay Capital (ciie-2025:112): 1 of 1, capital; Cathay is a co-host, not a partner
    assert (e.capital["deals"], e.capital["all_deals"], e.sourcing["deals"]) == (1, 1, 0)
    assert [p["id"] for p in e.capital["partners"]] == ["sanofi-cathay-fund"]


def test_hengrui_found_by_alias(ds):
    assert find_org(ds, "Jiangsu Hengrui").id == "hengrui"
    assert find_org(ds, "MSD").id == "msd"
    with pytest.raises(DealgraphError, match="did you mean 'Pfizer'"):
        find_org(ds, "Pfzer")


def test_every_multinational_has_a_row_and_partners_are_chinese(ds):
    results = exposures(ds)
    assert {e.org for e in results} == {o.id for o in ds.organizations.values() if o.multinational}
    for e in results:
        for m in ("sourcing", "market", "capital"):
            f = e.measure(m)
            assert all(p["country"] == "CN" for p in f["partners"])
            assert f["deals"] == f["disclosed_deals"] + f["undisclosed_deals"]
            assert f["deals"] <= f["deals_high"] <= f["all_deals"]


def test_readme_table_is_current(ds):
    from graph.analysis.exposure_text import README_END, README_START, readme_block

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    assert start >= 0 and end > start, "README.md has no generated exposure block"
    assert text[start:end + len(README_END)] + "\n" == readme_block(exposures(ds)), (
        "README.md's exposure table is stale: run `dealgraph exposure --update-readme README.md`")


# --------------------------------------------------------------------------- the partner network
def test_partner_graph_on_seeds(ds):
    G = partner_graph(ds)
    assert G["3sbio"]["pfizer"]["flows"] == ["2025-05-3sbio-pfizer"] and not G.has_edge("pfizer", "3sbio")
    rows = {r["id"]: r for r in centrality_table(G).rows}
    assert rows["pfizer"]["degree"] >= 1 and rows["pfizer"]["multinational"] is True


def test_co_licensees_and_co_investors_are_not_partners(ds):
    # GeneQuantum licensed to Biohaven and Aimed Bio together (caixin-2026:37); TPG, NEA and Norwest led Ouro's
    # Series A together (pharmcube-2026:403): co-parties, not partners
    G = partner_graph(ds)
    for a, b in (("biohaven", "aimed-bio"), ("nea", "tpg"), ("nea", "norwest"), ("tpg", "norwest")):
        assert not G.has_edge(a, b) and not G.has_edge(b, a), (a, b)
    assert G["genequantum"]["biohaven"]["flows"] == G["genequantum"]["aimed-bio"]["flows"] == [
        "2025-01-genequantum-biohaven"]
    assert G["tpg"]["ouro"]["flows"] == ["2025-01-ouro-series-a"]
    Q = partner_graph(ds, co_parties=True)
    assert Q["biohaven"]["aimed-bio"]["co_party"] == ["2025-01-genequantum-biohaven"]
    assert Q["nea"]["tpg"]["co_party"] == ["2025-01-ouro-series-a"]


def test_janssen_jlabs_jjdc_are_johnson_and_johnson(ds):
    G = partner_graph(ds)
    assert {"janssen", "jlabs", "jjdc"}.isdisjoint(G) and {"janssen", "jlabs", "jjdc"} <= set(G.nodes["jnj"]["members"])
    assert G["jnj"]["hangzhou-dac"]["flows"] == ["jjdc-hangzhou-dac-series-c-extension"]   # JJDC's investment
    apart = partner_graph(ds, roll_up=False)
    assert "jjdc" in apart and not apart.has_edge("jnj", "jjdc") and not apart.has_edge("jjdc", "jnj")


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
    assert header[:6] == ["id", "name", "country", "all_deals", "all_value_usd", "sourcing_deals"]
    data = json.loads((out / "exposure.json").read_text())
    pf = next(m for m in data["multinationals"] if m["id"] == "pfizer")
    assert pf["sourcing_upfront_usd"] >= 1.25e9 and pf["sourcing_share"] == 1.0
    assert "undisclosed" in data["meta"]["definitions"]
    # again, in another process with another hash seed: byte-identical CSV and JSON
    code = (f"from graph.ingest.loading import load_seeds; from graph.analysis import run_analyses;"
            f"run_analyses(load_seeds({str(SEEDS)!r}), {str(tmp_path / 'b')!r})")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert _snapshot(out) == _snapshot(tmp_path / "b")


def test_report_shows_the_three_measures_with_bounds(ds, tmp_path):
    import re

    from graph.publish.maps.report import report_html

    run_analyses(ds, tmp_path)
    page = report_html(ds, tmp_path)
    section = page[page.index('<section id="exposure">'):page.index('<section id="conflicts">')]
    assert "sourcing" in section and "market" in section and "capital" in section and "lower and an upper bound" in section
    cells = lambda name: re.findall(r"<td[^>]*>([^<]*)</td>", section[section.index(f"<td>{name}</td>"):].split("</tr>")[0])
    # Philips: 1 deal; sourcing 0 (0%), market 1 (100%), capital 0 (ciie-2025:105)
    assert cells("Philips")[1:] == ["NL", "1", "0", "0%", "—", "0", "1", "100%", "0", "0%"]
    assert cells("Gilead")[3:7] == ["1", "100%", "USD 2.175 billion", "1"]


# --------------------------------------------------------------------------- stores
def _check_store(store, ds, out: Path) -> None:
    from graph.stores.property_graph import to_property_graph

    store.load(to_property_graph(ds))
    run_analyses(ds, out, store=store)
    rows = store.query("MATCH (o:Organization {id: $id}) RETURN o.degree AS degree, o.community AS community, "
                       "o.pagerank AS pagerank, o.sourcing_deals AS sourcing, o.sourcing_value_usd AS value, "
                       "o.china_indirect_assets AS indirect", {"id": "pfizer"})
    assert len(rows) == 1
    r = rows[0]
    assert r["degree"] >= 1 and r["sourcing"] >= 1 and r["value"] >= 1.25e9
    assert isinstance(r["community"], int) and 0 < r["pagerank"] < 1
    gsk = store.query("MATCH (o:Organization {id: $id}) RETURN o.china_indirect_assets AS n", {"id": "gsk"})
    assert gsk[0]["n"] >= 1
    # a Chinese company is not a multinational: centrality yes, exposure no
    hr = store.query("MATCH (o:Organization {id: $id}) RETURN o.degree AS d, o.sourcing_deals AS c", {"id": "hengrui"})
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
    assert any("3sbio" in d["partners"] and d["upfront_usd"] == 1.25e9 for d in data["sourcing"]["deal_list"])
    assert data["market"]["deals"] == data["capital"]["deals"] == 0


def test_cli_exposure_one_table_and_period():
    res = _cli("exposure", "GSK", "--seeds", str(SEEDS), "--from", "2025", "--to", "2025")
    assert res.exit_code == 0, res.output
    assert "SOURCING: 1 of 1 deals (100%)" in res.output and "2025–2025" in res.output
    assert "Jiangsu Hengrui" in res.output and "about USD" not in res.output   # the value, exact: USD 12 billion
    assert "headline value USD 12 billion; upfront USD 500 million" in res.output
    res = _cli("exposure", "--seeds", str(SEEDS), "--format", "csv", "--greater-china")
    lines = res.output.splitlines()
    assert lines[0].startswith("id,name,country,all_deals") and any(line.startswith("pfizer,") for line in lines)
    res = _cli("exposure", "--seeds", str(SEEDS))
    philips = next(line for line in res.output.splitlines() if line.startswith("Philips "))
    # all deals 1; sourcing 0 (0%); market 1 (100%)
    assert philips.split()[1:4] == ["1", "0", "0%"] and "100%" in philips


def test_cli_exposure_update_readme(tmp_path):
    from graph.analysis.exposure_text import README_END, README_START

    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{README_START}\nold\n{README_END}\n\nafter\n", encoding="utf-8")
    res = _cli("exposure", "--seeds", str(SEEDS), "--update-readme", str(readme))
    assert res.exit_code == 0 and "updated" in res.output
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "| Philips | 1 | 0 | 0% |" in text and text.endswith("\nafter\n")
    again = _cli("exposure", "--seeds", str(SEEDS), "--update-readme", str(readme))
    assert "already current" in again.output and readme.read_text(encoding="utf-8") == text
    printed = _cli("exposure", "--seeds", str(SEEDS), "--readme").output
    assert printed in text


def test_cli_exposure_unknown_name_suggests():
    from graph.cli import main

    # a small typo is resolved by the one name resolver (graph.find.resolve) and said on stderr
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


def test_cli_centrality_co_parties_and_subsidiaries_on_request():
    def degree(*extra: str) -> dict[str, int]:
        res = _cli("centrality", "--top", "500", "--format", "json", "--seeds", str(SEEDS), *extra)
        return {r["id"]: r["degree"] for r in json.loads(res.output)["organizations"]}

    plain, co, apart = degree(), degree("--co-parties"), degree("--keep-subsidiaries")
    # Biohaven's only partner is GeneQuantum; with co-parties Aimed Bio joins
    assert (plain["biohaven"], co["biohaven"]) == (1, 2)
    assert "jjdc" not in plain and apart["jjdc"] == 1
