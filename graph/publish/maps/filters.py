"""Which deals a map shows, and what a filter removed.

A deal passes ``DealFilter`` when it passes every criterion that is set:

- ``year_from`` / ``year_to``: the deal's year lies in the range, ends included. Undated deals:
  ``undated=True`` keeps them, ``False`` drops them (even with no year set: the page's "include
  undated" switch), ``None`` (the default) drops them only when a year is set.
- ``modality``: a modality key or label, any case (``ADC`` = ``adc``); the deal covers an asset whose
  modality is that concept or a narrower one (``antibody`` takes ADCs and bispecifics). A deal
  without assets fails.
- ``deal_type``: a deal type key or label, any case; narrower types count too.
- ``family``: a deal family of ``style.FAMILIES`` (licensing, partnering, newco, corporate, commercial).
- ``direction``: one of ``flows.DIRECTIONS``, relative to China (mainland, or Greater China when
  ``greater_china`` is set).
- ``min_value_usd``: the headline value (``graph.models.values.headline``) is at least this; a deal without a
  disclosed headline fails.

``DealFilter.explain`` says, criterion by criterion, how many deals each one removed, so a filter never
drops deals without a word; the page's own filters (``map.js``) follow the same rules.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from decimal import Decimal

from ...models.dataset import Dataset
from ...core.errors import DealgraphError
from ...models import Deal
from ...models.vocabulary import vocabulary
from . import flows, style

CHINA_MAINLAND = frozenset({"CN"})


def deal_type_ancestors(key: str) -> list[str]:
    """The deal type and every broader one, nearest first."""
    return vocabulary().deal_type_ancestors(key)


def usd_text(usd: float | Decimal | None, qualifier: str | None = None) -> str:
    """A USD amount for people, every digit kept: 'up to USD 1.825 billion', 'USD 50 million', '' when None.

    The one money wording is ``graph.models.values.format_money``.

    >>> usd_text(1970000000, 'up-to')
    'up to USD 1.97 billion'
    >>> usd_text(Decimal('1234567890'))
    'USD 1.23456789 billion'
    """
    from ...models.values import format_money

    return format_money(usd, "USD", qualifier)


def _key(table: dict, text: str | None, what: str) -> str | None:
    """The vocabulary key for ``text`` matched on key or label, ignoring case, or a clear error."""
    if text is None:
        return None
    want = text.strip().casefold()
    for k, c in table.items():
        if want in (k.casefold(), c.label.casefold()):
            return k
    close = [k for k, c in table.items() if want in k.casefold() or want in c.label.casefold()]
    close += [k for k in difflib.get_close_matches(want, [k.casefold() for k in table], n=3, cutoff=0.75)
              if k not in close]
    close = close[:6]
    hint = f"; did you mean {', '.join(close)}?" if close else f": expected one of {', '.join(table)}"
    raise DealgraphError(f"unknown {what} '{text}'{hint}")


@dataclass(frozen=True)
class DealFilter:
    """The deals a map keeps (see the module docstring). The default keeps every deal."""

    year_from: int | None = None
    year_to: int | None = None
    modality: str | None = None
    deal_type: str | None = None
    min_value_usd: float | Decimal | None = None
    family: str | None = None
    direction: str | None = None
    undated: bool | None = None
    greater_china: bool = False

    def checked(self) -> "DealFilter":
        """This filter with keys normalised (case, labels), or a DealgraphError naming the bad value."""
        v = vocabulary()
        fams = {k: type("F", (), {"label": t})() for k, t, _, _ in style.FAMILIES}
        dirs = {k: type("D", (), {"label": t})() for k, t in flows.DIRECTIONS.items()}
        out = replace(self, modality=_key(v.modalities, self.modality, "modality"),
                      deal_type=_key(v.deal_types, self.deal_type, "deal type"),
                      family=_key(fams, self.family, "deal family"),
                      direction=_key(dirs, self.direction, "direction"))
        if out.year_from is not None and out.year_to is not None and out.year_from > out.year_to:
            raise DealgraphError(f"--from {out.year_from} is after --to {out.year_to}")
        if out.min_value_usd is not None and out.min_value_usd < 0:
            raise DealgraphError(f"--min-value must not be negative (got {out.min_value_usd})")
        return out

    @property
    def active(self) -> bool:
        return bool(self.criteria())

    def chinese(self, ds: Dataset) -> frozenset[str]:
        """Ids of the organizations that count as Chinese under this filter's China definition."""
        members = vocabulary().place_members("GREATER-CHINA") if self.greater_china else CHINA_MAINLAND
        return frozenset(o.id for o in ds.organizations.values() if o.country in members)

    def criteria(self) -> list[tuple[str, str]]:
        """The criteria that are set, as (name, words), in the order they are applied."""
        v = vocabulary()
        out = []
        if self.year_from is not None or self.year_to is not None or self.undated is False:
            a = str(self.year_from) if self.year_from is not None else "…"
            b = str(self.year_to) if self.year_to is not None else "…"
            words = "dated deals" if (a, b) == ("…", "…") else f"years {a}–{b}"
            out.append(("years", words + (" (and undated)" if self.undated else "")))
        if self.family is not None:
            out.append(("family", "family " + next(t for k, t, _, _ in style.FAMILIES if k == self.family)))
        if self.deal_type is not None:
            out.append(("deal_type", f"deal type {v.deal_types[self.deal_type].label}"))
        if self.direction is not None:
            out.append(("direction", "direction " + flows.DIRECTIONS[self.direction]))
        if self.modality is not None:
            out.append(("modality", f"modality {v.modalities[self.modality].label} (and narrower)"))
        if self.min_value_usd is not None:
            out.append(("min_value", f"headline value ≥ {usd_text(self.min_value_usd)}"))
        return out

    def passes(self, name: str, deal: Deal, ds: Dataset, chinese: frozenset[str] = frozenset()) -> bool:
        """True when ``deal`` passes the one criterion ``name`` (a name from ``criteria``)."""
        if name == "years":
            y = deal.year
            if y is None:
                return bool(self.undated)
            return not ((self.year_from is not None and y < self.year_from) or
                        (self.year_to is not None and y > self.year_to))
        if name == "family":
            return style.family_of(deal.type) == self.family
        if name == "deal_type":
            return self.deal_type in deal_type_ancestors(deal.type)
        if name == "direction":
            return flows.direction(deal, chinese) == self.direction
        if name == "modality":
            anc = vocabulary().modality_ancestors
            return any(self.modality in anc(ds.assets[a].modality) for a in deal.assets if a in ds.assets)
        if name == "min_value":
            usd, _ = deal.headline()
            return usd is not None and Decimal(str(usd)) >= Decimal(str(self.min_value_usd))
        raise KeyError(name)

    def matches(self, deal: Deal, ds: Dataset) -> bool:
        """True when ``deal`` passes every criterion that is set."""
        cn = self.chinese(ds) if self.direction else frozenset()
        return all(self.passes(n, deal, ds, cn) for n, _ in self.criteria())

    def deals(self, ds: Dataset) -> list[Deal]:
        """The deals of ``ds`` that pass, in id order."""
        return [d for _, d in sorted(ds.deals.items()) if self.matches(d, ds)]

    def apply(self, ds: Dataset) -> Dataset:
        """``ds`` with only the deals that pass (and the events about them); everything else kept."""
        if not self.active:
            return ds
        return replace_deals(ds, {d.id: d for d in self.deals(ds)})

    def explain(self, ds: Dataset, deals: list[Deal] | None = None) -> list[str]:
        """What each criterion removed, in order, from ``deals`` (default: every deal of ``ds``).

        One line per criterion: 'years 2024–…: removed 40 of 67 deals (30 undated)'.
        """
        left = sorted(ds.deals.values(), key=lambda d: d.id) if deals is None else list(deals)
        cn = self.chinese(ds)
        lines = []
        for name, words in self.criteria():
            kept = [d for d in left if self.passes(name, d, ds, cn)]
            gone = [d for d in left if d not in kept]
            undated = sum(1 for d in gone if d.year is None)
            extra = f" ({undated} undated)" if undated and name == "years" else ""
            lines.append(f"{words}: removed {len(gone)} of {len(left)} deals{extra}")
            left = kept
        return lines

    def describe(self) -> str:
        """The criteria in words, '' when none is set: 'years 2020–2025 · modality Antibody (and narrower)'."""
        return " · ".join(w for _, w in self.criteria())


def replace_deals(ds: Dataset, deals: dict[str, Deal]) -> Dataset:
    """A shallow copy of ``ds`` holding ``deals`` instead of its own (events about dropped deals go too)."""
    return Dataset(sources=ds.sources, organizations=ds.organizations, assets=ds.assets, deals=dict(deals),
                   events={k: e for k, e in ds.events.items() if e.deal is None or e.deal in deals},
                   statistics=ds.statistics, origins=ds.origins)


__all__ = ["DealFilter", "deal_type_ancestors", "replace_deals", "usd_text"]
