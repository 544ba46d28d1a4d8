"""How much of each reported market total the graph's own deals account for.

A reported statistic (e.g. PharmCube's USD 135.7 billion of Chinese
out-licensing in 2025) is compared with the same measure computed from the
graph: deals of that year in which a licensor headquartered in mainland China
(or, with ``greater_china``, Hong Kong, Macau, Taiwan too) licenses to, or
co-develops with, a partner headquartered elsewhere. Value is each deal's
headline (``Deal.headline``: "up to" and "over" counted at face value);
undisclosed deals count toward deal numbers only.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..models.dataset import Dataset
from ..models import Deal

OUT_LICENSING_TYPES = {"licence", "co-development", "newco", "option", "strategic-collaboration",
                       "research-collaboration"}
OUTBOUND_ROLES = ("licensor",)
INBOUND_ROLES = ("licensee", "co-developer", "partner")

# measure key -> (what the graph computes, unit)
MEASURES = {
    "china-out-licensing-deal-count": "count",
    "china-out-licensing-total-value": "total",
    "china-out-licensing-upfront-total": "upfront",
}


@dataclass(frozen=True)
class CoverageRow:
    statistic: str
    measure: str
    period: str
    reported: float
    graph: float
    share: float | None
    deals: int
    undisclosed: int
    sources: tuple[str, ...]


def china_out_licensing(ds: Dataset, year: int, china: frozenset[str] = frozenset({"CN"})) -> list[Deal]:
    """Deals of ``year`` in which a China-headquartered licensor deals with a partner outside ``china``."""
    def country(o: str) -> str | None:
        return ds.organizations[o].country

    out = []
    for d in ds.deals.values():
        if d.year != year or d.type not in OUT_LICENSING_TYPES:
            continue
        licensors = [o for r in OUTBOUND_ROLES for o in d.parties.get(r, [])]
        partners = [o for r in INBOUND_ROLES for o in d.parties.get(r, [])]
        if any(country(o) in china for o in licensors) and any(country(o) not in china for o in partners):
            out.append(d)
    return sorted(out, key=lambda d: d.id)


def coverage(ds: Dataset, greater_china: bool = False) -> list[CoverageRow]:
    """One row per reported statistic the graph can recompute (yearly periods of the measures above)."""
    china = frozenset({"CN", "HK", "MO", "TW"} if greater_china else {"CN"})
    rows = []
    for s in sorted(ds.statistics.values(), key=lambda s: (s.measure, s.period, s.id)):
        if s.measure not in MEASURES or not s.period.isdigit():
            continue
        deals = china_out_licensing(ds, int(s.period), china)
        what = MEASURES[s.measure]
        undisclosed = 0
        if what == "count":
            value = float(len(deals))
        else:
            value = 0.0
            for d in deals:
                if what == "total":
                    usd, _ = d.headline()
                else:
                    claim = d.terms.get(what, [None])[0]
                    usd = claim.usd if claim is not None else None
                if usd is not None:
                    value += float(usd)
                else:
                    undisclosed += 1
        reported = float(s.money[0].usd) if s.money and s.money[0].usd is not None else float(s.number)
        rows.append(CoverageRow(s.id, s.measure, s.period, reported, value,
                                value / reported if reported else None, len(deals), undisclosed,
                                tuple(str(c) for c in s.sources)))
    return rows
