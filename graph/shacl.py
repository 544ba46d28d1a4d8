"""Validate an RDF graph against ``ontology/shapes.ttl`` with pyshacl."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH

from .ontology import SHAPES_FILE, ontology_graph


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


def validate_graph(data: Graph) -> list[Violation]:
    """Every SHACL violation of ``data`` (instance data; the ontology is mixed in), sorted; empty when valid."""
    from pyshacl import validate

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    mixed = Graph()
    for g in (data, ontology_graph()):
        for t in g:
            mixed.add(t)
    conforms, report, _ = validate(mixed, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    if conforms:
        return []
    out = []
    for r in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        msg = report.value(r, SH.resultMessage)
        out.append(Violation(_short(focus), _short(path) if path is not None else "", str(msg)))
    return sorted(set(out), key=str)


def _short(term: object) -> str:
    s = str(term)
    for prefix, ns in (("dgid:", "https://w3id.org/dealgraph/id/"), ("dg:", "https://w3id.org/dealgraph/ontology#"),
                       ("prov:", "http://www.w3.org/ns/prov#")):
        if s.startswith(ns):
            return prefix + s[len(ns):]
    return s
