"""Bring a copy of the previous build's LadybugDB database up to date by rewriting only the changed records' part.

Terms:

- **Part of a record**: what the record adds to the property graph (``property_graph.record_graph``): its node,
  its financial-term nodes and the relationships it owns.
- **Owner of a relationship** (``rel_owner``): the record whose part holds it. A deal owns its parties'
  ``Participation`` links and the ``acquiredBy`` link it records; every other relationship is owned by the
  record it starts from; the vocabulary's ``broader`` (modalities) and ``partOf`` (places) links by none.
- **Places**: the ``Place`` nodes are those the records name, with every region above them
  (``places_used``), so an edit can add or remove places.
- **Figures**: the analyses' properties on ``Organization`` nodes (columns not in ``schema()``). They stay in
  the copy when only notes changed (the analyses read no notes, so their figures are the same); any other
  change drops those columns, and the analyses that run again add them as they do in a clean build.

``patch_copy`` copies ``out/graph.lbdb`` into the staging folder, deletes the owned relationships and term
nodes of every modified or removed record, deletes removed records' nodes, sets every property of modified
records' nodes, adds added records' nodes, then adds the parts of modified and added records, all with bulk
``COPY`` from Arrow tables and parameterised statements (no value is pasted into a statement). It gives up
(returns None, the copy removed) whenever it cannot be sure of the result — more than ``MAX_SHARE`` of the
records changed, a relationship to a node the new dataset lacks, a removed node still linked from an unchanged
record, counts that do not add up — and the build then loads the whole graph as before, which also reports
the errors a full load reports. The database's content equals a clean build's: every node, relationship and
property (``tests/test_store_patch.py`` compares them after edits of every kind).
"""
from __future__ import annotations

import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..core.errors import DealgraphError
from ..models.dataset import Dataset
from ..models.vocabulary import label, rel, vocabulary
from .ladybug import LadybugStore, name_literal
from .property_graph import PropertyGraph, place_graph, record_graph, schema
from .tables import quote_name as _q, rel_props

#: Above this share of the records changed, the whole graph is loaded instead (a bulk load is then as quick).
MAX_SHARE = 0.2

Key = tuple[str, str]


@dataclass
class Patch:
    """What ``patch_copy`` changed: records rewritten, rows written, and whether the analyses' figures were kept."""

    records: int
    nodes: int
    relationships: int
    figures_kept: bool
    seconds: float

    def __str__(self) -> str:
        kept = "the analyses' figures kept" if self.figures_kept else "the analyses' figures dropped, to be written again"
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"
        return (f"{n(self.records, 'record')} rewritten ({n(self.nodes, 'node')}, {n(self.relationships, 'relationship')}"
                f" written) in {self.seconds:.2f} s; {kept}")


class _Unsure(Exception):
    """The update cannot be proved equal to a clean load: load the whole graph instead."""


def kind_label(kind: str) -> str:
    """The node label of a record kind (``Dataset.KINDS``): ``kind_label("deals") == label("Deal")``."""
    return label({"sources": "SourceDocument", "organizations": "Organization", "assets": "Asset", "deals": "Deal",
                  "events": "Event", "statistics": "MarketStatistic"}[kind])


def rel_owner(rtype: str, row: dict[str, Any]) -> tuple[str, str] | None:
    """``(label, id)`` of the node whose record owns a relationship row, or None for ``broader`` and ``partOf``.

    >>> rel_owner(rel("Participation"), {"from": "acme", "to": "d1", "from_label": label("Organization"),
    ...                                  "to_label": label("Deal")}) == (label("Deal"), "d1")
    True
    """
    if rtype in (rel("broader"), rel("partOf")):
        return None
    if rtype == rel("Participation"):
        return row["to_label"], row["to"]
    if rtype == rel("acquiredBy"):
        return label("Deal"), row["deal"]
    return row["from_label"], row["from"]


def places_used(ds: Dataset) -> set[str]:
    """Every place a record names: organizations' and events' countries, deals' territories."""
    out = {o.country for o in ds.organizations.values() if o.country}
    out.update(e.country for e in ds.events.values() if e.country)
    for d in ds.deals.values():
        out.update(d.territory_include)
        out.update(d.territory_exclude)
    return out


def patch_copy(previous: Path, target: Path, ds: Dataset, changes: Any) -> Patch | None:
    """Copy the database ``previous`` to ``target`` and apply ``changes`` (``pipeline.changes.Changes`` between the
    dataset ``previous`` holds and ``ds``); the ``Patch`` done, or None (``target`` removed) when unsure.

    Example: ``patch_copy(Path("out/graph.lbdb"), staging / "graph.lbdb", ds, stages.changes)``.
    """
    t0 = time.perf_counter()
    changed = changes.added | changes.removed | changes.modified
    if len(changed) > MAX_SHARE * max(1, sum(ds.counts().values())) or ds.deals.keys() & ds.events.keys():
        return None  # many changes; or a deal and an event sharing an id could share term nodes
    if not previous.is_file() or any(previous.with_name(previous.name + s).exists() for s in (".wal", ".shadow")):
        return None
    part = record_graph(ds, changes.added | changes.modified)
    places = place_graph(places_used(ds))
    if not _ends_exist(ds, part, places):
        return None  # a full load names the missing node
    _remove(target)
    shutil.copyfile(previous, target)
    keep = not (changes.added or changes.removed or changes.modified - changes.notes_only)
    try:
        with LadybugStore(target).writer() as run:
            nodes, rels = _apply(run, ds, changes, part, places, keep)
    except (_Unsure, DealgraphError):
        _remove(target)
        return None
    except BaseException:
        _remove(target)
        raise
    return Patch(len(changed), nodes, rels, keep, time.perf_counter() - t0)


def _remove(db: Path) -> None:
    for p in (db, *(db.with_name(db.name + s) for s in (".wal", ".shadow", ".tmp", ".lock"))):
        p.unlink(missing_ok=True)


def _ends_exist(ds: Dataset, part: PropertyGraph, places: PropertyGraph) -> bool:
    """Every relationship of ``part`` joins nodes that the whole graph of ``ds`` has."""
    ids: dict[str, Any] = {kind_label(k): ds.table(k) for k in ds.KINDS}
    ids[label("FinancialTerm")] = {r["id"] for r in part.nodes[label("FinancialTerm")]}
    ids[label("Place")] = {r["id"] for r in places.nodes[label("Place")]}
    ids[label("Modality")] = vocabulary().modalities
    return all(r["from"] in ids[r["from_label"]] and r["to"] in ids[r["to_label"]] for _, r in part.iter_rels())


def _by_label(keys: frozenset[Key]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for kind, i in sorted(keys):
        out[kind_label(kind)].append(i)
    return out


def _owned_types(lbl: str) -> list[str]:
    """Relationship types that a node of ``lbl`` owns as their start (``rel_owner``)."""
    probe = {"from": "start", "to": "end", "from_label": lbl, "to_label": lbl, "deal": "deal"}
    return [t for t, rs in schema().rels.items()
            if any(a == lbl for a, _ in rs.ends) and rel_owner(t, probe) == (lbl, "start")]


def _owned_matches(lbl: str) -> list[tuple[str, str]]:
    """``(type, pattern)`` of every relationship a ``lbl`` record owns (``rel_owner``), the pattern binding
    ``owner`` (the record's id), ``r`` and its ends ``a`` and ``b``, for the records whose ids are ``$ids``."""
    out = [(t, f"MATCH (a:{_q(lbl)})-[r:{_q(t)}]->(b) WHERE a.id IN $ids WITH a.id AS owner, a, r, b")
           for t in _owned_types(lbl)]
    if lbl == label("Deal"):
        out.append((rel("Participation"), f"MATCH (a)-[r:{_q(rel('Participation'))}]->(b:{_q(lbl)}) "
                                          "WHERE b.id IN $ids WITH b.id AS owner, a, r, b"))
        out.append((rel("acquiredBy"), f"MATCH (a)-[r:{_q(rel('acquiredBy'))}]->(b) WHERE r.deal IN $ids "
                                       "WITH r.deal AS owner, a, r, b"))
    return out


def _canon(rtype: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """A relationship row as a comparable tuple: its ends and every schema property."""
    return (row["from_label"], row["from"], row["to_label"], row["to"],
            *(repr(row.get(p)) for p, _ in rel_props(rtype)))


def _apply(run: Callable[..., list[list[Any]]], ds: Dataset, changes: Any, part: PropertyGraph,
           places: PropertyGraph, keep_figures: bool) -> tuple[int, int]:
    T, P, HAS = label("FinancialTerm"), label("Place"), rel("hasTerm")
    # 1. removed records: their term nodes and every relationship they own
    for lbl, ids in _by_label(changes.removed).items():
        if lbl in (label("Deal"), label("Event")):
            run(f"MATCH (a:{_q(lbl)})-[:{_q(HAS)}]->(t:{_q(T)}) WHERE a.id IN $ids DETACH DELETE t", {"ids": ids})
        for _, match in _owned_matches(lbl):
            run(f"{match} DELETE r", {"ids": ids})
    # 2. modified records: only what differs from the database — term nodes by id, and each (record, type) of
    # owned relationships whose rows differ in any way is deleted and made again
    new_rels: dict[tuple[str, str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for rtype, r in part.iter_rels():
        new_rels[(rtype, *rel_owner(rtype, r))].append(_canon(rtype, r))  # type: ignore[misc]
    redo: set[tuple[str, str, str]] = set()
    term_rows = {r["id"]: r for r in part.nodes[T]}
    set_terms, drop_terms = [], []
    for lbl, ids in _by_label(changes.modified).items():
        old_rels: dict[tuple[str, str, str], list[tuple[Any, ...]]] = defaultdict(list)
        for rtype, match in _owned_matches(lbl):
            for o, fl, f, tl, t, props in run(f"{match} RETURN owner, label(a), a.id, label(b), b.id, r", {"ids": ids}):
                row = {"from_label": fl, "from": f, "to_label": tl, "to": t, **props}
                old_rels[(rtype, lbl, o)].append(_canon(rtype, row))
        mine = set(ids)
        for key in {k for k in new_rels if k[1] == lbl and k[2] in mine} | set(old_rels):
            if sorted(old_rels.get(key, [])) != sorted(new_rels.get(key, [])):
                redo.add(key)
        if lbl in (label("Deal"), label("Event")):
            for (t,) in run(f"MATCH (a:{_q(lbl)})-[:{_q(HAS)}]->(t:{_q(T)}) WHERE a.id IN $ids RETURN t", {"ids": ids}):
                new = term_rows.pop(t["id"], None)
                if new is None:
                    drop_terms.append(t["id"])
                elif any(repr(new.get(c)) != repr(t.get(c)) for c, _ in schema().nodes[T]):
                    set_terms.append(new)
    if drop_terms:
        run(f"MATCH (t:{_q(T)}) WHERE t.id IN $ids DETACH DELETE t", {"ids": sorted(drop_terms)})
    by_type: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rtype, lbl, i in sorted(redo):
        by_type[(lbl, rtype)].append(i)
    for (lbl, rtype), ids in by_type.items():
        run(f"{dict(_owned_matches(lbl))[rtype]} DELETE r", {"ids": ids})
    # 3. places no record names any more (with their partOf links), then removed records' nodes
    have = {r[0] for r in run(f"MATCH (p:{_q(P)}) RETURN p.id")}
    want = {r["id"] for r in places.nodes[P]}
    removed = _by_label(changes.removed)
    if have - want:
        run(f"MATCH (p:{_q(P)})-[r:{_q(rel('partOf'))}]->() WHERE p.id IN $ids DELETE r", {"ids": sorted(have - want)})
        removed[P] = sorted(have - want)
    for lbl, ids in removed.items():
        if run(f"MATCH (n:{_q(lbl)})-[r]-() WHERE n.id IN $ids RETURN count(r)", {"ids": ids})[0][0]:
            raise _Unsure(f"a removed {lbl} is still linked from an unchanged record")
        run(f"MATCH (n:{_q(lbl)}) WHERE n.id IN $ids DELETE n", {"ids": ids})
    # 4. nodes: modified records' properties set; added records' nodes, new terms and new places made
    modified = {(kind_label(k), i) for k, i in changes.modified}
    nodes = len(set_terms)
    if set_terms:
        _set_all(run, T, set_terms)
    for lbl, rows in part.nodes.items():
        if lbl == T:
            rows = [r for r in rows if r["id"] in term_rows]  # terms of added records, new terms of modified ones
        old = [r for r in rows if (lbl, r["id"]) in modified]
        new = [r for r in rows if (lbl, r["id"]) not in modified]
        if old:
            _set_all(run, lbl, old)
        if new:
            _create_nodes(run, lbl, new)
        nodes += len(rows)
    new_places = [r for r in places.nodes[P] if r["id"] not in have]
    if new_places:
        _create_nodes(run, P, new_places)
    # 5. relationships: all of added records and new places, those of modified records that differ
    rels = 0
    added = {(kind_label(k), i) for k, i in changes.added}
    for rtype, rows in part.rels.items():
        rows = [r for r in rows if rel_owner(rtype, r) in added or (rtype, *rel_owner(rtype, r)) in redo]
        if rtype == rel("partOf"):
            rows = rows + [r for r in places.rels[rtype] if r["from"] not in have]
        _create_rels(run, rtype, rows)
        rels += len(rows)
    # 6. the counts must add up: one node per record, one Place per place
    for kind in ds.KINDS:
        _same_count(run, kind_label(kind), len(ds.table(kind)))
    _same_count(run, P, len(want))
    if not keep_figures:
        _drop_figures(run)
    return nodes + len(new_places), rels


def _same_count(run: Callable[..., list[list[Any]]], lbl: str, n: int) -> None:
    if run(f"MATCH (n:{_q(lbl)}) RETURN count(n)")[0][0] != n:
        raise _Unsure(f"{lbl} nodes do not add up to {n}")


# Rows go in as one list parameter per statement (``UNWIND $rows``), each value cast to its schema type, under
# keys c0, c1, … so that no property name clashes with a Cypher word. (``COPY`` into a table that already holds
# rows costs a second or more per table; Arrow tables would import pandas, half a second more.)

def _cast(t: str, i: int) -> str:
    return f"CAST(r.c{i} AS {'BOOL' if t == 'BOOLEAN' else t})"


def _params(rows: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    return {"rows": [{f"c{i}": r.get(p) for i, p in enumerate(names)} for r in rows]}


def _set_all(run: Callable[..., list[list[Any]]], lbl: str, rows: list[dict[str, Any]]) -> None:
    """Set every schema property of the existing nodes ``rows`` (matched by id)."""
    cols = schema().nodes[lbl]
    sets = ", ".join(f"n.{_q(p)} = {_cast(t, i)}" for i, (p, t) in enumerate(cols) if p != "id")
    made = run(f"UNWIND $rows AS r MATCH (n:{_q(lbl)} {{id: r.c0}}) SET {sets} RETURN count(n)",
               _params(rows, [p for p, _ in cols]))
    if made[0][0] != len(rows):
        raise _Unsure(f"{len(rows) - made[0][0]} modified {lbl} nodes are not in the database")


def _create_nodes(run: Callable[..., list[list[Any]]], lbl: str, rows: list[dict[str, Any]]) -> None:
    cols = schema().nodes[lbl]
    props = ", ".join(f"{_q(p)}: {_cast(t, i)}" for i, (p, t) in enumerate(cols))
    run(f"UNWIND $rows AS r CREATE (:{_q(lbl)} {{{props}}})", _params(rows, [p for p, _ in cols]))


def _create_rels(run: Callable[..., list[list[Any]]], rtype: str, rows: list[dict[str, Any]]) -> None:
    """Create the relationship ``rows`` between existing nodes; every row must find both its ends."""
    cols = (("from", "STRING"), ("to", "STRING"), *rel_props(rtype))
    props = ", ".join(f"{_q(p)}: {_cast(t, i)}" for i, (p, t) in enumerate(cols) if i >= 2)
    by_ends: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_ends[(r["from_label"], r["to_label"])].append(r)
    for (a, b), part in sorted(by_ends.items()):
        made = run(f"UNWIND $rows AS r MATCH (a:{_q(a)} {{id: r.c0}}) MATCH (b:{_q(b)} {{id: r.c1}}) "
                   f"CREATE (a)-[x:{_q(rtype)} {{{props}}}]->(b) RETURN count(x)", _params(part, [p for p, _ in cols]))
        if made[0][0] != len(part):
            raise _Unsure(f"{len(part) - made[0][0]} {rtype} relationships found no end node")


def _drop_figures(run: Callable[..., list[list[Any]]]) -> None:
    """Drop the columns the analyses added (those ``schema()`` does not list), on every node table."""
    for lbl, props in schema().nodes.items():
        known = {p for p, _ in props}
        for row in run(f"CALL table_info({name_literal(lbl)}) RETURN *"):
            if row[1] not in known:
                run(f"ALTER TABLE {_q(lbl)} DROP {_q(row[1])}")
