"""Check an RDF graph against the SHACL shapes (``ontology/shapes.ttl``), and say which seed line broke them.

Terms:

- **Shapes**: ``ontology/shapes.ttl``, the contract every build enforces. The data graph is checked
  mixed with the ontology (``dealgraph.ttl``, ``places.ttl``), so ``sh:class`` sees the places,
  currencies and concept schemes, and class hierarchies hold.
- **Engine**: ``shacl`` (a SHACL Core + SHACL-SPARQL validator in Rust, from PyPI) checks every build:
  a graph of 10,000 synthetic deals (700,000 triples) takes seconds, where pyshacl took 27 minutes.
  ``pyshacl`` stays available (``engine="pyshacl"``): tests/test_shacl_engines.py proves that both
  engines report the same violations (focus node, path, constraint component) on a graph broken
  in every way the shapes forbid.
- **Violation**: one result of severity ``sh:Violation``: focus node and path as short names
  (``dgid:org/acme``, ``dg:name``) and the shape's ``sh:message``; a shape without a message gets
  one worded from its constraint component.
- **Located**: :func:`locate` turns a violation into a :class:`SeedProblem` at the seed file and line
  of the record the focus node came from (a deal's term, participation or cost share belongs to the
  deal; a citation node to its source document), with the seed field of the path.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from ..models.dataset import Dataset, Origin
from ..core.errors import SeedError, SeedProblem
from ..models.ontology import DG, ID, PROV, SHAPES_FILE, ontology_graph
from .ntriples import Triples
from ..models.vocabulary import vocabulary

ENGINES = ("shacl", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One SHACL violation: ``dgid:org/acme dg:name: an organization needs exactly one canonical name``."""

    focus: str
    path: str
    message: str
    component: str = ""  # local name of the constraint component, e.g. MinCountConstraintComponent

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


# Wording for shapes that carry no sh:message, by constraint component.
_WORDS = {
    "MinCountConstraintComponent": "a required value is missing",
    "MaxCountConstraintComponent": "more values than the shape allows",
    "ClassConstraintComponent": "value is not of the class the shape requires",
    "DatatypeConstraintComponent": "value has the wrong datatype",
    "NodeConstraintComponent": "value does not conform to the shape it must have",
    "InConstraintComponent": "value is not one of the allowed values",
    "PatternConstraintComponent": "value does not match the required pattern",
    "MinInclusiveConstraintComponent": "value is below the minimum",
    "MaxInclusiveConstraintComponent": "value is above the maximum",
    "HasValueConstraintComponent": "the required value is missing",
    "OrConstraintComponent": "none of the alternatives holds",
}


def validate_graph(data: Graph | Triples | str, *, engine: str = "shacl") -> list[Violation]:
    """Every SHACL violation of ``data`` (instance data; the ontology is mixed in), sorted; empty when valid.

    Parameters
    ----------
    data : rdflib ``Graph``, :class:`graph.rdf.triples.Triples` (what the build checks) or N-Triples text.
    engine : ``"shacl"`` (default, fast) or ``"pyshacl"``; both give the same violations.

    Examples
    --------
    An organization with nothing but its class lacks its id, name, kind and citation:

    >>> from rdflib import RDF
    >>> g = Graph().add((ID["org/acme"], RDF.type, DG.Organization))
    >>> sorted({v.path for v in validate_graph(g)})
    ['dg:key', 'dg:name', 'dg:organizationKind', 'prov:wasDerivedFrom']
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine '{engine}': use one of {', '.join(ENGINES)}")
    rows = _shacl_rows(data) if engine == "shacl" else _pyshacl_rows(_ntriples(data))
    out = {Violation(short_name(f), short_name(p) if p else "", m or _WORDS.get(c, c), c) for f, p, c, m in rows}
    return sorted(out, key=lambda v: (str(v), v.component))


def check_shapes(data: Triples, ds: Dataset) -> None:
    """Raise :class:`SeedError` naming the seed file, line and field behind every SHACL violation.

    What the build calls after building the RDF: nothing is written when a shape is broken.
    """
    violations = validate_graph(data)
    if violations:
        raise SeedError([locate(v, ds) for v in violations])


def locate(v: Violation, ds: Dataset) -> SeedProblem:
    """The seed file, line and field a violation comes from.

    ``dgid:deal/X/term/upfront/1`` with path ``dg:currency`` → the line of deal X, field
    ``terms.upfront.currency``; ``dgid:source/doc#L12`` → the line of source ``doc``. A focus node
    that is no record (a place, a concept) keeps its name, at line 0 of no file.
    """
    where, field = _record_of(v.focus, ds)
    leaf = _field_of(v.path)
    full = ".".join(x for x in (field, leaf) if x)
    message = f"{v.message} (SHACL {v.component or 'constraint'} on {v.focus})"
    if where is None:
        return SeedProblem(v.focus, 0, full, message)
    return SeedProblem(where.file, where.line, full, message)


# ---------------------------------------------------------------------------------------- engines
def _ntriples(data: Graph | Triples | str) -> str:
    if isinstance(data, Triples):
        return data.ntriples()
    if isinstance(data, Graph):
        return data.serialize(format="nt")
    return data


@cache
def _ontology_nt() -> str:
    """The ontology (already parsed once per process for the vocabulary) as N-Triples."""
    return ontology_graph().serialize(format="nt")


@cache
def _compiled_shapes() -> Any:
    import shacl

    shapes = shacl.Shapes.from_file(str(SHAPES_FILE))
    if len(shapes) == 0:
        raise RuntimeError(f"{SHAPES_FILE} declares no shapes")
    return shapes


def _shacl_rows(data: Graph | Triples | str) -> set[tuple[str, str | None, str, str | None]]:
    if isinstance(data, Triples):  # stream the lines to a file: no second copy of a large graph in memory
        with tempfile.TemporaryDirectory(prefix="dealgraph-shacl-") as tmp:
            path = Path(tmp) / "data.nt"
            with path.open("w", encoding="utf-8") as f:
                f.write(_ontology_nt())
                f.writelines(data.lines())
            report = _compiled_shapes().validate_file(str(path))
    else:
        report = _compiled_shapes().validate_text(_ntriples(data) + _ontology_nt(), format="ntriples")
    return {(r.focus_node.strip("<>"), r.path.strip("<>") if r.path else None, r.component, r.message)
            for r in report.results if r.severity == "Violation"}


def _pyshacl_rows(nt: str) -> set[tuple[str, str | None, str, str | None]]:
    from pyshacl import validate

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    mixed = Graph().parse(data=nt + _ontology_nt(), format="nt")
    conforms, report, _ = validate(mixed, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    rows = set()
    for r in report.objects(None, SH.result):  # top-level results only, not the sh:detail under them
        if report.value(r, SH.resultSeverity) != SH.Violation:
            continue
        source = report.value(r, SH.sourceShape)
        own = shapes.value(source, SH.message) if source is not None else None
        if own is None:  # sh:sparql: the message sits on the SPARQL constraint
            own = report.value(r, SH.resultMessage) if report.value(r, SH.sourceConstraint) is not None else None
        path = report.value(r, SH.resultPath)
        comp = str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        rows.add((str(report.value(r, SH.focusNode)), str(path) if path is not None else None, comp,
                  str(own) if own is not None else None))
    return rows


# ---------------------------------------------------------------------------------------- names
_SHORT = (("dgid:", str(ID)), ("dg:", str(DG)), ("prov:", str(PROV)))


def short_name(term: object) -> str:
    """An IRI as the short name violations use: ``dgid:org/acme``, ``dg:name``, ``prov:wasDerivedFrom``; others whole.

    >>> short_name("https://w3id.org/dealgraph/ontology#name")
    'dg:name'
    """
    s = str(term)
    for prefix, ns in _SHORT:
        if s.startswith(ns):
            return prefix + s[len(ns):]
    return s


_KINDS = {"source": "sources", "org": "organizations", "asset": "assets", "deal": "deals", "event": "events",
          "stat": "statistics"}
_SUB = {"party": "parties", "stake": "stakes", "cost": "cost_split", "term": "terms", "dispute": "disputes"}


def _record_of(focus: str, ds: Dataset) -> tuple[Origin | None, str]:
    """(origin of the record a focus node belongs to, field of the sub-node within it)."""
    if not focus.startswith("dgid:"):
        return None, ""
    local = focus[len("dgid:"):]
    local, _, anchor = local.partition("#")
    parts = local.split("/")
    kind = _KINDS.get(parts[0])
    if kind is None or len(parts) < 2:
        return None, ""
    origin = ds.origins.get((kind, parts[1]))
    field = ""
    if anchor and kind == "sources":
        field = f"cited as {parts[1]}:{anchor.lstrip('L')}"
    elif len(parts) > 2:
        field = _SUB.get(parts[2], parts[2])
        if parts[2] in ("term", "party", "dispute", "curated", "unknown") and len(parts) > 3:
            field += "." + parts[3]
    return origin, field


def _field_of(path: str) -> str:
    if not path:
        return ""
    for prefix, ns in _SHORT:
        if path.startswith(prefix):
            return vocabulary().fields.get(URIRef(ns + path[len(prefix):]), path)
    return path
