"""Benchmark: the map set's layout steps beside the approaches they replaced, and ``write_maps`` at scale.

Run: ``python bench/bench_map_layout.py [--dataset out/.cache/dataset.pickle | --deals 2000]``

Printed, all measured in this one run (CPU seconds of one core, ``time.process_time``):

1. one repulsion step of ``force_layout``, summed over all pairs (``_direct_repulsion``) and on the
   FFT mesh (``_mesh_repulsion``), for graphs of 30 to 900 nodes: where the exact sum stops being the
   faster one, which is where ``DIRECT_UP_TO`` belongs;
2. overlap removal (``separate``) through the spatial hash beside the all-pairs rule it replaced, on
   points spread as a force layout leaves them (the two give the same positions: tests/test_layout.py);
3. ``write_maps`` on a dataset (the last build's ``dataset.pickle``, or a synthetic one of ``--deals``
   deals): its CPU time and the part spent placing nodes, then one ego map of the multinational with the
   most deals as ``dealgraph map --focus`` draws it (layout target: well under 0.5 s at 10k deals).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.publish.maps import layout, network  # noqa: E402
from tests.support import all_pairs_separate  # noqa: E402 (the all-pairs rule the tests compare with)


def cpu(fn: Callable[[], Any], repeat: int = 1) -> float:
    """Least CPU seconds of ``repeat`` runs of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def repulsion_rows() -> list[str]:
    rows = ["nodes  exact step  mesh step  exact/mesh"]
    rng = np.random.default_rng(0)
    for n in (30, 100, 160, 300, 900):
        pos, mass = rng.normal(size=(n, 2)) * np.sqrt(n), 1.0 + rng.integers(0, 5, n)
        grid = int(min(256, max(64, 2 ** np.ceil(np.log2(2 * np.sqrt(n))))))
        mesh = layout._mesh_repulsion(grid)
        a = cpu(lambda: [layout._direct_repulsion(pos, mass) for _ in range(20)], 3) / 20
        b = cpu(lambda: [mesh(pos, mass) for _ in range(20)], 3) / 20
        rows.append(f"{n:5d}  {a * 1e3:8.3f} ms  {b * 1e3:6.3f} ms  {a / b:9.2f}")
    rows.append(f"(DIRECT_UP_TO = {layout.DIRECT_UP_TO}: the exact sum below, the mesh above)")
    return rows


def separate_rows() -> list[str]:
    rows = ["nodes  spatial hash  all pairs  speed-up"]
    rng = np.random.default_rng(1)
    for n in (300, 900):
        pos = rng.uniform(0, 45 * np.sqrt(n), (n, 2))        # about one node per 45 px square, as laid out
        radii = rng.uniform(4, 16, n)
        a = cpu(lambda: layout.separate(pos, radii), 2)
        b = cpu(lambda: all_pairs_separate(pos, radii), 1)
        rows.append(f"{n:5d}  {a:10.3f} s  {b:7.3f} s  {b / a:7.1f}×")
    return rows


def map_set_rows(dataset: str | None, deals: int) -> list[str]:
    from graph.analysis import ExposureIndex, centrality_table, partner_graph
    from graph.analysis.exposure import exposures
    from graph.publish.maps.site import saved_centrality, write_maps

    if dataset:
        from graph.pipeline.current import read_dataset
        ds, what = read_dataset(Path(dataset)), dataset
    else:
        from graph.ingest.synth import synthetic_dataset
        ds, what = synthetic_dataset(deals, seed=1), f"synthetic, {deals} deals"
    # what the build's analyses hand the maps, computed before timing (not the maps' own work)
    cent = (saved_centrality(Path(dataset).parent.parent, ds) if dataset else None) or centrality_table(
        partner_graph(ds))
    index = ExposureIndex(ds)
    exp = {e.org: e for e in exposures(ds, index=index)}
    spent = {"place": 0.0}
    place = network.place

    def timed_place(*a: Any, **k: Any) -> None:
        t = time.process_time()
        place(*a, **k)
        spent["place"] += time.process_time() - t

    network.place = timed_place
    import graph.publish.maps.exposure_view as ev
    ev.place = timed_place
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.process_time()
            maps = write_maps(ds, tmp, centrality=cent, exposure_index=index, exposures=exp)
            total = time.process_time() - t
            rows = [f"write_maps ({what}): {len(maps)} maps in {total:.2f} s CPU, "
                    f"of which placing nodes {spent['place']:.2f} s"]
            counts: dict[str, int] = {}
            for d in ds.deals.values():
                for p in set(d.party_ids()):
                    if ds.organizations[p].multinational:
                        counts[p] = counts.get(p, 0) + 1
            mnc = max(sorted(counts), key=counts.__getitem__)
            opts = network.MapOptions(centrality=cent)
            spent["place"] = 0.0
            network._LAST.update(ref=None, ds=None, indexes=None)       # cold, as a fresh `dealgraph map` is
            t = time.process_time()
            mg = network.ego_map(ds, mnc, opts=opts)
            one = time.process_time() - t
            rows.append(f"ego map of {mnc} ({len(mg.nodes)} nodes), cold: {one:.2f} s CPU, "
                        f"of which placing nodes {spent['place']:.2f} s")
    finally:
        network.place = ev.place = place
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", help="a build's out/.cache/dataset.pickle (e.g. of `dealgraph synth --deals 10000`)")
    ap.add_argument("--deals", type=int, default=2000, help="synthetic deals when no --dataset (default 2000)")
    args = ap.parse_args(argv)
    for title, rows in (("repulsion, one step", repulsion_rows()), ("overlap removal", separate_rows()),
                        ("map set", map_set_rows(args.dataset, args.deals))):
        print(f"== {title}")
        print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
