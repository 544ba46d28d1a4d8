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
    assets/site-pages.json                 the digest of every page, for the next incremental write
    assets/site-refs.json                  what every record names (``depends.record_refs``), for the next rebuild

Every page comes from one Jinja environment with autoescape on, extends
``base.html``, and loads only ``assets/site.css`` and ``assets/site.js``; its
Content-Security-Policy (``SITE_CSP``) allows nothing else: no inline script,
no inline style, no network. ``site.js`` sorts and filters tables and runs the
search box, writing names into the page as text only; the search index
(``assets/search-index.js``) is read the first time the box is used.

Incremental writing: ``write_site(ds, out, previous=old_out)`` renders only the pages whose content
changed since the site in ``old_out`` and hard-links the others from there (see ``write_site``). The
digests that decide it are kept in ``out/assets/site-pages.json`` (``SIDECAR``).
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable

import jinja2
import orjson

from ...models.dataset import Dataset
from ...core.gcpause import paused_gc
from ...ingest.rules import documents_folder
from ...find.search import normal
from .html import clear as clear_fragments
from .context import Page
from .depends import Plan, all_refs, plan
from .lists import LISTS, list_page, source_page
from .pages import SiteIndex, page_path
from .render import NAV, SITE_CSP, TEMPLATES, clear as clear_frames, environment, render  # noqa: F401 (NAV, SITE_CSP: re-exported)

STATIC = ("site.css", "site.js")
AUTO = "auto"
#: Where ``write_site`` keeps the digest of every page it wrote, relative to its output folder: beside the
#: site's other assets, so that whatever keeps or links the site's files (a build that reuses its pages)
#: keeps it too.
SIDECAR = "assets/site-pages.json"
#: Where it keeps what every record names (``depends.record_refs``), read only when records other than notes change.
REFS = "assets/site-refs.json"
SIDECAR_VERSION = 2


@dataclass(frozen=True)
class SiteResult:
    """What ``write_site`` wrote: page counts by kind, the number of site files, the documents folder
    used, the wall time it took, the CPU seconds of each step (index, search, org, asset, deal, event,
    source, list), and how many pages were rendered and how many reused from ``previous``."""

    pages: dict[str, int]
    files: int
    docs: Path | None
    seconds: float
    cpu: dict[str, float]
    rendered: int = 0
    reused: int = 0


@cache
def renderer_key() -> str:
    """A digest of everything that turns a page's context into its HTML besides the context itself:
    the templates, ``html.py``, ``render.py`` and this module, and the Jinja and MarkupSafe versions. Pages are
    reused only from a site written with the same key."""
    h = hashlib.blake2b(digest_size=16)
    for path in [*sorted(TEMPLATES.iterdir()), *(Path(__file__).with_name(n) for n in ("html.py", "render.py")),
                 Path(__file__)]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(f"{version('jinja2')} {version('markupsafe')} {SIDECAR_VERSION}".encode())
    return h.hexdigest()


def _plain(obj: Any) -> str:
    if isinstance(obj, Decimal):
        return str(obj)
    raise TypeError(f"not JSON data: {type(obj).__name__}")


def to_json(data: Any) -> bytes:
    """Compact UTF-8 JSON of a page context (dataclasses as objects, tuples as lists, Decimals as exact
    strings): the same data as ``context.as_data``, made by orjson.

    >>> from graph.publish.site.context import Link
    >>> to_json(Link("org", "msd", "MSD", None))
    b'{"kind":"org","id":"msd","name":"MSD","href":null}'
    """
    return orjson.dumps(data, default=_plain)


_PUNCT = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """``graph.find.search.normal`` of ``text``, taking a shortcut for plain ASCII (which has no accents to drop
    and whose case folding is ``lower``): the search index folds some 25,000 names at 10,000 deals.

    >>> fold("Merck & Co., Inc."), fold("Île-de-France")
    ('merck and co inc', 'ile de france')
    """
    if text.isascii():
        return " ".join(_PUNCT.sub(" ", text.lower().replace("&", " and ")).split())
    return normal(text)


def search_index(ix: SiteIndex) -> list[list[str]]:
    """One entry per organization, asset, deal, event and source: [kind, name, other names, page path, folded key].

    The key is ``graph.find.search.normal`` (``fold``) of every name (no accents, case folded, punctuation as spaces);
    ``assets/site.js`` folds the reader's query the same way.

    Other names are aliases, former names and code names (and a deal's id and parties).
    """
    ds = ix.ds
    out: list[list[str]] = []
    for o in ds.organizations.values():
        other = [*o.aliases, *o.former_names]
        out.append(["organization", o.name, " · ".join(other), page_path("org", o.id), fold(" ".join([o.name, *other, o.id]))])
    for a in ds.assets.values():
        other = [*a.codes, *a.aliases]
        out.append(["asset", a.name, " · ".join(other), page_path("asset", a.id), fold(" ".join([a.name, *other, a.id]))])
    for d in ds.deals.values():
        name = ix.link("deal", d.id).name
        assets = [ds.assets[a].name for a in d.assets if a in ds.assets]
        out.append(["deal", name, d.id, page_path("deal", d.id),
                    fold(" ".join([name, d.id, ix.deal_name(d), *assets]))])
    for e in ds.events.values():
        name = ix.link("event", e.id).name
        out.append(["event", name, e.id, page_path("event", e.id), fold(f"{name} {e.id} {e.type}")])
    for s in ds.sources.values():
        out.append(["source", s.title, s.id, page_path("source", s.id), fold(f"{s.title} {s.id} {s.publisher}")])
    return out


def write_site(ds: Dataset, out_dir: Path | str, *, docs: Path | str | None = AUTO,
               previous: Path | str | None = None, changes: Any = None) -> SiteResult:
    """Write the site under ``out_dir`` (see the module docstring) and return what was written.

    ``docs``: the source documents folder, read for the hover text of citations; ``"auto"`` (default)
    takes $DEALGRAPH_DOCS or ``../shared/seeds`` when present (``rules.documents_folder``); None skips them.
    The analyses' ``exposure.json`` and the maps under ``out_dir/maps/``, when already there, are
    shown on organization pages.

    ``previous``: the output folder of an earlier ``write_site`` (or the same folder as ``out_dir``), whose
    unchanged pages are reused instead of rendered. Every page's context is built and its JSON twin
    made as always; the digest of the twin (which holds every value the page shows) is compared with
    the one recorded in ``previous/assets/site-pages.json`` (``SIDECAR``), written by that earlier run
    with the same templates (``renderer_key``). When they are equal, the page and its twin are
    hard-linked from ``previous`` (left in place when ``previous`` is ``out_dir``); otherwise they are
    rendered and written. The files written are byte-identical to a clean write's, and every file is a
    fresh inode: a file linked from ``previous`` is never written through. With ``previous`` equal to
    ``out_dir``, pages of records that are gone are deleted. A missing or unreadable sidecar, a page
    missing from ``previous``, or a folder on another file system just means rendering. The sidecar
    trusts that ``previous`` holds what its ``write_site`` wrote there.

    ``changes``: the records changed since the dataset of the site in ``previous``
    (``graph.pipeline.changes.Changes``). With it, only the pages a change can reach (``depends.reach``)
    have their context built; every other page is linked from ``previous`` with the digest recorded there,
    and lists and the search index are linked when no change reaches them. When the code, ontology,
    documents or overview map differ from ``previous``'s, or records changed order, it builds every
    page's context as without ``changes``.

    Example: ``write_site(load_seeds("seeds"), "out").pages`` gives the pages written by kind,
    ``{'org': …, 'asset': …, 'deal': …, 'source': 5, 'list': 7}``: one per record, seven lists. After one
    deal's note changed, ``write_site(ds, "new", previous="out")`` renders that deal's page alone
    (``.rendered == 1``) and links the others (``.reused``).
    """
    started, clock = time.perf_counter(), time.process_time()
    out = Path(out_dir)
    folder = documents_folder() if docs == AUTO else (Path(docs) if docs is not None else None)
    # Many long-lived objects (the index, the shared rows' HTML) and no cycles: a page rendered through its
    # body block (``render``) leaves none behind (10 unreachable objects after a 10k-deal site, as after a
    # 2k one), so no collector passes over them, which took 0.7 CPU-s of a 10k site with gc.freeze().
    with paused_gc():
        try:
            ix = SiteIndex(ds, folder, out)
            w = _Writer(out, Path(previous) if previous is not None else None)
            p = plan(ds, ix, renderer_key(), w.sidecar, w.old_refs, changes if w.prev else None)
            return _write(ds, w, ix, p, folder, started, clock)
        finally:  # the pages' shared HTML is not kept past the site: 400 MB at 100k deals, which the maps need
            clear_fragments()
            clear_frames()


class _Writer:
    """Writes (or reuses) the files of one site: one open and one write per file, never through a link."""

    def __init__(self, out: Path, previous: Path | None):
        self.out = out
        self.root = str(out)
        out.mkdir(parents=True, exist_ok=True)
        self.made: set[str] = {self.root}
        self.files = self.rendered = self.reused = 0
        self.digests: dict[str, str] = {}
        self.same = previous is not None and previous.resolve() == out.resolve()
        self.prev_root = str(previous) if previous is not None else None
        self.sidecar: dict[str, Any] = _read_sidecar(previous) if previous is not None else {}
        self.prev: dict[str, str] = self.sidecar.get("pages") or {}

    def put(self, rel: str, data: bytes) -> None:
        """Write ``data`` to ``rel`` as a new file (an existing file there is replaced, not written through)."""
        path = f"{self.root}/{rel}"
        parent = path.rpartition("/")[0]
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, 0o666)
        except FileExistsError:
            os.unlink(path)
            fd = os.open(path, flags, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self.files += 1

    def _reuse(self, rels: tuple[str, ...]) -> bool:
        """Take every file of ``rels`` from the previous site; False (nothing taken) when one is missing."""
        if self.same:
            return all(os.path.isfile(f"{self.root}/{rel}") for rel in rels)
        done: list[str] = []
        for rel in rels:
            path = f"{self.root}/{rel}"
            parent = path.rpartition("/")[0]
            if parent not in self.made:
                os.makedirs(parent, exist_ok=True)
                self.made.add(parent)
            try:
                try:
                    os.link(f"{self.prev_root}/{rel}", path)
                except FileExistsError:
                    os.unlink(path)
                    os.link(f"{self.prev_root}/{rel}", path)
            except OSError:        # missing in previous, another file system, no hard links: render instead
                for p in done:
                    os.unlink(f"{self.root}/{p}")
                return False
            done.append(rel)
        return True

    def page(self, template: jinja2.Template, kind: str, ctx: Page) -> None:
        """The page of ``ctx`` and its JSON twin: reused when its twin's digest is the previous one's."""
        data = to_json(ctx)
        key = hashlib.blake2b(data, digest_size=16).hexdigest()
        self.digests[ctx.path] = key
        rels = (ctx.path, ctx.json) if ctx.json else (ctx.path,)
        if self.prev.get(ctx.path) == key and self._reuse(rels):
            self.reused += 1
            self.files += len(rels)
            return
        self.put(ctx.path, render(template, kind, ctx).encode("utf-8"))
        if ctx.json:
            self.put(ctx.json, data)
        self.rendered += 1

    def old_refs(self) -> Any:
        """The refs the previous site recorded (``REFS``), or None."""
        try:
            return orjson.loads(Path(f"{self.prev_root}/{REFS}").read_bytes())
        except (OSError, orjson.JSONDecodeError, TypeError):
            return None

    def link(self, rel: str, json: str | None = None) -> bool:
        """Take a page (and its twin) from the previous site unseen, with its recorded digest; False when it
        cannot (nothing recorded or a file missing): the caller renders it."""
        key = self.prev.get(rel)
        if key is None or not self._reuse((rel, json) if json else (rel,)):
            return False
        self.digests[rel] = key
        self.reused += 1
        self.files += 2 if json else 1
        return True

    def finish(self, plan: Plan) -> None:
        """Record the digests for the next run; with ``previous == out``, delete pages no longer made."""
        if self.same:
            for rel in self.prev.keys() - self.digests.keys():
                for p in (rel, rel[:-len(".html")] + ".json"):
                    try:
                        os.unlink(f"{self.root}/{p}")
                    except FileNotFoundError:
                        pass
        if plan.refs is not None:
            (self.out / REFS).unlink(missing_ok=True)
            (self.out / REFS).write_bytes(orjson.dumps(list(plan.refs.items())) + b"\n")
        sidecar = {"version": SIDECAR_VERSION, "renderer": renderer_key(), "basis": plan.basis, "order": plan.order,
                   "pages": self.digests, "extras": plan.extras}
        path = self.out / SIDECAR
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.write_bytes(orjson.dumps(sidecar, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n")


def _read_sidecar(previous: Path) -> dict[str, Any]:
    """What ``previous`` recorded (page digests, refs, basis), or {} when absent, unreadable or from other
    templates."""
    try:
        data = orjson.loads((previous / SIDECAR).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("version") != SIDECAR_VERSION or data.get("renderer") != renderer_key():
        return {}
    return data if isinstance(data.get("pages"), dict) else {}


def _write(ds: Dataset, w: _Writer, ix: SiteIndex, p: Plan, folder: Path | None, started: float,
           clock: float) -> SiteResult:
    env = environment()
    clear_fragments()
    clear_frames()
    cpu: dict[str, float] = {}

    def lap(what: str) -> None:
        nonlocal clock
        now = time.process_time()
        cpu[what] = cpu.get(what, 0.0) + now - clock
        clock = now

    def fresh(key: str, rel: str, json: str | None) -> bool:      # to build, not link from the previous site
        return p.pages is None or key in p.pages or not w.link(rel, json)

    lap("index")
    for name in STATIC:
        w.put(f"assets/{name}", (TEMPLATES / name).read_bytes())
    if p.pages is None or p.search or not w._reuse(("assets/search-index.js",)):
        w.put("assets/search-index.js", b"window.DG_SEARCH = " + to_json(search_index(ix)) + b";\n")
    else:
        w.files += 1
    lap("search")
    counts: dict[str, int] = {}
    makers: tuple[tuple[str, dict, Callable[[str], Page]], ...] = (
        ("org", ds.organizations, ix.org_page), ("asset", ds.assets, ix.asset_page),
        ("deal", ds.deals, ix.deal_page), ("event", ds.events, ix.event_page),
        ("source", ds.sources, lambda sid: source_page(ix, sid)))
    for kind, ids, make in makers:
        for rid in ids:      # a template is compiled when first needed: a rebuild may need one or two
            if fresh(f"{kind}/{rid}", page_path(kind, rid), page_path(kind, rid, "json")):
                w.page(env.get_template(f"{kind}.html"), kind, make(rid))
        counts[kind] = len(ids)
        lap(kind)
    for name in LISTS:
        if p.pages is None or name in p.lists or not w.link(f"{name}.html", f"{name}.json"):
            w.page(env.get_template("list.html"), "list", list_page(ix, name))
    counts["list"] = len(LISTS)
    if p.refs is None and not w._reuse((REFS,)):       # not recorded before: the records' refs afresh
        p.refs = all_refs(ds)
    w.finish(p)
    lap("list")
    return SiteResult(counts, w.files, folder if ix.cites.docs is not None else None, time.perf_counter() - started,
                      cpu, w.rendered, w.reused)
