"""Figures and facts on which the sources disagree, kept side by side.

Three kinds: a deal or event term with several claims that differ (amount,
currency or qualifier); market statistics with the same measure and period
whose values differ; and non-numeric facts a record lists under ``disputes``
(a deal's territory or type, an event's date), each version with its sources.
A conflict's ``kind`` says which: 'figure' (the first two) or 'fact'.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..models.dataset import Dataset


@dataclass(frozen=True)
class Claim:
    value: str            # as written: 'about USD 12 billion', '157'
    number: float | None  # normalised (USD for money when known, else the amount)
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    subject: str          # 'deal 2025-07-hengrui-gsk' or 'statistic china-out-licensing-deal-count'
    what: str             # 'total', the period, or the disputed field ('territory_exclude')
    claims: tuple[Claim, ...]
    kind: str = "figure"  # 'figure' (amounts, statistic values) or 'fact' (non-numeric)

    def spread(self) -> float | None:
        """Largest relative difference between claims (0.04 = 4 %)."""
        nums = [c.number for c in self.claims if c.number]
        return (max(nums) - min(nums)) / max(nums) if len(nums) > 1 else None


def find_conflicts(ds: Dataset) -> list[Conflict]:
    """Every disagreement between sources, sorted by subject and what: figures and non-numeric facts.

    A fact conflict has one claim per version, its ``value`` the version as shown ('CN', '(none)' for an
    empty territory list) and ``number`` None, so ``spread()`` is None.
    """
    out: list[Conflict] = []
    for kind, table in (("deal", ds.deals), ("event", ds.events)):
        for rec in table.values():
            for field, alts in rec.disputes.items():
                out.append(Conflict(f"{kind} {rec.id}", field, tuple(
                    Claim(a.text(), None, tuple(str(c) for c in a.sources)) for a in alts), "fact"))
    for kind, table in (("deal", ds.deals), ("event", ds.events)):
        for rec in table.values():
            for term, claims in rec.terms.items():
                distinct = {(c.amount, c.currency, c.qualifier, c.disclosure) for c in claims}
                if len(distinct) > 1:
                    out.append(Conflict(f"{kind} {rec.id}", term, tuple(
                        Claim(c.text, float(c.usd if c.usd is not None else c.amount) if c.amount is not None else None,
                              tuple(str(s) for s in (c.sources or rec.sources)))
                        for c in claims)))
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for s in ds.statistics.values():
        groups[(s.measure, s.period)].append(s)
    for (measure, period), stats in sorted(groups.items()):
        values = {(s.number, s.unit, s.money[0].currency if s.money else None) for s in stats}
        if len(values) > 1:
            out.append(Conflict(f"statistic {measure}", period, tuple(
                Claim(s.shown, float(s.number),
                      tuple(str(c) for c in s.sources)) for s in sorted(stats, key=lambda s: s.id))))
    return sorted(out, key=lambda c: (c.subject, c.what))
