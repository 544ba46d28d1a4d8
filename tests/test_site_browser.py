"""The site in a real browser (headless Chromium through Playwright), opened from file:// URLs.

Every page must load with no console error and no request outside the output folder; citations
show their line on hover; tables sort and filter; the search box finds any organization, asset or
deal by any name, code or alias, accents and case aside; names, notes and document lines that try
to inject HTML stay text. Screenshots of an organization, asset and deal page go to test-artifacts/.

Needs Chromium (``apt-get install -y chromium``, or $DEALGRAPH_CHROMIUM) and Playwright for Python
(no ``playwright install``: the system Chromium is used). Missing either: a failure under CI=true,
a skip elsewhere.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.analysis import run_analyses
from graph.ingest.loading import load_seeds
from graph.publish.maps import write_maps, write_report
from graph.publish.site import write_site
from graph.ingest.synth import dataset_from_seeds

from .support import SEEDS, BrowserPage, source_documents

INJECT = '<img src=x onerror="window.__xss=1">'
INJECT_ALIAS = "<script>window.__xss=2</script>"
INJECT_NOTE = "</script><script>window.__xss=3</script> & <b>bold</b>"
INJECT_ASSET = "<svg onload=window.__xss=4>"
INJECT_LINE = '"><img src=z onerror="window.__xss=6">'




def crafted(docs: Path) -> dict[str, list[dict]]:
    """A made-up dataset whose names, alias, note, asset and a cited document line try to inject HTML.

    Its one document ``t.txt`` is written to ``docs``; line 3 is the injecting line.
    """
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "t.txt").write_text(f"Evil Bio licenses EV-1 to Globe.\nGlobe Pharma is big.\n{INJECT_LINE}\n",
                                encoding="utf-8")
    src = ["t:1"]
    return {
        "sources": [{"id": "t", "title": "Test note", "publisher": "tests", "date": "2025", "type": "note",
                     "file": "t.txt"}],
        "organizations": [
            {"id": "evil", "name": INJECT, "aliases": [INJECT_ALIAS], "note": INJECT_NOTE, "country": "CN",
             "type": "biotech", "sources": src},
            {"id": "globe", "name": "Globe Pharma", "country": "US", "type": "pharma", "multinational": True,
             "sources": ["t:2"]}],
        "assets": [{"id": "ev-1", "name": INJECT_ASSET, "codes": ["EV-1"], "modality": "small-molecule",
                    "originator": "evil", "sources": src}],
        "deals": [{"id": "d-evil-globe", "type": "licence", "date": "2025-03", "assets": ["ev-1"],
                   "parties": {"licensor": "evil", "licensee": "globe"}, "terms": {"upfront": "USD 12.5 million"},
                   "note": INJECT_NOTE, "sources": ["t:1", "t:3"]}],
        "events": [], "statistics": []}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The build's outputs (analyses, maps, site with the documents, report) for the shipped seeds."""
    out = tmp_path_factory.mktemp("site")
    ds = load_seeds(SEEDS)
    run_analyses(ds, out)
    maps = write_maps(ds, out)
    write_site(ds, out, docs=source_documents())
    write_report(ds, out, maps)
    return ds, out


class Page(BrowserPage):
    """A site page opened from a file (``support.BrowserPage``), once its script marked it ready."""

    def __init__(self, browser, path: Path, bypass_csp: bool = False):
        super().__init__(browser, path, bypass_csp, viewport=(1280, 900))
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)

    def outside(self, root: Path) -> list[str]:
        """Requests for anything but files inside ``root``."""
        prefix = root.resolve().as_uri() + "/"
        return [u for u in self.requests if not u.startswith(prefix)]

    def shot(self, name: str, full_page: bool = True) -> Path:
        return super().shot(name, full_page)


def _broken_links(pg: Page, out: Path) -> list[str]:
    hrefs = pg.eval("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    files = [h.split("#")[0] for h in hrefs]
    return [h for h in files if not h.startswith("file:") or not Path(h[7:]).is_file()]


def _visible_rows(pg: Page, table: str) -> int:
    return pg.eval(f"() => [...document.querySelectorAll('{table} tbody tr')].filter(r => !r.hidden).length")


def test_org_page(browser, site):
    ds, out = site
    pg = Page(browser, out / "org/pfizer.html")
    try:
        assert pg.errors == [] and pg.outside(out) == []
        assert _broken_links(pg, out) == []
        text = pg.page.inner_text("main")
        assert "3SBio" in text and "over USD 6 billion" in text and "China exposure" in text
        # the ego map is embedded and draws (it loads when scrolled into view)
        pg.page.locator("iframe.ego").scroll_into_view_if_needed()
        frame = pg.page.frame_locator("iframe.ego")
        frame.locator("body[data-ready=true]").wait_for(state="attached", timeout=30_000)
        assert pg.page.frames[1].url.endswith("/maps/ego-pfizer.html")
        assert pg.errors == [] and pg.outside(out) == []
        pg.page.evaluate("() => window.scrollTo(0, 0)")
        pg.shot("site-org-pfizer")
    finally:
        pg.close()


def test_deal_page_citation_hover_shows_the_line(browser, site):
    ds, out = site
    d = ds.deals["2025-05-3sbio-pfizer"]
    pg = Page(browser, out / "deal/2025-05-3sbio-pfizer.html")
    try:
        assert pg.errors == [] and pg.outside(out) == [] and _broken_links(pg, out) == []
        cite = pg.page.locator("#terms a.cite").first
        cite.hover()
        shown = pg.eval("() => getComputedStyle(document.querySelector('#terms a.cite'), '::after').content")
        c = d.terms["upfront"][0].sources[0] if d.terms["upfront"][0].sources else d.sources[0]
        line = (source_documents() / ds.sources[c.doc].file).read_text(encoding="utf-8").splitlines()[c.line - 1]
        assert line.strip()[:80] in shown                      # the cited line, read from the document
        assert "USD 1.25 billion" in pg.page.inner_text("#terms")
        pg.shot("site-deal-3sbio-pfizer")
        cite.click()                                            # …and the link leads to that line
        pg.page.wait_for_url(re.compile(rf"/source/{c.doc}\.html#L{c.line}$"))
        assert pg.page.locator(f"#L{c.line}").is_visible()
    finally:
        pg.close()


def test_asset_page_and_table_sort_and_filter(browser, site):
    ds, out = site
    pg = Page(browser, out / "asset/ssgj-707.html")
    try:
        assert pg.errors == [] and pg.outside(out) == [] and _broken_links(pg, out) == []
        assert "3SBio" in pg.page.inner_text("#profile") and "Pfizer" in pg.page.inner_text("#deals")
        pg.shot("site-asset-ssgj-707")
    finally:
        pg.close()
    pg = Page(browser, out / "deals.html")
    try:
        table = "table.sortable"
        assert _visible_rows(pg, table) == len(ds.deals)
        pg.page.locator(f"{table} th", has_text="Headline value").click()        # ascending
        pg.page.locator(f"{table} th", has_text="Headline value").click()        # descending
        first = pg.eval(f"() => document.querySelector('{table} tbody tr').cells[1].textContent")
        top = max(ds.deals.values(), key=lambda d: d.headline()[0] or 0)
        assert first.strip() == pg.eval("(id) => document.querySelector(`a[href='deal/${id}.html']`).textContent",
                                         top.id).strip()
        pg.page.fill(".filter input", "hengrui")
        expected = sum(1 for d in ds.deals.values() if "hengrui" in d.party_ids())
        assert 0 < _visible_rows(pg, table) <= expected + 2     # rows naming Hengrui (a deal title may too)
        assert pg.errors == []
    finally:
        pg.close()


@pytest.mark.parametrize("query,path", [("ssgj 707", "asset/ssgj-707.html"),       # a code name, any punctuation
                                        ("HENGRUI", "org/hengrui.html"),           # an alias, any case
                                        ("Jiangsu Héngrui", "org/hengrui.html"),   # accents aside
                                        ("3sbio pfizer", "deal/2025-05-3sbio-pfizer.html")])
def test_search_box_finds_any_record(browser, site, query, path):
    _, out = site
    pg = Page(browser, out / "deal/2025-07-hengrui-gsk.html")
    try:
        pg.page.fill("#search", query)
        pg.page.wait_for_selector("#search-results:not([hidden]) li a")
        hits = pg.eval("() => [...document.querySelectorAll('#search-results li a')].map(a => a.getAttribute('href'))")
        assert f"../{path}" in hits[:3], hits
        pg.page.locator(f"#search-results a[href='../{path}']").click()
        pg.page.wait_for_url(re.compile(re.escape(path) + "$"))
        assert pg.errors == [] and pg.outside(out) == []
    finally:
        pg.close()


def test_injected_names_notes_and_lines_stay_text(browser, tmp_path):
    docs = tmp_path / "docs"
    ds = dataset_from_seeds(crafted(docs), "crafted")
    out = tmp_path / "out"
    write_site(ds, out, docs=docs)
    for rel in ("org/evil.html", "deal/d-evil-globe.html", "asset/ev-1.html", "source/t.html", "organizations.html"):
        html = (out / rel).read_text(encoding="utf-8")
        for s in (INJECT, INJECT_ALIAS, INJECT_ASSET, "<script>window.__xss=3", "<img src=z"):
            assert s not in html, (rel, s)
        # CSP bypassed: nothing may run even without the page's policy, so escaping alone holds
        pg = Page(browser, out / rel, bypass_csp=True)
        try:
            assert pg.errors == [] and pg.outside(out) == []
            assert pg.eval("() => window.__xss") is None
            assert pg.eval("() => document.querySelectorAll('img, svg, [onerror], [onload]').length") == 0
            assert pg.eval("() => [...document.querySelectorAll('b')].filter(b => b.textContent === 'bold').length") == 0
            assert pg.eval("() => document.scripts.length") == 1       # site.js, nothing else
            if rel == "org/evil.html":
                assert INJECT in pg.page.inner_text("h1") and INJECT_NOTE in pg.page.inner_text("#profile")
            if rel == "deal/d-evil-globe.html":
                pg.page.locator("a.cite", has_text="t:3").first.hover()
                after = pg.eval("() => getComputedStyle([...document.querySelectorAll('a.cite')]"
                                ".find(a => a.textContent === 't:3'), '::after').content")
                assert INJECT_LINE.replace('"', '\\"') in after     # the document line, as text
                pg.page.fill("#search", "svg onload")
                pg.page.wait_for_selector("#search-results:not([hidden]) li a")
                assert INJECT_ASSET in pg.page.inner_text("#search-results")
                assert pg.eval("() => document.querySelectorAll('svg, img').length") == 0
            assert pg.eval("() => window.__xss") is None
        finally:
            pg.close()
