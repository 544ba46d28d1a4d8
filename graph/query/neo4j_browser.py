"""Neo4j Browser conventions: a style sheet (GraSS) and a guide with the query library.

Analysts who live in Neo4j Browser get the same look as dealgraph's maps and the
library's queries ready to run:

- ``grass()`` is a Browser style sheet: for every node label of the property graph a
  caption, a colour and a size, and a caption for every relationship type. Drag the file
  onto the Browser window (or run ``:style`` and paste it) to apply it.
- ``guide()`` is a Browser guide (HTML slides, as Hetionet ships one): a slide per library
  query with its question, a runnable ``:params`` line holding the example parameters and
  the runnable query. Serve the file and open it with ``:play URL`` (add the host to
  ``browser.remote_content_hostname_whitelist``), or paste a query from it.

Labels and relationship types come from the ontology (``graph.models.vocabulary``); queries from
``queries/`` (``graph.query.run.list_queries``), so neither can name what does not exist.

>>> "node.Organization {" in grass()
True
"""
from __future__ import annotations

import html
import json

from .run import QueryInfo, list_queries
from ..models.vocabulary import label, node_labels, relationship_types

#: label -> (caption property, colour, border colour, diameter in px). Colours follow the maps:
#: organizations in the multinational blue, assets in the maps' asset yellow, deals in the licence blue.
LABEL_STYLES: dict[str, tuple[str, str, str, int]] = {
    "Organization": ("name", "#1f77b4", "#0d3d63", 65),
    "Asset": ("name", "#f2c14e", "#a07c1c", 50),
    "Deal": ("id", "#4c78a8", "#2a4466", 45),
    "Term": ("text", "#bab0ac", "#7f7773", 30),
    "Event": ("type", "#54a24b", "#2f6b29", 40),
    "Statistic": ("measure", "#9d755d", "#5e4536", 35),
    "Modality": ("name", "#b279a2", "#6e4763", 35),
    "Place": ("name", "#17becf", "#0c6f79", 35),
    "Source": ("title", "#7f7f7f", "#4d4d4d", 35),
}
#: Relationship types whose caption shows a property rather than the type.
REL_CAPTIONS: dict[str, str] = {"PARTY_TO": "{role}", "HAS_TERM": "{kind}", "SOURCED_FROM": "line {line}"}
FALLBACK = ("id", "#a6a6a6", "#777777", 40)


def grass() -> str:
    """The Neo4j Browser style sheet for dealgraph's property graph, as text."""
    out = ["node {", "  diameter: 40px;", "  color: #A5ABB6;", "  border-color: #9AA1AC;", "  border-width: 2px;",
           "  text-color-internal: #FFFFFF;", "  font-size: 10px;", "}",
           "relationship {", "  color: #A5ABB6;", "  shaft-width: 1px;", "  font-size: 8px;", "  padding: 3px;",
           "  text-color-external: #000000;", "  text-color-internal: #FFFFFF;", '  caption: "<type>";', "}"]
    for lab in node_labels():
        caption, colour, border, size = LABEL_STYLES.get(lab, FALLBACK)
        out += [f"node.{lab} {{", f"  color: {colour};", f"  border-color: {border};", f"  diameter: {size}px;",
                f'  caption: "{{{caption}}}";', "}"]
    for rel_type in relationship_types():
        out += [f"relationship.{rel_type} {{", f'  caption: "{REL_CAPTIONS.get(rel_type, "<type>")}";', "}"]
    return "\n".join(out) + "\n"


def _params_line(q: QueryInfo) -> str:
    """``:params {name: "Hengrui", hops: 2}`` for the query's example parameters."""
    items = ", ".join(f"{p.name}: {json.dumps(p.example, ensure_ascii=False)}" for p in q.params)
    return f":params {{{items}}}"


def _slide(title: str, body: str) -> str:
    return (f'<slide class="row-fluid">\n<div class="col-sm-12">\n<h3>{html.escape(title)}</h3>\n{body}\n'
            "</div>\n</slide>")


def guide(queries: list[QueryInfo] | None = None) -> str:
    """A Neo4j Browser guide: an introduction slide, then one slide per library query."""
    queries = list_queries() if queries is None else queries
    org, deal = label("Organization"), label("Deal")
    intro = ("<p>dealgraph: cross-border biopharma and medtech deals. Every node and relationship carries "
             "<code>sources</code>, the document lines behind it.</p>\n"
             '<pre mode="cypher" class="pre-scrollable code runnable">'
             + html.escape(f"MATCH (o:{org})-[r]->(d:{deal}) RETURN o, r, d LIMIT 50") + "</pre>")
    slides = [_slide("dealgraph", intro)]
    for q in queries:
        body = f"<p>{html.escape(q.question)}</p>\n"
        if q.params:
            body += ('<p>Set the parameters (edit the values), then run the query.</p>\n'
                     f'<pre mode="cypher" class="pre-scrollable code runnable">{html.escape(_params_line(q))}</pre>\n')
        body += f'<pre mode="cypher" class="pre-scrollable code runnable">{html.escape(q.cypher.strip())}</pre>'
        slides.append(_slide(q.name, body))
    return ('<article class="guide">\n<carousel class="deck container-fluid">\n' + "\n".join(slides)
            + "\n</carousel>\n</article>\n")
