"""One name resolver: turn what an analyst typed into exactly one record, or say why not.

Every command and every library-query parameter that names a company, asset,
deal, modality, place, statistic measure or source document goes through ``resolve``. It matches the way
``graph.find.search`` does (its *normal form* and *score*, names only) and decides:

1. one record has the typed text as one of its names (score 100): that record;
   the match is *exact*;
2. otherwise the best-scoring record, if it scores at least 75 and no other
   record of the kind comes within 3 points of it: that record, and the caller
   is told (``Resolution.note``, printed on stderr) which record the text was
   taken as;
3. several records tie at the top (two names both containing "Johnson"):
   ``AmbiguousName``, listing them;
4. nothing scores 75: ``UnknownName``, with up to five close names as suggestions.

Both errors are ``DealgraphError``: commands exit non-zero with one line.

Names come from the seeds (``dataset_entries``) for commands that read them,
or from the store (``store_entries``) for library queries, so a query resolves
against exactly the graph it runs on.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from rapidfuzz import fuzz, process

from ..core.errors import DealgraphError
from .search import Entry, normal, rank

#: What a name can name, in the words used in messages.
NAME_KINDS = {"organization": "organization", "asset": "asset", "deal": "deal", "modality": "modality",
              "place": "place", "measure": "statistic measure", "source": "source document"}
PLURALS = {"organization": "organizations", "asset": "assets", "deal": "deals", "modality": "modalities",
           "place": "places", "measure": "statistic measures", "source": "source documents"}
ACCEPT, MARGIN = 75.0, 3.0


class UnknownName(DealgraphError):
    """No record of the kind has a name close to the text."""


class AmbiguousName(DealgraphError):
    """Several records of the kind match the text equally well."""


@dataclass(frozen=True)
class Resolution:
    """The record a name was resolved to: its id, display name, and whether the text was one of its names."""

    kind: str
    text: str
    id: str
    name: str
    exact: bool

    @property
    def note(self) -> str | None:
        """One line saying what an inexact text was taken as; None when exact."""
        if self.exact:
            return None
        return f"'{self.text}' taken as {NAME_KINDS[self.kind]} {self.name} ({self.id})"


def _display(e: Entry) -> str:
    named = [n for n in e.names if n != e.id]
    return named[0] if named else e.id


def _label(e: Entry) -> str:
    d = _display(e)
    return d if d == e.id else f"{d} ({e.id})"


def suggestions(entries: Iterable[Entry], text: str, kind: str, n: int = 5) -> list[str]:
    """Up to ``n`` names of ``kind`` closest to ``text`` (rapidfuzz WRatio on normal forms), as 'Name (id)'."""
    pool = [e for e in entries if e.kind == kind]
    choices = {(i, j): normal(name) for i, e in enumerate(pool) for j, name in enumerate(e.names)}
    found = process.extract(normal(text), choices, scorer=fuzz.WRatio, limit=n * 4, score_cutoff=50)
    out: list[str] = []
    for _, _, (i, _) in found:
        lbl = _label(pool[i])
        if lbl not in out:
            out.append(lbl)
    return out[:n]


def resolve(entries: Iterable[Entry], text: str, kind: str) -> Resolution:
    """The one record of ``kind`` that ``text`` names, by the rules in the module docstring.

    Parameters
    ----------
    entries : search entries (``dataset_entries(ds)`` or ``store_entries(store, kind)``)
    text : what was typed: an id, name, alias, former name, code name, title or measure key
    kind : one of ``NAME_KINDS``

    Raises ``UnknownName`` (with suggestions) or ``AmbiguousName`` (with the candidates).

    Examples
    --------
    >>> es = [Entry("organization", "msd", ("msd", "Merck & Co., Inc.", "MSD")), Entry("organization", "gsk", ("gsk", "GSK"))]
    >>> r = resolve(es, "merck & co., inc.", "organization")
    >>> r.id, r.exact
    ('msd', True)
    >>> resolve(es, "Merk & Co, Inc", "organization").note
    "'Merk & Co, Inc' taken as organization Merck & Co., Inc. (msd)"
    >>> resolve(es, "Glaxo Qqzx", "organization")
    Traceback (most recent call last):
    ...
    graph.find.resolve.UnknownName: no organization called 'Glaxo Qqzx'; no organization has a similar name
    """
    if kind not in NAME_KINDS:
        raise ValueError(f"unknown name kind {kind!r}")
    what = NAME_KINDS[kind]
    entries = [e for e in entries if e.kind == kind]
    qn = normal(text or "")
    if not qn:
        raise UnknownName(f"give a {what} name, not an empty text")
    by_id = {e.id: e for e in entries}
    # Rule 1 first, without scoring: the records one of whose names is the text (normal or compact form)
    qc = qn.replace(" ", "")
    exact = sorted({e.id for e in entries for n in e.names if normal(n) == qn or normal(n).replace(" ", "") == qc})
    if len(exact) == 1:
        e = by_id[exact[0]]
        return Resolution(kind, text, e.id, _display(e), any(normal(n) == qn for n in e.names))
    hits = [] if exact else rank(text, entries, [kind], limit=None, min_score=ACCEPT, names_only=True)
    top = [by_id[i] for i in exact] or [by_id[h.id] for h in hits if h.score >= hits[0].score - MARGIN]
    if len(top) == 1:
        return Resolution(kind, text, top[0].id, _display(top[0]), False)
    if top:
        shown = ", ".join(_label(e) for e in top[:6])
        raise AmbiguousName(f"'{text}' matches several {PLURALS[kind]}: {shown}; give one of their ids or full names")
    close = suggestions(entries, text, kind)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; no {what} has a similar name"
    raise UnknownName(f"no {what} called '{text}'{hint}")


# --------------------------------------------------------------------------- names held in a store
#: Cypher returning (id, names) for each kind; runs unchanged on LadybugDB and Neo4j.
STORE_NAMES = {
    "organization": "MATCH (o:Organization) RETURN o.id AS id, o.name AS name, o.aliases AS a, o.former_names AS b",
    "asset": "MATCH (x:Asset) RETURN x.id AS id, x.name AS name, x.codes AS a, x.aliases AS b",
    "deal": "MATCH (d:Deal) RETURN d.id AS id, d.title AS name, d.type AS a, d.date AS b",
    "modality": "MATCH (m:Modality) RETURN m.id AS id, m.name AS name, m.family AS a, null AS b",
    "place": "MATCH (p:Place) RETURN p.id AS id, p.name AS name, p.kind AS a, null AS b",
    "measure": "MATCH (s:Statistic) RETURN DISTINCT s.measure AS id, null AS name, null AS a, null AS b",
    "source": "MATCH (s:Source) RETURN s.id AS id, s.title AS name, s.file AS a, s.publisher AS b",
}


def store_entries(store: Any, kind: str) -> list[Entry]:
    """The names of every record of ``kind`` held in ``store`` (a ``graph.stores.base.Store``)."""
    out = []
    for r in store.query(STORE_NAMES[kind], {}):
        names = [r["id"]] + ([r["name"]] if r.get("name") else [])
        for extra in ("a", "b"):
            if kind in ("organization", "asset") and isinstance(r.get(extra), list):
                names += [x for x in r[extra] if x]
        if kind == "source" and r.get("a"):
            names.append(r["a"])
        if kind == "measure":
            names.append(r["id"].replace("-", " "))
        out.append(Entry(kind, r["id"], tuple(dict.fromkeys(names))))
    return out


def resolve_in_store(store: Any, text: str, kind: str) -> Resolution:
    """``resolve`` against the names held in ``store``."""
    return resolve(store_entries(store, kind), text, kind)


def resolve_in_dataset(ds: Any, text: str, kind: str) -> Resolution:
    """``resolve`` against the names of a seed ``Dataset`` (for commands that read the seeds)."""
    from .search import dataset_entries

    return resolve(dataset_entries(ds), text, kind)
