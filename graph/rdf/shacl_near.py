"""The SHACL check of a few changed nodes, on a small graph that holds everything the shapes look at for them.

Terms:

- **Reach of the shapes** (``ontology/shapes.ttl``): a shape checks its focus node's own triples, the
  classes of the nodes those triples point to (``sh:class``, also inside ``sh:or``, ``sh:not``,
  ``sh:qualifiedValueShape``, ``sh:node``), and concept schemes of the ontology (``skos:inScheme``),
  through simple property paths; SPARQL constraints read only ``$this``'s own triples.
  :func:`shapes_are_local` verifies exactly this on the shapes file; if a shape ever looks further
  (an inverse or sequence path, a nested shape reading instance properties of another node, a SPARQL
  pattern on another subject), it returns False and the build checks the whole graph.
- **Near check** (:func:`violations_near`): the changed nodes' triples, the ``rdf:type`` triples of every
  instance node they point to, and the ontology, validated together; only violations whose focus is
  a changed node are kept. On a graph whose previous version conformed, and where no node lost a
  class, these are exactly the violations of the whole graph: an unchanged node reads the same own
  triples, and classes that can only have grown (``sh:class`` constraints hold still). The caller
  (``graph.rdf.incremental``) checks the whole graph when a node lost a class.

Proved on every kind of violation the shapes raise in tests/test_rdf_incremental.py.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Callable, Iterable

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from ..models.ontology import DG, ID, PROV, SHAPES_FILE
from .shacl import Violation, short_name, validate_graph

RDF_TYPE = f"<{RDF.type}>"
_INSTANCE = f"<{ID}"
#: Constraint words a shape may use on its focus node (the focus's own triples are all in the near graph).
_FOCUS = {"targetClass", "property", "path", "minCount", "maxCount", "datatype", "pattern", "message", "class",
          "qualifiedValueShape", "qualifiedMinCount", "or", "not", "node", "hasValue", "in", "minInclusive",
          "maxInclusive", "sparql", "select", "prefixes", "declare", "prefix", "namespace", "maxExclusive",
          "minExclusive", "minLength", "maxLength", "nodeKind"}
#: Constraint words a shape applied to a value node may use: the value itself and its classes only.
_VALUE = {"class", "datatype", "pattern", "hasValue", "in", "minInclusive", "maxInclusive", "message", "or", "not",
          "node", "property", "path", "minCount", "maxCount", "maxExclusive", "minExclusive", "nodeKind"}
_OTHER_SUBJECT = re.compile(r"(?:^\s*|[{.;]\s*)([?$]\w+)\s+(?!\s)", re.M)


@cache
def shapes_are_local(shapes: Path = SHAPES_FILE) -> bool:
    """True when every shape of ``shapes`` looks only as far as :func:`violations_near` covers (module doc).

    >>> shapes_are_local()
    True
    """
    g = Graph().parse(shapes, format="turtle")
    used = {str(p)[len(str(SH)):] for p in g.predicates() if str(p).startswith(str(SH))}
    if not used <= _FOCUS:
        return False
    if any(not isinstance(p, URIRef) for p in g.objects(None, SH.path)):
        return False  # inverse, sequence, alternative or zero-or-more paths look at other nodes
    for q in g.objects(None, SH.select):
        if {m for m in _OTHER_SUBJECT.findall(str(q)) if m != "$this"}:
            return False
    values = [v for p in (SH.node, SH.qualifiedValueShape) for _, v in g.subject_objects(p)
              if (_, SH.path, None) in g]
    for prop in g.subjects(SH.path, None):  # or/not inside a property shape apply to the values
        for p in (SH["or"], SH["not"]):
            for v in g.objects(prop, p):
                values.extend(g.items(v) if p == SH["or"] else [v])
    seen: set = set()
    while values:
        v = values.pop()
        if v in seen:
            continue
        seen.add(v)
        words = {str(p)[len(str(SH)):] for p, _ in g.predicate_objects(v) if str(p).startswith(str(SH))}
        if not words <= _VALUE:
            return False
        path = g.value(v, SH.path)
        if path is not None and (str(path).startswith((str(DG), str(PROV))) or path == RDF.type):
            return False  # a value's own instance triples: not in the near graph
        for p in (SH.node, SH.property, SH["not"]):
            values.extend(g.objects(v, p))
        for lst in g.objects(v, SH["or"]):
            values.extend(g.items(lst))
    return True


def violations_near(focus: dict[str, Iterable[tuple[str, str]]],
                    types_of: Callable[[str], Iterable[str] | None]) -> list[Violation]:
    """The SHACL violations of the nodes of ``focus`` (subject → its every (predicate, object)), sorted.

    ``types_of(node)`` gives the classes (full IRIs) of an instance node outside ``focus`` that a focus
    triple points to (None or empty when it has none). Valid only under :func:`shapes_are_local`.

    >>> from graph.ingest.curation import example
    >>> from graph.rdf.triples import rdf_triples
    >>> g = dict(rdf_triples(example()).groups)
    >>> deal = next(s for s in g if "/deal/" in s and s.count("/") == 6)
    >>> no_status = [(p, o) for p, o in g[deal] if not p.endswith("#status>")]
    >>> [v.path for v in violations_near({deal: no_status}, lambda n: [t[1:-1] for p, t in g.get(n, ()) if p == RDF_TYPE])]
    ['dg:status']
    """
    lines = []
    points: set[str] = set()
    for s, pairs in focus.items():
        for p, o in pairs:
            lines.append(f"{s} {p} {o} .\n")
            if o.startswith(_INSTANCE) and o not in focus:
                points.add(o)
    for o in sorted(points):
        lines.extend(f"{o} {RDF_TYPE} <{t}> .\n" for t in sorted(types_of(o) or ()))
    keep = {short_name(s[1:-1]) for s in focus}
    return [v for v in validate_graph("".join(lines)) if v.focus in keep]
