"""Benchmark: time and peak memory of each analysis on synthetic partner graphs of 1k, 10k and 100k organizations.

Run: ``.venv/bin/python bench/bench_analysis.py [--sizes 1000 10000 100000] [--deals-per-org 3]``
or ``.venv/bin/python bench/bench_analysis.py --deals 10000``

Each size is a ``graph.ingest.synth.synthetic_dataset`` with ``orgs=N`` and
``deals=3N`` (the synthetic generator's own ratio), built before timing
starts (synthesis is not part of the analysis). Every step of ``run_analyses``
is then run on its own, with the garbage collector paused as ``run_analyses``
pauses it: the seconds it takes (timed alone), and its peak memory: the peak of
memory allocated while the step runs above what was allocated when it started,
measured by ``tracemalloc`` in a second, untimed run of the same step (numpy
arrays included). ``--no-memory`` skips that second run. Growth factors compare
each size with the previous one, measured in this same run. At 100k
organizations the whole analysis (the sum of the steps; betweenness and
closeness sampled) must take under 5 minutes: the last line says PASS or FAIL
(exit status 1 on FAIL). Progress goes to stderr, the report to stdout.

``--deals N`` instead measures the analyses stage as ``dealgraph build`` runs
it, on the synthetic set of ``dealgraph synth --deals N`` (seed 0):
``run_analyses`` whole, wall and CPU seconds, each step's wall seconds; then
the exact betweenness and closeness it computes (rustworkx) beside networkx's
``betweenness_centrality`` and ``closeness_centrality`` on the same graph (what
the analyses used before), with the ratio, whether the rounded figures are
equal, and the whole stage as it was with networkx's two measures in it.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.analysis import centrality as C  # noqa: E402
from graph.analysis.exposure import CHINA, exposures  # noqa: E402
from graph.core.gcpause import paused_gc  # noqa: E402
from graph.analysis.partners import partner_graph, undirected  # noqa: E402
from graph.analysis.plots import plot_centrality_top, plot_exposure  # noqa: E402
from graph.analysis.run import run_analyses, write_centrality, write_exposure  # noqa: E402

LIMIT_SECONDS = 300.0


def measure(fn: Callable[[], Any], memory: bool = True) -> tuple[Any, float, int | None]:
    """(result, seconds, peak bytes allocated above the start or None).

    Two passes: the first is timed with nothing else running; the second runs the step again
    under ``tracemalloc`` (which slows Python down, so it is not timed) for the peak of memory
    allocated during the step, above what was allocated when it started.
    """
    gc.collect()
    t = time.perf_counter()
    out = fn()
    secs = time.perf_counter() - t
    peak = None
    if memory:
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        again = fn()
        peak = max(0, tracemalloc.get_traced_memory()[1] - base)
        tracemalloc.stop()
        del again
    return out, secs, peak


def synth(n: int, per_org: int):
    try:
        from graph.ingest.synth import synthetic_dataset
    except ImportError:  # pragma: no cover - the generator ships with the package
        raise SystemExit("graph.ingest.synth is missing: this benchmark needs graph.ingest.synth.synthetic_dataset")
    return synthetic_dataset(per_org * n, seed=0, orgs=n)


def run_size(n: int, per_org: int, out: Path, memory: bool = True) -> dict[str, Any]:
    t = time.perf_counter()
    ds = synth(n, per_org)
    made = time.perf_counter() - t
    steps: dict[str, tuple[float, int | None]] = {}

    def step(name: str, fn: Callable[[], Any]) -> Any:
        def paused() -> Any:          # as in run_analyses, which runs every step with the collector paused
            with paused_gc():
                return fn()

        res, secs, mem = measure(paused, memory)
        steps[name] = (secs, mem)
        print(f"  [{n:,}] {name}: {secs:.2f} s", file=sys.stderr, flush=True)   # progress
        return res

    G = step("partner_graph", lambda: undirected(partner_graph(ds)))   # direction folded, as centrality_table does
    ix = step("index", lambda: C.IntegerView.of(G, "weight"))
    deg, wdeg, vdeg = step("degree", lambda: (C.degree(G), C.weighted_degree(G), C.weighted_degree(G, "value_usd")))
    btw = step("betweenness", lambda: C.betweenness(G, view=ix))
    clo = step("closeness", lambda: C.closeness(G, view=ix))
    pr = step("pagerank", lambda: C.pagerank(G, view=ix))
    com = step("louvain", lambda: C.communities(G, view=ix))
    table = step("table", lambda: C.assemble(G, deg, wdeg, vdeg, btw, clo, pr, com))
    results = step("exposure", lambda: exposures(ds, china=CHINA))
    step("write_files", lambda: (write_centrality(table, out), write_exposure(results, out, {})))
    step("plots", lambda: (plot_centrality_top(table.rows, out / "plots" / "centrality_top.png"),
                           plot_exposure(results, out / "plots" / "exposure.png")))
    return {"n": n, "orgs": len(ds.organizations), "deals": len(ds.deals), "assets": len(ds.assets),
            "nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "synth_s": made, "steps": steps,
            "betweenness": btw.meta, "closeness": clo.meta, "communities": len(set(com.values())),
            "multinationals": len(results),
            "indirect_chains": sum(e.indirect["chains"] for e in results)}


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process) of one call, with the collector paused."""
    gc.collect()
    with paused_gc():
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        return out, time.perf_counter() - w, time.process_time() - c


def stage(deals: int) -> int:
    """The analyses stage of ``dealgraph build`` on ``dealgraph synth --deals N``, against networkx."""
    import networkx as nx

    from graph.ingest.synth import synthetic_dataset

    print(f"bench_analysis --deals {deals}: python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    ds = synthetic_dataset(deals, seed=0)
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        _, wall, cpu = _timed(lambda: run_analyses(ds, Path(tmp), timings=steps))
    print(f"{len(ds.organizations):,} organizations, {len(ds.deals):,} deals")
    print(f"run_analyses: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print("  " + ", ".join(f"{k} {v:.2f}" for k, v in steps.items() if k != "centrality"))
    G = undirected(partner_graph(ds))
    view = C.IntegerView.of(G, "weight")
    n = len(view.ids)
    if n > C.EXACT_LIMIT:
        print(f"{n:,} nodes: betweenness and closeness are sampled with networkx, as before; nothing to compare")
        return 0
    ours_b, wb, cb = _timed(lambda: C.betweenness(G, view=view))
    ours_c, wc, cc = _timed(lambda: C.closeness(G, view=view))
    nx_b, wnb, cnb = _timed(lambda: nx.betweenness_centrality(view.H, normalized=True, weight=None))
    nx_c, wnc, cnc = _timed(lambda: nx.closeness_centrality(view.H))
    same_b = ours_b.values == C.rounded(view.back(nx_b))
    same_c = ours_c.values == C.rounded(view.back(nx_c))
    print(f"exact betweenness, {n:,} nodes: {wb:.2f} s wall ({cb:.2f} CPU); networkx {wnb:.2f} s ({cnb:.2f}); "
          f"ratio {cnb / cb:.1f}x (CPU); rounded figures equal: {same_b}")
    print(f"exact closeness: {wc:.2f} s wall ({cc:.2f} CPU); networkx {wnc:.2f} s ({cnc:.2f}); "
          f"ratio {cnc / cc:.1f}x (CPU); rounded figures equal: {same_c}")
    before = cpu - cb - cc + cnb + cnc
    print(f"whole stage with networkx's two measures (as before): {before:.2f} s CPU; now {cpu:.2f} s: "
          f"{before / cpu:.1f}x less")
    return 0 if same_b and same_c else 1


def _size(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 else str(n)


def fmt_mem(b: int | None) -> str:
    return "n/a" if b is None else f"{b / 2**20:8.1f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--deals-per-org", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true", help="time only, without the tracemalloc run")
    ap.add_argument("--deals", type=int, help="measure the build's analyses stage on the synthetic set of N deals")
    args = ap.parse_args()
    if args.deals:
        return stage(args.deals)
    print(f"bench_analysis: python {sys.version.split()[0]}, {os.cpu_count()} cores, sizes {args.sizes}, "
          f"deals = {args.deals_per_org} x organizations, seed 0")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            r = run_size(n, args.deals_per_org, Path(tmp) / str(n), not args.no_memory)
            runs.append(r)
            total = sum(s for s, _ in r["steps"].values())
            print(f"\n== {n:,} organizations requested: {r['orgs']:,} organizations, {r['deals']:,} deals, "
                  f"{r['assets']:,} assets (synthesised in {r['synth_s']:.1f} s)")
            print(f"   partner graph: {r['nodes']:,} nodes, {r['edges']:,} edges, {r['communities']:,} communities; "
                  f"{r['multinationals']} multinationals, {r['indirect_chains']:,} indirect chains")
            print(f"   betweenness: {r['betweenness']}; closeness: {r['closeness']}")
            print(f"   {'step':<14}{'seconds':>10}{'peak MiB':>10}")
            for name, (secs, mem) in r["steps"].items():
                print(f"   {name:<14}{secs:>10.3f}{fmt_mem(mem):>10}")
            print(f"   {'TOTAL':<14}{total:>10.3f}", flush=True)
            r["total"] = total
    if len(runs) > 1:
        print("\n== growth factors (this size / previous size)")
        head = "".join(f"{_size(b['n']) + '/' + _size(a['n']):>22}" for a, b in zip(runs, runs[1:]))
        print(f"   {'':<14}{head}")
        print(f"   {'':<14}" + "".join(f"{'time':>11}{'memory':>11}" for _ in runs[1:]))
        for name in runs[0]["steps"]:
            cells = ""
            for a, b in zip(runs, runs[1:]):
                ta, ma = a["steps"][name]
                tb, mb = b["steps"][name]
                cells += f"{(tb / ta if ta > 1e-9 else float('nan')):>11.1f}"
                cells += f"{(mb / ma if ma and mb is not None else float('nan')):>11.1f}"
            print(f"   {name:<14}{cells}")
        cells = "".join(f"{b['total'] / a['total']:>11.1f}{'':>11}" for a, b in zip(runs, runs[1:]))
        print(f"   {'TOTAL':<14}{cells}")
        cells = "".join(f"{b['edges'] / a['edges']:>11.1f}{'':>11}" for a, b in zip(runs, runs[1:]))
        print(f"   {'(edges)':<14}{cells}")
    big = [r for r in runs if r["n"] >= 100_000]
    if big:
        r = big[-1]
        verdict = "PASS" if r["total"] <= LIMIT_SECONDS else "FAIL"
        print(f"\n{verdict}: whole analysis at {r['n']:,} organizations took {r['total']:.1f} s "
              f"(limit {LIMIT_SECONDS:.0f} s)")
        return 0 if verdict == "PASS" else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
