"""Maps: which deals a filter keeps, what the overview, ego and exposure maps hold, and the HTML they become.

Browser behaviour (drawing, hovering, offline loading, injection) is in test_maps_browser.py.
"""
from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import DealgraphError
from graph.loading import load_seeds
from graph.maps import DealFilter, MapOptions, ego_map, exposure_map, overview_map, render_html, write_map
from graph.maps.layout import PRECOMPUTED_ABOVE, force_layout
from graph.maps.render import json_for_script
from graph.maps.site import write_maps
from graph.synth import dataset_from_seeds, synthetic_dataset

from .support import SEEDS

INJECT = '<img src=x onerror="window.__xss=1">'
INJECT_ALIAS = "<script>window.__xss=2</script>"
INJECT_NOTE = "</script><script>window.__xss=3</script> & <b>bold</b>"
INJECT_ASSET = "<svg onload=window.__xss=4>"
INJECT_DEAL_NOTE = "<img src=y onerror=window.__xss=5>"


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
        {"id": "d4-evil-globe", "type": "licence", "date": "2025-03", "assets": ["ev-1"],
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


def _edge(mg, a, b):
    return next(e for e in mg.edges if {e.source, e.target} == {a, b})


# --------------------------------------------------------------------------- filters
def test_filter_by_modality_family_takes_narrower_modalities(seeds):
    # SSGJ-707 is a bispecific antibody: 'antibody' and 'biologic' take it, 'small-molecule' does not
    deal = seeds.deals["2025-05-3sbio-pfizer"]
    assert DealFilter(modality="bispecific-antibody").matches(deal, seeds)
    assert DealFilter(modality="antibody").matches(deal, seeds)
    assert DealFilter(modality="biologic").matches(deal, seeds)
    assert not DealFilter(modality="small-molecule").matches(deal, seeds)
    assert not DealFilter(modality="adc").matches(deal, seeds)


def test_filter_by_year_value_and_type(seeds, crafted):
    d = seeds.deals["2025-05-3sbio-pfizer"]          # headline at least USD 6 billion
    hm = seeds.deals["2025-03-hengrui-msd"]          # USD 200 million + up to 1.77 billion = 1.97 billion
    assert DealFilter(year_from=2025, year_to=2025).matches(d, seeds)
    assert not DealFilter(year_to=2024).matches(d, seeds)
    assert DealFilter(min_value_usd=2e9).matches(d, seeds) and not DealFilter(min_value_usd=2e9).matches(hm, seeds)
    assert DealFilter(min_value_usd=1.97e9).matches(hm, seeds)
    # narrower deal types count: a research collaboration is a strategic collaboration
    d5 = crafted.deals["d5-phoenix-harbor"]
    assert DealFilter(deal_type="strategic-collaboration").matches(d5, crafted)
    assert not DealFilter(deal_type="licence").matches(d5, crafted)
    # undated deals fail any year bound; undisclosed values fail any minimum
    undated = seeds.deals["immuneonco-axion-licence"]
    assert undated.year is None and not DealFilter(year_from=2000).matches(undated, seeds)
    assert not DealFilter(min_value_usd=0).matches(crafted.deals["d4-evil-globe"], crafted)


def test_filter_rejects_unknown_words_with_the_allowed_ones():
    with pytest.raises(DealgraphError, match=r"unknown modality 'antibodies': expected one of .*\bantibody\b"):
        DealFilter(modality="antibodies").checked()
    with pytest.raises(DealgraphError, match="unknown deal type 'handshake'"):
        DealFilter(deal_type="handshake").checked()
    with pytest.raises(DealgraphError, match="--from 2025 is after --to 2020"):
        DealFilter(year_from=2025, year_to=2020).checked()


# --------------------------------------------------------------------------- overview and ego maps
def test_overview_has_every_organization_in_a_deal_and_filters_apply(seeds):
    mg = overview_map(seeds)
    ids = mg.node_ids()
    in_deals = {p for d in seeds.deals.values() for p in d.party_ids()}
    assert {f"org:{o}" for o in in_deals} <= ids
    assert set(mg.deals) == set(seeds.deals)
    # a deal with one recorded party sits on that party's node, the others on the lines between parties
    on_edges = {d for e in mg.edges for d in e.deals}
    on_nodes = {d for n in mg.nodes for d in n.deals}
    assert on_edges | on_nodes == set(seeds.deals)
    assert all(len(seeds.deals[d].party_ids()) == 1 for d in on_nodes)
    only = overview_map(seeds, DealFilter(modality="antibody", min_value_usd=5e9))
    assert "2025-05-3sbio-pfizer" in only.deals
    assert all(DealFilter(modality="antibody", min_value_usd=5e9).matches(seeds.deals[d], seeds) for d in only.deals)
    assert "org:3sbio" in only.node_ids() and "org:hengrui" not in only.node_ids()
    assert "antibody" in only.subtitle.lower() and "USD 5 billion" in only.subtitle


def test_ego_map_accepts_any_alias_and_shows_deal_details(seeds):
    mg = ego_map(seeds, "Jiangsu Hengrui")          # an alias of hengrui
    assert mg.focus == "org:hengrui" and _node(mg, "org:hengrui").focus
    assert {"org:msd", "org:gsk"} <= mg.node_ids()
    edge = _edge(mg, "org:hengrui", "org:msd")
    assert "2025-03-hengrui-msd" in edge.deals
    info = mg.deals["2025-03-hengrui-msd"]
    assert info["headline"] == "up to USD 1.97 billion"
    assert info["upfront"] == "USD 200 million"
    assert info["date"] == "2025-03" and info["type"] == "Licence"
    assert "caixin-2026:54" in info["sources"]
    assert ["licensor", "Jiangsu Hengrui Pharmaceuticals"] in info["parties"]
    # every node is within one link of Hengrui
    neighbours = {e.source for e in mg.edges if e.target == "org:hengrui"} | \
                 {e.target for e in mg.edges if e.source == "org:hengrui"}
    assert mg.node_ids() == neighbours | {"org:hengrui"}


def test_more_hops_reach_further(seeds):
    one, two = ego_map(seeds, "Hengrui", 1), ego_map(seeds, "Hengrui", 2)
    assert one.node_ids() < two.node_ids()
    with pytest.raises(DealgraphError, match="no organization called 'Hengr'; did you mean Jiangsu Hengrui"):
        ego_map(seeds, "Hengr")


def test_nodes_carry_centrality_from_the_analysis(seeds):
    from graph.analysis import centrality_table, partner_graph

    rows = {r["id"]: r for r in centrality_table(partner_graph(seeds)).rows}
    mg = overview_map(seeds, opts=MapOptions(size_by="degree"))
    hub = max(mg.nodes, key=lambda n: n.size)
    assert rows[hub.id[4:]]["degree"] == max(r["degree"] for r in rows.values())
    info = dict(_node(mg, "org:hengrui").info)
    assert info["Partners (degree)"] == str(rows["hengrui"]["degree"])
    assert info["Headquarters"] == "China (CN)"
    coloured = overview_map(seeds, opts=MapOptions(colour_by="community"))
    assert {n.group for n in coloured.nodes} >= {f"Community {rows['hengrui']['community']}"}


# --------------------------------------------------------------------------- exposure maps
def test_exposure_map_shows_direct_partners_and_the_assets(seeds):
    mg = exposure_map(seeds, "Pfizer Inc.")
    assert mg.focus == "org:pfizer"
    edge = next(e for e in mg.edges if e.source == "org:3sbio" and e.target == "org:pfizer")
    assert edge.arrow and "2025-05-3sbio-pfizer" in edge.deals
    assert mg.deals["2025-05-3sbio-pfizer"]["upfront"] == "USD 1.25 billion"
    asset = _node(mg, "asset:ssgj-707")
    assert asset.shape == "diamond"
    assert any(e.source == "org:3sbio" and e.target == "asset:ssgj-707" and e.style == "originated" for e in mg.edges)


def test_exposure_map_follows_newco_and_acquisition_chains(crafted):
    mg = exposure_map(crafted, "Globe")
    ids = mg.node_ids()
    assert {"org:dragon", "org:harbor", "org:globe", "org:phoenix", "asset:db-101"} <= ids
    chain1 = next(e for e in mg.edges if (e.source, e.target) == ("org:dragon", "org:harbor"))
    chain2 = next(e for e in mg.edges if (e.source, e.target) == ("org:harbor", "org:globe"))
    assert chain1.deals == ["d1-dragon-harbor"] and chain1.style == "licence"
    assert chain2.deals == ["d2-globe-buys-harbor"] and chain2.style == "acquisition"
    direct = next(e for e in mg.edges if (e.source, e.target) == ("org:phoenix", "org:globe"))
    assert direct.deals == ["d3-phoenix-globe"]
    # the research collaboration carries Phoenix's unnamed rights to Harbor, then on to Globe: a second chain
    unnamed = next(e for e in mg.edges if (e.source, e.target) == ("org:phoenix", "org:harbor"))
    assert unnamed.deals == ["d5-phoenix-harbor"]
    assert dict(mg.summary)["Indirect chains"] == "2"
    assert dict(mg.summary)["China deals"] == "2"
    focus = dict(_node(mg, "org:globe").info)
    assert focus["Indirect China-originated assets"] == "1"


# --------------------------------------------------------------------------- HTML
def _script_json(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_page_is_self_contained_and_escapes_everything(crafted):
    html = render_html(exposure_map(crafted, "globe"))
    # nothing is loaded from elsewhere: no external src/href, no link elements, vis-network inlined
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<link" not in html and "<script src" not in html
    assert "vis-network" in html and "new vis.Network" in html
    assert "default-src 'none'" in html_lib.unescape(html)      # a Content-Security-Policy forbids fetches
    # the injected strings never appear as markup, only JSON-escaped
    for s in (INJECT, INJECT_ALIAS, INJECT_ASSET, INJECT_DEAL_NOTE, "<script>window.__xss=3"):
        assert s not in html
    assert "window.__xss" in html          # the text is still there, escaped
    data = _script_json(html)
    names = {n["name"] for n in data["nodes"]}
    assert INJECT in names and INJECT_ASSET in names
    evil = next(n for n in data["nodes"] if n["id"] == "org:evil")
    assert ["Note", INJECT_NOTE] in evil["info"]
    assert data["deals"]["d4-evil-globe"]["note"] == INJECT_DEAL_NOTE
    # a title holding the name is HTML-escaped in <head> and in the header
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


def test_large_maps_carry_positions_and_open_without_physics():
    ds = synthetic_dataset(900, seed=3, orgs=420)
    mg = overview_map(ds)
    assert len(mg.nodes) > PRECOMPUTED_ABOVE
    data = _script_json(render_html(mg))
    assert data["precomputed"] and data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    labelled = [n for n in data["nodes"] if n.get("label")]
    assert 0 < len(labelled) < len(data["nodes"])    # only the most central carry a label
    small = _script_json(render_html(ego_map(ds, mg.nodes[0].id[4:])))
    if len(small["nodes"]) <= PRECOMPUTED_ABOVE:
        assert small["options"]["physics"]["enabled"] and "x" not in small["nodes"][0]


def test_force_layout_is_deterministic_and_keeps_linked_nodes_close():
    import math

    import networkx as nx

    G = nx.connected_caveman_graph(12, 8)      # 12 cliques of 8, joined in a ring
    nodes = sorted(G)
    edges = [(a, b, 1.0) for a, b in G.edges]
    p1, p2 = force_layout(nodes, edges), force_layout(nodes, edges)
    assert p1 == p2
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in p1.values())

    def dist(a, b):
        return math.dist(p1[a], p1[b])
    linked = sum(dist(a, b) for a, b, _ in edges) / len(edges)
    pairs = [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]]
    overall = sum(dist(a, b) for a, b in pairs) / len(pairs)
    assert linked < overall / 3


# --------------------------------------------------------------------------- CLI and the build's map set
def test_cli_writes_a_map_and_reports_bad_input(tmp_path):
    out = tmp_path / "hengrui.html"
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--focus", "Jiangsu Hengrui", "--hops", "2",
                                  "--from", "2020", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert out.is_file() and f"wrote {out}" in r.output
    assert "Jiangsu Hengrui Pharmaceuticals" in _script_json(out.read_text())["title"]
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--modality", "antibodies"])
    assert r.exit_code == 1 and r.output.startswith("error: no modality called 'antibodies'; did you mean Antibody")
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--min-value", "lots"])
    assert r.exit_code == 1 and "--min-value 'lots' is not an amount in USD" in r.output
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--focus", "msd", "--exposure", "pfizer"])
    assert r.exit_code == 1 and "choose one of" in r.output


def test_cli_min_value_accepts_short_forms(tmp_path):
    out = tmp_path / "big.html"
    r = CliRunner().invoke(main, ["map", "--seeds", str(SEEDS), "--min-value", "5b", "--out", str(out)])
    assert r.exit_code == 0, r.output
    data = _script_json(out.read_text())
    assert "2025-05-3sbio-pfizer" in data["deals"] and "2025-03-hengrui-msd" not in data["deals"]


def test_write_maps_writes_overview_ego_and_exposure_per_multinational(crafted, tmp_path):
    maps = write_maps(crafted, tmp_path)
    paths = {m.path for m in maps}
    assert paths == {"maps/overview.html", "maps/ego-globe.html", "maps/exposure-globe.html"}
    for m in maps:
        assert (tmp_path / m.path).is_file() and m.nodes > 0
    assert Path(tmp_path / "maps/exposure-globe.html").read_text().count("d2-globe-buys-harbor") >= 1


def test_saved_centrality_is_reused_only_for_the_same_dataset(crafted, tmp_path):
    from graph.analysis import run_analyses
    from graph.maps.filters import replace_deals
    from graph.maps.site import saved_centrality

    assert saved_centrality(tmp_path, crafted) is None
    run_analyses(crafted, tmp_path)
    table = saved_centrality(tmp_path, crafted)
    assert table is not None and {r["id"] for r in table.rows} == set(crafted.organizations)
    fewer = replace_deals(crafted, {k: d for k, d in crafted.deals.items() if k != "d3-phoenix-globe"})
    assert saved_centrality(tmp_path, fewer) is None       # an older build's file is not used
