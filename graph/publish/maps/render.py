"""A ``MapGraph`` as one self-contained, offline HTML page with its own canvas renderer.

The page (``templates/map.html``) inlines three scripts of ours: ``map.draw.js`` draws nodes and
lines on a 2D canvas in batches (one path per colour and width; while zooming, maps with more than
``FAST_EDGE_LIMIT`` visible lines move a picture of the last full frame, smaller ones redraw
without labels and arrowheads, and the full frame follows when the wheel stops);
``map.search.js`` matches and ranks names, aliases and asset codes, forgiving typos; and
``map.js`` holds the filters, search box, cards and CSV export. Positions are computed in Python (``layout``), so a map is
usable as soon as it is drawn; nothing is simulated in the browser.

Escaping: map data travels as JSON inside ``<script type="application/json">`` with ``<``, ``>``,
``&`` and line separators written as ``\\uXXXX``; the page reads it with ``JSON.parse`` and writes
every name, note and source into the DOM as text (``textContent``), never as HTML; canvas labels
are text too. A Content-Security-Policy allows only the page's own three scripts (by hash) and no
connection at all.
"""
from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ...models.vocabulary import vocabulary
from . import flows, style
from .network import MapGraph

TEMPLATES = Path(__file__).parent / "templates"
FAST_EDGE_LIMIT = 600      # lines; above, lines are hidden while zooming (redrawn when zooming stops)
FORCED_LABELS = 10         # the organizations with the largest deal value are always labelled


def json_for_script(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>', '&' or JS line separators in the text."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _palettes(mg: MapGraph) -> dict[str, dict]:
    pal = style.palettes(mg.schemes)
    for scheme, fn in (("kind", style.kind_group), ("community", None)):
        if scheme in pal:
            keys = sorted({n.groups[scheme] for n in mg.nodes if scheme in n.groups})
            if fn is None:
                pal[scheme]["groups"] = [list(style.community_group(int(k[1:]) if k.startswith("c") else None))
                                         for k in keys]
            else:
                pal[scheme]["groups"] = [list(fn(k)) for k in keys]
    return pal


def compact_deal(rec: dict[str, Any]) -> dict[str, Any]:
    """A ``cards.deal_record`` as the page stores it: no id (it is the key), no empty field, parties as
    [role, [ids]] (names come from the page's one table of names), no type label or family (the
    page's tables have them), direction as [mainland, greater]. ``map.js`` restores the full record."""
    out = {k: v for k, v in rec.items()
           if k not in ("id", "parties", "party_ids", "roles", "type_label", "family", "direction")
           and v not in ("", [], None)}
    out["parties"] = rec["roles"]
    out["dir"] = [rec["direction"]["mainland"], rec["direction"]["greater"]]
    return out


def page_data(mg: MapGraph) -> dict[str, Any]:
    """Everything ``map.js`` reads: nodes, lines, deals, documents, palettes and vocabulary labels."""
    v = vocabulary()
    nodes = []
    for n in mg.nodes:
        rec: dict[str, Any] = {"id": n.id, "label": n.label, "kind": n.kind, "x": n.x, "y": n.y, "r": n.size,
                               "importance": n.importance, "groups": n.groups, "names": n.names,
                               "about": n.about, "measures": n.measures}
        for flag in ("china", "greater_china", "multinational", "focus"):
            if getattr(n, flag):
                rec[flag] = True
        if n.deals:
            rec["solo"] = n.deals
        nodes.append(rec)
    at = {n.id: i for i, n in enumerate(mg.nodes)}
    edges = []                          # compact: node positions for the ends, defaults left out
    for e in mg.edges:
        rec = {"s": at[e.source], "t": at[e.target], "deals": e.deals}
        if e.kind != "deal":
            rec["kind"] = e.kind
        if not e.directed:
            rec["undirected"] = True
        if e.links:
            rec["links"] = e.links
        edges.append(rec)
    used_types = sorted({d["type"] for d in mg.deals.values()})
    fam_used = {d["family"] for d in mg.deals.values()}
    mods = sorted({m for d in mg.deals.values() for m in d["modality_families"]})
    return {
        "title": mg.title, "subtitle": mg.subtitle, "kind": mg.kind, "focus": mg.focus,
        "summary": [list(s) for s in mg.summary], "notes": mg.notes, "size_text": mg.size_text,
        "nodes": nodes, "edges": edges, "deals": {k: compact_deal(d) for k, d in mg.deals.items()},
        "org_names": dict(sorted({i: n for d in mg.deals.values() for i, n in d["party_ids"]}.items())),
        "documents": mg.documents,
        "palettes": _palettes(mg), "schemes": list(mg.schemes), "colour_by": mg.colour_by, "greater_china": mg.greater_china,
        "families": [[k, t, c] for k, t, c, _ in style.FAMILIES if k in fam_used]
        + ([list(style.OTHER_FAMILY)] if style.OTHER_FAMILY[0] in fam_used else []),
        "link_styles": {k: list(v_) for k, v_ in style.LINK_STYLES.items()},
        "types": {t: v.deal_types[t].label if t in v.deal_types else t for t in used_types},
        "type_family": {t: style.family_of(t) for t in used_types},
        "type_ancestors": {t: v.deal_type_ancestors(t) if t in v.deal_types else [t] for t in used_types},
        "modality_families": {m: v.modalities[m].label if m in v.modalities else m for m in mods},
        "directions": flows.DIRECTIONS, "scale": style.scale_for_page(),
        "fast_edge_limit": FAST_EDGE_LIMIT, "forced_labels": FORCED_LABELS,
    }


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render_html(mg: MapGraph) -> str:
    """The whole page for ``mg`` as a string (deterministic for the same map)."""
    draw_js, search_js, page_js = _read("map.draw.js"), _read("map.search.js"), _read("map.js")
    M = jinja2.utils.markupsafe.Markup
    return _env().get_template("map.html").render(
        title=mg.title, subtitle=mg.subtitle, summary=mg.summary,
        csp=content_security_policy(draw_js, search_js, page_js),
        page_css=M(_read("map.css")), draw_js=M(draw_js), search_js=M(search_js), page_js=M(page_js),
        data_json=M(json_for_script(page_data(mg))))


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
