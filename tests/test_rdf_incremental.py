"""The RDF stage redone for the changed records only gives what the whole stage gives.

- The SHACL check of the changed nodes (``shacl_near``) reports exactly the violations of the whole-graph
  check, for a single break of every kind the shapes forbid (test_shacl_engines.BREAKS), and none for a
  valid change; when a node lost a class the whole graph is checked instead.
- Record edits of every kind (note, party, country, added, removed, type) give byte-identical graph.ttl,
  graph.jsonld and cache files, and bad edits the same SeedError problems, as the whole stage.
- Splicing equals a full write for random replacements, drops and insertions.
- A real build: edits, an added and a removed record, and a bad edit that leaves out/ as it was.
"""
from __future__ import annotations

import random
import shutil
from copy import copy
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from graph.core.errors import SeedError
from graph.ingest.loading import load_seeds
from graph.models.ontology import DG, SHAPES_FILE
from graph.pipeline.build import build
from graph.pipeline.changes import diff
from graph.rdf.incremental import FILES, Full, Spliced, prepare_rdf, write_rdf
from graph.rdf.ntriples import Triples, term
from graph.rdf.shacl import validate_graph
from graph.rdf.shacl_near import RDF_TYPE, shapes_are_local, violations_near
from graph.rdf.splice import OldFiles, splice, write_indexed
from graph.rdf.triples import rdf_triples

from .support import FIXTURE, SEEDS, copy_fixture, tree_digest
from .shacl_breaks import ACME, ASSET, BREAKS, also, drop


def _groups(g: Graph) -> dict[str, tuple]:
    return dict(Triples.of((term(s), term(p), term(o)) for s, p, o in g).groups)


def _types(pairs) -> set[str]:
    return {o[1:-1] for p, o in pairs or () if p == RDF_TYPE}


def _near_or_none(old: dict, new: dict):
    """What the incremental check reports for the change old -> new, or None when it checks the whole graph."""
    changed = {s for s in old.keys() | new.keys() if old.get(s) != new.get(s)}
    if any(_types(old.get(s)) - _types(new.get(s)) for s in changed):
        return None
    return violations_near({s: new[s] for s in changed if s in new}, lambda o: _types(new.get(o)))


# every break of test_shacl_engines, plus a class gained by a node others point to, and one lost
CASES = [b[0] for b in BREAKS] + [also(ASSET, RDF.type, DG.Citation), drop(ACME, RDF.type)]


def test_the_check_of_changed_nodes_reports_what_the_whole_check_reports():
    valid = rdf_triples(load_seeds(FIXTURE)).to_graph()
    base = _groups(valid)
    assert validate_graph(valid) == [] == _near_or_none(base, base)
    whole_checks = 0
    for n, change in enumerate(CASES):
        g = Graph()
        for t in valid:
            g.add(t)
        change(g)
        near = _near_or_none(base, _groups(g))
        if near is None:
            whole_checks += 1
            continue
        whole = validate_graph(g)
        assert whole, f"case {n} breaks nothing"
        assert near == whole, f"case {n}"
    assert whole_checks == 1  # only the class dropped from acme


def test_the_shapes_are_checked_as_far_as_they_look(tmp_path):
    assert shapes_are_local()
    text = SHAPES_FILE.read_text()
    inverse = tmp_path / "inverse.ttl"
    inverse.write_text(text.replace("sh:path dg:stakeIn ;", "sh:path [ sh:inversePath dg:stakeIn ] ;"))
    assert not shapes_are_local(inverse)
    deeper = tmp_path / "deeper.ttl"  # a value's own instance triples: beyond the near graph
    deeper.write_text(text.replace("sh:path dg:coversAsset ; sh:class dg:Asset ]",
                                   "sh:path dg:coversAsset ; sh:node [ sh:property [ sh:path dg:name ; "
                                   "sh:minCount 1 ] ] ]"))
    assert not shapes_are_local(deeper)
    other = tmp_path / "sparql.ttl"
    other.write_text(text.replace("$this dg:usdValue ?u ; dg:currency ?c .",
                                  "$this dg:usdValue ?u ; dg:currency ?c . ?c dg:name ?n ."))
    assert not shapes_are_local(other)


def test_only_a_records_own_nodes_point_to_its_sub_nodes():
    """What lets a changed record's sub-nodes come and go without checking the whole graph."""
    from graph.models.ontology import ID

    def record(iri: str) -> str:
        return "/".join(iri[len(str(ID)) + 1:-1].split("/")[:2])

    pointed = 0
    for s, pairs in rdf_triples(load_seeds(SEEDS)).groups:
        for _, o in pairs:
            if o.startswith(f"<{ID}") and "#" not in o and o.count("/") > 6:
                pointed += 1
                assert record(o) == record(s), (s, o)
    assert pointed > 300


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    ds = load_seeds(SEEDS)
    base = tmp_path_factory.mktemp("base")
    (base / ".cache").mkdir()
    write_rdf(Full(ds), base)
    return ds, base


def _edit(ds, kind: str, rec_id: str, **update):
    new = copy(ds)
    table = dict(ds.table(kind))
    setattr(new, kind, table)
    if update.get("remove"):
        del table[rec_id]
    elif "copy_as" in update:
        table[update["copy_as"]] = table[rec_id].model_copy(update={"id": update["copy_as"]})
    else:
        table[rec_id] = table[rec_id].model_copy(update=update)
    return new


def _stake(ds):
    o = ds.organizations["hengrui"]
    return {"stakes": [o.stakes[0].model_copy(update={"percent": Decimal("140")})]}


_SHORT = {"deals": "deal", "events": "event", "organizations": "org", "assets": "asset"}
EDITS = [  # (kind, id, update, what the stage does)
    ("deals", "2017-legend-jnj", {"note": "Changed for the test."}, Spliced),
    ("deals", "2017-legend-jnj", {"parties": {"licensor": ["legend"], "licensee": ["jnj", "ouro"]}}, Spliced),
    ("deals", "2017-legend-jnj", {"status": "terminated", "assets": []}, Spliced),
    ("deals", "bayer-askbio", {"parties": {"acquirer": ["gilead"], "target": ["askbio"]}}, Spliced),
    ("organizations", "hengrui", {"country": "US", "note": "Moved."}, Spliced),
    ("assets", "applied-biosystems-seq", {"originator": "hengrui"}, Spliced),
    ("deals", "2017-legend-jnj", {"copy_as": "2017-legend-jnj-again"}, Spliced),
    ("events", None, {"note": "An event's note."}, Spliced),
    ("deals", "2017-legend-jnj", {"remove": True}, Full),
    ("deals", "2017-legend-jnj", {"type": "option"}, Full),
]
BAD = [  # edits that break a shape (the models are copied without validation)
    ("assets", "applied-biosystems-seq", {"originator": "nobody"}),
    ("assets", "applied-biosystems-seq", {"modality": "nanobot"}),
    ("deals", "2017-legend-jnj", {"status": "bogus"}),
    ("deals", "2017-legend-jnj", {"date": "2017/20x"}),
    ("deals", "2017-legend-jnj", {"parties": {"licensor": ["legend"], "licensee": ["jnj", "nobody"]}}),
    ("organizations", "hengrui", "stake"),
]


@pytest.mark.parametrize("kind,rec_id,update,made", EDITS)
def test_record_edits_give_the_files_of_the_whole_stage(shipped, tmp_path, kind, rec_id, update, made):
    ds, base = shipped
    rec_id = rec_id or next(iter(ds.table(kind)))
    new = _edit(ds, kind, rec_id, **update)
    work = prepare_rdf(new, (base, diff(ds, new), lambda rel: True))
    assert type(work) is made, str(work)
    if set(update) == {"note"}:  # its parties' and citations' blocks are left alone
        assert work.new and all(f"/{_SHORT[kind]}/{rec_id}" in s for s in work.new), sorted(work.new)
    work.check(new)
    whole = Full(new)
    whole.check(new)
    for d, w in (("part", work), ("whole", whole)):
        (tmp_path / d / ".cache").mkdir(parents=True)
        write_rdf(w, tmp_path / d)
    for rel in FILES:
        assert (tmp_path / "part" / rel).read_bytes() == (tmp_path / "whole" / rel).read_bytes(), rel
    assert (tmp_path / "part" / "graph.ttl").read_bytes() != (base / "graph.ttl").read_bytes()


@pytest.mark.parametrize("kind,rec_id,update", BAD)
def test_bad_edits_fail_as_the_whole_check_fails(shipped, kind, rec_id, update):
    ds, base = shipped
    new = _edit(ds, kind, rec_id, **(_stake(ds) if update == "stake" else update))
    work = prepare_rdf(new, (base, diff(ds, new), lambda rel: True))
    assert isinstance(work, Spliced)
    with pytest.raises(SeedError) as whole:
        Full(new).check(new)
    with pytest.raises(SeedError) as part:
        work.check(new)
    assert part.value.problems == whole.value.problems
    # at the record's seed line, or (an org named by a party but never written) at the node's name
    assert all(p.file.endswith(f"{kind}.yaml") and p.line > 0 or p.file == "dgid:org/nobody"
               for p in part.value.problems)


def test_previous_files_not_as_recorded_mean_the_whole_stage(shipped):
    ds, base = shipped
    new = _edit(ds, "deals", "2017-legend-jnj", note="x")
    assert isinstance(prepare_rdf(new, (base, diff(ds, new), lambda rel: rel != "graph.jsonld")), Full)
    assert isinstance(prepare_rdf(new, None), Full)


def test_splicing_equals_writing_in_full(tmp_path):
    groups = dict(rdf_triples(load_seeds(SEEDS)).groups)
    ix = write_indexed(sorted(groups.items()), tmp_path / "o.ttl", tmp_path / "o.jsonld")
    old = OldFiles(tmp_path / "o.ttl", tmp_path / "o.jsonld", ix)
    rng = random.Random(7)
    subjects = sorted(groups)
    for n in range(5):
        picked = rng.sample(subjects, 12) + [subjects[0], subjects[-1]] * (n % 2)
        replaced = {s: () for s in picked[:4]}
        replaced.update({s: groups[s][:-1] for s in picked[4:8] if len(groups[s]) > 1})
        replaced.update({s[:-1] + "-new>": groups[s] for s in picked[8:]})
        if n % 2:
            replaced.update({subjects[0]: (), "<a:first>": groups[subjects[1]], "<zzz:last>": groups[subjects[2]]})
        want = {**groups, **replaced}
        want = {s: v for s, v in want.items() if v}
        got_ix = splice(old, replaced, tmp_path / "s.ttl", tmp_path / "s.jsonld")
        full_ix = write_indexed(sorted(want.items()), tmp_path / "f.ttl", tmp_path / "f.jsonld")
        assert (tmp_path / "s.ttl").read_bytes() == (tmp_path / "f.ttl").read_bytes()
        assert (tmp_path / "s.jsonld").read_bytes() == (tmp_path / "f.jsonld").read_bytes()
        assert got_ix.to_bytes() == full_ix.to_bytes()


def _rdf_files(out: Path) -> dict[str, str]:
    return {k: v for k, v in tree_digest(out).items() if k in FILES}


def test_a_build_redoes_the_changed_records_and_equals_a_clean_build(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DEALGRAPH_JOBS", "1")  # the RDF stage inline, its progress lines told
    seeds = copy_fixture(tmp_path / "p")
    out = tmp_path / "p" / "out"
    build(seeds, out, quiet=True, store=None, analyses=False)
    deals = seeds / "deals.yaml"
    text = deals.read_text()
    added = text.replace("- id: 2025-03-acme-globex", "- id: 2025-04-acme-initech").replace("licensee: globex",
                                                                                              "licensee: initech")
    for version, told in ((text.replace("status: terminated", "status: active"),  # a field the analyses read
                           "subjects redone for 1 modified;"),
                          (text + added, "subjects redone for 1 added, 1 modified;"),  # a record added, one back
                          (text, "lost a class")):  # and removed again: the whole graph is checked
        deals.write_text(version)
        capsys.readouterr()
        r = build(seeds, out, store=None, analyses=False)
        assert "rdf" not in r.reused and told in capsys.readouterr().err
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        shutil.copytree(seeds, clean / "seeds")
        build(clean / "seeds", clean / "out", quiet=True, store=None, analyses=False)
        assert _rdf_files(out) == _rdf_files(clean / "out") and len(_rdf_files(out)) == 4
    before = tree_digest(out)
    deals.write_text(text.replace("status: terminated", "status: bogus"))
    with pytest.raises(SeedError) as err:
        build(seeds, out, quiet=True, store=None, analyses=False)
    assert any(p.file.endswith("deals.yaml") and p.line > 0 and "status" in p.field for p in err.value.problems)
    assert tree_digest(out) == before


@pytest.mark.parametrize("module", ["graph.rdf.incremental", "graph.rdf.shacl_near", "graph.rdf.triples",
                                    "graph.rdf.serialize", "graph.rdf.ntriples"])
def test_doctests(module):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(module))
    assert res.attempted > 0 and res.failed == 0
