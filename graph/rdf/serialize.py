"""Write the graph's triples as Turtle and JSON-LD: fast, deterministic, readable.

Terms:

- **Input**: :class:`graph.rdf.triples.Triples`, the graph in canonical order (sorted, each triple once), so
  two builds of the same seeds write byte-identical files.
- **Turtle** (``graph.ttl``): the project's prefixes (``dg:``, ``dgp:``, ``dgc:``, ``dgm:``, ``prov:``,
  ``xsd:``), one block per subject (``a`` first, then ``;``-separated predicates, ``,``-separated
  objects), a blank line between subjects. Records keep full IRIs
  (``<https://w3id.org/dealgraph/id/deal/…>``): a prefixed name would need ``\\/`` escapes.
  Literals keep their N-Triples form, valid Turtle, with ``xsd:`` datatypes and bare booleans.
- **Speed**: one pass over the sorted triples writes both files, with the text of every repeated
  name made once. bench/bench_build.py compares it with Oxigraph's Rust writers (``pyoxigraph``)
  writing the same triples from memory; going through Oxigraph cost more than this pass, because
  the triples must first be handed to it as text and parsed again.
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
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

from ..models.ontology import CURRENCY, DG, ID, MODALITY, PLACE, PROV, SCHEMA, SKOS
from .ntriples import Triples

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

#: Prefixes of graph.ttl.
TURTLE_PREFIXES = {"dg": str(DG), "dgc": str(CURRENCY), "dgm": str(MODALITY), "dgp": str(PLACE), "prov": str(PROV),
                   "xsd": XSD_NS}
#: The @context of graph.jsonld (and of ``dealgraph export --format jsonld``).
JSONLD_CONTEXT = {"dg": str(DG), "dgid": str(ID), "dgp": str(PLACE), "prov": str(PROV), "schema": str(SCHEMA),
                  "skos": str(SKOS), "xsd": XSD_NS}


def write_rdf(triples: Triples, turtle_to: Path | str | TextIO | None = None,
              jsonld_to: Path | str | TextIO | None = None) -> None:
    """Write the triples as Turtle and/or JSON-LD (paths or text streams), in one pass over them.

    One pass: both formats group the sorted triples by subject and predicate, and share the work of
    shortening names. Memory stays flat: each subject is written as soon as it is complete.
    """
    with ExitStack() as stack:
        ttl = _open(turtle_to, stack)
        js = _open(jsonld_to, stack)
        _write(triples, ttl, js)


def write_turtle(triples: Triples, out: Path | str | TextIO) -> None:
    """Write :func:`turtle` to a path or text stream."""
    write_rdf(triples, turtle_to=out)


def write_jsonld(triples: Triples, out: Path | str | TextIO) -> None:
    """Write :func:`jsonld` to a path or text stream."""
    write_rdf(triples, jsonld_to=out)


def turtle(triples: Triples) -> str:
    """The triples as Turtle, with :data:`TURTLE_PREFIXES`; one blank line between subjects.

    >>> from graph.rdf.ntriples import Triples
    >>> acme = "<https://w3id.org/dealgraph/id/org/acme>"
    >>> t = Triples.of(((acme, RDF_TYPE, "<https://w3id.org/dealgraph/ontology#Organization>"),
    ...              (acme, "<https://w3id.org/dealgraph/ontology#name>", '"Acme"')))
    >>> print(turtle(t).split(2 * chr(10))[-1], end="")
    <https://w3id.org/dealgraph/id/org/acme> a dg:Organization ;
        dg:name "Acme" .
    """
    out = io.StringIO()
    write_rdf(triples, turtle_to=out)
    return out.getvalue()


def jsonld(triples: Triples) -> str:
    """The triples as JSON-LD under :data:`JSONLD_CONTEXT`.

    >>> from graph.rdf.ntriples import Triples
    >>> t = Triples.of((("<https://w3id.org/dealgraph/id/org/acme>", RDF_TYPE, "<https://w3id.org/dealgraph/ontology#Organization>"),
    ...              ("<https://w3id.org/dealgraph/id/org/acme>", "<https://w3id.org/dealgraph/ontology#name>", '"Acme"')))
    >>> print(jsonld(t).splitlines()[-3])
    {"@id": "https://w3id.org/dealgraph/id/org/acme", "@type": "dg:Organization", "dg:name": "Acme"}
    """
    out = io.StringIO()
    write_rdf(triples, jsonld_to=out)
    return out.getvalue()


def _open(target: Path | str | TextIO | None, stack: ExitStack) -> TextIO | None:
    if target is None or not isinstance(target, (str, Path)):
        return target
    return stack.enter_context(open(target, "w", encoding="utf-8", newline="\n"))


# ------------------------------------------------------------------------------------- JSON-LD nodes
_first = itemgetter(0)
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


_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")  # safe as a Turtle local name
_TTL_PREFIXES = sorted(((ns, p) for p, ns in TURTLE_PREFIXES.items()), key=lambda x: -len(x[0]))


def _ttl_iri(iri: str) -> str:
    """``dg:name`` when a prefix covers the IRI and the rest is a plain local name, else ``<iri>``."""
    for ns, prefix in _TTL_PREFIXES:
        if iri.startswith(ns) and _LOCAL.match(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _ttl_term(o: str) -> str:
    """An N-Triples object term as Turtle: IRIs shortened, ``xsd:`` datatypes, booleans bare."""
    if o[0] == "<":
        return _ttl_iri(o[1:-1])
    if o[-1] == ">":
        i = o.rfind('"^^<')
        dt = o[i + 4:-1]
        if dt == XSD_NS + "boolean" and o[1:i] in ("true", "false"):
            return o[1:i]
        return o[:i + 3] + _ttl_iri(dt)
    return o  # plain or language-tagged: N-Triples syntax is Turtle


#: The text before the first subject and after the last, in each format.
TTL_HEAD = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(TURTLE_PREFIXES.items()))
JS_HEAD = '{\n "@context": ' + json.dumps(JSONLD_CONTEXT, sort_keys=True) + ',\n "@graph": [\n'
JS_SEP, JS_FOOT = ",\n", "\n ]\n}\n"


def _write(triples: Triples, ttl: TextIO | None, js: TextIO | None) -> None:
    if ttl is not None:
        ttl.write(TTL_HEAD)
    if js is not None:
        js.write(JS_HEAD)
    first = True
    for _, tblock, jblock in blocks(triples.groups, ttl is not None, js is not None):
        if ttl is not None:
            ttl.write(tblock)
        if js is not None:
            js.write(jblock if first else JS_SEP + jblock)
        first = False
    if js is not None:
        js.write(JS_FOOT)


def blocks(groups: Any, want_ttl: bool = True, want_js: bool = True) -> Any:
    """``(subject, Turtle block, JSON-LD object)`` for each ``(subject, sorted pairs)`` of ``groups``, in order.

    A Turtle block is ``"\\n<s> a … ;\\n    … .\\n"``; a JSON-LD object has no separator: the files are
    ``TTL_HEAD`` + blocks, and ``JS_HEAD`` + objects joined by ``JS_SEP`` + ``JS_FOOT``.
    """
    curies: dict[str, str] = {}
    keys: dict[str, str] = {RDF_TYPE: '"@type"'}
    iris: dict[str, str] = {}     # JSON-LD text of IRI objects: they repeat (places, classes, citations)
    types: dict[str, str] = {}
    tnames: dict[str, str] = {RDF_TYPE: "a"}  # Turtle text of IRIs and typed literals
    for s, pairs in groups:
        fields = ['{"@id": ' + _enc(s[1:-1] if s[0] == "<" else s)]
        tparts = []
        for p, pos in groupby(pairs, key=_first):
            objs = [o for _, o in pos]
            if want_ttl:
                tp = tnames.get(p) or tnames.setdefault(p, _ttl_iri(p[1:-1]))
                tparts.append(tp + " " + " , ".join(
                    o if o[-1] == '"' else (tnames.get(o) or tnames.setdefault(o, _ttl_term(o))) for o in objs))
            if not want_js:
                continue
            key = keys.get(p)
            if key is None:
                key = keys[p] = _enc(_curie(p[1:-1], curies))
            if p == RDF_TYPE:
                vals = [types.get(o) or types.setdefault(o, _enc(_curie(o[1:-1], curies))) for o in objs]
            else:
                vals = [(iris.get(o) or iris.setdefault(o, _value(o, curies))) if o[0] == "<" else _value(o, curies)
                        for o in objs]
            fields.append(key + ": " + (vals[0] if len(vals) == 1 else "[" + ", ".join(vals) + "]"))
        yield (s, "\n" + s + " " + " ;\n    ".join(tparts) + " .\n" if want_ttl else "",
               ", ".join(fields) + "}" if want_js else "")
