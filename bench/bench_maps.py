"""How fast a 5,000-node map opens: dealgraph's precomputed layout vs pyvis' defaults, in headless Chromium.

Both pages show the same graph: the overview map of a synthetic dataset
(``graph.synth``) with about 5,000 organizations. Measured in one run, each in
a fresh browser page opened from a ``file://`` URL, as ``performance.now()``
(milliseconds since navigation started) at the moment the network is stable:

* dealgraph (``graph.maps``): positions computed in Python, physics off; stable
  at the first ``afterDrawing`` event (the page sets ``state.readyAt`` then);
* pyvis defaults (``pyvis.network.Network()``: barnes-hut physics, 1,000
  stabilization iterations, then simulation until vis-network's ``stabilized``
  event). Also reported: when its 1,000 stabilization iterations end
  (``stabilizationIterationsDone``, when pyvis' loading bar goes away and the
  nodes may still be moving), a lower bound that favours pyvis. Written with ``cdn_resources='in_line'`` so vis-network loads from the
  file; pyvis' template still links Bootstrap from a CDN, which the benchmark
  blocks (the network does not need it). A one-line listener for
  ``stabilized`` is added after pyvis' own ``drawGraph()`` call.

Prints node and edge counts, file sizes, Python build time, time to stable for
each and their ratio (target: dealgraph at least 5x faster).

    .venv/bin/python bench/bench_maps.py [--deals 17500] [--orgs 6300] [--timeout 900] [--keep DIR]

Needs Chromium (/usr/bin/chromium or $DEALGRAPH_CHROMIUM) and Playwright for Python.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyvis.network import Network  # noqa: E402

from graph.maps import overview_map, write_map  # noqa: E402
from graph.maps.layout import PRECOMPUTED_ABOVE  # noqa: E402
from graph.synth import synthetic_dataset  # noqa: E402

CHROMIUM = os.environ.get("DEALGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
HOOK = ('drawGraph();\n              network.once("stabilizationIterationsDone", function () { '
        'window.__itersDoneAt = performance.now(); });\n'
        '              network.once("stabilized", function () { window.__stableAt = performance.now(); });')


def pyvis_default(mg, path: Path) -> Path:
    """The same nodes and edges through pyvis with its default network and options.

    Nodes go in with ``add_node(id, label=name)``. Edges are appended as pyvis' own ``Edge``
    records: ``add_edge`` checks every existing edge for duplicates (quadratic, minutes at this
    size), and the map's edges are already unique.
    """
    from pyvis.edge import Edge

    net = Network(cdn_resources="in_line")
    for n in mg.nodes:
        net.add_node(n.id, label=n.label)
    for e in mg.edges:
        net.edges.append(Edge(e.source, e.target, net.directed).options)
    html = net.generate_html()
    if "drawGraph();" not in html:
        raise RuntimeError("pyvis template changed: no drawGraph() call to hook")
    path.write_text(html.replace("drawGraph();", HOOK, 1), encoding="utf-8")
    return path


def time_to_stable(browser, path: Path, exprs: dict[str, str], timeout_s: float,
                   progress: str | None = None) -> tuple[dict[str, Any], int]:
    """({name: ms from navigation start, or None if not reached within the timeout}, requests blocked).

    Polls each expression until all have a value or the timeout passes (a poll waits while the page's
    main thread is busy, so the wait can overrun by one busy stretch). ``progress``, if given, is
    evaluated once at the end and returned under 'progress'.
    """
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked = []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.goto(path.resolve().as_uri(), timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    values: dict[str, float | None] = dict.fromkeys(exprs)
    while time.monotonic() < deadline:
        for name, expr in exprs.items():
            if values[name] is None:
                values[name] = page.evaluate(expr)
        if all(v is not None for v in values.values()):
            break
        time.sleep(0.05)
    values["waited_s"] = time.monotonic() - deadline + timeout_s
    if progress:
        values["progress"] = page.evaluate(progress)
    ctx.close()
    return values, len(blocked)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deals", type=int, default=17500)
    ap.add_argument("--orgs", type=int, default=6300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for each page to be stable")
    ap.add_argument("--keep", type=Path, default=None, help="write the two HTML files here and keep them")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    out = a.keep or Path(tempfile.mkdtemp(prefix="bench-maps-"))
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    ds = synthetic_dataset(a.deals, a.seed, a.orgs)
    t_data = time.perf_counter() - t
    t = time.perf_counter()
    mg = overview_map(ds)
    t_graph = time.perf_counter() - t
    t = time.perf_counter()
    ours = write_map(mg, out / "dealgraph.html")
    t_render = time.perf_counter() - t
    t = time.perf_counter()
    theirs = pyvis_default(mg, out / "pyvis-default.html")
    t_pyvis = time.perf_counter() - t
    print(f"graph: {len(mg.nodes)} nodes, {len(mg.edges)} edges (synthetic: {a.deals} deals, orgs={a.orgs}, "
          f"seed {a.seed}; built in {t_data:.1f} s); precomputed layout above {PRECOMPUTED_ABOVE} nodes")
    print(f"python: map graph {t_graph:.1f} s, dealgraph page (layout + render) {t_render:.1f} s, "
          f"pyvis page {t_pyvis:.1f} s")
    print(f"file size: dealgraph {ours.stat().st_size:,} bytes ({ours.stat().st_size / 2**20:.2f} MiB); "
          f"pyvis default {theirs.stat().st_size:,} bytes ({theirs.stat().st_size / 2**20:.2f} MiB)")
    marks = ("() => { const m = performance.getEntriesByType('mark').filter(x => x.name.startsWith('dealgraph:'));"
             " return m.length === 5 ? Object.fromEntries(m.map(x => [x.name.slice(10), x.startTime])) : null; }")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            ours_t, blocked_ours = time_to_stable(
                browser, ours, {"ready": "() => window.dealgraphMap ? window.dealgraphMap.state.readyAt : null",
                                "marks": marks}, a.timeout)
            theirs_t, blocked_theirs = time_to_stable(
                browser, theirs, {"iters": "() => window.__itersDoneAt ?? null",
                                  "stable": "() => window.__stableAt ?? null"}, a.timeout,
                progress="() => window.network ? network.physics.stabilizationIterations : null")
        finally:
            browser.close()
    waited = theirs_t["waited_s"]
    fmt = (lambda ms: f"{ms / 1000:.2f} s" if ms is not None else f"not reached after {waited:.0f} s")
    ms_ours = ours_t["ready"]
    m = ours_t["marks"] or {}
    steps = ", ".join(f"{k} {v / 1000:.2f} s" for k, v in m.items())
    print(f"Chromium {browser.version}, headless, 1400x900; times from navigation start")
    print(f"dealgraph: stable (first afterDrawing, physics off) at {fmt(ms_ours)}; {blocked_ours} requests blocked"
          + (f"; page marks: {steps}" if steps else ""))
    reached = "" if theirs_t["iters"] else f" ({theirs_t.get('progress')} of 1,000 iterations run by then)"
    print(f"pyvis default: stabilized at {fmt(theirs_t['stable'])}; 1,000 stabilization iterations done at "
          f"{fmt(theirs_t['iters'])}{reached}; {blocked_theirs} CDN requests blocked")
    for what, ms in (("stabilized", theirs_t["stable"]), ("stabilization iterations done", theirs_t["iters"])):
        if ms_ours and ms:
            print(f"ratio vs pyvis {what}: {ms / ms_ours:.1f}x faster (target >= 5x)")
        elif ms_ours:
            print(f"ratio vs pyvis {what}: more than {waited * 1000 / ms_ours:.0f}x faster "
                  f"(pyvis not there after {waited:.0f} s)")
    if a.keep:
        print(f"files kept in {out}")
    else:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
