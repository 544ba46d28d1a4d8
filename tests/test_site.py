"""The static site (graph.publish.site): page contexts, pages and JSON twins, links both ways, exact money, citations.

Browser checks (console, network, hover, sorting, search, injection) are in test_site_browser.py.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import fields
from pathlib import Path

import pytest
from markupsafe import escape

from graph.pipeline.build import build
from graph.ingest.loading import load_seeds
from graph.find.search import normal
from graph.publish.site import SITE_CSP, SiteIndex, page_path, write_site
from graph.publish.site import context as C
from graph.publish.site.lists import LISTS
from graph.publish.site.text import money_text
from graph.publish.site.write import TEMPLATES, search_index
from graph.ingest.synth import dataset_from_seeds

from .support import SEEDS, source_documents

HREF = re.compile(r'href="([^"#]*)(#[^"]*)?"')


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory):
    """The site of the shipped seeds, without the source documents."""
    ds = load_seeds(SEEDS)
    out = tmp_path_factory.mktemp("site")
    return ds, out, write_site(ds, out, docs=None)


def _links(path: Path) -> set[str]:
    """Every page a page links to, as a path from the site root."""
    base = path.parent
    return {str((base / h).resolve()) for h, _ in HREF.findall(path.read_text(encoding="utf-8")) if h}


# --------------------------------------------------------------------------- contexts
PAGES = {C.OrgPage: "org.html", C.AssetPage: "asset.html", C.DealPage: "deal.html", C.EventPage: "event.html",
         C.ListPage: "list.html", C.SourcePage: "source.html"}


def test_every_context_field_has_help():
    classes = [c for c in vars(C).values() if isinstance(c, type) and c.__module__ == C.__name__
               and hasattr(c, "__dataclass_fields__")]
    assert len(classes) >= 15
    missing = [f"{c.__name__}.{f.name}" for c in classes for f in fields(c) if not f.metadata.get("help")]
    assert missing == []


@pytest.mark.parametrize("cls", list(PAGES), ids=lambda c: c.__name__)
def test_every_page_field_is_shown_by_its_template(cls):
    # a field no template reads is data the page silently drops (the JSON twin still has it)
    text = (TEMPLATES / PAGES[cls]).read_text(encoding="utf-8") + (TEMPLATES / "base.html").read_text(encoding="utf-8")
    unused = [f.name for f in fields(cls) if f"page.{f.name}" not in text]
    assert unused == []


# --------------------------------------------------------------------------- pages
def test_a_page_and_json_twin_for_every_record(seeds_site):
    ds, out, result = seeds_site
    assert result.pages == {"org": len(ds.organizations), "asset": len(ds.assets), "deal": len(ds.deals),
                            "event": len(ds.events), "source": len(ds.sources), "list": len(LISTS)}
    for kind, table in (("org", ds.organizations), ("asset", ds.assets), ("deal", ds.deals), ("event", ds.events),
                        ("source", ds.sources)):
        for rid in table:
            assert (out / page_path(kind, rid)).is_file()
            twin = json.loads((out / page_path(kind, rid, "json")).read_text(encoding="utf-8"))
            assert twin["path"] == page_path(kind, rid)
    assert result.files == 2 * sum(result.pages.values()) + 3    # pages, twins, css, js, search index


def test_pages_link_both_ways(seeds_site):
    ds, out, _ = seeds_site
    page = {k: {rid: str((out / page_path(k, rid)).resolve()) for rid in t}
            for k, t in (("org", ds.organizations), ("asset", ds.assets), ("deal", ds.deals), ("event", ds.events))}
    for d in ds.deals.values():
        deal_links = _links(out / page_path("deal", d.id))
        for o in d.party_ids():
            assert page["org"][o] in deal_links, (d.id, o)                          # deal -> org
            assert page["deal"][d.id] in _links(out / page_path("org", o)), (o, d.id)  # org -> deal
        for a in d.assets:
            assert page["asset"][a] in deal_links                                   # deal -> asset
            assert page["deal"][d.id] in _links(out / page_path("asset", a))        # asset -> deal
    for e in ds.events.values():
        event_links = _links(out / page_path("event", e.id))
        for kind, ids in (("deal", [e.deal] if e.deal else []), ("asset", e.assets), ("org", e.orgs)):
            for rid in ids:
                assert page[kind][rid] in event_links                               # event -> record
                assert page["event"][e.id] in _links(out / page_path(kind, rid))    # record timeline -> event
    # index pages reach every record page
    listed = set().union(*(_links(out / f"{n}.html") for n in ("organizations", "assets", "deals", "events", "sources")))
    assert {p for t in page.values() for p in t.values()} <= listed


def test_every_link_resolves(seeds_site):
    # the report (index.html), maps and exposure files are the build's other outputs, absent here
    ds, out, _ = seeds_site
    elsewhere = re.compile(r"^(\.\./)?(index\.html|maps/|exposure/)")
    for p in [*out.glob("*.html"), *out.glob("*/*.html")]:
        for h, _ in HREF.findall(p.read_text(encoding="utf-8")):
            if h and not elsewhere.match(h):
                assert (p.parent / h).is_file(), (p.name, h)


def test_deal_page_shows_every_claim_and_its_sources(seeds_site):
    ds, out, _ = seeds_site
    # Hengrui-GSK: the sources disagree on the total (a known conflict); both claims are on the page
    d = ds.deals["2025-07-hengrui-gsk"]
    text = (out / page_path("deal", d.id)).read_text(encoding="utf-8")
    for claims in d.terms.values():
        for c in claims:
            assert escape(c.text) in text
            for s in c.sources or d.sources:
                assert f'href="../source/{s.doc}.html#L{s.line}"' in text
    assert 'id="conflicts"' in text and "sources disagree" in text
    twin = json.loads((out / page_path("deal", d.id, "json")).read_text(encoding="utf-8"))
    assert [t["kind"] for t in twin["conflicts"]] == ["total"]
    # Hengrui-MSD: USD 200 million upfront + up to USD 1.77 billion milestones
    assert "up to USD 1.97 billion" in (out / page_path("deal", "2025-03-hengrui-msd")).read_text(encoding="utf-8")


def test_org_page_parts(seeds_site):
    ds, out, _ = seeds_site
    ctx = SiteIndex(ds).org_page("hengrui")
    assert [(t.relation, t.org.id, t.detail) for t in ctx.family] == [("holds a stake in", "kailera", "19.9%"),
                                                                     ("formed", "kailera", "")]
    assert {r.deal.id for r in ctx.deals} == {d.id for d in ds.deals_of("hengrui")}
    dates = [r.date for r in ctx.deals if r.date]
    assert dates == sorted(dates)
    assert ctx.facts[-1].label == "Sources" and [c.label for c in ctx.facts[-1].cites] == \
        [str(c) for c in ds.organizations["hengrui"].sources]


def test_curated_and_unknown_facts_are_shown_apart(seeds_site):
    ds, out, _ = seeds_site
    ix = SiteIndex(ds)
    curated = [o for o in ds.organizations.values() if "country" in getattr(o, "curated", {})]
    unknown = [o for o in ds.organizations.values() if getattr(o, "unknown", {})]
    if not curated or not unknown:
        pytest.skip("the seeds have no curated or unknown facts yet (branch data)")
    o = curated[0]
    page = ix.org_page(o.id)
    assert [(f.label, f.basis, f.note) for f in page.curated] == \
        [("Headquarters", "curated", o.curated["country"])]
    assert "Headquarters" not in [f.label for f in page.facts]            # not among the cited facts
    u = unknown[0]
    assert {(f.basis, f.note) for f in ix.org_page(u.id).curated} >= {("unknown", why) for why in u.unknown.values()}
    text = (out / page_path("org", o.id)).read_text(encoding="utf-8")
    assert 'class="fact curated"' in text and str(escape(o.curated["country"])) in text


def test_deal_disputes_are_listed_with_their_sources(seeds_site):
    ds, out, _ = seeds_site
    disputed = [d for d in ds.deals.values() if getattr(d, "disputes", None)]
    if not disputed:
        pytest.skip("the seeds have no disputed facts yet (branch data)")
    d = disputed[0]
    page = SiteIndex(ds).deal_page(d.id)
    assert [f.value for f in page.disputes] == [a.text() for alts in d.disputes.values() for a in alts]
    assert all(f.cites for f in page.disputes)


def test_statistics_and_conflicts_pages_list_everything(seeds_site):
    ds, out, _ = seeds_site
    stats = json.loads((out / "statistics.json").read_text(encoding="utf-8"))
    assert len(stats["rows"]) == len(ds.statistics)
    conflicts = json.loads((out / "conflicts.json").read_text(encoding="utf-8"))
    assert any(r[0]["href"] == "deal/2025-07-hengrui-gsk.html" for r in conflicts["rows"])


def test_pages_load_only_their_own_files(seeds_site):
    _, out, _ = seeds_site
    text = (out / "org/hengrui.html").read_text(encoding="utf-8")
    assert f'content="{escape(SITE_CSP)}"' in text and "'unsafe-inline'" not in SITE_CSP
    assert re.findall(r'<script[^>]*>', text) == ['<script src="../assets/site.js" defer>']
    assert "http://" not in text and "https://" not in text and " style=" not in text


# --------------------------------------------------------------------------- money, search, idempotence
def test_money_is_exact():
    # 1.825 and 2.175 billion are the values binary floats round in display (issue 11)
    assert money_text(1825000000) == "USD 1.825 billion"
    seeds = {"sources": [{"id": "t", "title": "T", "publisher": "p", "date": "2025", "type": "note", "file": "t.txt"}],
             "organizations": [{"id": "a", "name": "A", "type": "biotech", "sources": ["t:1"]},
                               {"id": "b", "name": "B", "type": "pharma", "sources": ["t:1"]}],
             "deals": [{"id": "d", "type": "licence", "parties": {"licensor": "a", "licensee": "b"},
                        "terms": {"upfront": "USD 100.1 million", "milestones": "up to USD 200.2 million"},
                        "sources": ["t:2"]},
                       {"id": "e", "type": "licence", "parties": {"licensor": "a", "licensee": "b"},
                        "terms": {"total": "USD 2.175 billion"}, "sources": ["t:2"]}]}
    ix = SiteIndex(dataset_from_seeds(seeds, "money"))
    # 100.1 + 200.2 = 300.3 exactly (in floats it is 300.29999999999995)
    assert ix.deal_page("d").headline == "up to USD 300.3 million"
    assert ix.deal_page("e").headline == "USD 2.175 billion"
    assert [r.value for r in ix.org_page("a").deals] == ["up to USD 300.3 million", "USD 2.175 billion"]


def test_search_index_holds_every_name(seeds_site):
    ds, out, _ = seeds_site
    entries = search_index(SiteIndex(ds))
    keys = {e[3]: e[4] for e in entries}
    for o in ds.organizations.values():
        assert all(normal(n) in keys[page_path("org", o.id)] for n in o.names())
    for a in ds.assets.values():
        assert all(normal(n) in keys[page_path("asset", a.id)] for n in a.names())
    assert len(keys) == len(ds.organizations) + len(ds.assets) + len(ds.deals) + len(ds.events) + len(ds.sources)
    written = (out / "assets/search-index.js").read_text(encoding="utf-8")
    assert written.startswith("window.DG_SEARCH = [") and len(json.loads(written[19:-2])) == len(entries)


def test_writing_twice_gives_the_same_files(seeds_site, tmp_path):
    ds, out, _ = seeds_site

    def digest(folder: Path) -> dict[str, str]:
        return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    write_site(ds, tmp_path, docs=None)
    assert digest(tmp_path) == digest(out)


# --------------------------------------------------------------------------- documents and the build
def test_citations_carry_the_cited_line_when_documents_are_available(tmp_path):
    docs = source_documents()
    ds = load_seeds(SEEDS)
    result = write_site(ds, tmp_path, docs=docs)
    assert result.docs == docs
    d = ds.deals["2025-05-3sbio-pfizer"]
    cite = d.sources[0]
    line = (docs / ds.sources[cite.doc].file).read_text(encoding="utf-8").splitlines()[cite.line - 1].strip()
    text = (tmp_path / page_path("deal", d.id)).read_text(encoding="utf-8")
    shown = line if len(line) <= 700 else line[:700].rstrip() + " …"
    assert f'href="../source/{cite.doc}.html#L{cite.line}" data-line="{escape(shown)}"' in text
    source = (tmp_path / page_path("source", cite.doc)).read_text(encoding="utf-8")
    assert f'<tr id="L{cite.line}">' in source and escape(line) in source


def test_build_writes_the_site_and_the_report_links_into_it(tmp_path):
    out = tmp_path / "out"
    build(SEEDS, out, store=None, quiet=True)
    assert (out / "org/hengrui.html").is_file() and (out / "deal/2025-05-3sbio-pfizer.json").is_file()
    report = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="organizations.html"' in report and 'href="org/hengrui.html"' in report
    assert 'href="deal/2025-07-hengrui-gsk.html"' in report          # the conflicts table links the deal
    org = (out / "org/pfizer.html").read_text(encoding="utf-8")
    assert 'src="../maps/ego-pfizer.html"' in org and "China exposure" in org


def test_render_gives_what_jinja_renders_for_every_page_of_the_seeds():
    """``render`` (the body block alone, in a reused context, inside base.html's frame rendered once) gives
    byte for byte what ``Template.render`` gives, for every record page, list and source page of the seeds,
    and after a page of each kind rendered in between (the reused context carries nothing over)."""
    from graph.publish.site.lists import list_page, source_page
    from graph.publish.site.render import clear, environment, render

    ds = load_seeds(SEEDS)
    ix = SiteIndex(ds)
    env = environment()
    clear()
    jobs = [("org", ix.org_page, ds.organizations), ("asset", ix.asset_page, ds.assets),
            ("deal", ix.deal_page, ds.deals), ("event", ix.event_page, ds.events),
            ("source", lambda s: source_page(ix, s), ds.sources), ("list", lambda n: list_page(ix, n), LISTS)]
    seen = 0
    for kind, make, ids in jobs:
        template = env.get_template(f"{kind}.html")
        for rid in ids:
            page = make(rid)
            assert render(template, kind, page) == template.render(page=page, kind=kind), (kind, rid)
            seen += 1
    assert seen > len(ds.deals) + len(LISTS)
