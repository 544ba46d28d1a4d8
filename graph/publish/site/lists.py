"""The site's list pages (every organization, asset, deal, event, statistic, conflict and source) and source pages.

Each list is one table that sorts by any column and filters as you type
(``assets/site.js``). Rows link to the record pages; statistics and conflicts,
which have no page of their own, carry their citations in the row.
"""
from __future__ import annotations

from collections import defaultdict

from ...models.values import plain_number
from .context import Cell, Column, Fact, Link, ListPage, SourceLine, SourcePage
from .pages import SiteIndex, page_path
from .text import date_text, label, percent_text, place_text

LISTS = ("organizations", "assets", "deals", "events", "statistics", "conflicts", "sources")


def _page(name: str, title: str, intro: str, columns: list[Column], rows: list[tuple[Cell, ...]]) -> ListPage:
    return ListPage(title, f"{name}.html", "", f"{name}.json", intro=intro, columns=tuple(columns), rows=tuple(rows))


def _link(link: Link) -> Cell:
    return Cell(link.name, link.href)


def list_page(ix: SiteIndex, name: str) -> ListPage:
    """The context of ``<name>.html`` for a name in ``LISTS``."""
    return globals()[f"_{name}"](ix)


def _organizations(ix: SiteIndex) -> ListPage:
    rows = []
    for o in sorted(ix.ds.organizations.values(), key=lambda o: o.name.casefold()):
        deals = len({d.id for _, d in ix.org_deals.get(o.id, [])})
        rows.append((_link(ix.link("org", o.id)), Cell(" · ".join([*o.aliases, *o.former_names])),
                     Cell(place_text(o.country)), Cell(label("org_kinds", o.type)),
                     Cell("yes" if o.multinational else ""), Cell(str(deals)),
                     Cell(str(len(ix.originated.get(o.id, []))))))
    cols = [Column("Organization"), Column("Other names"), Column("Headquarters"), Column("Kind"),
            Column("Multinational"), Column("Deals", True), Column("Assets originated", True)]
    return _page("organizations", "Organizations", "Every company, investor, agency and institution in the graph.",
                 cols, rows)


def _assets(ix: SiteIndex) -> ListPage:
    rows = []
    for a in sorted(ix.ds.assets.values(), key=lambda a: a.name.casefold()):
        orig = ix.link("org", a.originator) if a.originator else None
        rows.append((_link(ix.link("asset", a.id)), Cell(" · ".join([*a.codes, *a.aliases])),
                     Cell(label("modalities", a.modality)), Cell(a.target or ""), Cell(label("stages", a.stage)),
                     _link(orig) if orig else Cell(""), Cell(str(len(ix.asset_deals.get(a.id, []))))))
    cols = [Column("Asset"), Column("Code names"), Column("Modality"), Column("Target"), Column("Stage"),
            Column("Originator"), Column("Deals", True)]
    return _page("assets", "Assets", "Every drug, device, platform and programme the deals cover.", cols, rows)


def _deals(ix: SiteIndex) -> ListPage:
    rows = []
    for d in sorted(ix.ds.deals.values(), key=lambda d: (d.date is None, str(d.date or ""), d.id)):
        r = ix.deal_row(d)            # the row the record pages show: same names, labels and exact value
        parties = "; ".join(f"{o.name} ({role})" for role, o in r.parties)
        rows.append((Cell(date_text(d.date)), _link(r.deal), Cell(r.type), Cell(parties),
                     Cell(", ".join(a.name for a in r.assets)), Cell(r.value, sort=r.value_usd), Cell(r.status)))
    cols = [Column("Date"), Column("Deal"), Column("Type"), Column("Parties"), Column("Assets"),
            Column("Headline value", True), Column("Status")]
    return _page("deals", "Deals", "Every deal, by date (undated last). Headline values follow graph.models.values: "
                 "'up to' amounts count at face value and keep their label.", cols, rows)


def _events(ix: SiteIndex) -> ListPage:
    rows = []
    for e in sorted(ix.ds.events.values(), key=lambda e: (e.date is None, str(e.date or ""), e.id)):
        r = ix.event_row(e)
        money = "; ".join(f"{t.label}: {t.claims[0].text}" for t in r.terms)
        about = r.about[0] if r.about else None
        rows.append((Cell(r.date), _link(r.event), Cell(r.type), _link(about) if about else Cell(""),
                     Cell(money), Cell(r.note or "", cites=r.cites)))
    cols = [Column("Date"), Column("Event"), Column("Type"), Column("About"), Column("Money"), Column("Note")]
    return _page("events", "Events", "Approvals, payments, trials, launches and terminations after signing.",
                 cols, rows)


def _statistics(ix: SiteIndex) -> ListPage:
    rows = []
    for s in sorted(ix.ds.statistics.values(), key=lambda s: (s.measure, s.period, s.id)):
        unit = {"count": "", "ratio": "×"}.get(s.unit, f" {label('units', s.unit).lower()}")
        value = s.money[0].text if s.money else (f"{plain_number(s.value)}%" if s.unit == "percent"
                                                 else f"{plain_number(s.value)}{unit}")
        prov = ix.link("org", s.provider) if s.provider else None
        rows.append((Cell(s.measure), Cell(s.period), Cell(value, sort=str(s.number)),
                     _link(prov) if prov else Cell(""), Cell(s.note or ""), Cell("", cites=ix.cites.cites(s.sources))))
    cols = [Column("Measure"), Column("Period"), Column("Value as written", True), Column("Published by"),
            Column("Note"), Column("Sources")]
    return _page("statistics", "Market statistics", "Market figures as each source reports them; the same measure "
                 "and period from two sources can disagree, and both are kept.", cols, rows)


def _conflicts(ix: SiteIndex) -> ListPage:
    rows = []
    for c in ix.conflicts:
        kind, _, rid = c.subject.partition(" ")
        subject = _link(ix.link(kind, rid)) if kind in ("deal", "event") else Cell(c.subject)
        claims = " vs ".join(cl.value for cl in c.claims)
        cites = tuple(ix.cites.cite_text(s) for cl in c.claims for s in cl.sources)
        spread = c.spread()
        rows.append((subject, Cell(c.what), Cell(claims, cites=cites),
                     Cell(percent_text(spread), sort=repr(spread) if spread is not None else "")))
    cols = [Column("Subject"), Column("What"), Column("Claims, as each source states them"), Column("Spread", True)]
    return _page("conflicts", "Conflicts between sources", "Figures on which the sources disagree, side by side "
                 "(graph.describe.conflicts). Spread is the largest relative difference.", cols, rows)


def _sources(ix: SiteIndex) -> ListPage:
    counts = _cited_lines(ix)
    rows = [(_link(ix.link("source", s.id)), Cell(s.publisher), Cell(date_text(s.date)), Cell(s.type),
             Cell(str(len(counts.get(s.id, {}))))) for s in ix.ds.sources.values()]
    cols = [Column("Document"), Column("Publisher"), Column("Date"), Column("Kind"), Column("Lines cited", True)]
    return _page("sources", "Source documents", "The documents every fact cites, each with the lines cited.",
                 cols, rows)


def _cited_lines(ix: SiteIndex) -> dict[str, dict[int, list[Link]]]:
    """Per document, per cited line, the records citing it (each once, in seed order); made once per index."""
    hit = ix.memo.get("cited_lines")
    if hit is not None:
        return hit
    kinds = {"organizations": "org", "assets": "asset", "deals": "deal", "events": "event"}
    out: dict[str, dict[int, list[Link]]] = defaultdict(lambda: defaultdict(list))
    fields: dict[type, tuple[bool, bool]] = {}
    for kind, rec in ix.ds.records():
        if kind == "sources":
            continue
        link = ix.link(kinds[kind], rec.id) if kind in kinds else Link("statistic", rec.id, rec.id, "statistics.html")
        has = fields.get(type(rec))
        if has is None:       # looked up once per model class (a missing field is slow to ask a model for)
            has = fields[type(rec)] = ("terms" in type(rec).model_fields, "stakes" in type(rec).model_fields)
        cites = list(rec.sources)
        if has[0]:
            for claims in (rec.terms or {}).values():
                cites += [c for cl in claims for c in cl.sources]
        if has[1]:
            for st in rec.stakes:
                cites += st.sources
        seen: set[tuple[str, int]] = set()
        for c in cites:
            key = (c.doc, c.line)
            if key in seen:
                continue
            seen.add(key)
            lst = out[c.doc][c.line]
            if not lst or lst[-1] != link:
                lst.append(link)
    ix.memo["cited_lines"] = out
    return out


def source_page(ix: SiteIndex, sid: str) -> SourcePage:
    """The context of ``source/<sid>.html``."""
    s = ix.ds.sources[sid]
    lines = tuple(SourceLine(n, ix.cites.line_text(s.id, n), tuple(recs))
                  for n, recs in sorted(_cited_lines(ix).get(s.id, {}).items()))
    facts = tuple(Fact(k, v, ()) for k, v in (("Title", s.title), ("Publisher", s.publisher),
                                              ("Date", date_text(s.date)), ("Kind", s.type),
                                              ("File", s.file), ("Note", s.note or "")) if v)
    return SourcePage(s.title, page_path("source", s.id), "../", page_path("source", s.id, "json"),
                      source=ix.link("source", s.id), facts=facts, lines=lines,
                      available=ix.cites.line_text(s.id, 1) is not None)


def source_pages(ix: SiteIndex) -> list[SourcePage]:
    """The context of every ``source/<id>.html``."""
    return [source_page(ix, sid) for sid in ix.ds.sources]
