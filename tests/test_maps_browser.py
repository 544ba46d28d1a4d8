"""The maps and the report in a real browser (headless Chromium through Playwright).

Each page is opened from a ``file://`` URL. It must load with no console error
and no request beyond the file itself; draw arrows from licensor to licensee with
the widest line on the largest deal; give, for every in-page filter, the node,
line and deal counts and the "hidden" line that ``graph.publish.maps.visible`` computes
in Python; find names, aliases and asset codes; show deal tables on hover; and
run nothing that a name, alias, note or asset name tries to inject. Screenshots
go to ``test-artifacts/``.

Needs Chromium (``apt-get install -y chromium``, or $DEALGRAPH_CHROMIUM) and
``pip install playwright`` (no ``playwright install``: the system Chromium is
used). Missing either: a failure under CI=true, a skip elsewhere.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

import pytest

from graph.analysis import run_analyses
from graph.ingest.loading import load_seeds
from graph.publish.maps import DealFilter, ego_map, exposure_map, overview_map, write_map, write_maps, write_report
from graph.publish.maps.visible import visible
from graph.ingest.synth import dataset_from_seeds, synthetic_dataset

from .support import SEEDS, BrowserPage
from .test_maps import INJECT, INJECT_ALIAS, INJECT_ASSET, INJECT_DEAL_NOTE, INJECT_NOTE, crafted_seeds

READY = "body[data-ready=true]"




class Page(BrowserPage):
    """A map or report opened from a file (``support.BrowserPage``)."""

    def fetched_elsewhere(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


def _open_map(browser, path: Path, bypass_csp: bool = False, viewport=(1440, 900)) -> Page:
    pg = Page(browser, path, bypass_csp, viewport)
    pg.page.wait_for_selector(READY, state="attached", timeout=60_000)
    pg.page.wait_for_timeout(150)           # the first full frame (labels, arrows) follows the ready mark
    return pg


def _counts(pg: Page) -> dict:
    return pg.eval("() => window.dealgraphMap.counts()")


def _expected(mg, ds, flt: DealFilter = DealFilter(undated=True)) -> dict:
    v = visible(mg, flt, ds)
    return {"nodes": len(v.nodes), "edges": len(v.edges), "deals": len(v.deals), "hidden": v.line()}


def _canvas_point(pg: Page, node_id: str) -> tuple[float, float]:
    box = pg.page.locator("#map").bounding_box()
    at = pg.eval("(id) => window.dealgraphMap.screen(id)", node_id)
    return box["x"] + at["x"], box["y"] + at["y"]


def _hover_node(pg: Page, node_id: str) -> str:
    x, y = _canvas_point(pg, node_id)
    pg.page.mouse.move(x - 40, y - 40)
    pg.page.mouse.move(x, y, steps=3)
    pg.page.wait_for_selector("#tip:not([hidden])", timeout=5_000)
    return pg.page.inner_text("#tip")


def _edge_index(pg: Page, deal: str, frm: str | None = None) -> int:
    return pg.eval("""([deal, frm]) => window.dealgraphMap.data.edges.findIndex(
        e => e.deals.includes(deal) && (frm === null || e.from === frm))""", [deal, frm])


def _edge_point(pg: Page, j: int) -> tuple[float, float]:
    """A point on line j that no node covers (the middle if free)."""
    box = pg.page.locator("#map").bounding_box()
    at = pg.eval("""(j) => {
        const R = window.dealgraphMap.renderer, g = window.dealgraphMap.edge(j).mid;
        for (const t of [0.5, 0.3, 0.7, 0.2, 0.8]) {
            const x = g.bent ? (1-t)*(1-t)*g.x1 + 2*(1-t)*t*g.cx + t*t*g.x2 : (1-t)*g.x1 + t*g.x2;
            const y = g.bent ? (1-t)*(1-t)*g.y1 + 2*(1-t)*t*g.cy + t*t*g.y2 : (1-t)*g.y1 + t*g.y2;
            if (R.nodeAt(x, y) < 0 && R.edgeAt(x, y) === j) { return {x, y}; }
        }
        return null;
    }""", j)
    assert at is not None, f"no free point on line {j}"
    return box["x"] + at["x"], box["y"] + at["y"]


def _check_direction_and_width(pg: Page, mg, giver: str, taker: str, deal: str) -> None:
    """The deal's line has an arrowhead at the taker's end, and the widest line is the largest deal."""
    j = _edge_index(pg, deal, giver)
    e = pg.eval("(j) => window.dealgraphMap.edge(j)", j)
    assert (e["from"], e["to"], e["directed"]) == (giver, taker, True)
    tip = next(a for a in pg.eval("() => window.dealgraphMap.renderer.last.arrows") if a["edge"] == j)
    g, t = pg.eval("(id) => window.dealgraphMap.screen(id)", giver), pg.eval("(id) => window.dealgraphMap.screen(id)", taker)
    assert math.dist((tip["x"], tip["y"]), (t["x"], t["y"])) < math.dist((tip["x"], tip["y"]), (g["x"], g["y"]))
    # widest line: the line whose deals add up to the most money (Python's count), holding the largest deal
    value = {i: sum(Decimal(mg.deals[d]["headline_usd"] or 0) for d in ed.deals) for i, ed in enumerate(mg.edges)}
    top = max(value, key=lambda i: value[i])
    widths = pg.eval("() => window.dealgraphMap.data.edges.map((e, j) => window.dealgraphMap.edge(j).width)")
    assert widths.index(max(widths)) == top
    largest = max(mg.deals, key=lambda k: Decimal(mg.deals[k]["headline_usd"] or 0))
    assert largest in mg.edges[top].deals
    # money is written on the lines of USD 1 billion and more, and only on those
    written = pg.eval("() => window.dealgraphMap.renderer.last.values")
    assert written and all(value[w["edge"]] >= 10 ** 9 for w in written)


def _filters_match_python(pg: Page, mg, ds, name: str) -> None:
    """Each in-page filter gives the node, line and deal counts and the hidden line that visible() gives."""
    p = pg.page
    years = sorted({d["year"] for d in mg.deals.values() if d["year"]})

    def check(flt: DealFilter, what: str) -> None:
        got, want = _counts(pg), _expected(mg, ds, flt)
        assert got == want, what
        if want["deals"] < len(mg.deals):
            assert got["hidden"].startswith("hidden: ")

    def reset() -> None:
        p.click("#f-reset")

    assert _counts(pg) == _expected(mg, ds)
    p.select_option("#f-from", str(years[-1]))
    check(DealFilter(year_from=years[-1], undated=True), "from year")
    p.uncheck("#f-undated")
    check(DealFilter(year_from=years[-1], undated=False), "from year without undated")
    pg.shot(f"{name}-filtered-by-year")
    reset()
    fams = pg.eval("() => [...document.querySelectorAll('.f-family')].map(c => c.value)")
    for f in fams[1:]:
        p.uncheck(f".f-family[value='{f}']")
    check(DealFilter(family=fams[0], undated=True), "family")
    reset()
    types = sorted({d["type"] for d in mg.deals.values()})
    p.select_option("#f-type", types[0])
    check(DealFilter(deal_type=types[0], undated=True), "type")
    reset()
    p.select_option("#f-direction", "out")
    check(DealFilter(direction="out", undated=True), "direction")
    p.select_option("#f-china", "greater")
    check(DealFilter(direction="out", greater_china=True, undated=True), "direction, Greater China")
    reset()
    p.select_option("#f-min", "1000000000")
    check(DealFilter(min_value_usd=10 ** 9, undated=True), "minimum value")
    reset()
    mods = pg.eval("() => [...document.querySelectorAll('#f-modality option')].map(o => o.value).filter(v => v)")
    p.select_option("#f-modality", mods[0])
    check(DealFilter(modality=mods[0], undated=True), "modality")
    reset()
    assert _counts(pg) == _expected(mg, ds)


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
    mg = overview_map(ds)
    pg = _open_map(browser, out / "maps/overview.html")
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        pg.shot("map-overview")
        _check_direction_and_width(pg, mg, "org:hengrui", "org:msd", "2025-03-hengrui-msd")
        _filters_match_python(pg, mg, ds, "map-overview")
        # search finds an alias and an asset code
        pg.page.fill("#search", "MSD")
        pg.page.press("#search", "Enter")
        assert pg.eval("() => window.dealgraphMap.state.found") == "org:msd"
        assert "Merck & Co., Inc." in pg.page.inner_text("#details-body")
        pg.page.fill("#search", "ssgj-707")
        pg.page.press("#search", "Enter")
        assert pg.eval("() => window.dealgraphMap.state.found") == "asset:SSGJ-707"
        details = pg.page.inner_text("#details-body")
        assert "3SBio" in details and "Pfizer" in details and "USD 1.25 billion" in details
        assert set(pg.eval("() => window.dealgraphMap.dim()")) == {"org:3sbio", "org:pfizer"}
        pg.shot("map-overview-search-ssgj-707")
        # typo-tolerant and ranked: one typo, a code without its hyphen, '&' written out, a swapped pair
        for query, found in (("Pfizr", "org:pfizer"), ("ssgj707", "asset:SSGJ-707"), ("merck and co", "org:msd"),
                             ("Astrazeenca", "org:astrazeneca"), ("jiangsu hengrei", "org:hengrui")):
            pg.page.fill("#search", query)
            pg.page.press("#search", "Enter")
            assert pg.eval("() => window.dealgraphMap.state.found") == found, query
        assert pg.page.inner_text("#search-msg").startswith("closest: Jiangsu Hengrui")
        assert pg.eval("() => window.dealgraphMap.search('Pfxzr')") == []          # two typos in five letters: too far
        ranked = pg.eval("() => window.dealgraphMap.search('Hengrui')")
        assert ranked[0] == ["Hengrui", 100] and all(a[1] >= b[1] for a, b in zip(ranked, ranked[1:]))
        pg.page.fill("#search", "no such company")
        pg.page.press("#search", "Enter")
        assert pg.page.inner_text("#search-msg") == "No match"
        assert pg.errors == [] and pg.fetched_elsewhere() == []
    finally:
        pg.close()


def test_overview_labels_are_readable_at_1280x720(browser, site):
    ds, out = site
    pg = _open_map(browser, out / "maps/overview.html", viewport=(1280, 720))
    try:
        labels = pg.eval("() => window.dealgraphMap.renderer.last.labels")
        assert len(labels) >= 20
        boxes = [(b["x"], b["y"], b["x"] + b["w"], b["y"] + b["h"]) for b in labels]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        assert all(b["h"] >= 15 for b in labels)                  # 12 px type or larger
        # the ten organizations with the most deal value are always labelled
        mg = overview_map(ds)
        top = sorted((n for n in mg.nodes if n.importance > 0), key=lambda n: -n.importance)[:10]
        named = {mg.nodes[b["node"]].id for b in labels}
        assert {n.id for n in top} <= named
        pg.shot("map-overview-1280x720")
    finally:
        pg.close()


def test_ego_map_in_the_browser(browser, site):
    ds, out = site
    mg = ego_map(ds, "Jiangsu Hengrui", 2)
    path = write_map(mg, out / "maps/ego-hengrui-2.html")
    pg = _open_map(browser, path)
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        _check_direction_and_width(pg, mg, "org:hengrui", "org:gsk", "2025-07-hengrui-gsk")
        # the page restores each deal's parties from its compact form, names with commas intact
        assert pg.eval("() => window.dealgraphMap.data.deals['2025-03-hengrui-msd'].party_ids") == \
            mg.deals["2025-03-hengrui-msd"]["party_ids"]
        assert ["msd", "Merck & Co., Inc."] in mg.deals["2025-03-hengrui-msd"]["party_ids"]
        # the focus organization's deals are in the side panel from the start
        assert "Jiangsu Hengrui Pharmaceuticals" in pg.page.inner_text("#details-body")
        # hovering Hengrui: its deals as a table with counterparty, asset, upfront, headline, and totals
        tip = _hover_node(pg, "org:hengrui")
        assert "Counterparty" in tip and "Merck & Co., Inc." in tip and "up to USD 1.97 billion" in tip
        assert "USD 200 million" in tip and "undisclosed" in tip
        assert "Betweenness" not in tip                          # network measures are on the second tab
        # hovering the Hengrui → MSD licence line lists it with asset and money
        x, y = _edge_point(pg, _edge_index(pg, "2025-03-hengrui-msd", "org:hengrui"))
        pg.page.mouse.move(x, y, steps=2)
        pg.page.wait_for_function("() => document.getElementById('tip').innerText.includes('→')")
        tip = pg.page.inner_text("#tip")
        assert "Jiangsu Hengrui Pharmaceuticals → Merck & Co., Inc." in tip and "USD 200 million" in tip
        # clicking it shows the sources with the document's title and date
        pg.page.mouse.click(x, y)
        details = pg.page.inner_text("#details-body")
        assert "caixin-2026:54 — Chinese Drugmakers Strike Record $136 Billion in Cross-Border Licensing Deals" in details
        # clicking MSD dims everything outside its neighbourhood
        mx, my = _canvas_point(pg, "org:msd")
        pg.page.mouse.click(mx, my)
        near = {e.target if e.source == "org:msd" else e.source for e in mg.edges if "org:msd" in (e.source, e.target)}
        assert set(pg.eval("() => window.dealgraphMap.dim()")) == near | {"org:msd"}
        pg.page.click("#details-body .tab:has-text('Measures')")
        assert "Betweenness" in pg.page.inner_text("#details-body")
        pg.shot("map-ego-hengrui")
        _filters_match_python(pg, mg, ds, "map-ego-hengrui")
        assert pg.errors == []
    finally:
        pg.close()


def test_exposure_map_of_a_real_multinational(browser, site):
    ds, out = site
    mg = exposure_map(ds, "pfizer")
    pg = _open_map(browser, out / "maps/exposure-pfizer.html")
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        assert _counts(pg) == _expected(mg, ds)
        _check_direction_and_width(pg, mg, "org:3sbio", "asset:ssgj-707", "2025-05-3sbio-pfizer")
        j = _edge_index(pg, "2025-05-3sbio-pfizer", "asset:ssgj-707")
        assert pg.eval("(j) => window.dealgraphMap.edge(j).to", j) == "org:pfizer"
        tip = _hover_node(pg, "org:3sbio")
        assert "3SBio" in tip and "over USD 6 billion" in tip and "SSGJ-707" in tip
        pg.page.fill("#search", "SSGJ-707")
        pg.page.press("#search", "Enter")
        assert pg.eval("() => window.dealgraphMap.state.found") == "asset:ssgj-707"     # the asset's own node
        assert set(pg.eval("() => window.dealgraphMap.dim()")) == {"asset:ssgj-707", "org:3sbio", "org:pfizer"}
        pg.shot("map-exposure-pfizer")
        _filters_match_python(pg, mg, ds, "map-exposure-pfizer")
    finally:
        pg.close()
    pg = _open_map(browser, out / "maps/exposure-bayer.html")
    try:  # no upfront of Bayer's deals is stated: the card's total says so, never "USD 0"
        tip = _hover_node(pg, "org:bayer")
        assert "upfront not stated" in tip and "upfront USD 0" not in tip and "headline total USD 162 million" in tip
    finally:
        pg.close()


def test_exposure_map_in_the_browser_runs_no_injected_code(browser, site):
    ds, out = site
    # CSP bypassed: nothing may run even without the page's Content-Security-Policy, so escaping alone holds
    pg = _open_map(browser, out / "maps/exposure-globe.html", bypass_csp=True)
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        assert _counts(pg) == _expected(exposure_map(ds, "globe"), ds)
        tip = _hover_node(pg, "org:evil")
        assert INJECT in tip                                      # the name, as text
        x, y = _canvas_point(pg, "org:evil")
        pg.page.mouse.click(x, y)
        pg.page.click("#details-body .tab:has-text('Measures')")
        details = pg.page.inner_text("#details-body")
        assert INJECT in details and INJECT_ALIAS in details and INJECT_NOTE in details
        x, y = _edge_point(pg, _edge_index(pg, "d4-evil-globe", "asset:ev-1"))
        pg.page.mouse.click(x, y)
        details = pg.page.inner_text("#details-body")
        assert INJECT_DEAL_NOTE in details and INJECT_ASSET in details
        pg.page.fill("#search", INJECT_ALIAS)
        pg.page.press("#search", "Enter")
        assert pg.eval("() => window.dealgraphMap.state.found") == "org:evil"
        # the CSV export neutralises a cell that a spreadsheet would run as a formula
        csv_text = pg.eval("() => window.dealgraphMap.csv()")
        row = next(r for r in csv_text.splitlines() if r.startswith('"d4-evil-globe"'))
        assert '"\'=HYPERLINK(""http://evil.example"",""open"")"' in row
        with pg.page.expect_download() as dl:
            pg.page.click("#export")
        saved = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
        assert saved == csv_text and saved.count("\r\n") == len(exposure_map(ds, "globe").deals) + 1
        assert pg.eval("() => window.__xss") is None
        assert pg.eval("() => document.querySelectorAll('img, [onerror], [onload], body script:not([src])').length") \
            == 4                                   # the four <script> elements of the page itself, nothing else
        assert pg.fetched_elsewhere() == []
        pg.shot("map-exposure-globe")
    finally:
        pg.close()


def test_large_map_opens_laid_out_and_zooms(browser, tmp_path):
    ds = synthetic_dataset(1200, seed=5, orgs=560)
    mg = overview_map(ds)
    path = write_map(mg, tmp_path / "large.html")
    pg = _open_map(browser, path)
    try:
        assert pg.errors == [] and pg.fetched_elsewhere() == []
        assert _counts(pg) == _expected(mg, ds)
        assert pg.eval("() => window.dealgraphMap.state.readyAt") < 2000
        box = pg.page.locator("#map").bounding_box()
        pg.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        before = pg.eval("() => window.dealgraphMap.renderer.scale")
        assert pg.eval("() => window.dealgraphMap.renderer.edges.filter(e => e.visible).length") > 600
        for _ in range(5):
            pg.page.mouse.wheel(0, -120)
        pg.page.wait_for_timeout(400)
        assert pg.eval("() => window.dealgraphMap.renderer.scale") > before * 1.5
        # with this many lines, the frames while zooming move the picture of the last full frame
        assert pg.eval("() => window.dealgraphMap.renderer.cachedFrames") >= 1
        assert pg.eval("() => window.dealgraphMap.renderer.last.mode") == "full"      # labels back after zooming
        hub = max(mg.nodes, key=lambda n: n.importance)
        pg.eval("(id) => window.dealgraphMap.renderer.fit(false)", hub.id)
        pg.page.wait_for_timeout(100)
        assert hub.label in _hover_node(pg, hub.id)
        pg.shot("map-large")
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
    pg.shot(name, full_page=True)
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
