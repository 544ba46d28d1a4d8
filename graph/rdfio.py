"""Write the graph's triples as Turtle and JSON-LD: fast, deterministic, readable.

Terms:

- **Input**: :class:`graph.rdf.Triples`, the graph in canonical order (sorted, each triple once), so
  two builds of the same seeds write byte-identical files.
- **Turtle** (``graph.ttl``): written by Oxigraph's serializer (``pyoxigraph``, Rust) with the project's
  prefixes (``dg:``, ``dgp:``, ``dgc:``, ``dgm:``, ``prov:``, ``xsd:``); records keep full IRIs
  (``<https://w3id.org/dealgraph/id/deal/…>``) because a prefixed name would need ``\\/`` escapes.
  Triples stream from Python to the writer, so memory stays flat however large the graph.
- **JSON-LD** (``graph.jsonld``): one JSON object per subject, one subject per line, under a
  context of the same prefixes (:data:`JSONLD_CONTEXT`): ``@type`` as CURIEs, plain strings as JSON
  strings, typed literals as ``{"@type": "xsd:decimal", "@value": "…"}``, resources as ``{"@id": …}``;
  a property with one value gives the value, with several a list.

Both files parse back (rdflib, pyoxigraph) to exactly the triples written: tests/test_rdfio.py.
"""
from __future__ import annotations

import io
import json
import re
from itertools import groupby
from pathlib import Path
from typing import Any, Iterable, Iterator

from .ontology import CURRENCY, DG, ID, MODALITY, PLACE, PROV, SCHEMA, SKOS
from .rdf import Triples

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

#: Prefixes of graph.ttl.
TURTLE_PREFIXES = {"dg": str(DG), "dgc": str(CURRENCY), "dgm": str(MODALITY), "dgp": str(PLACE), "prov": str(PROV),
                   "xsd": XSD_NS}
#: The @context of graph.jsonld (and of ``dealgraph export --format jsonld``).
JSONLD_CONTEXT = {"dg": str(DG), "dgid": str(ID), "dgp": str(PLACE), "prov": str(PROV), "schema": str(SCHEMA),
                  "skos": str(SKOS), "xsd": XSD_NS}


def turtle(triples: Triples) -> bytes:
    """The triples as Turtle, with :data:`TURTLE_PREFIXES`.

    >>> from graph.rdf import Triples
    >>> t = Triples((("<https://w3id.org/dealgraph/id/org/acme>", "<https://w3id.org/dealgraph/ontology#name>", '"Acme"'),))
    >>> print(turtle(t).decode().splitlines()[-1])
    <https://w3id.org/dealgraph/id/org/acme> dg:name "Acme" .
    """
    out = io.BytesIO()
    write_turtle(triples, out)
    return out.getvalue()


def write_turtle(triples: Triples, out: Path | str | io.IOBase) -> None:
    """Write :func:`turtle` to a path or binary stream, streaming the triples."""
    import pyoxigraph as ox

    ox.serialize(ox.parse(_NTriplesReader(triples.lines()), format=ox.RdfFormat.N_TRIPLES),
                 out if not isinstance(out, Path) else str(out), format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)


def jsonld(triples: Triples) -> str:
    """The triples as JSON-LD under :data:`JSONLD_CONTEXT`.

    >>> from graph.rdf import Triples
    >>> t = Triples((("<https://w3id.org/dealgraph/id/org/acme>", RDF_TYPE, "<https://w3id.org/dealgraph/ontology#Organization>"),
    ...              ("<https://w3id.org/dealgraph/id/org/acme>", "<https://w3id.org/dealgraph/ontology#name>", '"Acme"')))
    >>> print(jsonld(t).splitlines()[-3])
    {"@id": "https://w3id.org/dealgraph/id/org/acme", "@type": "dg:Organization", "dg:name": "Acme"}
    """
    out = io.StringIO()
    write_jsonld(triples, out)
    return out.getvalue()


def write_jsonld(triples: Triples, out: Path | str | io.TextIOBase) -> None:
    """Write :func:`jsonld` to a path or text stream, one subject per line."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="\n") as f:
            write_jsonld(triples, f)
        return
    out.write('{\n "@context": ' + json.dumps(JSONLD_CONTEXT, sort_keys=True) + ',\n "@graph": [\n')
    first = True
    for node in _nodes(triples):
        out.write(("" if first else ",\n") + json.dumps(node, ensure_ascii=False))
        first = False
    out.write("\n ]\n}\n")


# ------------------------------------------------------------------------------------- JSON-LD nodes
_CURIES = sorted(((ns, p) for p, ns in JSONLD_CONTEXT.items()), key=lambda x: -len(x[0]))
_ESC = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "'": "'"}


def _curie(iri: str, cache: dict[str, str]) -> str:
    got = cache.get(iri)
    if got is None:
        got = iri
        for ns, prefix in _CURIES:
            if iri.startswith(ns) and prefix != "dgid":
                local = iri[len(ns):]
                if local and "/" not in local and "#" not in local:
                    got = f"{prefix}:{local}"
                break
        cache[iri] = got
    return got


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESC.sub(lambda m: _SIMPLE.get(m[1]) or chr(int(m[1][1:], 16)), text)


def _value(o: str, curies: dict[str, str]) -> Any:
    if o[0] == "<":
        return {"@id": o[1:-1]}
    if o[0] == "_":
        return {"@id": o}
    end = o.rfind('"')
    lexical = _unescape(o[1:end])
    rest = o[end + 1:]
    if not rest:
        return lexical
    if rest[0] == "@":
        return {"@language": rest[1:], "@value": lexical}
    return {"@type": _curie(rest[3:-1], curies), "@value": lexical}


def _nodes(triples: Iterable[tuple[str, str, str]]) -> Iterator[dict[str, Any]]:
    curies: dict[str, str] = {}
    for s, rows in groupby(triples, key=lambda t: t[0]):
        node: dict[str, Any] = {"@id": s[1:-1] if s[0] == "<" else s}
        for p, pos in groupby(rows, key=lambda t: t[1]):
            if p == RDF_TYPE:
                key = "@type"
                vals = [_curie(o[1:-1], curies) for _, _, o in pos]
            else:
                key = _curie(p[1:-1], curies)
                vals = [_value(o, curies) for _, _, o in pos]
            node[key] = vals[0] if len(vals) == 1 else vals
        yield node


# ------------------------------------------------------------------------------------- streaming
class _NTriplesReader(io.RawIOBase):
    """A binary file over an iterator of text lines, for parsers that read from a stream."""

    def __init__(self, lines: Iterator[str], batch: int = 2048):
        self._lines, self._batch = lines, batch
        self._buf, self._pos = b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._pos >= len(self._buf):
            self._buf = "".join(x for _, x in zip(range(self._batch), self._lines)).encode("utf-8")
            self._pos = 0
        n = min(len(b), len(self._buf) - self._pos)
        b[:n] = self._buf[self._pos:self._pos + n]
        self._pos += n
        return n
