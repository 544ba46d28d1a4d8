"""How maps look: colours by headquarters region, kind or community; edge styles by deal type; node sizes.

Every choice here is explained to the reader by the legend the map carries
(``Legend``), so the two cannot drift apart: a colour, dash pattern or size
rule is defined once, with the words that describe it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..vocabulary import vocabulary

# --------------------------------------------------------------------------- node colours
# Headquarters groups, checked in order; a country falls in the first group whose test it passes.
# (key, legend label, colour, countries or region key)
COUNTRY_GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("CN", "China (mainland)", "#d62728", "CN"),
    ("HK-MO-TW", "Hong Kong, Macau, Taiwan", "#ff9f1c", "GREATER-CHINA"),
    ("US", "United States", "#1f77b4", "US"),
    ("NORTH-AMERICA", "Canada and rest of North America", "#7fb3e0", "NORTH-AMERICA"),
    ("EUROPE", "Europe (EU, UK, Switzerland…)", "#2ca02c", "EUROPE"),
    ("JP", "Japan", "#9467bd", "JP"),
    ("KR", "South Korea", "#e377c2", "KR"),
    ("ASIA-PACIFIC", "Rest of Asia-Pacific", "#17becf", "ASIA-PACIFIC"),
    ("WORLD", "Rest of the world", "#8c564b", "WORLD"),
)
UNKNOWN = ("unknown", "Headquarters not recorded", "#a6a6a6")

KIND_COLOURS: dict[str, str] = {
    "pharma": "#1f77b4", "biotech": "#d62728", "medtech": "#17becf", "newco": "#ff9f1c", "investor": "#2ca02c",
    "fund": "#2ca02c", "academic": "#9467bd", "government": "#8c564b", "regulator": "#8c564b",
    "cdmo": "#e377c2", "cro": "#e377c2", "tools": "#e377c2", "distributor": "#bcbd22",
}
OTHER_KIND = "#7f7f7f"

# 12 well-separated colours for communities (cycled, the 13th community reuses the 1st)
COMMUNITY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff9f1c", "#9467bd", "#17becf", "#e377c2", "#8c564b",
                     "#bcbd22", "#393b79", "#ad494a", "#637939")

ASSET_COLOUR = "#f2c14e"
MULTINATIONAL_BORDER = "#111111"
BORDER = "#ffffff"

# --------------------------------------------------------------------------- edge styles
# Deal types fall into families that share a dash pattern; each type has its own colour.
# (family key, legend label, dashes (False = solid, list = vis-network dash pattern), deal types)
EDGE_FAMILIES: tuple[tuple[str, str, bool | list[int], tuple[str, ...]], ...] = (
    ("licensing", "Licence or option (solid)", False, ("licence", "option")),
    ("partnering", "Co-development or collaboration (long dashes)", [10, 6],
     ("co-development", "strategic-collaboration", "research-collaboration")),
    ("newco", "NewCo formation (dash-dot)", [12, 4, 2, 4], ("newco",)),
    ("corporate-deal", "Acquisition or equity investment (short dashes)", [4, 4],
     ("acquisition", "equity-investment", "fund-formation", "incubator-residency")),
    ("commercial", "Commercial: distribution, procurement, localisation (dots)", [2, 5],
     ("distribution", "procurement", "localisation")),
)
DEAL_TYPE_COLOURS: dict[str, str] = {
    "licence": "#4c78a8", "option": "#72b7b2", "co-development": "#54a24b", "strategic-collaboration": "#88d27a",
    "research-collaboration": "#88d27a", "newco": "#f58518", "acquisition": "#b279a2",
    "equity-investment": "#9d755d", "fund-formation": "#9d755d", "incubator-residency": "#9d755d",
    "distribution": "#bab0ac", "procurement": "#bab0ac", "localisation": "#bab0ac",
}
# Links that are not deals: corporate structure and asset origin.
LINK_STYLES: dict[str, tuple[str, str, bool | list[int]]] = {
    "subsidiary": ("Subsidiary of", "#555555", [1, 3]),
    "formed-by": ("NewCo formed by", "#f58518", [1, 3]),
    "stake": ("Holds a stake in", "#9d755d", [1, 3]),
    "originated": ("Asset originated by", "#c9a227", [6, 3]),
    "rights": ("Rights to the asset (via the deal)", "#c9a227", False),
}


def family_of(deal_type: str) -> tuple[str, str, bool | list[int]]:
    """(family key, legend label, dashes) of a deal type."""
    for key, text, dashes, types in EDGE_FAMILIES:
        if deal_type in types:
            return key, text, dashes
    return "other", "Other deal", [3, 3]


def country_group(country: str | None) -> tuple[str, str, str]:
    """(group key, legend label, colour) of a headquarters country."""
    if not country:
        return UNKNOWN
    anc = vocabulary().place_ancestors(country) if country in vocabulary().places else [country]
    for key, text, colour, test in COUNTRY_GROUPS:
        if test in anc:
            return key, text, colour
    return UNKNOWN


def kind_group(kind: str) -> tuple[str, str, str]:
    v = vocabulary()
    text = v.org_kinds[kind].label if kind in v.org_kinds else kind
    return kind, text, KIND_COLOURS.get(kind, OTHER_KIND)


def community_group(community: int | None) -> tuple[str, str, str]:
    if community is None:
        return UNKNOWN[0], "No community", UNKNOWN[2]
    return f"c{community}", f"Community {community}", COMMUNITY_COLOURS[community % len(COMMUNITY_COLOURS)]


COLOUR_BY = ("country", "kind", "community")

# --------------------------------------------------------------------------- sizes
MIN_SIZE, MAX_SIZE = 7.0, 42.0


def node_size(value: float, top: float) -> float:
    """Node radius in pixels for a centrality ``value`` when the largest shown is ``top``.

    The area grows with the value (radius ∝ √value), from MIN_SIZE for 0 to MAX_SIZE for ``top``.
    """
    if top <= 0 or value <= 0:
        return MIN_SIZE
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(min(value, top) / top), 2)


def edge_width(deals: int) -> float:
    """Line width for an edge carrying ``deals`` deals: 1.5 for one, +1.5 per doubling."""
    return round(1.5 + 1.5 * math.log2(max(1, deals)), 2)


# --------------------------------------------------------------------------- legend
@dataclass
class Legend:
    """What the map's colours, sizes and lines mean, in the order the page shows them."""

    colour_title: str = ""
    colours: list[tuple[str, str, int]] = field(default_factory=list)      # (label, colour, count)
    size_text: str = ""
    lines: list[tuple[str, str, bool | list[int]]] = field(default_factory=list)  # (label, colour, dashes)
    marks: list[tuple[str, str]] = field(default_factory=list)             # (shape, text): rings, diamonds…
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"colour_title": self.colour_title,
                "colours": [{"label": a, "colour": b, "count": c} for a, b, c in self.colours],
                "size_text": self.size_text,
                "lines": [{"label": a, "colour": b, "dashes": c} for a, b, c in self.lines],
                "marks": [{"shape": a, "label": b} for a, b in self.marks],
                "notes": list(self.notes)}
