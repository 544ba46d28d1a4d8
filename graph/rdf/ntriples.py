"""RDF terms as N-Triples text, and :class:`Triples`, a graph held as sorted rows of such terms.

Terms:

- **Term**: an RDF term written as in N-Triples: an IRI ``<https://…>`` (:class:`IRI`), a typed literal
  ``"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>`` (:class:`Lit`), a plain string ``"text"``
  (canonical escapes: ``\\\\``, ``\\"``, ``\\n``, ``\\r``, ``\\t``, ``\\b``, ``\\f``, other control
  characters as ``\\uXXXX``).
- **Triples**: a graph as a tuple of ``(subject, predicate, object)`` terms, sorted, each triple once
  (canonical order): equal graphs give equal ``Triples``, and files written from them are byte-identical.

Why text: a 10,000-deal graph has 700,000 triples, and rdflib's term objects and in-memory store
spend tens of seconds on them; strings are made in microseconds and feed every writer directly.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any, Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef

from ..models.ontology import bind_prefixes

XSD_NS = "http://www.w3.org/2001/XMLSchema#"


class IRI(str):
    """An IRI written as an N-Triples term, ``<https://…>``."""

    __slots__ = ()


class Lit(str):
    """A literal already written as an N-Triples term, ``"1.5"^^<…#decimal>``."""

    __slots__ = ()


READY = (IRI, Lit)
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
            ord("\b"): "\\b", ord("\f"): "\\f", 0x7F: "\\u007F"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESCAPES})


def string(text: str) -> Lit:
    """A plain string literal: ``string('say "hi"') == '"say \\\\"hi\\\\""'``."""
    return Lit('"' + text.translate(_ESCAPES) + '"')


def typed(lexical: str, datatype: str) -> Lit:
    """A typed literal: ``typed("2025", XSD_NS + "gYear") == '"2025"^^<http://www.w3.org/2001/XMLSchema#gYear>'``."""
    return Lit(f'"{lexical.translate(_ESCAPES)}"^^<{datatype}>')


@cache
def ref(uri: str) -> IRI:
    """``<uri>``, cached (predicates and classes repeat on every record)."""
    return IRI(f"<{uri}>")


@cache
def in_namespace(namespace: str, key: str) -> IRI:
    """``<namespace + key>``, cached: places, stages, kinds and the like repeat on every record."""
    return IRI(f"<{namespace}{key}>")


class Terms:
    """``Terms(ns).name`` → the N-Triples term of ``ns + "name"``; each looked up once."""

    def __init__(self, namespace: str):
        self._ns = namespace

    def __getattr__(self, local: str) -> IRI:
        value = IRI(f"<{self._ns}{local}>")
        setattr(self, local, value)
        return value


TRUE, FALSE = typed("true", XSD_NS + "boolean"), typed("false", XSD_NS + "boolean")


def decimal(x: Decimal) -> Lit:
    """xsd:decimal as rdflib writes it: integral values without exponent or trailing zeros.

    >>> decimal(Decimal("1.14E+10")), decimal(Decimal("1.50"))
    ('"11400000000"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    return typed(f"{x.normalize() if x == x.to_integral() else x:f}", XSD_NS + "decimal")


def term(x: Any) -> str:
    """``x`` as an N-Triples term: IRIs (rdflib or :class:`IRI`), rdflib literals, and Python values
    (str → plain literal, bool, int, Decimal → xsd:decimal).

    >>> term(URIRef("https://w3id.org/dealgraph/ontology#Deal"))
    '<https://w3id.org/dealgraph/ontology#Deal>'
    >>> term('a "quoted" name'), term(True), term(Decimal("1.50"))
    ('"a \\\\"quoted\\\\" name"', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>', '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    t = type(x)
    if t in READY:
        return x
    if t is str:
        return string(x)
    if t is URIRef:
        return ref(x)
    if t is bool:
        return TRUE if x else FALSE
    if t is int:
        return typed(str(x), XSD_NS + "integer")
    if t is Decimal:
        return decimal(x)
    if isinstance(x, Literal):
        if x.language:
            return f"{string(str(x))}@{x.language}"
        if x.datatype is None:
            return string(str(x))
        return typed(str(x), str(x.datatype))
    if isinstance(x, BNode):
        return f"_:{x}"
    if isinstance(x, URIRef):
        return ref(str(x))
    return string(str(x))


class Triples:
    """A set of triples in canonical order: sorted (s, p, o) N-Triples terms, each triple once.

    Held grouped by subject (each subject's sorted (predicate, object) pairs), which needs half the
    memory of one 3-tuple per triple. Iterating gives (s, p, o) in order. Two builds of the same
    seeds give equal ``Triples``, so every file written from them is byte-identical.
    ``ntriples()`` is canonical N-Triples; ``to_graph()`` the rdflib graph.

    >>> t = Triples.of([("<b>", "<p>", '"2"'), ("<a>", "<p>", '"1"'), ("<b>", "<p>", '"2"')])
    >>> len(t), list(t)
    (2, [('<a>', '<p>', '"1"'), ('<b>', '<p>', '"2"')])
    """

    __slots__ = ("groups", "_n")

    def __init__(self, groups: dict[str, set[tuple[str, str]]] | None = None):
        """From ``{subject: {(predicate, object), …}}``; sorts, and empties the sets as it goes."""
        out = []
        n = 0
        for s in sorted(groups or {}):
            po = sorted(groups[s])  # type: ignore[index]
            groups[s] = set()  # type: ignore[index]  # free as we go: the sorted tuple holds the same pairs
            n += len(po)
            out.append((s, tuple(po)))
        self.groups: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = tuple(out)
        self._n = n

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str]]) -> "Triples":
        """Triples from any iterable of (s, p, o) terms: sorted, duplicates dropped.

        Grouped by subject first: sorting a million 3-tuples directly costs 3.5x more, because
        every comparison walks tuple items through Python's rich comparison.
        """
        groups: dict[str, set[tuple[str, str]]] = {}
        for s, p, o in rows:
            po = groups.get(s)
            if po is None:
                po = groups[s] = set()
            po.add((p, o))
        return cls(groups)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        for s, pos in self.groups:
            for p, o in pos:
                yield s, p, o

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Triples) and self.groups == other.groups

    def __getstate__(self) -> tuple:
        return self.groups, self._n

    def __setstate__(self, state: tuple) -> None:
        self.groups, self._n = state

    def lines(self) -> Iterator[str]:
        """One N-Triples line per triple, each ending with a newline."""
        for s, pos in self.groups:
            for p, o in pos:
                yield f"{s} {p} {o} .\n"

    def ntriples(self) -> str:
        """The whole set as one N-Triples document."""
        return "".join(self.lines())

    def to_graph(self) -> Graph:
        """The same triples as an rdflib graph, with the project's prefixes bound."""
        g = Graph()
        bind_prefixes(g)
        if self._n:
            g.parse(data=self.ntriples(), format="nt")
        return g
