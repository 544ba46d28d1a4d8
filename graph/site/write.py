"""Write the static site: a page and a JSON twin for every organization, asset, deal, event and source, and lists.

Layout under the output folder (paths are stable: they depend only on ids)::

    org/<id>.html      org/<id>.json       one per organization
    asset/<id>.html    asset/<id>.json     one per asset
    deal/<id>.html     deal/<id>.json      one per deal
    event/<id>.html    event/<id>.json     one per event
    source/<id>.html   source/<id>.json    one per source document, with every cited line
    organizations.html assets.html deals.html events.html statistics.html conflicts.html sources.html
                       (and a .json twin of each)
    assets/site.css, assets/site.js, assets/search-index.js

Every page comes from one Jinja environment with autoescape on, extends
``base.html``, and loads only ``assets/site.css`` and ``assets/site.js``; its
Content-Security-Policy (``SITE_CSP``) allows nothing else: no inline script,
no inline style, no network. ``site.js`` sorts and filters tables and runs the
search box, writing names into the page as text only; the search index
(``assets/search-index.js``) is read the first time the box is used.
"""
from __future__ import annotations

import json
import time
from decimal import Decimal
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..dataset import Dataset
from ..search import normal
from ..gcpause import frozen_gc, paused_gc
from .context import Cite, Link, Page
from .lists import LISTS, list_page, source_pages
from .pages import SiteIndex, page_path
from ..rules import documents_folder

TEMPLATES = Path(__file__).parent / "templates"
STATIC = ("site.css", "site.js")
SITE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
            "base-uri 'none'; form-action 'none'")
NAV = (("organizations", "Organizations"), ("assets", "Assets"), ("deals", "Deals"), ("events", "Events"),
       ("statistics", "Statistics"), ("conflicts", "Conflicts"), ("sources", "Sources"))
AUTO = "auto"


@dataclass(frozen=True)
class SiteResult:
    """What ``write_site`` wrote: page counts by kind, the documents folder used, the wall time it took,
    and the CPU seconds of each step (index, search, org, asset, deal, source, list)."""

    pages: dict[str, int]
    files: int
    docs: Path | None
    seconds: float
    cpu: dict[str, float]


_CITES: dict[tuple[tuple[Cite, ...], str], Markup] = {}
_LINKS: dict[tuple[Link, str], Markup] = {}


def cites_html(cites: tuple[Cite, ...], root: str) -> Markup:
    """Citations as links to their lines, each escaped; the cited line (if known) is the hover text.

    Written in Python rather than as a Jinja macro, and cached, because every row of every page has
    them (a macro call costs more than the whole row).

    >>> str(cites_html((Cite("doc:3", "source/doc.html#L3", "a <b> line"),), "../"))
    '<span class="cites"><a class="cite" href="../source/doc.html#L3" data-line="a &lt;b&gt; line">doc:3</a></span>'
    """
    key = (cites, root)
    html = _CITES.get(key)
    if html is None:
        parts = []
        for c in cites:
            href = f' href="{escape(root)}{escape(c.href)}"' if c.href else ""
            line = f' data-line="{escape(c.text)}"' if c.text else ""
            parts.append(f'<a class="cite"{href}{line}>{escape(c.label)}</a>')
        html = _CITES[key] = Markup(f'<span class="cites">{"".join(parts)}</span>')
        if len(_CITES) > 200_000:
            _CITES.clear()
    return html


def link_html(link: Link, root: str) -> Markup:
    """A record's name linking to its page (plain text when it has none), escaped.

    >>> str(link_html(Link("org", "x", "<i>X</i>", "org/x.html"), ""))
    '<a href="org/x.html">&lt;i&gt;X&lt;/i&gt;</a>'
    """
    key = (link, root)
    html = _LINKS.get(key)
    if html is None:
        html = Markup(f'<a href="{escape(root)}{escape(link.href)}">{escape(link.name)}</a>') if link.href \
            else escape(link.name)
        _LINKS[key] = html
        if len(_LINKS) > 200_000:
            _LINKS.clear()
    return html


_ROWS: dict[tuple[int, str, str, Any], tuple[Any, Markup]] = {}


def row_html(row: Any, macro: str, root: str, *args: Any) -> Markup:
    """A shared row (``DealRow``, ``EventRow``) rendered by its macro in ``rows.html``, once per
    (row, macro, root, args) and reused: a deal shows on the pages of every party and asset."""
    key = (id(row), macro, root, args)
    hit = _ROWS.get(key)
    if hit is not None and hit[0] is row:
        return hit[1]
    html = Markup(getattr(environment().get_template("rows.html").module, macro)(row, root, *args))
    _ROWS[key] = (row, html)
    if len(_ROWS) > 200_000:
        _ROWS.clear()
    return html


@cache
def environment() -> jinja2.Environment:
    """The site's one Jinja environment (autoescape on, undefined names are errors), made once."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             auto_reload=False)
    env.globals.update(csp=SITE_CSP, nav=NAV)
    env.filters.update(cites=cites_html, link=link_html, row=row_html)
    return env


def search_index(ix: SiteIndex) -> list[list[str]]:
    """One entry per organization, asset, deal, event and source: [kind, name, other names, page path, folded key].

    The key is ``graph.search.normal`` of every name (no accents, case folded, punctuation as spaces);
    ``assets/site.js`` folds the reader's query the same way.

    Other names are aliases, former names and code names (and a deal's id and parties).
    """
    ds = ix.ds
    out: list[list[str]] = []
    for o in ds.organizations.values():
        other = [*o.aliases, *o.former_names]
        out.append(["organization", o.name, " · ".join(other), page_path("org", o.id), normal(" ".join([o.name, *other, o.id]))])
    for a in ds.assets.values():
        other = [*a.codes, *a.aliases]
        out.append(["asset", a.name, " · ".join(other), page_path("asset", a.id), normal(" ".join([a.name, *other, a.id]))])
    for d in ds.deals.values():
        name = ix.link("deal", d.id).name
        assets = [ds.assets[a].name for a in d.assets if a in ds.assets]
        out.append(["deal", name, d.id, page_path("deal", d.id),
                    normal(" ".join([name, d.id, ix.deal_name(d), *assets]))])
    for e in ds.events.values():
        name = ix.link("event", e.id).name
        out.append(["event", name, e.id, page_path("event", e.id), normal(f"{name} {e.id} {e.type}")])
    for s in ds.sources.values():
        out.append(["source", s.title, s.id, page_path("source", s.id), normal(f"{s.title} {s.id} {s.publisher}")])
    return out


class _Json:
    """Compact JSON of page contexts: the same data as ``context.as_data``, made by the C encoder.

    Rows, links and citations are shared by many pages (``SiteIndex`` makes each once); their plain
    form is kept (with the object, so its id stays valid) and reused.
    """

    def __init__(self) -> None:
        self.memo: dict[int, tuple[Any, Any]] = {}

    def plain(self, obj: Any) -> Any:
        if isinstance(obj, Decimal):
            return str(obj)
        hit = self.memo.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        data = obj.__dict__               # read only by the encoder, never changed
        if not isinstance(obj, Page):
            self.memo[id(obj)] = (obj, data)
        return data

    def __call__(self, data: Any) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=self.plain)


def write_site(ds: Dataset, out_dir: Path | str, *, docs: Path | str | None = AUTO) -> SiteResult:
    """Write the site under ``out_dir`` (see the module docstring) and return what was written.

    ``docs``: the source documents folder, read for the hover text of citations; ``"auto"`` (default)
    takes $DEALGRAPH_DOCS or ``../shared/seeds`` when present (``rules.documents_folder``); None skips them.
    The analyses' ``exposure.json`` and the maps under ``out_dir/maps/``, when already there, are
    shown on organization pages.

    Example: ``write_site(load_seeds("seeds"), "out").pages`` gives the pages written by kind,
    ``{'org': …, 'asset': …, 'deal': …, 'source': 5, 'list': 7}``: one per record, seven lists.
    """
    started, clock = time.perf_counter(), time.process_time()
    out = Path(out_dir)
    folder = documents_folder() if docs == AUTO else (Path(docs) if docs is not None else None)
    with paused_gc():                 # many long-lived objects, no cycles: no collector passes over them
        ix = SiteIndex(ds, folder, out)
    with frozen_gc():                 # pages make short-lived cycles; collections skip the dataset and index
        return _write(ds, out, ix, folder, started, clock)


def _write(ds: Dataset, out: Path, ix: SiteIndex, folder: Path | None, started: float, clock: float) -> SiteResult:
    env = environment()
    _ROWS.clear()
    to_json = _Json()
    files = 0
    made: set[Path] = set()

    def write(rel: str, text: str) -> None:
        nonlocal files
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")
        files += 1

    def page(template: jinja2.Template, kind: str, ctx: Page) -> None:
        write(ctx.path, template.render(page=ctx, kind=kind))
        if ctx.json:
            write(ctx.json, to_json(ctx))

    cpu: dict[str, float] = {}

    def lap(what: str) -> None:
        nonlocal clock
        now = time.process_time()
        cpu[what] = cpu.get(what, 0.0) + now - clock
        clock = now

    lap("index")
    for name in STATIC:
        write(f"assets/{name}", (TEMPLATES / name).read_text(encoding="utf-8"))
    write("assets/search-index.js", "window.DG_SEARCH = " + to_json(search_index(ix)) + ";\n")
    lap("search")
    counts: dict[str, int] = {}
    for kind, ids, make in (("org", ds.organizations, ix.org_page), ("asset", ds.assets, ix.asset_page),
                            ("deal", ds.deals, ix.deal_page), ("event", ds.events, ix.event_page)):
        template = env.get_template(f"{kind}.html")
        for rid in ids:
            page(template, kind, make(rid))
        counts[kind] = len(ids)
        lap(kind)
    template = env.get_template("source.html")
    for ctx in source_pages(ix):
        page(template, "source", ctx)
    counts["source"] = len(ds.sources)
    lap("source")
    template = env.get_template("list.html")
    for name in LISTS:
        page(template, "list", list_page(ix, name))
    counts["list"] = len(LISTS)
    lap("list")
    return SiteResult(counts, files, folder if ix.cites.docs is not None else None, time.perf_counter() - started,
                      cpu)
