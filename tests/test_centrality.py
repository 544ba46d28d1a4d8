"""Partner network (on the tiny seed set of ``graph.analysis.examples``) and centrality (on a worked graph).

The partner network of the tiny set, direction folded (edge: deals linking the pair):
    cn1–mnc d1 d3   cn1–mnc2 d3 d9   cn1–us1 d13   cn1–unk d13   cn2–mnc d2   cn2–newco d5   cn2–us1 d8
    cn2–med d14 (medsub, rolled into med)   us1–mnc d4   hk1–mnc d7   newco–mnc2 d6   med–cnbuy d10
    med–cninv d11   vc1–cninv d11   med–unk d12;   fund: no deal
Co-parties are not linked: mnc–mnc2 (co-developers of cn1's d3), us1–unk (co-licensees of d13), med–vc1
(co-investors of d11).

The centrality measures are pinned on WORKED, a fixed 8-node graph (edge: weight):
    cn1–mnc 2   cn2–mnc 1   mnc–mnc2 1   cn1–mnc2 2   us1–mnc 1   cn2–newco 1   newco–mnc2 1   hk1–mnc 1
    cn2–us1 1   fund: isolated
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis import centrality as C
from graph.analysis.examples import write_tiny_seeds
from graph.analysis.partners import deal_links, partner_graph, undirected

ROOT = Path(__file__).resolve().parents[1]
WORKED_EDGES = [("cn1", "mnc", 2, 3.0e9), ("cn2", "mnc", 1, 0.0), ("mnc", "mnc2", 1, 2.0e9),
                ("cn1", "mnc2", 2, 2.0e9), ("us1", "mnc", 1, 3.0e8), ("cn2", "newco", 1, 2.0e7),
                ("newco", "mnc2", 1, 1.0e9), ("hk1", "mnc", 1, 4.0e8), ("cn2", "us1", 1, 5.0e6)]


@pytest.fixture(scope="module")
def G():
    g = nx.Graph()
    g.add_nodes_from(["cn1", "cn2", "fund", "hk1", "mnc", "mnc2", "newco", "us1"])
    for a, b, w, v in WORKED_EDGES:
        g.add_edge(a, b, weight=w, value_usd=v)
    return g


# --------------------------------------------------------------------------- the partner network
def test_licence_gives_a_directed_edge_from_licensor_to_licensee(tiny):
    P = partner_graph(tiny)
    assert P.is_directed()
    assert P["cn1"]["mnc"]["flows"] == ["d1", "d3"] and not P.has_edge("mnc", "cn1")
    assert P["cn1"]["mnc"]["weight"] == 2 and P["cn1"]["mnc"]["value_usd"] == 3.0e9
    assert P["newco"]["mnc2"]["flows"] == ["d6"]        # acquisition: target → acquirer
    assert P["med"]["cnbuy"]["flows"] == ["d10"]        # procurement: seller → buyer
    assert P["med"]["cninv"]["flows"] == ["d11"]        # investment: investor → investee
    # a collaboration of peers links both ways, as mutual
    assert P["cn2"]["med"]["mutual"] == P["med"]["cn2"]["mutual"] == ["d14"]


def test_no_edge_between_co_parties_unless_asked(tiny):
    P = partner_graph(tiny)
    # co-licensees us1 and unk (d13), co-investors med and vc1 (d11), co-developers mnc and mnc2 (d3)
    for a, b in (("us1", "unk"), ("med", "vc1"), ("mnc", "mnc2")):
        assert not P.has_edge(a, b) and not P.has_edge(b, a)
    assert ("unk", "us1", "co-party") in deal_links(tiny.deals["d13"])
    Q = partner_graph(tiny, co_parties=True)
    assert Q["us1"]["unk"]["co_party"] == Q["unk"]["us1"]["co_party"] == ["d13"]
    assert Q["mnc"]["mnc2"]["co_party"] == ["d3"]
    # centrality leaves them out unless asked: us1's partners are cn1, cn2, mnc; with co-parties also unk
    assert C.degree(undirected(P))["us1"] == 3 and C.degree(undirected(Q))["us1"] == 4


def test_subsidiaries_roll_up_into_their_multinational(tiny):
    P = partner_graph(tiny)
    assert "medsub" not in P and P.nodes["med"]["members"] == ["med", "medsub"]
    assert P.nodes["med"]["deals"] == 4                 # d10 d11 d12 + medsub's d14
    apart = partner_graph(tiny, roll_up=False)
    assert apart["medsub"]["cn2"]["mutual"] == ["d14"] and not apart.has_edge("med", "cn2")
    assert set(apart) == set(tiny.organizations)


def test_folded_network_by_hand(tiny):
    H = undirected(partner_graph(tiny))
    assert sorted(H) == ["cn1", "cn2", "cnbuy", "cninv", "fund", "hk1", "med", "mnc", "mnc2", "newco", "unk", "us1",
                         "vc1"]
    assert H.number_of_edges() == 15                    # listed in the module docstring
    assert H["mnc"]["cn1"]["deals"] == ["d1", "d3"] and H["mnc"]["cn1"]["weight"] == 2
    assert H["cn2"]["mnc"]["value_usd"] == 0.0         # d2 undisclosed: a deal, no value
    assert C.degree(H)["mnc"] == 4 and C.degree(H)["fund"] == 0   # cn1 cn2 us1 hk1; mnc2 is a co-party


def test_relations_are_optional_edges(tiny):
    P = partner_graph(tiny, relations=("formed_by",))
    assert P["newco"]["fund"]["relations"] == ["formed_by"] and P["newco"]["fund"]["weight"] == 1
    # with subsidiaries kept apart, the subsidiary link is an edge; rolled up, it is inside the group
    assert partner_graph(tiny, relations=("subsidiary_of",), roll_up=False)["medsub"]["med"]["relations"] == [
        "subsidiary_of"]
    assert not partner_graph(tiny, relations=("subsidiary_of",)).has_edge("medsub", "med")
    with pytest.raises(ValueError, match="unknown relation 'owns'"):
        partner_graph(tiny, relations=("owns",))


def test_degrees_by_hand(G):
    assert C.degree(G) == {"cn1": 2, "cn2": 3, "fund": 0, "hk1": 1, "mnc": 5, "mnc2": 3, "newco": 2, "us1": 2}
    # mnc: 2 (cn1) + 1 (cn2) + 1 (mnc2) + 1 (us1) + 1 (hk1) = 6
    w = C.weighted_degree(G)
    assert (w["mnc"], w["mnc2"], w["cn1"], w["cn2"], w["fund"]) == (6.0, 4.0, 4.0, 3.0, 0.0)
    # by value, mnc: 3.0e9 (cn1) + 0 (cn2) + 2.0e9 (mnc2, d3) + 0.3e9 (us1) + 0.4e9 (hk1) = 5.7e9
    assert C.weighted_degree(G, "value_usd")["mnc"] == pytest.approx(5.7e9)


def test_betweenness_exact_by_hand(G):
    b = C.betweenness(G)
    assert b.meta == {"method": "exact", "nodes": 8}
    # pair dependencies (n = 8, normalised by 2/((n-1)(n-2)) = 1/21):
    # mnc: hk1 to each of 5 others (5) + mnc2–cn2 (½: also via newco) + mnc2–us1 (1) + cn1–cn2 (1) + cn1–us1 (1)
    #      = 8.5 → 8.5/21
    # mnc2: mnc–newco (½) + cn1–newco (1) + hk1–newco (½) = 2 → 2/21;  cn2: mnc–newco ½ + us1–newco 1 + hk1–newco ½
    # newco: mnc2–cn2 (½) → 0.5/21; cn1, us1, hk1, fund: 0
    assert b.values["mnc"] == pytest.approx(8.5 / 21)
    assert b.values["mnc2"] == pytest.approx(2 / 21)
    assert b.values["cn2"] == pytest.approx(2 / 21)
    assert b.values["newco"] == pytest.approx(0.5 / 21)
    assert b.values["cn1"] == b.values["hk1"] == b.values["fund"] == 0.0


def test_betweenness_sampled_above_limit_records_k_and_seed(G):
    b = C.betweenness(G, exact_limit=3, k=4, seed=7)
    assert b.meta == {"method": "sampled", "nodes": 8, "k": 4, "seed": 7}
    assert C.betweenness(G, exact_limit=3, k=4, seed=7).values == b.values   # same seed, same sample
    # with every node as a source the sample is the whole graph: the exact values again
    full = C.betweenness(G, exact_limit=3, k=8, seed=1)
    assert full.values == pytest.approx(C.betweenness(G).values)


def test_closeness_by_hand(G):
    c = C.closeness(G).values
    # component of 7 nodes in a graph of 8: closeness = (r-1)/(n-1) * (r-1)/Σd = 6/7 * 6/Σd
    # mnc: distance 1 to cn1, cn2, mnc2, us1, hk1 and 2 to newco → Σd = 7 → 36/49
    assert c["mnc"] == pytest.approx(36 / 49)
    # hk1: mnc 1; cn1, cn2, mnc2, us1 2; newco 3 → Σd = 12 → 36/84
    assert c["hk1"] == pytest.approx(36 / 84)
    assert c["fund"] == 0.0


def test_closeness_sampled_small_components_exact_large_ones_pivoted(G):
    # above the limit, a component no larger than k is still computed exactly…
    s = C.closeness(G, exact_limit=3, k=7, seed=0)
    assert s.meta["method"] == "sampled" and s.meta["pivots"] == 0 and s.meta["sampled_components"] == 0
    assert s.values == pytest.approx(C.closeness(G).values)
    # …a larger one from k pivots (here 6 of its 7 nodes), recorded with the seed
    rough = C.closeness(G, exact_limit=3, k=6, seed=0)
    assert (rough.meta["pivots"], rough.meta["sampled_components"], rough.meta["seed"]) == (6, 1, 0)
    assert rough.values["fund"] == 0.0
    assert all(v > 0 for k, v in rough.values.items() if k != "fund")
    assert max(rough.values, key=rough.values.get) == "mnc"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_betweenness_and_closeness_are_networkx_figures(seed):
    # the exact measures run in rustworkx; on sparse random graphs with isolated nodes, pairs and one
    # larger component they give the table exactly what networkx.betweenness/closeness_centrality give
    G = nx.relabel_nodes(nx.gnm_random_graph(300, 330, seed=seed), lambda i: f"org{i:03d}")
    G.add_nodes_from(["zz-alone", "zz-pair-a", "zz-pair-b"])
    G.add_edge("zz-pair-a", "zz-pair-b")
    want_b = {v: round(x, C.DIGITS) + 0.0 for v, x in nx.betweenness_centrality(G, normalized=True).items()}
    want_c = {v: round(x, C.DIGITS) + 0.0 for v, x in nx.closeness_centrality(G).items()}
    assert C.betweenness(G).values == want_b
    assert C.closeness(G).values == want_c
    # the pair: each reaches one other at distance 1 in a graph of 303 → 1/1 * 1/302
    assert max(want_b.values()) > 0.05 and want_c["zz-alone"] == 0.0 and want_c["zz-pair-a"] == round(1 / 302, 12)


def test_pagerank_by_hand_on_star_with_isolated_node():
    # star a–b, a–c, a–d and isolated e; alpha 0.85. e: x_e = 0.17 x_e/… → e = 0.03/0.83
    # K = 0.85 e/5 + 0.03 = e; centre c = 3.55 K / 0.2775; leaf l = 0.85 c/3 + K
    G = nx.star_graph(["a", "b", "c", "d"])
    G.add_node("e")
    pr = C.pagerank(G)
    e = 0.03 / 0.83
    centre = 3.55 * e / 0.2775
    leaf = 0.85 * centre / 3 + e
    assert pr["e"] == pytest.approx(e, rel=1e-6)
    assert pr["a"] == pytest.approx(centre, rel=1e-6)
    assert pr["b"] == pr["c"] == pr["d"] == pytest.approx(leaf, rel=1e-6)
    assert sum(pr.values()) == pytest.approx(1.0)


def test_pagerank_weights_pull_the_walker(G):
    pr = C.pagerank(G)
    assert max(pr, key=pr.get) == "mnc"
    assert sum(pr.values()) == pytest.approx(1.0)


def test_louvain_numbering_by_size_then_smallest_id():
    G = nx.Graph([("b1", "b2"), ("b2", "b3"), ("b1", "b3"), ("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("a3", "b1")])
    G.add_edge("c1", "c2")
    G.add_edge("c2", "c3")
    G.add_edge("c3", "c4")
    G.add_edge("c1", "c4")
    G.add_node("z")
    com = C.communities(G)
    # the 4-cycle is largest (0); the two triangles tie on size 3, 'a1' < 'b1' → a is 1, b is 2; z alone is 3
    assert com == {"a1": 1, "a2": 1, "a3": 1, "b1": 2, "b2": 2, "b3": 2, "c1": 0, "c2": 0, "c3": 0, "c4": 0, "z": 3}


def test_table_has_every_measure_and_sorts(G):
    t = C.centrality_table(G)
    assert [r["id"] for r in t.rows] == sorted(G)
    assert set(t.rows[0]) == {"id", "name", "country", "multinational", *C.METRICS}
    top = t.sorted("betweenness")
    # mnc 8.5/21, then cn2 and mnc2 tie at 2/21: ties go by id
    assert [r["id"] for r in top[:4]] == ["mnc", "cn2", "mnc2", "newco"]
    assert [r["id"] for r in C.sort_rows(t.rows, "degree", descending=False)][:2] == ["fund", "hk1"]
    assert t.meta["betweenness"]["method"] == "exact" and t.meta["nodes"] == 8 and t.meta["edges"] == 9
    with pytest.raises(KeyError, match="unknown metric 'fame'"):
        C.sort_rows(t.rows, "fame")


def test_same_result_whatever_the_hash_seed(tmp_path):
    """Louvain, sampling and float sums give byte-identical tables under different PYTHONHASHSEEDs."""
    seeds = write_tiny_seeds(tmp_path / "seeds")
    code = ("import json,sys; from graph.ingest.loading import load_seeds; from graph.analysis.partners import partner_graph;"
            "from graph.analysis.centrality import centrality_table;"
            f"G = partner_graph(load_seeds({str(seeds)!r}));"
            "print(json.dumps(centrality_table(G, exact_limit=3, k=4).rows, sort_keys=True))")
    outs = []
    for hs in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hs}
        outs.append(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                                   check=True).stdout)
    assert outs[0] == outs[1] and outs[0].startswith("[")


def test_doctests_in_centrality(tiny):
    import doctest

    res = doctest.testmod(C, extraglobs={"tiny": tiny}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted >= 7
