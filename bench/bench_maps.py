"""How fast maps open and zoom: dealgraph's canvas maps vs the vis-network maps they replace vs pyvis defaults.

For synthetic datasets (``graph.ingest.synth``) whose overview maps have about 100, 1,000 and 5,000
organizations, the same graph is written three ways and opened in headless Chromium, each in a
fresh page from a ``file://`` URL, all in one run:

* **dealgraph**: this checkout's ``graph.publish.maps`` (positions computed in Python, canvas renderer);
* **before**: the maps as they were at ``--baseline`` (default ``cae8665``, the last commit with the
  vis-network maps), written by that commit's own code from a ``git archive`` of it, so the
  comparison is with today's maps at the same size;
* **pyvis default**: ``pyvis.network.Network()`` with its defaults (barnes-hut physics).

Measured per page:

* **interactive**: ms from navigation start until the map can be used: dealgraph and before at
  their ``state.readyAt`` (first drawing with the layout final); pyvis at vis-network's
  ``stabilizationIterationsDone`` (its loading bar goes away), or "not reached" after ``--timeout``;
* **zoom frame uncapped**: median ms per wheel step of 60 (30 in, 30 out) run back to back: the wheel
  event handled, the next frame drawn at once and the canvas rasterised (forced by reading a pixel
  back), so the 60 Hz cap never hides the cost (Chromium's ``--disable-gpu-vsync`` and
  ``--disable-frame-rate-limit`` do not lift the cap in headless mode); the target ratio is on this;
* **at 60 Hz**: mean ms between animation frames while a wheel event arrives on every frame for
  ``--zoom-ms`` (in, then out): a page that redraws slowly gets fewer frames (the floor is 16.7 ms);
* **full redraw**: ms for a redraw with every line and label (what follows when zooming stops),
  until the next frame can start; median of five.

Prints one table and the ratios the targets are about (every size interactive within 2 s; zoom
frames, uncapped, at 1,000 and 5,000 nodes at most a fifth of before's).

    .venv/bin/python bench/bench_maps.py [--sizes 100,1000,5000] [--timeout 120] [--zoom-ms 2000] [--keep DIR]

Needs Chromium (/usr/bin/chromium or $DEALGRAPH_CHROMIUM), Playwright for Python and git.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyvis.network import Network  # noqa: E402

from graph.publish.maps import overview_map, write_map  # noqa: E402
from graph.ingest.synth import synthetic_dataset  # noqa: E402

PlaywrightTimeout = TimeoutError   # replaced by Playwright's own in main()
CHROMIUM = os.environ.get("DEALGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# synthetic (deals, organizations) whose overview map has about this many nodes (seed 1)
SIZES = {100: (180, 150), 1000: (3000, 1400), 5000: (17500, 6300)}
HOOK = ('drawGraph();\n              network.once("stabilizationIterationsDone", function () { '
        'window.__itersDoneAt = performance.now(); });')
BEFORE_SCRIPT = """
import sys
from graph.ingest.synth import synthetic_dataset
from graph.publish.maps import overview_map, write_map
write_map(overview_map(synthetic_dataset(int(sys.argv[1]), 1, int(sys.argv[2]))), sys.argv[3])
"""
ZOOM = """async (ms) => {
    // frame: mean ms between animation frames while a wheel event arrives every frame for `ms`
    // milliseconds (in, then out); a page whose redraw is slow gets fewer frames. draw: the
    // renderer's own time per frame drawn meanwhile (dealgraph: its frame log; vis-network:
    // beforeDrawing → afterDrawing).
    const m = window.dealgraphMap, net = (m && m.network) || window.network, R = m && m.renderer;
    const draws = [];
    let tb = 0;
    if (net) { net.on('beforeDrawing', () => { tb = performance.now(); });
               net.on('afterDrawing', () => { draws.push(performance.now() - tb); }); }
    const logged = R ? R.frames.length : 0;
    const x = innerWidth * 0.35, y = innerHeight * 0.5, target = document.elementFromPoint(x, y);
    const scale0 = R ? R.scale : net.getScale();
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    let frames = 0;
    const t0 = performance.now();
    await new Promise(done => {
        function tick() {
            const t = performance.now() - t0;
            if (t >= ms) { done(); return; }
            target.dispatchEvent(new WheelEvent('wheel', {deltaY: t < ms / 2 ? -60 : 60, clientX: x, clientY: y,
                                                         bubbles: true, cancelable: true}));
            frames++;
            requestAnimationFrame(tick);
        }
        requestAnimationFrame(tick);
    });
    const frame = (performance.now() - t0) / frames;
    const d = R ? R.frames.slice(logged) : draws;
    return {frame: frame, frames: frames, draw: d.length ? d.reduce((a, b) => a + b, 0) / d.length : null,
            zoomed: scale0 !== (R ? R.scale : net.getScale()) || frames > 0};
}"""

STEPS = """(steps) => {
    // frame cost without the 60 Hz cap: for each wheel step (in, then out), the time to handle the
    // event, redraw the map as the next frame would, and rasterise the canvas (forced by reading one
    // pixel back), run back to back so that vsync never waits. dealgraph draws its next frame at
    // once (its requested animation frame is cancelled); vis-network redraws with network.redraw(),
    // which honours its own "hide lines while zooming" state, as its next frame would.
    const m = window.dealgraphMap, net = (m && m.network) || window.network, R = m && m.renderer;
    const canvas = R ? R.canvas : net.canvas.frame.canvas, ctx = canvas.getContext('2d');
    const x = innerWidth * 0.35, y = innerHeight * 0.5, target = document.elementFromPoint(x, y);
    const times = [];
    for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        target.dispatchEvent(new WheelEvent('wheel', {deltaY: i < steps / 2 ? -60 : 60, clientX: x, clientY: y,
                                                     bubbles: true, cancelable: true}));
        if (R) { cancelAnimationFrame(R.pending); R.pending = null; R.draw(R.pendingMode || 'fast'); }
        else { net.redraw(); }
        ctx.getImageData(0, 0, 1, 1);
        times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {mean: times.reduce((a, b) => a + b, 0) / times.length, median: times[times.length >> 1]};
}"""

FULL = """async () => {
    // a whole redraw with every line and label (as after zooming stops), until the next frame can start
    const m = window.dealgraphMap, net = (m && m.network) || window.network, R = m && m.renderer;
    const wait = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    await wait();
    const times = [];
    for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        if (R) { R.draw('full'); } else { net.redraw(); }
        await wait();
        times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[2];
}"""


def pyvis_default(mg, path: Path) -> Path:
    """The same nodes and edges through pyvis with its default network and options (edges appended as
    pyvis ``Edge`` records: ``add_edge`` checks every existing edge, quadratic at this size)."""
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


def before_page(rev: str, deals: int, orgs: int, path: Path, work: Path) -> Path | None:
    """The overview map as commit ``rev`` wrote it, by that commit's code (None when git cannot give it)."""
    src = work / f"before-{rev}"
    if not src.exists():
        src.mkdir(parents=True)
        arch = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "graph", "ontology"], capture_output=True)
        if arch.returncode:
            print(f"(no baseline: git archive {rev} failed: {arch.stderr.decode().strip()})")
            return None
        subprocess.run(["tar", "-x", "-C", str(src)], input=arch.stdout, check=True)
    r = subprocess.run([sys.executable, "-c", BEFORE_SCRIPT, str(deals), str(orgs), str(path)], cwd=src,
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(src)})
    if r.returncode:
        print(f"(no baseline at {deals} deals: {r.stderr.strip().splitlines()[-1:]})")
        return None
    return path


def measure(browser, path: Path, ready: str, timeout_s: float, zoom_ms: int, steps: int = 60) -> dict:
    """{'interactive': ms or None, 'zoom': ms per step or None} for one page (see the module docstring)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = ctx.new_page()
    page.goto(path.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
    try:      # the timeout holds even while the page's main thread is busy (pyvis simulating)
        page.wait_for_function(f"() => ({ready})() !== null", timeout=timeout_s * 1000, polling=50)
    except PlaywrightTimeout:
        ctx.close()
        return {"interactive": None, "zoom": None, "draw": None, "first_full_frame": None, "redraw": None,
                "uncapped": None}
    at = page.evaluate(ready)
    full = page.evaluate("() => window.dealgraphMap && window.dealgraphMap.renderer ? "
                         "window.dealgraphMap.renderer.frames.slice(0, 1)[0] : null")
    zoom = page.evaluate(ZOOM, zoom_ms)
    page.wait_for_timeout(400)                # zooming has stopped: the full frame is back
    uncapped = page.evaluate(STEPS, steps)
    page.wait_for_timeout(400)
    redraw = page.evaluate(FULL)
    ctx.close()
    return {"interactive": at, "zoom": zoom["frame"], "draw": zoom["draw"], "first_full_frame": full,
            "redraw": redraw, "uncapped": uncapped["median"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,5000", help="comma-separated, from " + ", ".join(map(str, SIZES)))
    ap.add_argument("--baseline", default="cae8665", help="commit with the maps to compare against")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for a page to be interactive")
    ap.add_argument("--zoom-ms", type=int, default=2000, help="how long to zoom per page, ms")
    ap.add_argument("--keep", type=Path, default=None, help="write the HTML files here and keep them")
    ap.add_argument("--reuse", action="store_true", help="with --keep: reuse the before and pyvis pages found there")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    global PlaywrightTimeout
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    out = a.keep or Path(tempfile.mkdtemp(prefix="bench-maps-"))
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for size in (int(s) for s in a.sizes.split(",")):
                deals, orgs = SIZES[size]
                t = time.perf_counter()
                mg = overview_map(synthetic_dataset(deals, 1, orgs))
                ours = write_map(mg, out / f"dealgraph-{size}.html")
                t_ours = time.perf_counter() - t
                theirs, before = out / f"pyvis-{size}.html", out / f"before-{size}.html"
                if not (a.reuse and theirs.exists()):
                    pyvis_default(mg, theirs)
                if not (a.reuse and before.exists()):
                    before = before_page(a.baseline, deals, orgs, before, out)
                ready = "() => window.dealgraphMap ? window.dealgraphMap.state.readyAt : null"
                r = {"size": size, "nodes": len(mg.nodes), "edges": len(mg.edges), "python_s": t_ours,
                     "dealgraph": measure(browser, ours, ready, a.timeout, a.zoom_ms),
                     "before": measure(browser, before, ready, a.timeout, a.zoom_ms) if before else None,
                     "pyvis": measure(browser, theirs, "() => window.__itersDoneAt ?? null", a.timeout, a.zoom_ms)}
                rows.append(r)
                print(f"... {size}: done", file=sys.stderr)
        finally:
            version = browser.version
            browser.close()

    def ms(x):
        return "not reached" if x is None else f"{x:,.1f} ms" if x < 10 else f"{x:,.0f} ms"

    def ratio(b, d, k):
        return f"{b[k] / d[k]:.1f}x" if b.get(k) and d.get(k) else "n/a"
    print(f"Chromium {version}, headless, 1400x900; synthetic overview maps (seed 1); zooming {a.zoom_ms} ms per page")
    print(f"{'nodes':>6} {'lines':>6} | {'interactive: dealgraph':>22} {'before':>10} {'pyvis':>11} | "
          f"{'zoom frame uncapped: dealgraph':>30} {'before':>8} {'pyvis':>8} {'before/dealgraph':>16} | "
          f"{'at 60 Hz: dealgraph':>19} {'before':>8} {'pyvis':>8}")
    for r in rows:
        d, b, v = r["dealgraph"], r["before"] or {}, r["pyvis"]
        print(f"{r['nodes']:>6} {r['edges']:>6} | {ms(d['interactive']):>22} {ms(b.get('interactive')):>10} "
              f"{ms(v['interactive']):>11} | {ms(d['uncapped']):>30} {ms(b.get('uncapped')):>8} "
              f"{ms(v['uncapped']):>8} {ratio(b, d, 'uncapped'):>16} | {ms(d['zoom']):>19} {ms(b.get('zoom')):>8} "
              f"{ms(v['zoom']):>8}")
    for r in rows:
        d, b, v = r["dealgraph"], r["before"] or {}, r["pyvis"]
        print(f"{r['nodes']} nodes: full redraw (every line and label) dealgraph {ms(d['redraw'])}, before "
              f"{ms(b.get('redraw'))} ({ratio(b, d, 'redraw')}), pyvis {ms(v['redraw'])}; dealgraph page written in "
              f"{r['python_s']:.1f} s (layout included); interactive within 2 s: "
              f"{'yes' if d['interactive'] is not None and d['interactive'] <= 2000 else 'NO'}")
    big = [r for r in rows if r["size"] >= 1000 and r["before"] and r["before"].get("uncapped")]
    for r in big:
        k = r["before"]["uncapped"] / r["dealgraph"]["uncapped"]
        print(f"{r['nodes']} nodes: zoom frame uncapped {k:.1f}x shorter than before "
              f"(target at least 5x: {'met' if k >= 5 else 'NOT met'})")
    if a.keep:
        print(f"files kept in {out}")
    else:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
