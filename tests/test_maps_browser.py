"""The maps and the report in a real browser (headless Chromium through Playwright).

Each page is opened from a ``file://`` URL. It must load with no console error
and no request beyond the file itself, draw as many nodes and edges as the
graph has, show a tooltip when the mouse rests on a node, and run nothing that
a name, alias, note or asset name tries to inject. A screenshot of each page
goes to ``test-artifacts/``.

Needs Chromium (``apt-get install -y chromium``, or $DEALGRAPH_CHROMIUM) and
``pip install playwright`` (no ``playwright install``: the system Chromium is
used). Missing either: a failure under CI=true, a skip elsewhere.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from graph.analysis import run_analyses
from graph.loading import load_seeds
from graph.maps import ego_map, exposure_map, overview_map, write_map, write_maps, write_report
from graph.synth import dataset_from_seeds, synthetic_dataset

from .support import ROOT, SEEDS, in_ci
from .test_maps import INJECT, INJECT_ALIAS, INJECT_ASSET, INJECT_DEAL_NOTE, INJECT_NOTE, crafted_seeds

CHROMIUM = Path(os.environ.get("DEALGRAPH_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = ROOT / "test-artifacts"
READY = "body[data-ready=true]"


def _missing(msg: str) -> None:
    if in_ci():
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed: .venv/bin/pip install playwright "
                 "(no 'playwright install' needed; the system Chromium is used)")
    if not CHROMIUM.exists():
        _missing(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium chromium-driver, "
                 "or set DEALGRAPH_CHROMIUM to a Chromium binary")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Page:
    """A page opened from a file, with every request and console error recorded."""

    def __init__(self, browser, path: Path, bypass_csp: bool = False):
        self.path = path.resolve()
        self.url = self.path.as_uri()
        self.context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=bypass_csp)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # anything not from the file system is refused (and still recorded above)
        self.context.route(re.compile(r"^(?!file:|data:).*"), lambda route: route.abort())
        self.page.goto(self.url)

    def fetched_elsewhere(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def eval(self, js: str, arg=None):
        return self.page.evaluate(js, arg)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        p = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(p))
        return p

    def close(self) -> None:
        self.context.close()


def _open_map(browser, path: Path, bypass_csp: bool = False) -> Page:
    pg = Page(browser, path, bypass_csp)
    pg.page.wait_for_selector(READY, state="attached", timeout=60_000)
    return pg


def _drawn(pg: Page) -> dict[str, int]:
    return pg.eval("""() => {
        const m = window.dealgraphMap, b = m.network.body;
        return {nodes: m.nodes.length, edges: m.edges.length,
                drawnNodes: b.nodeIndices.length, drawnEdges: b.edgeIndices.length};
    }""")


def _hover(pg: Page, node_id: str) -> str:
    """Rest the mouse on a node (its canvas position through getPositions + canvasToDOM); the tooltip text."""
    dom = pg.eval("""(id) => {
        const n = window.dealgraphMap.network;
        n.fit();
        return n.canvasToDOM(n.getPositions([id])[id]);
    }""", node_id)
    box = pg.page.locator("#map").bounding_box()
    pg.page.mouse.move(box["x"] + 5, box["y"] + 5)
    pg.page.mouse.move(box["x"] + dom["x"], box["y"] + dom["y"], steps=4)
    pg.page.wait_for_selector("#tip:not([hidden])", timeout=5_000)
    return pg.page.inner_text("#tip")


def _expect(mg) -> dict[str, int]:
    return {"nodes": len(mg.nodes), "edges": len(mg.edges), "drawnNodes": len(mg.nodes), "drawnEdges": len(mg.edges)}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The build's map set and report for the seeds plus the crafted dataset (with its injection attempts)."""
    out = tmp_path_factory.mktemp("site")
    ds = load_seeds(SEEDS).merged(dataset_from_seeds(crafted_seeds(), "crafted"))
    run_analyses(ds, out)
    maps = write_maps(ds, out)
    write_report(ds, out, maps)
    return ds, out


# --------------------------------------------------------------------------- maps
def test_overview_in_the_browser(browser, site):
    ds, out = site
    pg = _open_map(browser, out / "maps/overview.html")
    try:
        assert pg.errors == []
        assert pg.fetched_elsewhere() == []
        assert _drawn(pg) == _expect(overview_map(ds))
        tip = _hover(pg, "org:hengrui")
        assert "Jiangsu Hengrui Pharmaceuticals" in tip and "Headquarters" in tip and "China (CN)" in tip
        pg.shot("map-overview")
        assert pg.eval("() => window.__xss") is None
    finally:
        pg.close()


def test_ego_map_in_the_browser(browser, site):
    ds, out = site
    path = write_map(ego_map(ds, "Jiangsu Hengrui", 2), out / "maps/ego-hengrui-2.html")
    pg = _open_map(browser, path)
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        assert _drawn(pg) == _expect(ego_map(ds, "Jiangsu Hengrui", 2))
        tip = _hover(pg, "org:msd")
        assert "Merck & Co., Inc." in tip and "Partners (degree)" in tip
        # the focus organization's details are shown in the side panel from the start
        assert "Jiangsu Hengrui Pharmaceuticals" in pg.page.inner_text("#details-body")
        # hovering the Hengrui–MSD line lists its deals; clicking it shows values and sources
        mid = pg.eval("""() => {
            const m = window.dealgraphMap, n = m.network;
            const e = m.edges.get().find(e => e.deals.includes('2025-03-hengrui-msd'));
            const p = n.getPositions([e.from, e.to]);
            return {id: e.id, at: n.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2})};
        }""")
        pg.eval("(id) => { window.dealgraphMap.network.selectEdges([id]); }", mid["id"])
        box = pg.page.locator("#map").bounding_box()
        pg.page.mouse.click(box["x"] + mid["at"]["x"], box["y"] + mid["at"]["y"])
        details = pg.page.inner_text("#details-body")
        assert "up to USD 1.97 billion" in details and "USD 200 million" in details
        assert "caixin-2026:54" in details
        pg.shot("map-ego-hengrui")
    finally:
        pg.close()


def test_exposure_map_in_the_browser_runs_no_injected_code(browser, site):
    ds, out = site
    # CSP bypassed: nothing may run even without the page's Content-Security-Policy, so escaping alone holds
    pg = _open_map(browser, out / "maps/exposure-globe.html", bypass_csp=True)
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        assert _drawn(pg) == _expect(exposure_map(ds, "globe"))
        tip = _hover(pg, "org:evil")
        assert INJECT in tip and INJECT_ALIAS in tip and INJECT_NOTE in tip   # shown as text
        pg.eval("() => { const n = window.dealgraphMap.network; n.selectNodes(['org:evil']); }")
        box = pg.page.locator("#map").bounding_box()
        at = pg.eval("() => { const n = window.dealgraphMap.network; return n.canvasToDOM(n.getPositions(['org:evil'])['org:evil']); }")
        pg.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
        assert INJECT in pg.page.inner_text("#details-body")
        pg.page.get_by_role("button", name="Globe Pharma").click()     # the evil–Globe line's deals
        details = pg.page.inner_text("#details-body")
        assert INJECT_DEAL_NOTE in details and INJECT_ASSET in details
        tip = _hover(pg, "asset:ev-1")
        assert INJECT_ASSET in tip
        assert pg.eval("() => window.__xss") is None
        assert pg.eval("() => document.querySelectorAll('img, [onerror], [onload], body script:not([src])').length") \
            == 3                                   # the three <script> elements of the page itself, nothing else
        pg.shot("map-exposure-globe")
    finally:
        pg.close()


def test_exposure_map_of_a_real_multinational(browser, site):
    ds, out = site
    pg = _open_map(browser, out / "maps/exposure-pfizer.html")
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        assert _drawn(pg) == _expect(exposure_map(ds, "pfizer"))
        tip = _hover(pg, "org:3sbio")
        assert "3SBio" in tip
        pg.shot("map-exposure-pfizer")
    finally:
        pg.close()


def test_large_map_opens_with_a_precomputed_layout(browser, tmp_path):
    ds = synthetic_dataset(1200, seed=5, orgs=560)
    mg = overview_map(ds)
    path = write_map(mg, tmp_path / "large.html")
    pg = _open_map(browser, path)
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        assert _drawn(pg) == _expect(mg)
        assert pg.eval("() => window.dealgraphMap.data.precomputed") is True
        # positions are the ones written in the file: physics never moved them
        moved = pg.eval("""() => {
            const m = window.dealgraphMap, pos = m.network.getPositions();
            return m.nodes.get().filter(n => pos[n.id].x !== n.x || pos[n.id].y !== n.y).length;
        }""")
        assert moved == 0
        hub = max(mg.nodes, key=lambda n: n.size)
        assert hub.label in _hover(pg, hub.id)
        pg.shot("map-large-precomputed")
    finally:
        pg.close()


# --------------------------------------------------------------------------- report
def _check_report(browser, out: Path, name: str) -> Page:
    pg = Page(browser, out / "index.html")
    pg.page.wait_for_load_state("load")
    assert pg.errors == []
    assert pg.fetched_elsewhere() == []
    widths = pg.eval("() => [...document.images].map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == len(list((out / "plots").glob("*.png"))) > 0 and all(w > 0 for w in widths)
    hrefs = pg.eval("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    files = [h for h in hrefs if not h.startswith("#")]
    assert files and all((out / h).is_file() for h in files), [h for h in files if not (out / h).is_file()]
    ARTIFACTS.mkdir(exist_ok=True)
    pg.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return pg


def test_report_in_the_browser(browser, site):
    ds, out = site
    pg = _check_report(browser, out, "report")
    try:
        text = pg.page.inner_text("body")
        assert "League tables" in text and "Known conflicts between sources" in text
        assert "2025-07-hengrui-gsk" in text                 # a known conflict: about USD 12 billion vs 12.5b
        assert "Coverage against reported market totals" in text
        assert "maps/exposure-pfizer.html" in pg.eval(
            "() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href')).join(' ')")
    finally:
        pg.close()


def test_report_escapes_injected_names(browser, tmp_path):
    ds = dataset_from_seeds(crafted_seeds(), "crafted")
    run_analyses(ds, tmp_path)
    write_report(ds, tmp_path, write_maps(ds, tmp_path))
    pg = Page(browser, tmp_path / "index.html", bypass_csp=True)
    try:
        pg.page.wait_for_load_state("load")
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        assert INJECT in pg.page.inner_text("#leagues")       # the top licensors show the name as text
        assert pg.eval("() => window.__xss") is None
        assert pg.eval("() => document.querySelectorAll('script, [onerror], [onload]').length") == 0
        imgs = pg.eval("() => [...document.images].map(i => i.getAttribute('src').slice(0, 22))")
        assert imgs and set(imgs) == {"data:image/png;base64,"}
    finally:
        pg.close()
