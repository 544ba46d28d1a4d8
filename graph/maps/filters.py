"""Which deals a map shows: year range, modality (or modality family), deal type, minimum headline value.

A deal passes ``DealFilter`` when it passes every criterion that is set:

- ``year_from`` / ``year_to``: the deal's year (from its date) lies in the range, ends included;
  an undated deal fails as soon as either end is set.
- ``modality``: a key of the modality scheme; the deal covers at least one asset whose modality is
  that concept or a narrower one (``antibody`` takes ADCs and bispecifics, via
  ``vocabulary().modality_ancestors``). A deal without assets fails.
- ``deal_type``: a deal type key; narrower types count too (``strategic-collaboration`` takes
  ``research-collaboration``).
- ``min_value_usd``: the deal's headline value (``Deal.headline()``, the project's one definition)
  is at least this many US dollars; a deal without a disclosed headline fails.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..dataset import Dataset
from ..errors import DealgraphError
from ..models import Deal
from ..vocabulary import vocabulary


def deal_type_ancestors(key: str) -> list[str]:
    """The deal type and every broader one, nearest first."""
    return vocabulary().deal_type_ancestors(key)


def usd_text(usd: float | Decimal | None, qualifier: str | None = None) -> str:
    """A USD amount for people, every digit kept: 'up to USD 1.825 billion', 'USD 50 million', '' when None.

    The one money wording is ``graph.values.format_money``.
    """
    from ..values import format_money

    return format_money(usd, "USD", qualifier)


@dataclass(frozen=True)
class DealFilter:
    """The deals a map keeps (see the module docstring). The default keeps every deal."""

    year_from: int | None = None
    year_to: int | None = None
    modality: str | None = None
    deal_type: str | None = None
    min_value_usd: float | None = None

    def checked(self) -> "DealFilter":
        """This filter, or a DealgraphError naming the bad value and what is allowed."""
        v = vocabulary()
        if self.modality is not None and self.modality not in v.modalities:
            raise DealgraphError(f"unknown modality '{self.modality}': expected one of {', '.join(v.modalities)}")
        if self.deal_type is not None and self.deal_type not in v.deal_types:
            raise DealgraphError(f"unknown deal type '{self.deal_type}': expected one of {', '.join(v.deal_types)}")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise DealgraphError(f"--from {self.year_from} is after --to {self.year_to}")
        if self.min_value_usd is not None and self.min_value_usd < 0:
            raise DealgraphError(f"--min-value must not be negative (got {self.min_value_usd:g})")
        return self

    @property
    def active(self) -> bool:
        return any(x is not None for x in (self.year_from, self.year_to, self.modality, self.deal_type,
                                           self.min_value_usd))

    def matches(self, deal: Deal, ds: Dataset) -> bool:
        """True when ``deal`` passes every criterion that is set."""
        if self.year_from is not None or self.year_to is not None:
            y = deal.year
            if y is None or (self.year_from is not None and y < self.year_from) or \
                    (self.year_to is not None and y > self.year_to):
                return False
        if self.deal_type is not None and self.deal_type not in deal_type_ancestors(deal.type):
            return False
        if self.modality is not None:
            anc = vocabulary().modality_ancestors
            if not any(self.modality in anc(ds.assets[a].modality) for a in deal.assets if a in ds.assets):
                return False
        if self.min_value_usd is not None:
            usd, _ = deal.headline()
            if usd is None or float(usd) < self.min_value_usd:
                return False
        return True

    def deals(self, ds: Dataset) -> list[Deal]:
        """The deals of ``ds`` that pass, in id order."""
        return [d for _, d in sorted(ds.deals.items()) if self.matches(d, ds)]

    def apply(self, ds: Dataset) -> Dataset:
        """``ds`` with only the deals that pass (and the events about them); everything else kept."""
        if not self.active:
            return ds
        keep = {d.id: d for d in self.deals(ds)}
        return replace_deals(ds, keep)

    def describe(self) -> str:
        """The criteria in words, '' when none is set: 'deals 2020–2025 · modality Antibody (and narrower)'."""
        v = vocabulary()
        parts = []
        if self.year_from is not None or self.year_to is not None:
            a = str(self.year_from) if self.year_from is not None else "…"
            b = str(self.year_to) if self.year_to is not None else "…"
            parts.append(f"years {a}–{b}")
        if self.modality is not None:
            parts.append(f"modality {v.modalities[self.modality].label} (and narrower)")
        if self.deal_type is not None:
            parts.append(f"deal type {v.deal_types[self.deal_type].label}")
        if self.min_value_usd is not None:
            parts.append(f"headline value ≥ {usd_text(self.min_value_usd)}")
        return " · ".join(parts)


def replace_deals(ds: Dataset, deals: dict[str, Deal]) -> Dataset:
    """A shallow copy of ``ds`` holding ``deals`` instead of its own (events about dropped deals go too)."""
    out = Dataset(sources=ds.sources, organizations=ds.organizations, assets=ds.assets, deals=dict(deals),
                  events={k: e for k, e in ds.events.items() if e.deal is None or e.deal in deals},
                  statistics=ds.statistics, origins=ds.origins)
    return out


__all__ = ["DealFilter", "deal_type_ancestors", "replace_deals", "usd_text"]
