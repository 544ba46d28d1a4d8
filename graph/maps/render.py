"""A ``MapGraph`` as one self-contained, offline HTML page, through pyvis and vis-network.

pyvis holds the nodes, edges and vis-network options (``to_pyvis``); the page
is our own template (``templates/map.html``), because pyvis' template fetches
Bootstrap and, in some modes, vis-network itself from CDNs. The vis-network
script and stylesheet come from the pyvis wheel (``pyvis/templates/lib``) and
are inlined, so the file opens with no network at all.

Escaping: map data travels as JSON inside ``<script type="application/json">``
with ``<``, ``>``, ``&`` and line separators written as ``\\uXXXX``; the page
reads it with ``JSON.parse`` and writes every name, note and source into the
DOM as text (``textContent``), never as HTML. Node labels are drawn on the
canvas, which is text too. vis-network's own HTML tooltips (``title``) are not
used.

Maps with more than ``layout.PRECOMPUTED_ABOVE`` nodes carry positions from
``layout.force_layout`` and open with physics off; smaller ones are laid out by
vis-network's ForceAtlas2 solver (fixed random seed), which stops once stable.
"""
from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pyvis
from pyvis.network import Network

from . import layout, style
from .network import MapGraph

TEMPLATES = Path(__file__).parent / "templates"
LABELLED_ON_LARGE_MAPS = 150   # on precomputed (large) maps only the most central nodes carry a label
HUB_LABELS = 12              # …and the 12 most central get labels readable at the opening zoom
LARGE_SIZE_FACTOR = 1.5       # nodes on precomputed maps are drawn larger: the map opens far zoomed out
FONT = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as shipped inside the pyvis package."""
    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    dirs = sorted(lib.glob("vis-*"), key=lambda p: [int(x) for x in p.name[4:].split(".")])
    if not dirs:
        raise FileNotFoundError(f"no vis-network copy inside pyvis at {lib}")
    js = (dirs[-1] / "vis-network.min.js").read_text(encoding="utf-8")
    css = (dirs[-1] / "vis-network.css").read_text(encoding="utf-8")
    for text, what in ((js, "script"), (css, "style")):
        if f"</{what}" in text.lower():
            raise ValueError(f"vis-network {what} contains '</{what}' and cannot be inlined")
    return js, css


def json_for_script(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>', '&' or JS line separators in the text."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _Net(Network):
    """pyvis Network with constant-time node and edge insertion (pyvis checks lists, O(n) per call)."""

    def __init__(self, **kw: Any):
        super().__init__(**kw)
        self._ids: set[str] = set()

    def add_node(self, n_id, label=None, shape="dot", color="#97c2fc", **options):  # type: ignore[override]
        if n_id in self._ids:
            raise ValueError(f"node {n_id} added twice")
        self._ids.add(n_id)
        self.node_ids.append(n_id)
        opts = {"id": n_id, "shape": shape, "color": color, **options}
        if label:
            opts["label"] = label
        self.nodes.append(opts)
        self.node_map[n_id] = opts

    def add_edge(self, source, to, **options):  # type: ignore[override]
        if source not in self._ids or to not in self._ids:
            raise ValueError(f"edge {source} – {to} names a node that is not on the map")
        self.edges.append({"from": source, "to": to, **options})


def precomputed(mg: MapGraph) -> bool:
    return len(mg.nodes) > layout.PRECOMPUTED_ABOVE


def options(mg: MapGraph) -> dict[str, Any]:
    """vis-network options for this map."""
    large = precomputed(mg)
    opts: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": len(mg.nodes) <= 150},
        "interaction": {"hover": True, "hoverConnectedEdges": True, "tooltipDelay": 80, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False}, "multiselect": False,
                        "hideEdgesOnDrag": large, "hideEdgesOnZoom": large, "zoomSpeed": 0.8},
        "nodes": {"font": {"face": FONT, "size": 13, "color": "#1d2433", "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "borderWidth": 1.5, "borderWidthSelected": 3, "shadow": False,
                  "scaling": {"label": {"enabled": False, "drawThreshold": 6}}},
        "edges": {"color": {"inherit": False, "highlight": "#111111", "hover": "#111111",
                            "opacity": 0.25 if large else 0.85}, "selectionWidth": 1.5, "hoverWidth": 1.2,
                  "font": {"face": FONT, "size": 11}, "arrowStrikethrough": False,
                  "arrows": {"to": {"scaleFactor": 0.6}},
                  "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.35}},
    }
    if large:
        opts["physics"] = {"enabled": False}
    else:
        opts["physics"] = {"enabled": True, "solver": "forceAtlas2Based",
                           "forceAtlas2Based": {"gravitationalConstant": -90, "centralGravity": 0.012,
                                                "springLength": 110, "springConstant": 0.05, "damping": 0.5,
                                                "avoidOverlap": 0.6},
                           "maxVelocity": 60, "minVelocity": 0.8, "timestep": 0.4,
                           "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50, "fit": True}}
    return opts


def _positions(mg: MapGraph) -> dict[str, tuple[int, int]]:
    weights: dict[tuple[str, str], float] = {}
    for e in mg.edges:
        k = (e.source, e.target)
        weights[k] = weights.get(k, 0.0) + max(1, len(e.deals))
    return layout.force_layout([n.id for n in mg.nodes], [(a, b, w) for (a, b), w in weights.items()])


def to_pyvis(mg: MapGraph) -> Network:
    """The map as a pyvis Network: vis-network node and edge records and options."""
    net = _Net(height="100%", width="100%", directed=False, bgcolor="#ffffff", cdn_resources="in_line",
               heading=mg.title)
    large = precomputed(mg)
    pos = _positions(mg) if large else {}
    labelled = {n.id for n in sorted(mg.nodes, key=lambda n: (-n.importance, n.id))[:LABELLED_ON_LARGE_MAPS]} \
        if large else {n.id for n in mg.nodes}
    hubs = {n.id for n in sorted(mg.nodes, key=lambda n: (-n.importance, n.id))[:HUB_LABELS]} if large else set()
    for n in mg.nodes:
        border = style.MULTINATIONAL_BORDER if (n.ring or n.focus) else style.BORDER
        colour = {"background": n.colour, "border": border,
                  "highlight": {"background": n.colour, "border": "#000000"},
                  "hover": {"background": n.colour, "border": "#000000"}}
        ringed = n.ring or n.focus
        extra: dict[str, Any] = {"size": n.size * (LARGE_SIZE_FACTOR if large else 1.0),
                                 "borderWidth": (3 if ringed else 1.5) if not large else (4 if ringed else 0),
                                 "name": n.label, "info": [list(r) for r in n.info], "group_label": n.group}
        if n.kind != "organization":
            extra["nodeKind"] = n.kind
        if n.deals:
            extra["deals"] = n.deals
        if n.focus:
            extra["size"] = max(n.size, 24.0)
            extra["font"] = {"size": 18, "bold": True}
        elif large and n.id in hubs:
            # the map opens zoomed far out: the biggest hubs' labels are drawn large enough to read there
            extra["font"] = {"size": 26}
        elif n.size >= 20:
            extra["font"] = {"size": 15}
        if large:
            x, y = pos[n.id]
            extra.update(x=x, y=y)
        net.add_node(n.id, label=n.label if n.id in labelled else None, shape=n.shape, color=colour, **extra)
    v_types = style.DEAL_TYPE_COLOURS
    for i, e in enumerate(mg.edges):
        if e.style in v_types:
            colour = v_types[e.style]
            dashes = style.family_of(e.style)[2]
            width = style.edge_width(len(e.deals)) * (0.5 if large else 1.0)
        else:
            _, colour, dashes = style.LINK_STYLES[e.style]
            width = 0.8 if large else 1.2
        rec: dict[str, Any] = {"id": f"e{i}", "color": {"color": colour}, "dashes": dashes, "width": width,
                               "deals": e.deals}
        if e.links:
            rec["links"] = e.links
        if e.arrow:
            rec["arrows"] = "to"
        net.add_edge(e.source, e.target, **rec)
    net.options = options(mg)
    return net


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render_html(mg: MapGraph) -> str:
    """The whole page for ``mg`` as a string (deterministic for the same map)."""
    net = to_pyvis(mg)
    nodes, edges, heading, _, _, opts = net.get_network_data()
    js, css = vis_assets()
    data = {"title": mg.title, "subtitle": mg.subtitle, "kind": mg.kind, "focus": mg.focus,
            "nodes": nodes, "edges": edges, "deals": {k: _compact(v) for k, v in mg.deals.items()},
            "legend": mg.legend.as_dict(),
            "summary": [list(s) for s in mg.summary], "options": json.loads(opts),
            "precomputed": precomputed(mg)}
    page_js = _read("map.js")
    M = jinja2.utils.markupsafe.Markup
    return _env().get_template("map.html").render(
        title=mg.title, subtitle=mg.subtitle, summary=mg.summary, node_count=len(mg.nodes),
        csp=content_security_policy(js, page_js), vis_js=M(js), vis_css=M(css), page_css=M(_read("map.css")),
        page_js=M(page_js), data_json=M(json_for_script(data)))


def _compact(deal: dict[str, Any]) -> dict[str, Any]:
    """A deal's record for the page: its id is the key, empty fields are left out."""
    return {k: v for k, v in deal.items() if k != "id" and v not in ("", [], None)}


def content_security_policy(*scripts: str) -> str:
    """A policy that lets only these inline scripts run and forbids every fetch.

    Scripts are allowed by their SHA-256, so an injected ``onerror=`` or ``<script>`` could not
    run even if escaping failed; images only from ``data:`` URIs; no connections, frames or forms.
    """
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")


@cache
def _read(name: str) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{name} must not contain a closing script or style tag")
    return text


def write_map(mg: MapGraph, path: Path | str) -> Path:
    """Write the map page to ``path`` (folders created). Returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(mg), encoding="utf-8")
    return path
