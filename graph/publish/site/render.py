"""How a page's context becomes its HTML: the site's one Jinja environment, and ``render``, which renders only
the page's ``body`` block through Jinja and puts it in the frame of ``base.html``, rendered once per kind of
page (see ``render``). What repeats inside a page's body is written by ``html.py``.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .context import Page
from .html import FILTERS, _markup, esc

TEMPLATES = Path(__file__).parent / "templates"
SITE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
            "base-uri 'none'; form-action 'none'")
NAV = (("organizations", "Organizations"), ("assets", "Assets"), ("deals", "Deals"), ("events", "Events"),
       ("statistics", "Statistics"), ("conflicts", "Conflicts"), ("sources", "Sources"))


@cache
def environment() -> jinja2.Environment:
    """The site's one Jinja environment (autoescape on, undefined names are errors), made once."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             auto_reload=False)
    env.globals.update(csp=SITE_CSP, nav=NAV)
    env.filters.update(FILTERS)
    return env


_FRAMES: dict[tuple[str, str, str, bool], tuple[str, str, str, str]] = {}
_NAV_PATHS = {f"{name}.html" for name, _ in NAV}
_MARK = ("\x00title\x00", "\x00body\x00", "\x00json\x00")


def render(template: jinja2.Template, kind: str, ctx: Page) -> str:
    """``template.render(page=ctx, kind=kind)``, byte for byte, with the frame that ``base.html`` puts around
    the page's ``body`` block rendered by Jinja once per (root, kind, path, JSON twin or not) and the page's
    title and twin path filled in, escaped as autoescape does: only the body block is rendered per page.

    >>> t = environment().get_template("list.html")
    >>> from graph.ingest.curation import example
    >>> from graph.publish.site.lists import list_page
    >>> from graph.publish.site.pages import SiteIndex
    >>> page = list_page(SiteIndex(example()), "deals")
    >>> render(t, "list", page) == t.render(page=page, kind="list")
    True
    """
    current = ctx.path if ctx.path in _NAV_PATHS else ""      # the one thing of the path that base.html shows
    key = (ctx.root, kind, current, ctx.json is None)
    frame = _FRAMES.get(key)
    if frame is None:
        stand_in = Page(_MARK[0], current, ctx.root, None if ctx.json is None else _MARK[2])
        html = environment().from_string('{% extends "base.html" %}{% block body %}' + _MARK[1] + '{% endblock %}') \
            .render(page=stand_in, kind=kind)
        head, _, rest = html.partition(_MARK[0])
        mid, _, rest = rest.partition(_MARK[1])
        foot, _, end = rest.partition(_MARK[2])
        frame = _FRAMES[key] = (head, mid, foot, end)
    body = _body(template, kind, ctx)
    head, mid, foot, end = frame
    return (f"{head}{esc(ctx.title)}{mid}{body}{foot}{esc(ctx.json)}{end}" if ctx.json is not None else
            f"{head}{esc(ctx.title)}{mid}{body}{foot}")


_CONTEXTS: dict[int, tuple[jinja2.Template, Any]] = {}


def _escape(value: Any) -> Markup:
    """Autoescape's ``escape``: a ``Markup`` (what the site's filters give) as it is, uncopied; any other value
    (a name, an id, a count) escaped by ``html.esc``, which escapes as MarkupSafe does and remembers the text."""
    return value if value.__class__ is Markup else _markup(esc(value))


def _body(template: jinja2.Template, kind: str, ctx: Page) -> str:
    """The page's ``body`` block, rendered in one Jinja context per template that only changes its ``page``
    (a block keeps its ``{% set %}`` names to itself), with ``_escape`` as the template's ``escape``."""
    hit = _CONTEXTS.get(id(template))
    if hit is None or hit[0] is not template:
        names = template.root_render_func.__globals__          # the compiled template's module namespace
        if names.get("escape") is escape:
            names["escape"] = _escape
        hit = _CONTEXTS[id(template)] = (template, template.new_context({"kind": kind}))
    context = hit[1]
    context.vars["page"] = ctx
    context.vars["kind"] = kind
    return "".join(template.blocks["body"](context))


def clear() -> None:
    """Forget the frames and contexts kept between pages (``write_site`` starts each site with this)."""
    _FRAMES.clear()
    _CONTEXTS.clear()
