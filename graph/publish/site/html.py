"""The repeated parts of the site's pages, written as HTML in Python: citations, links, facts, table rows.

The page templates (``templates/*.html``) hold each page's structure; what repeats inside it, row
after row (a deal row, a timeline entry, a fact, a money term, a list page's cells), is written here,
because at 10,000 deals the site has some three million such values and a Jinja macro call or an
autoescaped ``{{ }}`` per value costs more than the text itself. Every value goes through ``esc``,
which escapes exactly as Jinja's autoescape (MarkupSafe) does, so a page reads the same byte for
byte whichever writes it; each function returns ``Markup``, which Jinja inserts as it is.

Rows shared by many pages (``DealRow``, ``EventRow``, ``Link``, citations) are written once per
page depth (``root``) and reused; ``clear()`` empties those caches between two sites.

    >>> str(facts((Fact("Kind", "<b>", ()),), "../"))
    '<dl class="facts">\\n<div class="fact"><dt>Kind</dt><dd>&lt;b&gt; <span class="cites"></span></dd></div>\\n</dl>'
"""
from __future__ import annotations

from functools import partial
from typing import Any, Iterable

from markupsafe import Markup

from .context import AssetRow, Cell, Cite, DealRow, EventRow, Fact, Link, SourceLine, Term

#: ``Markup(text)`` for a ``str``, without ``Markup.__new__``'s checks (a filter runs some 200,000 times a 10k site).
_markup = partial(str.__new__, Markup)
_CACHE_LIMIT = 200_000
_CITES: dict[tuple[int, str], tuple[tuple[Cite, ...], str]] = {}
_LINKS: dict[tuple[int, str], tuple[Link, str]] = {}
_ROWS: dict[tuple[int, str, bool], tuple[Any, str]] = {}
_NAV: dict[tuple[Any, str, str], str] = {}
_ESC: dict[str, str] = {}


def clear() -> None:
    """Forget the cached HTML of rows, links and citations (``write_site`` starts each site with this)."""
    _CITES.clear()
    _LINKS.clear()
    _ROWS.clear()
    _NAV.clear()
    _ESC.clear()


def esc(value: Any) -> str:
    """``value`` as text with ``& < > ' "`` escaped, exactly as MarkupSafe's ``escape`` (Jinja's autoescape).

    Remembered per value: labels, dates, names and ids recur on thousands of pages.

    >>> esc("Merck & Co's <b>")
    'Merck &amp; Co&#39;s &lt;b&gt;'
    """
    if type(value) is not str:         # noqa: E721 (1, 1.0 and True are one key; their texts differ)
        value = str(value)
    hit = _ESC.get(value)
    if hit is None:
        hit = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
            .replace("'", "&#39;").replace('"', "&#34;")
        if len(_ESC) > _CACHE_LIMIT:
            _ESC.clear()
        _ESC[value] = hit
    return hit


def _cites(cites: tuple[Cite, ...], root: str) -> str:
    key = (id(cites), root)         # by identity: a record's citations are one shared tuple (text.Citations)
    hit = _CITES.get(key)
    if hit is not None and hit[0] is cites:
        return hit[1]
    if not cites:
        html = '<span class="cites"></span>'
    else:
        parts = []
        for c in cites:
            href = f' href="{esc(root)}{esc(c.href)}"' if c.href else ""
            line = f' data-line="{esc(c.text)}"' if c.text else ""
            parts.append(f'<a class="cite"{href}{line}>{esc(c.label)}</a>')
        html = f'<span class="cites">{"".join(parts)}</span>'
    _CITES[key] = (cites, html)
    if len(_CITES) > _CACHE_LIMIT:
        _CITES.clear()
    return html


def _link(link: Link, root: str) -> str:
    key = (id(link), root)          # by identity: links are made once (``SiteIndex.link``) and shared
    hit = _LINKS.get(key)
    if hit is not None and hit[0] is link:
        return hit[1]
    html = f'<a href="{esc(root)}{esc(link.href)}">{esc(link.name)}</a>' if link.href else esc(link.name)
    _LINKS[key] = (link, html)
    if len(_LINKS) > _CACHE_LIMIT:
        _LINKS.clear()
    return html


def cites(cites: tuple[Cite, ...], root: str) -> Markup:
    """Citations as links to their lines, each escaped; the cited line (if known) is the hover text.

    >>> str(cites((Cite("doc:3", "source/doc.html#L3", "a <b> line"),), "../"))
    '<span class="cites"><a class="cite" href="../source/doc.html#L3" data-line="a &lt;b&gt; line">doc:3</a></span>'
    """
    return _markup(_cites(cites, root))


def link(link: Link, root: str) -> Markup:
    """A record's name linking to its page (plain text when it has none), escaped.

    >>> str(link(Link("org", "x", "<i>X</i>", "org/x.html"), ""))
    '<a href="org/x.html">&lt;i&gt;X&lt;/i&gt;</a>'
    """
    return _markup(_link(link, root))


def _facts(items: Iterable[Fact], r: str) -> str:
    out = ['<dl class="facts">\n']
    for f in items:
        other = f.basis != "cited"
        out.append(f'<div class="fact {esc(f.basis)}"><dt>' if other else '<div class="fact"><dt>')
        out.append(esc(f.label))
        out.append("</dt><dd>")
        if f.href:
            out.append(f'<a href="{esc(r)}{esc(f.href)}">{esc(f.value)}</a>')
        elif f.value:
            out.append(esc(f.value))
        if other:
            out.append(f' <span class="tag">{esc(f.basis)}</span>')
        if f.note:
            out.append(f' <span class="basis">{esc(f.note)}</span>')
        out.append(f" {_cites(f.cites, r)}</dd></div>\n")
    out.append("</dl>")
    return "".join(out)


def facts(items: Iterable[Fact], r: str) -> Markup:
    """A list of facts (``<dl class="facts">``): label, value (linked when it names a record), the basis
    and note of a curated or unknown fact, citations."""
    return _markup(_facts(items, r))


def profile(stated: Iterable[Fact], curated: Iterable[Fact], r: str) -> Markup:
    """A record's facts: those stated in the documents, then the curated and unknown ones, always apart."""
    apart = (f'<p class="note">Not stated in the documents: curated facts are common knowledge, each with its '
             f'basis; unknown facts say why they cannot be known.</p>{_facts(curated, r)}' if curated else
             '<p class="empty">No curated or unknown facts: every fact above is stated in the documents.</p>')
    return _markup(f"<h3>Stated in the documents</h3>\n{_facts(stated, r)}\n<h3>Curated and unknown</h3>\n{apart}")


def _deal_row(d: DealRow, r: str, role: bool) -> str:
    key = (id(d), r, role)
    hit = _ROWS.get(key)
    if hit is not None and hit[0] is d:
        return hit[1]
    parties = "<br>".join(f'{_link(o, r)} <span class="role">{esc(label)}</span>' for label, o in d.parties)
    html = (f"<tr><td>{esc(d.date)}</td><td>{_link(d.deal, r)}</td><td>{esc(d.type)}</td>"
            + (f"<td>{esc(d.role)}</td>" if role else "")
            + f"<td>{parties}</td><td>{', '.join(_link(a, r) for a in d.assets)}</td>"
            f'<td class="money" data-sort="{esc(d.value_usd)}">{esc(d.value)}</td><td>{esc(d.status)}</td>'
            f"<td>{_cites(d.cites, r)}</td></tr>")
    _ROWS[key] = (d, html)
    if len(_ROWS) > _CACHE_LIMIT:
        _ROWS.clear()
    return html


def deals(rows: tuple[DealRow, ...], r: str, role: bool = False) -> Markup:
    """A table of deals, one row each (date, deal, type, the page organization's role when ``role``,
    parties, assets, headline value, status, sources); a note when there are none."""
    if not rows:
        return _markup('<p class="empty">No deals recorded.</p>')
    head = '<th>Role</th>' if role else ""
    body = "".join(_deal_row(d, r, role) + "\n" for d in rows)
    return _markup(f'<table class="data sortable filterable">\n<thead><tr><th>Date</th><th>Deal</th><th>Type</th>{head}'
                  f'<th>Parties</th><th>Assets</th><th data-type="num">Headline value</th><th>Status</th>'
                  f'<th>Sources</th></tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n')


def terms(items: Iterable[Term], r: str) -> Markup:
    """Money terms, one row per claim: the term (flagged when the sources disagree), the amount as
    written (with its USD value and disclosure when they apply), the claim's citations."""
    out = ['<table class="data terms">\n<thead><tr><th>Term</th><th>As each source states it</th><th>Sources</th>'
           '</tr></thead>\n<tbody>\n']
    for t in items:
        row = '<tr class="conflict">' if t.conflict else "<tr>"
        for i, c in enumerate(t.claims):
            out.append(row)
            if i == 0:
                flag = ' <span class="flag">sources disagree</span>' if t.conflict else ""
                out.append(f'<th scope="row" rowspan="{len(t.claims)}">{esc(t.label)}{flag}</th>')
            out.append(f'<td class="money">{esc(c.text)}')
            if c.usd:
                out.append(f' <span class="usd">= {esc(c.usd)}</span>')
            if c.disclosure != "disclosed":
                out.append(f' <span class="role">{esc(c.disclosure)}</span>')
            out.append(f"</td><td>{_cites(c.cites, r)}</td></tr>\n")
    out.append("</tbody>\n</table>")
    return _markup("".join(out))


def _event_item(e: EventRow, r: str) -> str:
    key = (id(e), r, False)
    hit = _ROWS.get(key)
    if hit is not None and hit[0] is e:
        return hit[1]
    out = ['<li class="undated">' if not e.date else "<li>",
           f'<time>{esc(e.date or "undated")}</time><div class="ev"><b>{_link(e.event, r)}</b> '
           f'<span class="role">{esc(e.type)}</span>\n']
    if e.about:
        out.append(f'<div class="about">{" · ".join(_link(x, r) for x in e.about)}</div>')
    for t in e.terms:
        claims = "; ".join(esc(c.text) + (f" (= {esc(c.usd)})" if c.usd else "") + " " + _cites(c.cites, r)
                           for c in t.claims)
        out.append(f'<div class="money">{esc(t.label)}: {claims}</div>')
    if e.note:
        out.append(f"<p>{esc(e.note)}</p>")
    out.append(f"{_cites(e.cites, r)}</div></li>")
    html = "".join(out)
    _ROWS[key] = (e, html)
    if len(_ROWS) > _CACHE_LIMIT:
        _ROWS.clear()
    return html


def timeline(rows: tuple[EventRow, ...], r: str) -> Markup:
    """Events as a dated list (undated ones marked): what happened, what it concerns, its money, our note,
    its citations; a note when there are none."""
    if not rows:
        return _markup('<p class="empty">No events recorded.</p>')
    return _markup('<ol class="timeline">\n' + "".join(_event_item(e, r) + "\n" for e in rows) + "</ol>\n")


def assets(rows: tuple[AssetRow, ...], r: str) -> Markup:
    """A table of assets (asset, modality, stage, target, originator, how the page's record relates to it);
    a note when there are none."""
    if not rows:
        return _markup('<p class="empty">No assets recorded.</p>')
    body = "".join(f"<tr><td>{_link(a.asset, r)}</td><td>{esc(a.modality)}</td><td>{esc(a.stage)}</td>"
                   f"<td>{esc(a.target)}</td><td>{_link(a.originator, r) if a.originator else ''}</td>"
                   f"<td>{esc(a.relation)}</td></tr>\n" for a in rows)
    return _markup('<table class="data sortable filterable">\n<thead><tr><th>Asset</th><th>Modality</th><th>Stage</th>'
                  f'<th>Target</th><th>Originator</th><th>Relation</th></tr></thead>\n<tbody>\n{body}</tbody>\n'
                  '</table>\n')


def _cell(c: Cell, r: str) -> str:
    sort = f' data-sort="{esc(c.sort)}"' if c.sort is not None else ""
    text = f'<a href="{esc(r)}{esc(c.href)}">{esc(c.text)}</a>' if c.href else esc(c.text)
    cited = f" {_cites(c.cites, r)}" if c.cites else ""
    return f"<td{sort}>{text}{cited}</td>"


def cells(rows: Iterable[tuple[Cell, ...]], r: str) -> Markup:
    """A list page's table rows, one ``<tr>`` a line: each cell's text (linked when it has a page), its
    sort key (``data-sort``) when it differs from the text, its citations."""
    return _markup("".join("<tr>" + "".join(_cell(c, r) for c in row) + "</tr>\n" for row in rows))


def lines(items: Iterable[SourceLine], available: bool, r: str) -> Markup:
    """A source page's cited lines, one row each: the line number (anchor ``L<n>``), the line itself when
    the document was ``available``, and every record citing it."""
    out = []
    for ln in items:
        quote = f'<td class="quote">{esc(ln.text or "")}</td>' if available else ""
        out.append(f'<tr id="L{ln.line}"><td>{ln.line}</td>{quote}<td>'
                   f'{", ".join(_link(x, r) for x in ln.records)}</td></tr>\n')
    return _markup("".join(out))


def navigation(nav: tuple[tuple[str, str], ...], root: str, path: str) -> Markup:
    """The links to the list pages at the top of every page, the current one marked."""
    key = (tuple(nav), root, path)
    html = _NAV.get(key)
    if html is None:
        html = _NAV[key] = "".join(f'<a href="{esc(root)}{esc(name)}.html"'
                                   + (' aria-current="page"' if path == f"{name}.html" else "")
                                   + f">{esc(title)}</a>" for name, title in nav)
    return _markup(html)


FILTERS = {"cites": cites, "link": link, "facts": facts, "profile": profile, "deals": deals, "terms": terms,
           "timeline": timeline, "assets": assets, "cells": cells, "lines": lines,
           "navigation": navigation}
