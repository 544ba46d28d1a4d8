"""How the site writes values: exact money, dates, vocabulary labels, and citations with their lines.

Money is never rounded: amounts are ``Decimal`` end to end and are written
with as many digits as they have (``money_text``). Claims are shown as their
source wrote them (``Money.text``); only computed sums (a deal's headline
value, exposure totals) go through ``money_text``.

Citations (``Citations``): every ``doc:line`` becomes a ``Cite`` that links to
the line on its source page, ``source/<doc>.html#L<line>``. When the source
documents are available at build time (``rules.documents_folder``), the cite also
holds the cited line, shown when the reader hovers the citation; the documents
themselves are never copied into the repository.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ...models.dataset import Dataset
from ...models import Citation, Deal
from ...ingest.provenance import Documents
from ...models.values import Headline, format_money, format_percent, headline, preferred
from ...models.vocabulary import vocabulary
from .context import Cite

HOVER_CHARS = 700      # a cited line longer than this is cut in the hover text (the source page has it whole)


def money_text(amount: Decimal | float | int | None, qualifier: str | None = None, currency: str = "USD") -> str:
    """An amount with its scale word and qualifier, every digit kept; '' for None (``values.format_money``).

    >>> money_text(Decimal("1825000000"), "up-to")
    'up to USD 1.825 billion'
    >>> money_text(Decimal("100.1e6") + Decimal("200.2e6"))
    'USD 300.3 million'
    """
    return format_money(amount, currency, qualifier)


def percent_text(share: float | Decimal | None) -> str:
    """A share (0..1) as a percentage with one decimal (``values.format_percent``): 0.25 -> '25.0%'."""
    return format_percent(share)


def deal_total(deal: Deal) -> tuple[Decimal | None, str | None]:
    """The deal's headline value in USD as a Decimal, and its qualifier; (None, None) when not disclosed.

    The rule is ``graph.models.values.headline``'s; the disclosed USD parts it names are added as Decimals,
    so nothing is lost to binary rounding.
    """
    _, total, qualifier = deal_headline(deal)
    return total, qualifier


def deal_headline(deal: Deal) -> tuple[Headline, Decimal | None, str | None]:
    """The deal's ``graph.models.values.headline`` with the exact Decimal total and qualifier of ``deal_total``."""
    h = headline(deal)
    if h.usd is None:
        return h, None, None
    return h, sum((preferred(deal.terms, k).usd for k in h.kinds), Decimal(0)), h.qualifier


def deal_value(deal: Deal) -> str:
    """The deal's headline value as text, exact, with its qualifier: 'up to USD 1.97 billion'; '' if none."""
    total, qualifier = deal_total(deal)
    return "" if total is None else money_text(total, qualifier)


def date_text(date: object, period: str | None = None) -> str:
    """A record's date as precise as the source gives it ('2025-07', '2025', '2022/2025'), else its named
    period ('CIIE 2025'); '' when neither is known."""
    return str(date) if date is not None else (period or "")


def date_key(date: object) -> tuple[bool, str]:
    """Sort key: dated records in date order, undated last."""
    return (date is None, "" if date is None else str(date))


@lru_cache(maxsize=None)
def label(table: str, key: str | None) -> str:
    """The ontology's label of a vocabulary key, e.g. ``label('deal_types', 'licence')``; the key if unknown.

    Remembered per (table, key): the vocabulary is read once per process."""
    if key is None:
        return ""
    concept = getattr(vocabulary(), table).get(key)
    return concept.label if concept is not None else key


def place_text(code: str | None) -> str:
    """'CN' -> 'China (CN)'; regions by name, 'WORLD' -> 'World (WORLD)'."""
    if not code:
        return ""
    return f"{label('places', code)} ({code})"




class Citations:
    """``Cite`` objects for a dataset's citations, made once each, with their lines when documents are given.

    ``docs``: the documents folder or None. A document file that is missing just leaves its cites
    without text. ``used`` collects, per document, every line cited and the records citing it
    (for the source pages).
    """

    def __init__(self, ds: Dataset, docs: Path | None = None):
        self.sources = ds.sources
        self.docs = Documents(docs, ds) if docs is not None and Path(docs).is_dir() else None
        self._cache: dict[tuple[str, int], Cite] = {}
        self._lists: dict[int, tuple[Iterable[Citation], tuple[Cite, ...]]] = {}

    def line_text(self, doc: str, line: int) -> str | None:
        """The document's line as written (whitespace trimmed), or None without documents or such a line."""
        if self.docs is None or doc not in self.docs.files or not self.docs.files[doc].is_file():
            return None
        lines = self.docs.lines(doc)
        return lines[line - 1].strip() if 0 < line <= len(lines) else None

    def cite(self, c: Citation) -> Cite:
        key = (c.doc, c.line)
        hit = self._cache.get(key)
        if hit is None:
            text = self.line_text(c.doc, c.line)
            if text is not None and len(text) > HOVER_CHARS:
                text = text[:HOVER_CHARS].rstrip() + " …"
            href = f"source/{c.doc}.html#L{c.line}" if c.doc in self.sources else None
            hit = self._cache[key] = Cite(f"{c.doc}:{c.line}", href, text)
        return hit

    def cite_text(self, text: str) -> Cite:
        """The ``Cite`` of a citation written 'doc:line'."""
        return self.cite(Citation.model_validate(text))

    def cites(self, citations: Iterable[Citation]) -> tuple[Cite, ...]:
        """The ``Cite`` of each citation; a record's list of citations is converted once."""
        hit = self._lists.get(id(citations))
        if hit is not None and hit[0] is citations:
            return hit[1]
        out = tuple(self.cite(c) for c in citations)
        self._lists[id(citations)] = (citations, out)
        return out
