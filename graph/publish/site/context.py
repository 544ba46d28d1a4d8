"""What each page of the site shows: one dataclass per page, one per row kind.

Every field carries a help string (``field(metadata={"help": …})``); the
templates read nothing else, and a page's JSON twin is the same context as
plain data (``as_data``). ``tests/test_site.py`` checks that every field has
help and that every field of a page context is used by its template, the way
datasette tests its ``RowContext``.

Terms used below:

- *cite*: one ``doc:line`` citation, linking to that line on the source page;
  ``text`` holds the cited line when the documents were available at build
  time (shown on hover), else None.
- *curated*: a fact the documents do not state, recorded with its own basis
  (``Fact.basis == 'curated'``); shown apart from document-cited facts.
- *link*: a record shown by name, with the path of its page relative to the
  site root (``org/<id>.html``…).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any


def help_field(text: str, **kw: Any) -> Any:
    """A dataclass field with its help string (``fields(cls)[i].metadata['help']``)."""
    return field(metadata={"help": text}, **kw)


@dataclass(frozen=True)
class Cite:
    """One citation of a source document line."""

    label: str = help_field("the citation as written in the seeds, 'caixin-2026:54'")
    href: str | None = help_field("path of the line on its source page, 'source/caixin-2026.html#L54'; "
                                  "None for a document the seeds do not list")
    text: str | None = help_field("the cited line read from the document at build time; None without documents")


@dataclass(frozen=True)
class Link:
    """A record shown by name, with the path of its page."""

    kind: str = help_field("'org', 'asset', 'deal', 'source' or 'event'")
    id: str = help_field("the record id")
    name: str = help_field("what the reader sees: name, title or id")
    href: str | None = help_field("path of its page from the site root; None when it has no page")


@dataclass(frozen=True)
class Fact:
    """One labelled fact about a record with the citations behind it."""

    label: str = help_field("what the fact is, 'Headquarters'")
    value: str = help_field("the fact as text, 'China (CN)'")
    cites: tuple[Cite, ...] = help_field("the lines that state it")
    basis: str = help_field("'cited' (a document states it), 'curated' (common knowledge, see note) or 'unknown' "
                            "(neither gives it, see note)", default="cited")
    note: str | None = help_field("for a curated fact its one-line basis, for an unknown one the reason",
                                  default=None)
    href: str | None = help_field("link of the value from the site root, when it names a record", default=None)


@dataclass(frozen=True)
class Tie:
    """One corporate family tie of an organization."""

    relation: str = help_field("how the other organization is related, 'subsidiary of', 'holds a stake in'")
    org: Link = help_field("the other organization")
    detail: str = help_field("e.g. the stake, '19.9%'; '' when none")
    cites: tuple[Cite, ...] = help_field("the lines that state the tie")


@dataclass(frozen=True)
class Claim:
    """One source's statement of a money term."""

    text: str = help_field("the amount exactly as the source wrote it, 'up to USD 1.77 billion'")
    qualifier: str = help_field("exact, up-to, over, about or under")
    disclosure: str = help_field("disclosed, undisclosed or absent")
    usd: str | None = help_field("for an amount in another currency with a conversion, the USD value, exact; else None")
    cites: tuple[Cite, ...] = help_field("the lines that state this claim")


@dataclass(frozen=True)
class Term:
    """A money term of a deal or event with every claim made about it."""

    kind: str = help_field("term kind key, 'upfront'")
    label: str = help_field("term kind as the ontology names it")
    claims: tuple[Claim, ...] = help_field("every source's claim, preferred (first) claim first")
    conflict: bool = help_field("True when the claims differ")


@dataclass(frozen=True)
class DealRow:
    """A deal as one line of a table."""

    deal: Link = help_field("the deal")
    date: str = help_field("date as precise as the source gives it; '' when undated")
    type: str = help_field("deal type label")
    role: str = help_field("the role of the page's organization ('' on asset and list pages)")
    parties: tuple[tuple[str, Link], ...] = help_field("(role label, organization) for every party")
    assets: tuple[Link, ...] = help_field("assets the deal covers")
    value: str = help_field("headline value, exact, with its qualifier ('up to USD 1.97 billion'); '' if none")
    value_usd: str = help_field("the headline value in USD as an exact number, for sorting; '' if none")
    status: str = help_field("deal status")
    cites: tuple[Cite, ...] = help_field("the deal's citations")


@dataclass(frozen=True)
class EventRow:
    """An event as one entry of a timeline."""

    event: Link = help_field("the event (id and title or type)")
    date: str = help_field("date as the source gives it; '' when undated")
    type: str = help_field("event type label")
    about: tuple[Link, ...] = help_field("deal, assets and organizations it concerns")
    terms: tuple[Term, ...] = help_field("money paid or received, as written")
    note: str | None = help_field("our note")
    cites: tuple[Cite, ...] = help_field("the event's citations")


@dataclass(frozen=True)
class AssetRow:
    """An asset as one line of a table."""

    asset: Link = help_field("the asset")
    modality: str = help_field("modality label")
    stage: str = help_field("development stage label")
    target: str = help_field("target or mechanism; '' when not recorded")
    originator: Link | None = help_field("the originating organization")
    relation: str = help_field("how the page's record relates to it: 'originated', 'licensee in a deal', 'covered'")


@dataclass(frozen=True)
class Page:
    """What every page has (``base.html``)."""

    title: str = help_field("the page title")
    path: str = help_field("this page's path from the site root, 'org/pfizer.html'")
    root: str = help_field("prefix from this page back to the site root, '../' or ''")
    json: str | None = help_field("path of the JSON twin from the site root")


@dataclass(frozen=True)
class OrgPage(Page):
    """An organization's page, ``org/<id>.html``."""

    org: Link = help_field("the organization", default=None)
    facts: tuple[Fact, ...] = help_field("profile facts the documents state", default=())
    curated: tuple[Fact, ...] = help_field("curated and unknown facts, each with its basis, shown apart", default=())
    family: tuple[Tie, ...] = help_field("corporate family: parent, subsidiaries, founders, NewCos formed, stakes",
                                         default=())
    deals: tuple[DealRow, ...] = help_field("deals it takes part in, in date order", default=())
    assets: tuple[AssetRow, ...] = help_field("assets it originated or dealt in", default=())
    events: tuple[EventRow, ...] = help_field("events involving it or its deals and assets, in date order",
                                              default=())
    exposure: tuple[tuple[str, str], ...] = help_field("China exposure figures (label, value) when analysed",
                                                       default=())
    exposure_json: str | None = help_field("path of the exposure analysis file, when written", default=None)
    maps: tuple[tuple[str, str], ...] = help_field("(label, path) of its maps under maps/", default=())
    ego_map: str | None = help_field("path of its ego map, embedded when present", default=None)


@dataclass(frozen=True)
class AssetPage(Page):
    """An asset's page, ``asset/<id>.html``."""

    asset: Link = help_field("the asset", default=None)
    facts: tuple[Fact, ...] = help_field("originator, modality, target, indication, stage, codes, note", default=())
    curated: tuple[Fact, ...] = help_field("curated and unknown facts, each with its basis, shown apart", default=())
    deals: tuple[DealRow, ...] = help_field("every deal covering it, in date order", default=())
    events: tuple[EventRow, ...] = help_field("every event concerning it or its deals, in date order", default=())


@dataclass(frozen=True)
class DealPage(Page):
    """A deal's page, ``deal/<id>.html``."""

    deal: Link = help_field("the deal", default=None)
    facts: tuple[Fact, ...] = help_field("type, date, status, stage at signing, territories, royalties, note",
                                         default=())
    curated: tuple[Fact, ...] = help_field("curated and unknown facts, each with its basis, shown apart", default=())
    parties: tuple[tuple[str, str, Link], ...] = help_field(
        "(role label, side: gives/takes/peer, organization) for every party", default=())
    assets: tuple[AssetRow, ...] = help_field("assets it covers", default=())
    headline: str = help_field("headline value (graph.models.values), exact, or why there is none", default="")
    headline_basis: str = help_field("the terms the headline value adds up, '' when there is none", default="")
    terms: tuple[Term, ...] = help_field("every money term as each source states it", default=())
    events: tuple[EventRow, ...] = help_field("events about the deal, in date order", default=())
    conflicts: tuple[Term, ...] = help_field("terms on which the sources disagree", default=())
    disputes: tuple[Fact, ...] = help_field("facts the sources state differently (territory, type, date…), "
                                            "each version with its sources", default=())


@dataclass(frozen=True)
class EventPage(Page):
    """An event's page, ``event/<id>.html``."""

    event: Link = help_field("the event", default=None)
    facts: tuple[Fact, ...] = help_field("type, date, country, indication, rights returned, note", default=())
    about: tuple[Link, ...] = help_field("the deal, assets and organizations it concerns", default=())
    terms: tuple[Term, ...] = help_field("money paid or received, as each source states it", default=())


@dataclass(frozen=True)
class Column:
    """One column of a list page's table."""

    label: str = help_field("column heading")
    numeric: bool = help_field("sorts as a number", default=False)


@dataclass(frozen=True)
class Cell:
    """One cell: text, an optional link, an optional sort key, citations."""

    text: str = help_field("what is shown")
    href: str | None = help_field("link from the site root", default=None)
    sort: str | None = help_field("sort key when it differs from the text (numbers, dates)", default=None)
    cites: tuple[Cite, ...] = help_field("citations shown in the cell", default=())


@dataclass(frozen=True)
class ListPage(Page):
    """A page listing records in one sortable, filterable table (organizations, deals, statistics…)."""

    intro: str = help_field("one paragraph on what the list holds", default="")
    columns: tuple[Column, ...] = help_field("the table's columns", default=())
    rows: tuple[tuple[Cell, ...], ...] = help_field("the table's rows", default=())


@dataclass(frozen=True)
class SourceLine:
    """One cited line of a source document."""

    line: int = help_field("1-based line number; the anchor is 'L<line>'")
    text: str | None = help_field("the line as the document has it, when available at build time")
    records: tuple[Link, ...] = help_field("every record citing the line")


@dataclass(frozen=True)
class SourcePage(Page):
    """A source document's page, ``source/<id>.html``: its details and every line the seeds cite."""

    source: Link = help_field("the document", default=None)
    facts: tuple[Fact, ...] = help_field("title, publisher, date, kind, file name", default=())
    lines: tuple[SourceLine, ...] = help_field("every cited line in line order", default=())
    available: bool = help_field("True when the document was read at build time", default=False)


def as_data(obj: Any) -> Any:
    """A context as plain JSON data (dataclasses to dicts, tuples to lists, Decimals to strings).

    >>> as_data(Link("org", "msd", "MSD", "org/msd.html"))
    {'kind': 'org', 'id': 'msd', 'name': 'MSD', 'href': 'org/msd.html'}
    """
    if is_dataclass(obj):
        return {f.name: as_data(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [as_data(x) for x in obj]
    if isinstance(obj, Decimal):
        return str(obj)
    return obj
