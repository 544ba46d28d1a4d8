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
from json.encoder import encode_basestring as _enc  # type: ignore[attr-defined]
from operator import itemgetter
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
    out.writelines(_node_lines(triples))
    out.write("\n ]\n}\n")


# ------------------------------------------------------------------------------------- JSON-LD nodes
_first, _second = itemgetter(0), itemgetter(1)
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


def _value(o: str, curies: dict[str, str]) -> str:
    """An object term as JSON-LD text: ``{"@id": …}``, a JSON string, or a typed/tagged value."""
    if o[0] == "<":
        return '{"@id": ' + _enc(o[1:-1]) + "}"
    if o[0] == "_":
        return '{"@id": ' + _enc(o) + "}"
    end = o.rfind('"')
    lexical = _enc(_unescape(o[1:end]))
    if end == len(o) - 1:
        return lexical
    if o[end + 1] == "@":
        return '{"@language": ' + _enc(o[end + 2:]) + ', "@value": ' + lexical + "}"
    return '{"@type": ' + _enc(_curie(o[end + 4:-1], curies)) + ', "@value": ' + lexical + "}"


def _node_lines(triples: Iterable[tuple[str, str, str]]) -> Iterator[str]:
    """One line of JSON per subject: ``{"@id": …, "@type": …, "dg:name": …}`` (the input sorted by subject)."""
    curies: dict[str, str] = {}
    keys: dict[str, str] = {RDF_TYPE: '"@type"'}
    iris: dict[str, str] = {}    # IRI objects repeat (places, classes, citations): text made once
    types: dict[str, str] = {}
    first = True
    for s, rows in groupby(triples, key=_first):
        fields = ['{"@id": ' + _enc(s[1:-1] if s[0] == "<" else s)]
        for p, pos in groupby(rows, key=_second):
            key = keys.get(p)
            if key is None:
                key = keys[p] = _enc(_curie(p[1:-1], curies))
            if p == RDF_TYPE:
                vals = [types.get(o) or types.setdefault(o, _enc(_curie(o[1:-1], curies))) for _, _, o in pos]
            else:
                vals = [(iris.get(o) or iris.setdefault(o, _value(o, curies))) if o[0] == "<" else _value(o, curies)
                        for _, _, o in pos]
            fields.append(key + ": " + (vals[0] if len(vals) == 1 else "[" + ", ".join(vals) + "]"))
        yield ("" if first else ",\n") + ", ".join(fields) + "}"
        first = False


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
