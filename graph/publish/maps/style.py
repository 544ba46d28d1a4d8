"""How maps look: node colour schemes, deal families and their line colours, sizes and widths.

Every choice here reaches the reader through the legend the page builds from
``palettes()`` and ``FAMILIES``, so a colour and the words that explain it are
defined once, here.

Colour schemes (``COLOUR_BY``):

- ``side`` (the default): China-headquartered (mainland China; with the page's or CLI's
  Greater China option also Hong Kong, Macau and Taiwan), multinational, other.
- ``country``: headquarters region (``COUNTRY_GROUPS``).
- ``kind``: kind of organization; ``community``: Louvain partner community.

Line width: on a log scale of the money on the line (``edge_width``), so a USD 12 billion licence
is drawn several times wider than a USD 10 million procurement order; lines without a disclosed
value are drawn thinnest.
"""
from __future__ import annotations

import math
from decimal import Decimal

from ...models.vocabulary import vocabulary

# --------------------------------------------------------------------------- node colours
CHINA, MULTINATIONAL, OTHER = "china", "multinational", "other"
SIDE_GROUPS: tuple[tuple[str, str, str], ...] = (
    (CHINA, "China-headquartered", "#d62728"),
    (MULTINATIONAL, "Multinational", "#1f5fa8"),
    (OTHER, "Other organization", "#9aa3b2"),
)
GREATER_CHINA_LABEL = "Greater China-headquartered (with HK, MO, TW)"

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
UNKNOWN = ("unknown", "Headquarters not recorded", "#c4c9d2")

KIND_COLOURS: dict[str, str] = {
    "pharma": "#1f77b4", "biotech": "#d62728", "medtech": "#17becf", "newco": "#ff9f1c", "investor": "#2ca02c",
    "fund": "#2ca02c", "academic": "#9467bd", "government": "#8c564b", "regulator": "#8c564b",
    "cdmo": "#e377c2", "cro": "#e377c2", "tools": "#e377c2", "distributor": "#bcbd22",
}
OTHER_KIND = "#7f7f7f"
COMMUNITY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff9f1c", "#9467bd", "#17becf", "#e377c2", "#8c564b",
                     "#bcbd22", "#393b79", "#ad494a", "#637939")
ASSET_COLOUR = "#f2c14e"
COLOUR_BY = ("side", "country", "kind", "community")

# --------------------------------------------------------------------------- deal families (line colours)
# (family key, legend label, colour, deal types)
FAMILIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("licensing", "Licence or option", "#2f6db5", ("licence", "option")),
    ("partnering", "Co-development or collaboration", "#3a9a45",
     ("co-development", "strategic-collaboration", "research-collaboration")),
    ("newco", "NewCo formation", "#ef7d17", ("newco",)),
    ("corporate", "Acquisition or investment", "#8e4aa8",
     ("acquisition", "equity-investment", "fund-formation", "incubator-residency")),
    ("commercial", "Commercial: supply, distribution, localisation", "#8d8d8d",
     ("distribution", "procurement", "localisation")),
)
OTHER_FAMILY = ("other", "Other deal", "#6b6b6b")
# Lines that are not deals: corporate structure and asset origin. (key -> legend label, colour)
LINK_STYLES: dict[str, tuple[str, str]] = {
    "subsidiary": ("Subsidiary of (dotted)", "#555555"),
    "formed-by": ("NewCo formed by (dotted)", "#ef7d17"),
    "stake": ("Holds a stake in (dotted)", "#8e4aa8"),
    "originated": ("Asset originated by (dotted)", "#b8941f"),
}


def family_of(deal_type: str) -> str:
    """The family key of a deal type, through its broader types: ``family_of('research-collaboration')``
    is 'partnering'; a type in no family is 'other'."""
    for t in vocabulary().deal_type_ancestors(deal_type) if deal_type in vocabulary().deal_types else [deal_type]:
        for key, _, _, types in FAMILIES:
            if t in types:
                return key
    return OTHER_FAMILY[0]


def country_group(country: str | None) -> tuple[str, str, str]:
    """(group key, legend label, colour) of a headquarters country."""
    if not country:
        return UNKNOWN
    v = vocabulary()
    anc = v.place_ancestors(country) if country in v.places else [country]
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


def palettes(schemes: tuple[str, ...]) -> dict[str, dict]:
    """Legend title and (key, label, colour) groups of every colour scheme a page offers.

    The side scheme's China group is relabelled by the page when Greater China is chosen.
    """
    out: dict[str, dict] = {}
    for s in schemes:
        if s == "side":
            groups = [list(g) for g in SIDE_GROUPS]
            out[s] = {"title": "Colour: side", "groups": groups, "greater_china": GREATER_CHINA_LABEL}
        elif s == "country":
            out[s] = {"title": "Colour: headquarters",
                      "groups": [[k, t, c] for k, t, c, _ in COUNTRY_GROUPS] + [list(UNKNOWN)]}
        elif s == "kind":
            out[s] = {"title": "Colour: kind of organization", "groups": []}
        elif s == "community":
            out[s] = {"title": "Colour: partner community", "groups": []}
    out["asset"] = {"title": "", "groups": [["asset", "Asset (drug, device, platform)", ASSET_COLOUR]]}
    return out


# --------------------------------------------------------------------------- sizes and widths
# Centrality columns (``graph.analysis.centrality_table``) a node's size may show, in words.
SIZE_MEASURES = {
    "value_degree": "disclosed headline value of deals with partners",
    "weighted_degree": "deals with partners (weighted degree)",
    "degree": "number of distinct partners (degree)",
    "pagerank": "PageRank (weighted by deals)",
    "betweenness": "betweenness centrality",
}
MIN_SIZE, MAX_SIZE = 5.0, 30.0
WIDTH_MIN, WIDTH_MAX = 1.0, 14.0
WIDTH_FLOOR_USD = Decimal(10_000_000)    # at or below: the thinnest disclosed line
WIDTH_TOP_USD = Decimal(20_000_000_000)   # at or above: the widest
LABEL_VALUE_USD = Decimal(1_000_000_000)  # lines carrying at least this get their value written on them


def node_size(value: float, top: float) -> float:
    """Node radius in pixels for ``value`` when the largest shown is ``top``.

    The area grows with the value (radius ∝ √value), from MIN_SIZE for 0 to MAX_SIZE for ``top``:
    ``node_size(25, 100) == 17.5``.
    """
    if top <= 0 or value <= 0:
        return MIN_SIZE
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(min(value, top) / top), 2)


def edge_width(usd: Decimal | float | None, deals: int = 1, by: str = "value") -> float:
    """Line width in pixels for the money (``by='value'`` or ``'upfront'``) or deal count on a line.

    Value: log scale from WIDTH_MIN + 1 at USD 10 million to WIDTH_MAX at USD 20 billion, so each
    tenfold step adds the same width (``edge_width(10**9) == 9.27``); no disclosed value: WIDTH_MIN.
    Count: 1.5 for one deal, +1.5 per doubling. The page computes the same (``map.js``).
    """
    if by == "count":
        return round(1.5 + 1.5 * math.log2(max(1, deals)), 2)
    if usd is None or usd <= 0:
        return WIDTH_MIN
    lo, hi = math.log10(WIDTH_FLOOR_USD), math.log10(WIDTH_TOP_USD)
    x = (math.log10(max(min(float(usd), float(WIDTH_TOP_USD)), float(WIDTH_FLOOR_USD))) - lo) / (hi - lo)
    return round(WIDTH_MIN + 1 + (WIDTH_MAX - WIDTH_MIN - 1) * x, 2)


def scale_for_page() -> dict:
    """The constants ``map.js`` needs to draw widths and value labels exactly as ``edge_width`` defines."""
    return {"min": WIDTH_MIN, "max": WIDTH_MAX, "floor": float(WIDTH_FLOOR_USD), "top": float(WIDTH_TOP_USD),
            "label": float(LABEL_VALUE_USD)}
