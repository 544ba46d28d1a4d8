"""Updating a copy of the last build's LadybugDB store (``graph.stores.patch``) gives a database whose content equals a
clean load's: every node and relationship, every property (nulls included) and the columns of every table.

The store-level tests edit synthetic seeds the way a user would (a note, an amount, a status, a name, a country,
a record added or removed), patch a copy of the old database and compare it with a fresh load of the new graph.
The build-level test runs ``build`` on the minimal fixture and compares with a clean ``--full`` build."""
from __future__ import annotations

import copy
import shutil

import pytest

from graph.core.errors import SeedError
from graph.ingest.synth import dataset_from_seeds, synthetic_seeds
from graph.models.vocabulary import label, rel
from graph.pipeline.build import build
from graph.pipeline.changes import diff
from graph.stores.ladybug import LadybugStore, ladybug_module
from graph.stores.patch import kind_label, patch_copy, places_used, rel_owner
from graph.stores.property_graph import place_graph, record_graph, schema, to_property_graph

from .support import copy_fixture, tree_digest


def dump(db, tmp_path):
    """Every table's columns (name and type, in order) and every row with all its values, sorted: the content of a
    LadybugDB database. Read from a copy, so the file compared is never opened."""
    lb = ladybug_module()
    private = tmp_path / f"dump-{db.parent.name}-{db.name}"
    shutil.copyfile(db, private)
    base = lb.Database(str(private), read_only=True)
    conn = lb.Connection(base)
    out = {}
    try:
        for lbl in schema().nodes:
            cols = [tuple(r[1:3]) for r in conn.execute(f"CALL table_info('{lbl}') RETURN *").get_all()]
            rows = conn.execute(f"MATCH (n:`{lbl}`) RETURN n.*").get_all()
            out[lbl] = (cols, sorted(map(repr, rows)))
        for rtype in schema().rels:
            rows = conn.execute(f"MATCH (a)-[r:`{rtype}`]->(b) RETURN label(a), a.id, label(b), b.id, r").get_all()
            out[rtype] = sorted(repr(row[:4] + [{k: v for k, v in row[4].items() if not k.startswith("_")}])
                                for row in rows)
    finally:
        conn.close()
        base.close()
        private.unlink()
    return out


# ---------------------------------------------------------------- the parts of records make up the graph

def test_record_parts_partition_the_graph():
    ds = dataset_from_seeds(synthetic_seeds(60))
    whole = to_property_graph(ds)
    keys = {(kind, i) for kind in ds.KINDS for i in ds.table(kind)}
    parts = record_graph(ds, keys)
    places = place_graph(places_used(ds))
    M, P = label("Modality"), label("Place")
    for lbl, rows in whole.nodes.items():
        rest = places.nodes[P] if lbl == P else (rows if lbl == M else [])
        assert sorted(map(repr, rows)) == sorted(map(repr, parts.nodes[lbl] + rest)), lbl
    PART_OF, BROADER = rel("partOf"), rel("broader")
    for rtype, rows in whole.rels.items():
        rest = places.rels[rtype] if rtype == PART_OF else rows if rtype == BROADER else []
        assert sorted(map(repr, rows)) == sorted(map(repr, parts.rels[rtype] + rest)), rtype
    # each record's part holds its own node, its terms and the relationships it owns, nothing else
    for kind, i in sorted(keys)[::7]:
        part = record_graph(ds, {(kind, i)})
        own = (kind_label(kind), i)
        assert [(lbl, r["id"]) for lbl, rows in part.nodes.items() for r in rows
                if lbl != label("FinancialTerm")] == [own]
        assert all(r["id"].startswith(i + "/") for r in part.nodes[label("FinancialTerm")])
        assert all(rel_owner(t, r) == own for t, r in part.iter_rels())


# ---------------------------------------------------------------- store level: synthetic seeds edited

def _load(ds, path, figures=None):
    with LadybugStore(path) as st:
        st.load(to_property_graph(ds))
        if figures:
            st.set_node_properties(label("Organization"), figures, {"degree": "INT64", "pagerank": "DOUBLE"})
    return path


def _edits():
    """(name, edit of the seed dicts, notes only?) — each a change a user makes in the YAML."""

    def deal(seeds, n):
        return seeds["deals"][n]

    def note(s):
        deal(s, 3)["note"] = "Reworded for the patch test."

    def amount_status(s):
        d = next(d for d in s["deals"] if d.get("terms"))
        d["terms"]["upfront"] = "USD 77 million"
        d["status"] = "terminated"

    def rename(s):
        s["organizations"][5]["name"] = "Renamed Holdings"

    def new_place(s):  # a country no record named before: a Place node appears
        used = {o.get("country") for o in s["organizations"]}
        s["organizations"][6]["country"] = next(c for c in ("NZ", "IS", "NO", "CL") if c not in used)

    def add(s):
        d = copy.deepcopy(next(d for d in s["deals"] if d["type"] == "acquisition"))
        d["id"] = "2026-01-added-acquisition"
        s["deals"].append(d)
        s["organizations"].append({"id": "added-co", "name": "Added Co", "type": "biotech", "country": "SG",
                                   "sources": ["synth-doc-01:7"]})

    def remove(s):
        named = {e.get("deal") for e in s["events"]}
        s["deals"] = [d for d in s["deals"] if d["id"] != next(d["id"] for d in s["deals"] if d["id"] not in named)]
        s["events"].pop(0)

    def terms_and_links(s):  # a term dropped, one added, another asset, other citations; an event's money
        d = next(d for d in s["deals"] if len(d.get("terms", {})) >= 2 and len(d["assets"]) >= 2)
        d["terms"].pop(next(iter(d["terms"])))
        d["terms"]["near_term"] = "USD 12.5 million"
        d["assets"] = d["assets"][1:] + [s["assets"][0]["id"]]
        d["sources"] = ["synth-doc-03:17"]
        e = next(e for e in s["events"] if e.get("terms"))
        e["terms"] = {k: "USD 1.25 million" for k in e["terms"]}

    def several(s):
        note(s)
        rename(s)
        named = {e.get("deal") for e in s["events"]}
        s["deals"].remove(next(d for d in reversed(s["deals"]) if d["id"] not in named))
        s["assets"][0]["note"] = "Asset note."

    return [("note", note, True), ("amount and status", amount_status, False), ("organization renamed", rename, False),
            ("a new place", new_place, False), ("terms and links", terms_and_links, False), ("records added", add, False), ("records removed", remove, False),
            ("several kinds at once", several, False)]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("patch")
    seeds = synthetic_seeds(60)
    ds = dataset_from_seeds(seeds)
    figures = [{"id": i, "degree": n, "pagerank": n / 7} for n, i in enumerate(sorted(ds.organizations))]
    return seeds, ds, _load(ds, tmp / "old.lbdb", figures), figures


@pytest.mark.parametrize("name,edit,notes_only", _edits(), ids=[e[0] for e in _edits()])
def test_patched_copy_equals_a_clean_load(base, tmp_path, name, edit, notes_only):
    seeds, old, old_db, figures = base
    new_seeds = copy.deepcopy(seeds)
    edit(new_seeds)
    ds = dataset_from_seeds(new_seeds)
    changes = diff(old, ds)
    assert changes and (not (changes.added or changes.removed) and changes.modified == changes.notes_only) == notes_only
    before = old_db.read_bytes()
    patched = patch_copy(old_db, tmp_path / "patched.lbdb", ds, changes)
    assert patched is not None and patched.figures_kept == notes_only
    if name == "note":  # only the record's node is written: none of its relationships or terms differ
        assert (patched.records, patched.nodes, patched.relationships) == (1, 1, 0)
    assert old_db.read_bytes() == before  # the previous database is only read
    # notes only: the analyses' figures are those of the old database, as the analyses would give them again;
    # otherwise their columns are gone, as in a clean load, for the analyses to add
    clean = _load(ds, tmp_path / "clean.lbdb", figures if notes_only else None)
    assert dump(tmp_path / "patched.lbdb", tmp_path) == dump(clean, tmp_path)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("patched.lbdb.") and p.suffix != ".lock"]


def test_unsure_updates_fall_back_and_leave_nothing(base, tmp_path):
    seeds, old, old_db, _ = base
    # a deal removed while an unchanged event still names it (the seeds would not validate; a full load reports it)
    named = next(e["deal"] for e in seeds["events"] if e.get("deal"))
    broken = copy.deepcopy(seeds)
    broken["deals"] = [d for d in broken["deals"] if d["id"] != named]
    ds = dataset_from_seeds(broken)
    assert patch_copy(old_db, tmp_path / "p.lbdb", ds, diff(old, ds)) is None
    # an organization removed that an unchanged deal's party list still names: the database check catches it
    party = next(iter(next(iter(seeds["deals"]))["parties"].values()))
    ds = dataset_from_seeds(copy.deepcopy(seeds))
    del ds.organizations[party if isinstance(party, str) else party[0]]
    assert patch_copy(old_db, tmp_path / "p.lbdb", ds, diff(old, ds)) is None
    # too many records changed: a full load is as quick
    many = copy.deepcopy(seeds)
    for rec in many["deals"] + many["assets"]:
        rec["note"] = "bulk"
    ds = dataset_from_seeds(many)
    assert patch_copy(old_db, tmp_path / "p.lbdb", ds, diff(old, ds)) is None
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- build level: the minimal fixture

def test_build_updates_the_store_in_place_and_equals_a_clean_build(tmp_path):
    seeds = copy_fixture(tmp_path / "p")
    out = tmp_path / "p" / "out"
    build(seeds, out, quiet=True)

    def rebuild_and_compare(name):
        r = build(seeds, out, quiet=True)
        clean = tmp_path / name / "seeds"
        shutil.copytree(seeds, clean)
        build(clean, clean.parent / "out", quiet=True, full=True)
        assert dump(out / "graph.lbdb", tmp_path) == dump(clean.parent / "out" / "graph.lbdb", tmp_path)
        assert tree_digest(out) == tree_digest(clean.parent / "out")
        return [k for k in r.timings if k.startswith(("updating a copy", "building the property", "loading the",
                                                      "running analyses", "analyses:"))]

    deals, orgs = seeds / "deals.yaml", seeds / "organizations.yaml"
    deals.write_text(deals.read_text().replace("  status: terminated\n", "  status: terminated\n  note: Ended.\n"))
    assert rebuild_and_compare("note") == [  # no whole load, no write-back: the figures stayed in the copy
        "updating a copy of the last build's LadybugDB store (the changed records only)"]

    deals.write_text(deals.read_text().replace("upfront: USD 50 million", "upfront: USD 65 million"))
    assert rebuild_and_compare("amount") == [
        "updating a copy of the last build's LadybugDB store (the changed records only)",
        "running analyses (centrality, China exposure)"]

    orgs.write_text(orgs.read_text() + "- id: umbrella\n  name: Umbrella Labs\n  country: JP\n  type: biotech\n"
                    "  sources: [mini:6]\n")
    assert "updating a copy of the last build's LadybugDB store (the changed records only)" in \
        rebuild_and_compare("added")
    orgs.write_text(orgs.read_text().split("- id: umbrella")[0])
    assert "updating a copy of the last build's LadybugDB store (the changed records only)" in \
        rebuild_and_compare("removed")

    # a bad edit fails naming file, line and field, and out/ stays as it was
    before = tree_digest(out)
    deals.write_text(deals.read_text().replace("status: terminated", "status: finished-ish"))
    with pytest.raises(SeedError) as err:
        build(seeds, out, quiet=True)
    assert "deals.yaml:8: status: unknown status 'finished-ish'" in str(err.value)
    assert tree_digest(out) == before


@pytest.mark.parametrize("module", ["graph.stores.patch", "graph.stores.property_graph"])
def test_doctests(module):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(module))
    assert res.attempted > 0 and res.failed == 0
