"""Maps: which way deals run, which deals a filter keeps (and says it removed), what the overview, ego and
exposure maps hold, their layouts, and the HTML they become.

Browser behaviour (drawing, filtering in the page, search, hover cards, injection) is in test_maps_browser.py.
"""
from __future__ import annotations

import html as html_lib
import math
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.core.errors import DealgraphError
from graph.ingest.loading import load_seeds
from graph.publish.maps import DealFilter, MapOptions, ego_map, exposure_map, overview_map, render_html, write_map
from graph.publish.maps import flows, style
from graph.publish.maps.filters import usd_text
from graph.publish.maps.layout import component_layout, force_layout, layered_layout, separate
from graph.publish.maps.render import json_for_script
from graph.publish.maps.site import write_maps
from graph.publish.maps.visible import visible
from graph.ingest.synth import dataset_from_seeds, synthetic_dataset

from .support import SEEDS

INJECT = '<img src=x onerror="window.__xss=1">'
INJECT_ALIAS = "<script>window.__xss=2</script>"
INJECT_NOTE = "</script><script>window.__xss=3</script> & <b>bold</b>"
INJECT_ASSET = "<svg onload=window.__xss=4>"
INJECT_DEAL_NOTE = "<img src=y onerror=window.__xss=5>"
INJECT_CSV = '=HYPERLINK("http://evil.example","open")'


def crafted_seeds() -> dict[str, list[dict]]:
    """A small made-up dataset with one indirect chain and names that try to inject HTML.

    Dragon Bio (CN) licenses DB-101 to Harbor NewCo (formed by Peak Capital), which Globe Pharma
    then acquires: an indirect chain. Phoenix Biologics (CN) and the injecting company (CN) license
    directly to Globe Pharma.
    """
    src = ["t:1"]
    orgs = [
        {"id": "dragon", "name": "Dragon Bio", "country": "CN", "type": "biotech", "sources": src},
        {"id": "peak", "name": "Peak Capital", "country": "US", "type": "fund", "sources": src},
        {"id": "harbor", "name": "Harbor NewCo", "country": "US", "type": "newco", "formed_by": ["peak"],
         "sources": src},
        {"id": "globe", "name": "Globe Pharma", "aliases": ["Globe"], "country": "US", "type": "pharma",
         "multinational": True, "sources": src},
        {"id": "phoenix", "name": "Phoenix Biologics", "country": "CN", "type": "biotech", "sources": src},
        {"id": "evil", "name": INJECT, "aliases": [INJECT_ALIAS], "note": INJECT_NOTE, "country": "CN",
         "type": "biotech", "sources": src},
    ]
    assets = [
        {"id": "db-101", "name": "DB-101", "modality": "adc", "originator": "dragon", "sources": src},
        {"id": "px-7", "name": "PX-7", "modality": "monoclonal-antibody", "originator": "phoenix", "sources": src},
        {"id": "ev-1", "name": INJECT_ASSET, "modality": "small-molecule", "originator": "evil", "sources": src},
    ]
    deals = [
        {"id": "d1-dragon-harbor", "type": "licence", "date": "2023-02", "assets": ["db-101"],
         "parties": {"licensor": "dragon", "licensee": "harbor"},
         "terms": {"upfront": "USD 50 million", "milestones": "up to USD 900 million"}, "sources": ["t:2"]},
        {"id": "d2-globe-buys-harbor", "type": "acquisition", "date": "2024-06",
         "parties": {"target": "harbor", "acquirer": "globe"}, "terms": {"total": "USD 1.2 billion"},
         "sources": ["t:3"]},
        {"id": "d3-phoenix-globe", "type": "licence", "date": "2025-01", "assets": ["px-7"],
         "parties": {"licensor": "phoenix", "licensee": "globe"},
         "terms": {"upfront": "USD 100 million", "total": "up to USD 2 billion"}, "sources": ["t:4", "t:5"]},
        {"id": "d4-evil-globe", "type": "licence", "date": "2025-03", "assets": ["ev-1"], "title": INJECT_CSV,
         "parties": {"licensor": "evil", "licensee": "globe"}, "terms": {"upfront": "undisclosed"},
         "note": INJECT_DEAL_NOTE, "sources": ["t:6"]},
        {"id": "d5-phoenix-harbor", "type": "research-collaboration", "date": "2022",
         "parties": {"partner": ["phoenix", "harbor"]}, "sources": ["t:7"]},
    ]
    sources = [{"id": "t", "title": "Test note", "publisher": "tests", "date": "2025", "type": "note",
                "file": "t.txt"}]
    return {"sources": sources, "organizations": orgs, "assets": assets, "deals": deals, "events": [],
            "statistics": []}


@pytest.fixture(scope="module")
def seeds():
    return load_seeds(SEEDS)


@pytest.fixture(scope="module")
def crafted():
    return dataset_from_seeds(crafted_seeds(), "crafted")


def _node(mg, node_id):
    return next(n for n in mg.nodes if n.id == node_id)


def _line(mg, a, b, deal=None):
    return next(e for e in mg.edges if (e.source, e.target) == (a, b) and (deal is None or deal in e.deals))


# --------------------------------------------------------------------------- direction
def test_lines_run_from_the_giving_party_to_the_taking_one(seeds, crafted):
    # licence: licensor → licensee; acquisition: target → acquirer; procurement: seller → buyer
    assert flows.links(seeds.deals["2025-03-hengrui-msd"]) == [("hengrui", "msd", True)]
    assert flows.links(crafted.deals["d2-globe-buys-harbor"]) == [("harbor", "globe", True)]
    # a research collaboration between peers: one undirected line, ends in id order
    assert flows.links(crafted.deals["d5-phoenix-harbor"]) == [("harbor", "phoenix", False)]
    ds = dataset_from_seeds({**crafted_seeds(), "deals": [
        {"id": "x1", "type": "licence", "parties": {"licensor": "dragon", "licensee": ["globe", "harbor"]},
         "sources": ["t:1"]},
        {"id": "x2", "type": "co-development", "parties": {"licensor": "dragon", "co-developer": "globe"},
         "sources": ["t:1"]},
        {"id": "x3", "type": "equity-investment", "parties": {"investor": "peak", "investee": "harbor"},
         "sources": ["t:1"]}]}, "x")
    # two licensees of one deal: each gets a line from the licensor, none joins the two co-licensees
    assert flows.links(ds.deals["x1"]) == [("dragon", "globe", True), ("dragon", "harbor", True)]
    assert flows.links(ds.deals["x2"]) == [("dragon", "globe", True)]          # a peer takes from a giver
    assert flows.links(ds.deals["x3"]) == [("peak", "harbor", True)]           # investor → investee
    cn = {"dragon", "phoenix", "evil"}
    assert flows.direction(ds.deals["x1"], cn) == "out"
    assert flows.direction(crafted.deals["d5-phoenix-harbor"], cn) == "cross"
    assert flows.direction(crafted.deals["d2-globe-buys-harbor"], cn) == "foreign"


# --------------------------------------------------------------------------- filters
def test_filter_by_modality_family_takes_narrower_modalities(seeds):
    # SSGJ-707 is a bispecific antibody: 'antibody' and 'biologic' take it, 'small-molecule' does not
    deal = seeds.deals["2025-05-3sbio-pfizer"]
    assert DealFilter(modality="bispecific-antibody").matches(deal, seeds)
    assert DealFilter(modality="antibody").matches(deal, seeds)
    assert DealFilter(modality="biologic").matches(deal, seeds)
    assert not DealFilter(modality="small-molecule").matches(deal, seeds)
    assert not DealFilter(modality="adc").matches(deal, seeds)


def test_filter_words_match_in_any_case_and_by_label():
    assert DealFilter(modality="ADC").checked().modality == "adc"
    assert DealFilter(modality="Antibody-drug conjugate").checked().modality == "adc"
    assert DealFilter(deal_type="LICENCE").checked().deal_type == "licence"
    assert DealFilter(family="Licence or option", direction="OUT").checked().family == "licensing"
    with pytest.raises(DealgraphError, match=r"unknown modality 'antibodies'; did you mean .*\bantibody\b"):
        DealFilter(modality="antibodies").checked()
    with pytest.raises(DealgraphError, match="unknown deal type 'handshake': expected one of"):
        DealFilter(deal_type="handshake").checked()
    with pytest.raises(DealgraphError, match="--from 2025 is after --to 2020"):
        DealFilter(year_from=2025, year_to=2020).checked()


def test_filter_by_year_value_type_and_undated(seeds, crafted):
    d = seeds.deals["2025-05-3sbio-pfizer"]          # headline over USD 6 billion
    hm = seeds.deals["2025-03-hengrui-msd"]          # USD 200 million + up to 1.77 billion = 1.97 billion
    assert DealFilter(year_from=2025, year_to=2025).matches(d, seeds)
    assert not DealFilter(year_to=2024).matches(d, seeds)
    assert DealFilter(min_value_usd=2e9).matches(d, seeds) and not DealFilter(min_value_usd=2e9).matches(hm, seeds)
    assert DealFilter(min_value_usd=1.97e9).matches(hm, seeds)
    d5 = crafted.deals["d5-phoenix-harbor"]          # a research collaboration is a strategic collaboration
    assert DealFilter(deal_type="strategic-collaboration").matches(d5, crafted)
    assert not DealFilter(deal_type="licence").matches(d5, crafted)
    undated = seeds.deals["jnj-xtalpi"]
    assert undated.year is None
    assert not DealFilter(year_from=2000).matches(undated, seeds)              # default: a year bound drops it
    assert DealFilter(year_from=2000, undated=True).matches(undated, seeds)    # …unless undated are kept
    assert not DealFilter(undated=False).matches(undated, seeds)               # the page's switch turned off
    assert DealFilter().matches(undated, seeds)
    assert not DealFilter(min_value_usd=0).matches(crafted.deals["d4-evil-globe"], crafted)


def test_explain_says_what_each_criterion_removed(seeds):
    flt = DealFilter(year_from=2024, modality="antibody").checked()
    lines = flt.explain(seeds)
    dated_before = sum(1 for d in seeds.deals.values() if d.year is not None and d.year < 2024)
    undated = sum(1 for d in seeds.deals.values() if d.year is None)
    assert lines[0] == (f"years 2024–…: removed {dated_before + undated} of {len(seeds.deals)} deals "
                        f"({undated} undated)")
    left = [d for d in seeds.deals.values() if d.year is not None and d.year >= 2024]
    kept = [d for d in left if DealFilter(modality="antibody").matches(d, seeds)]
    assert lines[1] == f"modality Antibody (and narrower): removed {len(left) - len(kept)} of {len(left)} deals"


def test_money_is_written_exactly():
    assert usd_text(1970000000, "up-to") == "up to USD 1.97 billion"
    assert usd_text(Decimal("1234567890")) == "USD 1.23456789 billion"      # no rounding to 1.23
    assert usd_text(Decimal("12500000")) == "USD 12.5 million"
    assert usd_text(None) == ""


def test_line_width_grows_with_the_money_on_a_log_scale():
    # each tenfold step adds the same width: (20 billion / 10 million) spans log10(2000) = 3.301 decades
    step = (style.WIDTH_MAX - style.WIDTH_MIN - 1) / math.log10(2000)
    assert style.edge_width(10 ** 7) == style.WIDTH_MIN + 1
    assert style.edge_width(10 ** 8) == round(style.WIDTH_MIN + 1 + step, 2)
    assert style.edge_width(12 * 10 ** 9) > style.edge_width(10 ** 9) > style.edge_width(10 ** 8)
    assert style.edge_width(None) == style.WIDTH_MIN
    assert style.edge_width(None, 4, by="count") == 4.5                        # 1.5 + 1.5·log2(4)


# --------------------------------------------------------------------------- overview and ego maps
def test_overview_draws_every_deal_as_a_directed_line(seeds):
    mg = overview_map(seeds)
    assert set(mg.deals) == set(seeds.deals)
    on_lines = {d for e in mg.edges for d in e.deals}
    on_nodes = {d for n in mg.nodes for d in n.deals}
    assert on_lines | on_nodes == set(seeds.deals)
    assert all(len(seeds.deals[d].party_ids()) == 1 for d in on_nodes)
    # every deal line is one of the deal's flows.links, in its direction
    for e in mg.edges:
        for d in e.deals:
            assert (e.source[4:], e.target[4:], e.directed) in flows.links(seeds.deals[d])
    line = _line(mg, "org:hengrui", "org:msd", "2025-03-hengrui-msd")
    assert line.directed and line.kind == "deal"
    rec = mg.deals["2025-03-hengrui-msd"]
    assert rec["headline"] == "up to USD 1.97 billion" and rec["headline_usd"] == "1970000000"
    assert rec["upfront"] == "USD 200 million" and rec["upfront_usd"] == "200000000"
    assert rec["direction"] == {"mainland": "out", "greater": "out"}
    assert "caixin-2026:54" in rec["sources"]
    assert mg.documents["caixin-2026"][0].startswith("Chinese Drugmakers Strike Record")


def test_overview_colours_by_side_and_filters_apply(seeds):
    mg = overview_map(seeds)
    assert _node(mg, "org:hengrui").china and _node(mg, "org:msd").multinational
    assert _node(mg, "org:msd").groups["side"] == "multinational"
    only = overview_map(seeds, DealFilter(modality="antibody", min_value_usd=5e9))
    assert "2025-05-3sbio-pfizer" in only.deals
    assert all(DealFilter(modality="antibody", min_value_usd=5e9).matches(seeds.deals[d], seeds) for d in only.deals)
    assert "org:3sbio" in only.node_ids() and "org:hengrui" not in only.node_ids()
    assert "antibody" in only.subtitle.lower() and "USD 5 billion" in only.subtitle
    n = len(seeds.deals)
    with pytest.raises(DealgraphError, match=rf"no deal is left: years 2030–…: removed {n} of {n} deals"):
        overview_map(seeds, DealFilter(year_from=2030))


def test_ego_map_accepts_any_alias_and_refuses_a_lone_star(seeds):
    mg = ego_map(seeds, "jiangsu hengrui")          # an alias, in another case
    assert mg.focus == "org:hengrui" and _node(mg, "org:hengrui").focus
    assert {"org:msd", "org:gsk"} <= mg.node_ids()
    one, two = ego_map(seeds, "Hengrui", 1), ego_map(seeds, "Hengrui", 2)
    assert one.node_ids() < two.node_ids()
    with pytest.raises(DealgraphError, match="no organization called 'Hengr'; did you mean Jiangsu Hengrui"):
        ego_map(seeds, "Hengr")
    # the example: today a one-star map; now an error saying which filter removed the deals
    with pytest.raises(DealgraphError, match=r"Jiangsu Hengrui Pharmaceuticals has no deal left in this "
                                             r"selection: years 2024–…: removed \d+ of \d+ deals.*; modality Antibody"):
        ego_map(seeds, "Hengrui", flt=DealFilter(year_from=2024, modality="antibody"))


# --------------------------------------------------------------------------- exposure maps
def test_exposure_map_flows_originator_to_asset_to_multinational(seeds):
    mg = exposure_map(seeds, "Pfizer Inc.")
    assert mg.focus == "org:pfizer"
    first = _line(mg, "org:3sbio", "asset:ssgj-707")
    second = _line(mg, "asset:ssgj-707", "org:pfizer")
    assert first.deals == second.deals == ["2025-05-3sbio-pfizer"] and first.directed and second.directed
    assert _node(mg, "asset:ssgj-707").shape == "diamond"
    assert mg.deals["2025-05-3sbio-pfizer"]["upfront"] == "USD 1.25 billion"
    x = {n.id: n.x for n in mg.nodes}                  # read left to right
    assert x["org:3sbio"] < x["asset:ssgj-707"] < x["org:pfizer"]


def test_exposure_map_follows_newco_and_acquisition_chains(crafted):
    mg = exposure_map(crafted, "Globe")
    assert {"org:dragon", "org:harbor", "org:globe", "org:phoenix", "asset:db-101"} <= mg.node_ids()
    # Dragon's licence to Harbor carries DB-101; Globe then acquires Harbor
    assert _line(mg, "org:dragon", "asset:db-101").deals == ["d1-dragon-harbor"]
    assert _line(mg, "asset:db-101", "org:harbor").deals == ["d1-dragon-harbor"]
    assert _line(mg, "org:harbor", "org:globe").deals == ["d2-globe-buys-harbor"]
    assert _line(mg, "asset:px-7", "org:globe").deals == ["d3-phoenix-globe"]
    # Globe's three deals all bring it China-originated rights: d3 and d4 are licences from Chinese
    # companies, d2 (buying Harbor) ends the chain that carries Dragon's DB-101. None sells into China
    # and none is a stake, so sourcing 3 of 3, market 0 and capital 0; every partner's country is known.
    summary = dict(mg.summary)
    assert summary["Indirect chains"] == "2"
    assert (summary["Sourcing deals"], summary["Market deals"], summary["Capital deals"]) == ("3", "0", "0")
    measures = dict(_node(mg, "org:globe").measures)
    assert measures["Sourcing from China (headline)"] == "3 of 3 deals (100%)"
    assert measures["Market: selling into China"] == "0 of 3 deals (0%)"
    assert measures["Indirect China-originated assets"] == "1"
    x = {n.id: n.x for n in mg.nodes}
    assert x["org:dragon"] < x["asset:db-101"] < x["org:harbor"] < x["org:globe"]


# --------------------------------------------------------------------------- what the page shows under a filter
def test_visible_follows_the_deals_that_pass(crafted):
    mg = overview_map(crafted)
    # worked by hand: only the acquisition d2 (family corporate) passes → line harbor → globe; Harbor's
    # founder Peak Capital joins through the dotted formed-by line; 4 deals and 3 organizations hidden
    v = visible(mg, DealFilter(family="corporate"), crafted)
    assert v.deals == {"d2-globe-buys-harbor"}
    assert v.nodes == {"org:harbor", "org:globe", "org:peak"}
    assert {(mg.edges[i].source, mg.edges[i].target) for i in v.edges} == {("org:harbor", "org:globe"),
                                                                          ("org:harbor", "org:peak")}
    assert (v.hidden_deals, v.hidden_undated, v.hidden_organizations) == (4, 0, 3)
    assert v.line() == "hidden: 4 deals, 0 undated; 3 organizations"
    assert visible(mg, DealFilter(), crafted).line() == "showing all 5 deals"


# --------------------------------------------------------------------------- HTML
def _script_json(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_page_is_self_contained_and_escapes_everything(crafted):
    html = render_html(exposure_map(crafted, "globe"))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<link" not in html and "<script src" not in html
    assert "DealgraphRenderer" in html
    assert "default-src 'none'" in html_lib.unescape(html)      # a Content-Security-Policy forbids fetches
    for s in (INJECT, INJECT_ALIAS, INJECT_ASSET, INJECT_DEAL_NOTE, "<script>window.__xss=3"):
        assert s not in html
    assert "window.__xss" in html          # the text is still there, escaped
    data = _script_json(html)
    names = {n["label"] for n in data["nodes"]}
    assert INJECT in names and INJECT_ASSET in names
    evil = next(n for n in data["nodes"] if n["id"] == "org:evil")
    assert ["Note", INJECT_NOTE] in evil["about"] and INJECT_ALIAS in evil["names"]
    assert data["deals"]["d4-evil-globe"]["note"] == INJECT_DEAL_NOTE
    ego = render_html(ego_map(crafted, INJECT_ALIAS))
    assert INJECT not in ego and INJECT_ALIAS not in ego
    assert "<title>&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt; and its direct partners" in ego


def test_json_for_script_cannot_close_the_script():
    text = json_for_script({"x": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"x": "</script><!-- \u2028 & >"}


def test_same_input_same_bytes(seeds, tmp_path):
    a = write_map(ego_map(seeds, "msd", 2), tmp_path / "a.html").read_bytes()
    b = write_map(ego_map(seeds, "msd", 2), tmp_path / "b.html").read_bytes()
    assert a == b


def test_every_map_carries_positions():
    ds = synthetic_dataset(300, seed=3, orgs=150)
    for mg in (overview_map(ds), ego_map(ds, overview_map(ds).nodes[0].id[4:])):
        data = _script_json(render_html(mg))
        assert all(isinstance(n["x"], (int, float)) and isinstance(n["y"], (int, float)) for n in data["nodes"])
        assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])   # no two on one spot


# --------------------------------------------------------------------------- layouts
def test_force_layout_is_deterministic_and_keeps_linked_nodes_close():
    import networkx as nx

    G = nx.connected_caveman_graph(12, 8)      # 12 cliques of 8, joined in a ring
    nodes = sorted(G)
    edges = [(a, b, 1.0) for a, b in G.edges]
    p1, p2 = force_layout(nodes, edges), force_layout(nodes, edges)
    assert p1 == p2
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in p1.values())
    linked = sum(math.dist(p1[a], p1[b]) for a, b, _ in edges) / len(edges)
    pairs = [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]]
    overall = sum(math.dist(p1[a], p1[b]) for a, b in pairs) / len(pairs)
    assert linked < overall / 3


def test_separate_leaves_no_overlap_and_components_do_not_mix():
    import numpy as np

    pos = separate(np.zeros((6, 2)), np.array([10.0, 10, 10, 20, 5, 5]), gap=4)
    for i in range(6):
        for j in range(i + 1, 6):
            need = [10.0, 10, 10, 20, 5, 5][i] + [10.0, 10, 10, 20, 5, 5][j] + 4
            assert math.dist(pos[i], pos[j]) >= need - 0.5
    # two triangles and a pair: each component's bounding box is apart from the others'
    edges = [("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("d", "e", 1), ("e", "f", 1), ("d", "f", 1), ("g", "h", 1)]
    p = component_layout(list("abcdefgh"), edges, sizes=dict.fromkeys("abcdefgh", 8.0))
    boxes = [[p[k] for k in comp] for comp in ("abc", "def", "gh")]

    def box(ps):
        return min(x for x, _ in ps), max(x for x, _ in ps), min(y for _, y in ps), max(y for _, y in ps)
    for i in range(3):
        for j in range(i + 1, 3):
            a, b = box(boxes[i]), box(boxes[j])
            assert a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]


def test_layered_layout_reads_left_to_right():
    pos = layered_layout(["cn", "asset", "newco", "mnc", "cn2"],
                         [("cn", "asset"), ("asset", "newco"), ("newco", "mnc"), ("cn2", "mnc")], "mnc")
    assert pos["cn"][0] < pos["asset"][0] < pos["newco"][0] < pos["mnc"][0]
    assert pos["cn2"][0] == pos["cn"][0] and pos["mnc"][0] == max(x for x, _ in pos.values())


# --------------------------------------------------------------------------- CLI and the build's map set
def test_cli_says_what_filters_removed_and_refuses_an_empty_map(tmp_path, seeds):
    out = tmp_path / "adc.html"
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--modality", "ADC", "--out", str(out)])
    assert r.exit_code == 0, r.output
    adc = [d for d in seeds.deals.values() if DealFilter(modality="adc").matches(d, seeds)]
    assert (f"filter modality Antibody-drug conjugate (and narrower): removed {len(seeds.deals) - len(adc)} of "
            f"{len(seeds.deals)} deals") in r.output
    assert set(_script_json(out.read_text())["deals"]) == {d.id for d in adc}
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--focus", "Hengrui", "--from", "2024",
                                  "--modality", "antibody", "--out", str(tmp_path / "star.html")])
    assert r.exit_code == 1 and "has no deal left in this selection" in r.output
    assert not (tmp_path / "star.html").exists()
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--modality", "antibodies"])
    assert r.exit_code == 1 and r.output.startswith("error: no modality called 'antibodies'; did you mean Antibody")
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--min-value", "lots"])
    assert r.exit_code == 1 and "--min-value 'lots' is not an amount in USD" in r.output
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--focus", "msd", "--exposure", "pfizer"])
    assert r.exit_code == 1 and "choose one of" in r.output


def test_cli_min_value_direction_and_undated(tmp_path):
    out = tmp_path / "big.html"
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--min-value", "5b", "--direction", "out",
                                  "--out", str(out)])
    assert r.exit_code == 0, r.output
    data = _script_json(out.read_text())
    assert "2025-05-3sbio-pfizer" in data["deals"] and "2025-03-hengrui-msd" not in data["deals"]
    assert all(d["dir"][0] == "out" for d in data["deals"].values())
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--from", "2025", "--undated",
                                  "--out", str(out)])
    assert r.exit_code == 0 and "years 2025–… (and undated): removed" in r.output
    assert any("date" not in d for d in _script_json(out.read_text())["deals"].values())


def test_write_maps_writes_overview_ego_and_exposure_per_multinational(crafted, tmp_path):
    maps = write_maps(crafted, tmp_path)
    assert {m.path for m in maps} == {"maps/overview.html", "maps/ego-globe.html", "maps/exposure-globe.html"}
    for m in maps:
        assert (tmp_path / m.path).is_file() and m.nodes > 0
    assert Path(tmp_path / "maps/exposure-globe.html").read_text().count("d2-globe-buys-harbor") >= 1


def test_saved_centrality_is_reused_only_for_the_same_dataset(crafted, tmp_path):
    from graph.analysis import run_analyses
    from graph.publish.maps.filters import replace_deals
    from graph.publish.maps.site import saved_centrality

    assert saved_centrality(tmp_path, crafted) is None
    run_analyses(crafted, tmp_path)
    table = saved_centrality(tmp_path, crafted)
    assert table is not None and {r["id"] for r in table.rows} == set(crafted.organizations)
    fewer = replace_deals(crafted, {k: d for k, d in crafted.deals.items() if k != "d3-phoenix-globe"})
    assert saved_centrality(tmp_path, fewer) is None       # an older build's file is not used


def test_maps_and_report_reuse_the_analyses_centrality(tmp_path):
    # The shipped seeds roll Janssen, JLABS and JJDC into Johnson & Johnson, so the partner network has
    # fewer nodes than there are organizations; the saved table must still be recognised as this
    # dataset's (else the map set and the report compute centrality again), and an older file must not.
    from graph.analysis import centrality_table, partner_graph, run_analyses
    from graph.publish.maps.site import saved_centrality

    ds = load_seeds(Path(__file__).resolve().parent.parent / "seeds")
    run_analyses(ds, tmp_path)
    saved = saved_centrality(tmp_path, ds)
    assert saved is not None
    fresh = centrality_table(partner_graph(ds))
    assert [r["id"] for r in saved.rows] == [r["id"] for r in fresh.rows]
    assert "janssen" not in {r["id"] for r in saved.rows} and "janssen" in ds.organizations
    data = json.loads((tmp_path / "centrality.json").read_text())
    data["organizations"][0]["deals"] += 1          # a file written for other seeds
    (tmp_path / "centrality.json").write_text(json.dumps(data))
    assert saved_centrality(tmp_path, ds) is None
