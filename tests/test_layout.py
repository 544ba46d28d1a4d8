"""Map layouts at scale: the exact and the mesh repulsion agree, the spatial hash finds every close pair,
overlap removal through it moves nodes exactly as the all-pairs rule does, layered layouts stay compact
when deals run in a cycle, and deal records are made once per dataset but never shared.

(The readability checks of whole maps are in test_maps.py; timings are in bench/bench_map_layout.py.)
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

from graph.publish.maps import cards, layout
from graph.publish.maps.layout import close_pairs, force_layout, layered_layout, separate
from graph.ingest.synth import synthetic_dataset

from .support import all_pairs_separate


def _linked_vs_overall(pos, nodes, edges) -> float:
    linked = sum(math.dist(pos[a], pos[b]) for a, b, _ in edges) / len(edges)
    pairs = [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]]
    return linked / (sum(math.dist(pos[a], pos[b]) for a, b in pairs) / len(pairs))


def test_force_layout_reads_the_same_below_and_above_the_direct_size():
    small, large = nx.connected_caveman_graph(12, 8), nx.connected_caveman_graph(24, 9)
    assert len(small) <= layout.DIRECT_UP_TO < len(large)          # both repulsion paths are exercised
    for G in (small, large):
        nodes, edges = sorted(G), [(a, b, 1.0) for a, b in G.edges]
        sizes = dict.fromkeys(nodes, 6.0)
        p1 = force_layout(nodes, edges, sizes=sizes)
        assert p1 == force_layout(nodes, edges, sizes=sizes)
        assert _linked_vs_overall(p1, nodes, edges) < 1 / 3
        assert min(math.dist(p1[a], p1[b]) for i, a in enumerate(nodes) for b in nodes[i + 1:]) >= 12 + 8 - 1.5


def test_mesh_repulsion_approximates_the_exact_sum():
    rng = np.random.default_rng(3)
    pos = rng.normal(size=(150, 2)) * 10
    mass = 1 + rng.integers(0, 5, 150).astype(float)
    exact = layout._direct_repulsion(pos, mass)
    mesh = layout._mesh_repulsion(64)(pos, mass)
    rel = np.linalg.norm(exact - mesh, axis=1) / np.linalg.norm(exact, axis=1)
    assert np.median(rel) < 0.1
    assert np.mean(np.sum(exact * mesh, axis=1) > 0) > 0.95        # same direction nearly everywhere


def test_close_pairs_finds_every_pair_within_reach_once():
    rng = np.random.default_rng(5)
    pos = np.vstack([rng.normal(0, 30, (300, 2)), rng.uniform(-500, 500, (200, 2)), [[7.0, 7.0]] * 3])
    for reach in (4.0, 25.0, 2000.0):
        i, j = close_pairs(pos, reach)
        got = {(min(a, b), max(a, b)) for a, b in zip(i.tolist(), j.tolist())}
        assert len(got) == len(i) and all(a != b for a, b in got)
        d = np.linalg.norm(pos[:, None] - pos[None], axis=2)
        want = {(a, b) for a, b in zip(*np.nonzero(np.triu(d < reach, 1)))}
        assert want <= got
    assert all(len(close_pairs(p, r)[0]) == 0 for p, r in ((pos[:0], 5.0), (pos[:1], 5.0), (pos, 0.0)))


def test_separate_moves_nodes_as_the_all_pairs_rule_does():
    rng = np.random.default_rng(11)
    radii = rng.uniform(4, 18, 400)
    for box in (700, 1000):                   # crowded (60 rounds leave overlaps either way), then roomy
        pos = rng.uniform(0, box, (400, 2))
        fast, slow = separate(pos, radii), all_pairs_separate(pos, radii)
        assert np.allclose(fast, slow, atol=1e-6)
    d = np.linalg.norm(fast[:, None] - fast[None], axis=2) + np.eye(400) * 1e9
    assert (d >= radii[:, None] + radii[None] + 8 - 0.5).all()      # nothing overlaps when there is room


def test_layered_layout_stays_compact_when_deals_run_in_a_cycle():
    # cn licenses an asset to b, b licenses it on to c, c back to b (a cycle), then the multinational
    nodes = ["cn", "asset", "b", "c", "mnc"] + [f"x{i}" for i in range(40)]
    edges = [("cn", "asset"), ("asset", "b"), ("b", "c"), ("c", "b"), ("c", "mnc")]
    edges += [(f"x{i}", f"x{i + 1}") for i in range(39)] + [("x39", "x0")]    # a long cycle too
    pos = layered_layout(nodes, edges, "mnc")
    columns = sorted({x for x, _ in pos.values()})
    assert len(columns) <= 41 and max(abs(x) for x in columns) <= 300 * 21
    assert pos["cn"][0] < pos["asset"][0] < pos["b"][0] < pos["c"][0] < pos["mnc"][0]
    assert pos["mnc"][0] == columns[-1]


def test_deal_records_are_made_once_per_dataset_and_never_shared():
    ds = synthetic_dataset(40, seed=2, orgs=30)
    d = next(iter(ds.deals.values()))
    a, b = cards.deal_record(ds, d), cards.deal_record(ds, d)
    assert a == b and a is not b
    a["title"] = "changed by a caller"
    assert cards.deal_record(ds, d)["title"] == (d.title or "")
    other = synthetic_dataset(40, seed=2, orgs=30)
    changed = other.deals[d.id].model_copy(update={"title": "another title"})
    assert cards.deal_record(other, changed)["title"] == "another title"


def test_layered_layout_gives_large_nodes_room_in_their_column():
    nodes = ["big", "small1", "huge", "small2", "mnc"]
    sizes = {"big": 40.0, "small1": 6.0, "huge": 60.0, "small2": 6.0, "mnc": 20.0}
    pos = layered_layout(nodes, [(n, "mnc") for n in nodes[:4]], "mnc", sizes)
    column = sorted(nodes[:4], key=lambda n: pos[n][1])
    assert len({pos[n][0] for n in column}) == 1
    for a, b in zip(column, column[1:]):
        assert pos[b][1] - pos[a][1] >= max(64, sizes[a] + sizes[b] + 8) - 1
    plain = layered_layout(nodes, [(n, "mnc") for n in nodes[:4]], "mnc", dict.fromkeys(nodes, 9.0))
    assert sorted(y for n, (_, y) in plain.items() if n != "mnc") == [-96, -32, 32, 96]   # 64 apart as before
