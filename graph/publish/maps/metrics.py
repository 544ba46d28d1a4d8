"""What the maps take from ``graph.analysis``: the partner network, centrality and China exposure.

The maps compute no analysis of their own. Sizes come from
``graph.analysis.centrality_table`` on the partner network of the deals shown
(``graph.analysis.partner_graph``), communities from its Louvain column, and
exposure maps from ``graph.analysis.exposure`` (direct China deals and indirect
chains). The lines a map draws come from the deals themselves (``flows``). Callers that already hold these results pass them in to save the work.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...analysis import CentralityTable, Exposure, ExposureIndex, centrality_table, exposure, partner_graph
from ...analysis.exposure import CHINA
from ...models.dataset import Dataset
from .style import SIZE_MEASURES   # the measures a node's size may show, defined with the sizes

SHOWN = (("deals", "Deals"), ("degree", "Partners (degree)"), ("weighted_degree", "Weighted degree"),
         ("betweenness", "Betweenness"), ("pagerank", "PageRank"), ("community", "Community"))


@dataclass
class Centrality:
    """Centrality per organization (rows of ``graph.analysis.centrality_table``) and the measure sizes use."""

    rows: dict[str, dict[str, Any]]
    size_measure: str
    method: str                     # the size measure in words, for the legend

    def size_of(self, org_id: str) -> float:
        v = self.rows.get(org_id, {}).get(self.size_measure)
        return float(v) if v else 0.0

    def community(self, org_id: str) -> int | None:
        return self.rows.get(org_id, {}).get("community")

    def info(self, org_id: str) -> list[tuple[str, str]]:
        """Tooltip rows: the centrality figures of one organization."""
        r = self.rows.get(org_id)
        if r is None:
            return []
        out = []
        for key, text in SHOWN[1:]:
            v = r.get(key)
            if v is None:
                continue
            out.append((text, _fmt(v)))
        return out


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.4g}"
    return str(v)


def centrality(ds: Dataset, table: CentralityTable | None = None, size_by: str = "weighted_degree") -> Centrality:
    """Centrality of every organization in the partner network of ``ds`` (``table`` when given, else computed)."""
    if size_by not in SIZE_MEASURES:
        raise ValueError(f"unknown size measure '{size_by}': expected one of {', '.join(SIZE_MEASURES)}")
    if table is None:
        table = centrality_table(partner_graph(ds))
    return Centrality({r["id"]: r for r in table.rows}, size_by, SIZE_MEASURES[size_by])


def china_exposure(ds: Dataset, org_id: str, index: ExposureIndex | None = None,
                   china: frozenset[str] = CHINA) -> Exposure:
    """``graph.analysis.exposure`` of one organization over every deal in ``ds``."""
    return exposure(ds, org_id, china=china, index=index)
