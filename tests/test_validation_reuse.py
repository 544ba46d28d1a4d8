"""Validation that reuses the previous build's records (``validate_seeds(seeds, Reuse(...))``) gives exactly what
validating from scratch gives: the same dataset content, the same origins and record order, the same item
digests for the next build, and, for a bad edit, the same problems at the same file, line and field."""
from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest

from graph.core.errors import SeedError
from graph.ingest.items import Reuse, parse_items, split_items
from graph.ingest.loading import load_seeds, validate_seeds
from graph.pipeline.build import build
from graph.pipeline.changes import RECORDS_CACHE, previous_validation
from graph.pipeline.current import DATASET_CACHE
from graph.pipeline.manifest import content_digests, read_manifest

from .support import ROOT, copy_fixture, tree_digest

SHIPPED = ROOT / "seeds"


def _first(text: str, pattern: str) -> re.Match:
    m = re.search(pattern, text, re.M)
    assert m, pattern
    return m


def _note(t: str) -> str:  # the first one-line note of a deal gets new words
    m = _first(t, r"^  note: [A-Z].*$")
    return t[:m.start()] + "  note: Reworded for the reuse test." + t[m.end():]


def _amount(t: str) -> str:
    return t.replace("upfront: USD 800 million", "upfront: USD 810 million", 1)


def _starts(t: str) -> list[int]:
    return [m.start() for m in re.finditer(r"^- ", t, re.M)]


def _block(t: str, n: int) -> str:
    """The text of the ``n``-th item, ending in a line break."""
    s = _starts(t)
    b = t[s[n]:s[n + 1]]
    return b if b.endswith("\n") else b + "\n"


def _end(t: str) -> str:
    return t if t.endswith("\n") else t + "\n"


def _added(t: str) -> str:
    return _end(t) + re.sub(r"^- id: (.*)$", r"- id: \1-copy-for-test", _block(t, 0), count=1, flags=re.M)


def _removed(t: str) -> str:  # a deal no event refers to goes
    s = _starts(t) + [len(t)]
    events = (SHIPPED / "events.yaml").read_text(encoding="utf-8")
    n = next(n for n in range(3, len(s) - 1) if re.match(r"- id: (\S+)", t[s[n]:]).group(1) not in events)
    return t[:s[n]] + t[s[n + 1]:]


def _moved(t: str) -> str:  # the second deal goes to the end: same text, other line
    s = _starts(t)
    return _end(t[:s[1]] + t[s[2]:]) + _block(t, 1)


def _comment(t: str) -> str:  # every record moves one line down
    return "# a comment line inserted at the top\n" + t


def _comment_inside(t: str) -> str:
    m = _first(t, r"^  type: licence\n")
    return t[:m.end()] + "  # reviewed\n" + t[m.end():]


EDITS = {"note": _note, "amount": _amount, "added": _added, "removed": _removed, "moved": _moved,
         "comment": _comment, "comment-inside": _comment_inside}


def _reused(ds, old) -> int:
    """How many of ``ds``'s records are the very objects of ``old``."""
    return sum(ds.table(k).get(i) is rec for k in old.KINDS for i, rec in old.table(k).items())


def _same(ds, items, ref, ref_items) -> None:
    assert content_digests(ds) == content_digests(ref)
    assert ds.origins == ref.origins
    assert all(list(ds.table(k)) == list(ref.table(k)) for k in ds.KINDS)  # the order of the seed files
    assert items == ref_items


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("reuse") / "seeds"
    shutil.copytree(SHIPPED, seeds)
    ds, items = validate_seeds(seeds)
    return seeds, ds, items


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_reusing_validation_equals_validating_from_scratch(shipped, edit):
    seeds, ds0, items0 = shipped
    deals = seeds / "deals.yaml"
    before = deals.read_text(encoding="utf-8")
    deals.write_text(EDITS[edit](before), encoding="utf-8")
    try:
        assert deals.read_text(encoding="utf-8") != before
        ds, items = validate_seeds(seeds, Reuse(ds0, items0))
        ref, ref_items = validate_seeds(seeds)
        _same(ds, items, ref, ref_items)
        assert content_digests(ref) != content_digests(ds0) or edit == "comment-inside"
        # only the edited deal(s) were parsed again: every other record is the previous object
        total = sum(ds0.counts().values())
        assert _reused(ds, ds0) >= total - 2
    finally:
        deals.write_text(before, encoding="utf-8")


BAD = {  # an edit that must fail, and what validating from scratch reports for it
    "amount": lambda t: t.replace("upfront: USD 800 million", "upfront: USD lots million", 1),
    "party": lambda t: re.sub(r"(parties: \{licensor: )([a-z0-9-]+)", r"\1nobody-at-all", t, count=1),
    "yaml": lambda t: t.replace("  type: licence\n", "  type: [licence\n", 1),
    "duplicate": lambda t: _end(t) + _block(t, 2),
}


@pytest.mark.parametrize("bad", sorted(BAD))
def test_a_bad_edit_reports_the_same_problems_at_the_same_lines(shipped, bad):
    seeds, ds0, items0 = shipped
    deals = seeds / "deals.yaml"
    before = deals.read_text(encoding="utf-8")
    deals.write_text(_comment(BAD[bad](before)), encoding="utf-8")  # lines shift too
    try:
        with pytest.raises(SeedError) as fresh:
            load_seeds(seeds)
        with pytest.raises(SeedError) as reused:
            validate_seeds(seeds, Reuse(ds0, items0))
        assert fresh.value.problems  # each names file, line and field
        assert [str(p) for p in reused.value.problems] == [str(p) for p in fresh.value.problems]
    finally:
        deals.write_text(before, encoding="utf-8")


def test_references_written_as_names_are_resolved_again(tmp_path):
    # the minimal fixture names parties by name ("Acme"): those records are not offered for reuse, so a
    # name that moves to another organization cannot leave a stale id behind
    seeds = copy_fixture(tmp_path)
    ds0, items0 = validate_seeds(seeds)
    assert len(items0["deals"]) < len(ds0.deals)
    orgs = seeds / "organizations.yaml"
    orgs.write_text("# moved\n" + orgs.read_text(encoding="utf-8"), encoding="utf-8")
    ds, items = validate_seeds(seeds, Reuse(ds0, items0))
    _same(ds, items, *validate_seeds(seeds))


def test_files_that_cannot_be_cut_surely_are_parsed_whole():
    assert split_items("- id: a\n  name: &n x\n- id: b\n  other: *n\n") is None     # an alias
    assert split_items("[{id: a}]\n") is None                                       # a flow list
    assert split_items("--- \n- id: a\n") is None                                   # a document marker
    assert split_items("- id: a\r\n") is None                                       # \r line breaks
    assert split_items("  x: 1\n- id: a\n") is None                                 # text before the first item
    items = split_items("- id: a\n  note: |+\n    kept\n\n- id: b\n")
    assert [i.line for i in items] == [1, 5]
    assert parse_items(items[:1], "f.yaml") is None          # keeps trailing blank lines: not parsed apart
    # an item whose text spills over into the next (an open quote) does not parse as one record
    spill = split_items('- id: a\n  note: "open\n- id: b"\n')
    assert spill is not None and parse_items(spill[:1], "f.yaml") is None


def test_an_alias_in_a_seed_file_still_gives_the_same_dataset(shipped):
    seeds, ds0, items0 = shipped
    orgs = seeds / "organizations.yaml"
    before = orgs.read_text(encoding="utf-8")
    m = _first(before, r"^  country: (CN)$")
    orgs.write_text(before[:m.start(1)] + "&cn CN" + before[m.end(1):] + "# *cn\n", encoding="utf-8")
    try:
        ds, items = validate_seeds(seeds, Reuse(ds0, items0))
        _same(ds, items, *validate_seeds(seeds))
    finally:
        orgs.write_text(before, encoding="utf-8")


def test_a_rebuild_reuses_records_only_from_an_intact_previous_build(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SHIPPED, seeds)
    out = tmp_path / "out"
    build(seeds, out, quiet=True, analyses=False, store=None)
    found = previous_validation(out, read_manifest(out))
    assert found is not None and found.dataset.counts() == load_seeds(seeds).counts()
    deals = seeds / "deals.yaml"
    deals.write_text(_note(deals.read_text(encoding="utf-8")), encoding="utf-8")
    result = build(seeds, out, quiet=True, analyses=False, store=None)
    clean = tmp_path / "clean"
    build(seeds, clean, quiet=True, analyses=False, store=None, full=True)
    assert tree_digest(out) == tree_digest(clean)
    assert (out / RECORDS_CACHE).read_bytes() != b""
    assert previous_validation(out, read_manifest(out)).items == previous_validation(clean, read_manifest(clean)).items
    assert result.dataset.counts() == load_seeds(seeds).counts()
    # a bad edit fails with the problem at its line, as validating from scratch says it, and changes nothing
    before, good = tree_digest(out), deals.read_text(encoding="utf-8")
    deals.write_text(_comment(BAD["amount"](good)), encoding="utf-8")
    with pytest.raises(SeedError) as err:
        build(seeds, out, quiet=True, analyses=False, store=None)
    with pytest.raises(SeedError) as fresh:
        load_seeds(seeds)
    assert [str(p) for p in err.value.problems] == [str(p) for p in fresh.value.problems]
    assert str(err.value.problems[0]).startswith("seeds/deals.yaml:")
    assert tree_digest(out) == before
    deals.write_text(good, encoding="utf-8")
    # a dataset pickle that is not the one recorded beside it (here: one record less) is not trusted
    other = load_seeds(seeds)
    other.deals.popitem()
    pickled = out / DATASET_CACHE
    pickled.unlink()
    pickled.write_bytes(pickle.dumps(other, protocol=5))
    assert previous_validation(out, read_manifest(out)) is None


def test_the_vocabulary_is_kept_in_the_user_cache_and_read_back_equal(tmp_path, monkeypatch):
    from graph.models import vocabulary as V

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = V.vocabulary.__wrapped__()
    path = V._cache_path()
    assert path.parent == tmp_path / "dealgraph" and path.is_file()
    assert V.vocabulary.__wrapped__() == made == V._read_vocabulary()
    path.write_bytes(b"not a pickle")  # a broken cache is passed by, and made again
    assert V.vocabulary.__wrapped__() == made and path.read_bytes() != b"not a pickle"


@pytest.mark.parametrize("module", ["graph.ingest.items", "graph.pipeline.changes"])
def test_doctests(module):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(module))
    assert res.attempted > 0 and res.failed == 0


def test_seeds_validated_apart_are_still_reused_when_unchanged(tmp_path, monkeypatch):
    # large seeds are validated in a child that records no items: the next build, seeds unchanged, still takes
    # the dataset as it is
    import graph.pipeline.build as B

    monkeypatch.setattr(B, "VALIDATE_APART_BYTES", 0)
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    build(seeds, out, quiet=True, analyses=False, store=None)
    assert not (out / RECORDS_CACHE).exists()
    again = build(seeds, out, quiet=True, analyses=False, store=None)
    assert "dataset" in again.reused
