"""Which site pages can show a record: the dependency map that lets a rebuild render only the pages a change reaches.

Terms:

- **Key**: a record as ``<kind>/<id>``, the path of its page without ``.html`` (``org/msd``, ``deal/d1``,
  ``source/caixin-2026``); statistics, which have no page of their own, are ``statistic/<id>``.
- **Refs** of a record: the keys it names (a deal its parties, cost-split organizations, assets and the
  documents it cites; an event its deal, assets, organizations and agency; an asset its originator; an
  organization its parent, founders and stakes; a statistic its publisher), from ``record_refs``. The
  site writes every record's refs, in dataset order, into its sidecar, so the next write knows what the
  *previous* version of a changed record named.
- **Changed**: the records added, removed or modified (``graph.pipeline.changes.Changes``); a record whose
  note alone changed (``notes_only``) shows that note only on its own page, except an event (its note
  shows in every timeline) and a statistic (in the statistics list), which count as changed.
- **Shown** (``reach``): a page shows a record's name, row or tie when it is the record's own page, names
  the record, is named by it, or is two steps away along a deal: an organization's page lists the assets
  and events of its deals, an asset's page the events of its deals. A deal without a title is named after
  its parties, so renaming an organization changes the name of its deals; and every row that names a
  changed record (a deal row naming an asset, an event naming a deal) changes with it.

Everything else a page reads (the templates and code, the ontology's labels, the documents' lines, the
map files that exist, the analyses' exposure rows) is compared as a whole (``basis``) or per organization
(``org_extras``); when it differs, or the order of records changed, the site is written the slow, sure way.

    >>> from graph.ingest.curation import example
    >>> ds = example()
    >>> record_refs("deals", ds.deals["d"])[:3]
    ('org/hengrui', 'org/gsk', 'org/x')
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson

from ...models.dataset import Dataset
from ...models.ontology import ONTOLOGY_DIR

#: The page folder (key prefix) of each kind of record.
PREFIX = {"sources": "source", "organizations": "org", "assets": "asset", "deals": "deal", "events": "event",
          "statistics": "statistic"}
#: The list pages and the record kinds (key prefixes) whose change can alter each of them.
LIST_READS = {"organizations": {"org", "deal", "asset"}, "assets": {"asset", "org", "deal"},
              "deals": {"deal", "org", "asset"}, "events": {"event", "deal", "asset", "org"},
              "statistics": {"statistic", "org"}, "conflicts": {"deal", "event", "statistic", "org"},
              "sources": set(PREFIX.values())}
_NOTE_ON_OWN_PAGE_ONLY = {"deals", "organizations", "assets"}


def _docs(citations: Iterable[Any]) -> list[str]:
    return [f"source/{c.doc}" for c in citations]


def record_refs(kind: str, rec: Any) -> tuple[str, ...]:
    """The keys a record names (see the module docstring), each once, in the order named."""
    out: list[str] = []
    if kind == "deals":
        out += [f"org/{o}" for orgs in rec.parties.values() for o in orgs]
        out += [f"org/{s.org}" for s in rec.cost_split] + [f"asset/{a}" for a in rec.assets]
    elif kind == "events":
        out += ([f"deal/{rec.deal}"] if rec.deal else []) + [f"asset/{a}" for a in rec.assets]
        out += [f"org/{o}" for o in [*rec.orgs, *([rec.agency] if rec.agency else [])]]
    elif kind == "assets":
        out += [f"org/{rec.originator}"] if rec.originator else []
    elif kind == "organizations":
        out += ([f"org/{rec.subsidiary_of}"] if rec.subsidiary_of else []) + [f"org/{o}" for o in rec.formed_by]
        out += [f"org/{s.org}" for s in rec.stakes]
        for s in rec.stakes:
            out += _docs(s.sources)
    elif kind == "statistics":
        out += [f"org/{rec.provider}"] if rec.provider else []
    if kind != "sources":
        out += _docs(rec.sources)
    for claims in (getattr(rec, "terms", None) or {}).values():
        for c in claims:
            out += _docs(c.sources)
    for alts in (getattr(rec, "disputes", None) or {}).values():
        for alt in alts:
            out += _docs(alt.sources)
    return tuple(dict.fromkeys(out))


def all_refs(ds: Dataset) -> dict[str, tuple[str, ...]]:
    """``record_refs`` of every record, keyed by ``<kind>/<id>``, in dataset order."""
    return {f"{PREFIX[kind]}/{rid}": record_refs(kind, rec) for kind in ds.KINDS for rid, rec in ds.table(kind).items()}


@cache
def code_and_ontology() -> str:
    """A digest of every file of the ``graph`` package and of the ontology: what turns records into pages."""
    root = Path(__file__).resolve().parents[2]
    h = hashlib.blake2b(digest_size=16)
    files = [(str(p.relative_to(root)), p) for p in sorted(root.rglob("*"))
             if p.is_file() and "__pycache__" not in p.parts and p.relative_to(root).parts[0] != "_data"]
    for rel, p in files + [(f"ontology/{p.name}", p) for p in sorted(ONTOLOGY_DIR.glob("*.ttl"))]:
        h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def basis(renderer: str, docs: Any, map_files: set[str]) -> str:
    """A digest of what every page may read besides the records: the renderer, code and ontology, the lines
    of the documents (``docs``: ``provenance.Documents`` or None) and whether the overview map exists."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{renderer} {code_and_ontology()} {'overview.html' in map_files}".encode())
    if docs is not None:
        for doc, path in sorted(docs.files.items()):
            h.update(doc.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"\1missing") + b"\0")
    return h.hexdigest()


def org_extras(ix: Any) -> dict[str, str]:
    """Per organization with any, a digest of what its page reads from other stages: its exposure row and
    file, and which of its maps exist."""
    out = {}
    files = getattr(ix, "_exposure_files", {})
    for oid in ix.ds.organizations:
        row = ix.exposure.get(oid)
        maps = [k for k in ("ego", "exposure") if f"{k}-{oid}.html" in ix.map_files]
        if row is not None or maps:
            data = orjson.dumps([row, files.get(oid), maps], option=orjson.OPT_SORT_KEYS)
            out[oid] = hashlib.blake2b(data, digest_size=16).hexdigest()
    return out


def reach(changes: Any, old_refs: dict[str, list[str]], new_refs: dict[str, tuple[str, ...]]
          ) -> tuple[set[str], set[str], bool]:
    """The pages a change can alter: (record page keys, list page names, whether the search index changes).

    ``changes``: a ``Changes``; ``old_refs``: the refs the previous write recorded; ``new_refs``: this
    dataset's (``all_refs``). See the module docstring for what *shown* means.

    >>> from graph.pipeline.changes import Changes
    >>> old = {"deal/d": ["org/a", "asset/x"], "org/a": [], "org/b": [], "asset/x": ["org/b"]}
    >>> reach(Changes(modified=frozenset({("deals", "d")}), notes_only=frozenset({("deals", "d")})), old, old)
    ({'deal/d'}, set(), False)
    >>> pages, lists, search = reach(Changes(modified=frozenset({("organizations", "b")})), old, old)
    >>> sorted(pages), search
    (['asset/x', 'deal/d', 'org/a', 'org/b'], True)
    """
    notes = {f"{PREFIX[k]}/{i}" for k, i in changes.notes_only if k in _NOTE_ON_OWN_PAGE_ONLY}
    changed = {f"{PREFIX[k]}/{i}" for k, i in changes.added | changes.removed | changes.modified} - notes
    rev: dict[str, set[str]] = {}
    for table in (old_refs, {k: new_refs[k] for k in changed if k in new_refs}):
        for k, refs in table.items():
            for r in refs:
                rev.setdefault(r, set()).add(k)

    def refs(k: str) -> set[str]:
        return {*old_refs.get(k, ()), *new_refs.get(k, ())}

    named = set(changed)             # records whose name or link may differ: the changed ones, and untitled deals
    for k in changed:                # of a changed organization (a deal's name without a title names its parties)
        if k.startswith("org/"):
            named |= {d for d in rev.get(k, ()) if d.startswith("deal/")}
    shown = set(named)               # records whose row or tie may differ: those, and every record naming one
    for k in named:
        shown |= rev.get(k, set())
    pages = set(notes)
    for k in shown:           # a source page shows who cites a line by name only
        pages |= {k} | rev.get(k, set()) | {r for r in refs(k) if k in named or not r.startswith("source/")}
        if k.startswith("asset/"):   # an organization's page lists the assets of its deals
            for d in rev.get(k, ()):
                if d.startswith("deal/"):
                    pages |= {r for r in refs(d) if not r.startswith("source/")}
        elif k.startswith("event/"):  # organization and asset pages list the events of their deals
            for d in refs(k):
                if d.startswith("deal/"):
                    pages |= {r for r in refs(d) if not r.startswith("source/")}
    kinds = {k.partition("/")[0] for k in shown}
    lists = {name for name, reads in LIST_READS.items() if kinds & reads and (name != "sources" or changed)}
    return {p for p in pages if not p.startswith("statistic/")}, lists, bool(shown)


def same_order(changes: Any, old_keys: Iterable[str], new_keys: Iterable[str]) -> bool:
    """True when the records present before and after keep their relative order (lists, source pages, family
    ties and the search index follow the dataset's order).

    >>> from graph.pipeline.changes import Changes
    >>> same_order(Changes(added=frozenset({("deals", "c")})), ["deal/a", "deal/b"], ["deal/a", "deal/c", "deal/b"])
    True
    >>> same_order(Changes(), ["deal/a", "deal/b"], ["deal/b", "deal/a"])
    False
    """
    added = {f"{PREFIX[k]}/{i}" for k, i in changes.added}
    removed = {f"{PREFIX[k]}/{i}" for k, i in changes.removed}
    return [k for k in old_keys if k not in removed] == [k for k in new_keys if k not in added]


def order_digest(ds: Dataset) -> str:
    """A digest of the order of every record in the dataset (lists, source pages, family ties and the search
    index follow it)."""
    return hashlib.blake2b("\0".join(f"{kind}\0{chr(1).join(ds.table(kind))}" for kind in ds.KINDS).encode(),
                           digest_size=16).hexdigest()


@dataclass
class Plan:
    """What one site write renders. ``pages`` (record page keys), ``lists`` and ``search`` are what a change
    reaches, or ``pages`` is None to build every page. ``refs`` (None: the previous write's, unchanged),
    ``extras``, ``basis`` and ``order`` are recorded for the next write."""

    refs: dict[str, tuple[str, ...]] | None
    extras: dict[str, str]
    basis: str
    order: str
    pages: set[str] | None = None
    lists: set[str] = field(default_factory=set)
    search: bool = True


def plan(ds: Dataset, ix: Any, renderer: str, previous: dict[str, Any], old_refs: Callable[[], Any],
         changes: Any) -> Plan:
    """The ``Plan`` of a write of ``ds`` after the one whose sidecar is ``previous`` ({} when none), given the
    ``changes`` since that write's dataset (None when unknown: every page is built). ``old_refs()`` reads
    the refs that write recorded (a list of [key, refs], or None), only when records other than notes changed."""
    base, order, extras = basis(renderer, ix.cites.docs, ix.map_files), order_digest(ds), org_extras(ix)
    if changes is None or previous.get("basis") != base:
        return Plan(all_refs(ds), extras, base, order)
    before = previous.get("extras") or {}
    orgs = {f"org/{o}" for o in before.keys() | extras.keys() if before.get(o) != extras.get(o)}
    notes = {(k, i) for k, i in changes.notes_only if k in _NOTE_ON_OWN_PAGE_ONLY}
    if not (changes.added | changes.removed | changes.modified) - notes:     # notes of deals, assets, orgs only
        if previous.get("order") != order:
            return Plan(all_refs(ds), extras, base, order)
        return Plan(None, extras, base, order, {f"{PREFIX[k]}/{i}" for k, i in notes} | orgs, set(), False)
    old = old_refs()
    if not isinstance(old, list) or any(k == "sources" for k, _ in changes.keys - changes.moved):
        return Plan(all_refs(ds), extras, base, order)
    previous_refs = {k: v for k, v in old}
    changed = {f"{PREFIX[k]}/{i}" for k, i in changes.added | changes.modified}
    refs: dict[str, tuple[str, ...]] = {}
    for kind in ds.KINDS:
        prefix = PREFIX[kind]
        for rid, rec in ds.table(kind).items():
            key = f"{prefix}/{rid}"
            hit = previous_refs.get(key)
            refs[key] = tuple(hit) if hit is not None and key not in changed else record_refs(kind, rec)
    if not same_order(changes, previous_refs, refs):
        return Plan(refs, extras, base, order)
    pages, lists, search = reach(changes, previous_refs, refs)
    return Plan(refs, extras, base, order, pages | orgs, lists, search)
