"""What a rebuild does around its stages: reused files checked by the stat record instead of being read
(``graph.pipeline.stages.StatRecord``), the old tree deleted apart after the swap (``outputs.Staging._dispose``),
``summary.json`` reused and read back in order — each rebuild still equal to a clean build."""
from __future__ import annotations

import json
import os
import shutil
import time

import pytest

import graph.pipeline.outputs as outputs
import graph.pipeline.stages as stages
from graph.core.errors import SeedError
from graph.describe.summary import summarize, summary_from_json
from graph.ingest.loading import load_seeds
from graph.pipeline.build import build
from graph.pipeline.manifest import read_manifest

from .support import copy_fixture, tree_digest


def _no_hashing(monkeypatch, allowed=()):
    """Make reading a reused file for its hash fail, except for ``allowed`` names: the stat record must answer."""
    real = stages.file_hash

    def guarded(path):
        if path.name not in allowed and "-staging-" not in str(path):
            raise AssertionError(f"{path} was read to check it")
        return real(path)

    monkeypatch.setattr(stages, "file_hash", guarded)


def test_reused_files_are_checked_by_the_stat_record_and_an_edit_in_place_is_still_caught(tmp_path, monkeypatch):
    monkeypatch.setattr(stages, "RACY_NS", 0)  # the fixture's files are written within a second of the record
    seeds = copy_fixture(tmp_path / "p")
    out = tmp_path / "p" / "out"
    build(seeds, out, quiet=True, store=None)
    digest = tree_digest(out)
    record = stages.StatRecord.read(out, read_manifest(out))
    assert set(record) == set(read_manifest(out).outputs)  # every file the build wrote, none left out

    with monkeypatch.context() as m:
        _no_hashing(m)
        again = build(seeds, out, quiet=True, store=None)  # nothing changed: every stage linked, nothing read
    assert "rdf" in again.reused and "site" in again.reused and tree_digest(out) == digest

    ttl = out / "graph.ttl"
    text = ttl.read_text()
    ttl.write_text(text.replace("a", "b", 1))  # same size, same inode: only the modification time tells
    assert ttl.stat().st_size == len(text.encode())
    fixed = build(seeds, out, quiet=True, store=None)
    assert "rdf" not in fixed.reused and "site" in fixed.reused
    assert tree_digest(out) == digest


def test_a_record_that_does_not_name_this_manifest_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(stages, "RACY_NS", 0)
    seeds = copy_fixture(tmp_path / "p")
    out = tmp_path / "p" / "out"
    build(seeds, out, quiet=True, store=None, analyses=False)
    assert stages.StatRecord.read(out, read_manifest(out))
    manifest = out / "manifest.json"
    shutil.copy2(manifest, tmp_path / "m.json")
    os.replace(tmp_path / "m.json", manifest)  # same bytes, another file (a restore, a copy): the record no longer holds
    assert stages.StatRecord.read(out, read_manifest(out)) == {}
    stages.StatRecord.path(out).write_bytes(b"dealgraph-stat-1\n\x00")  # cut short: ignored, not an error
    assert stages.StatRecord.read(out, read_manifest(out)) == {}
    assert "rdf" in build(seeds, out, quiet=True, store=None, analyses=False).reused  # checked by reading instead


def test_the_old_tree_is_deleted_apart_and_a_second_build_follows_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "DELETE_APART_FILES", 0)  # every old tree goes to the detached rm
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    build(seeds, out, quiet=True, store=None, analyses=False)
    first = tree_digest(out)
    deals = seeds / "deals.yaml"
    deals.write_text(deals.read_text().replace("upfront: USD 50 million", "upfront: USD 60 million"))
    build(seeds, out, quiet=True, store=None, analyses=False)
    second = tree_digest(out)
    assert second != first and not list(tmp_path.glob(".out-staging-*"))
    build(seeds, out, quiet=True, store=None, analyses=False)  # at once: a trash folder still there is no obstacle
    assert tree_digest(out) == second
    deadline = time.monotonic() + 30
    while list(tmp_path.glob(".out-trash-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", ".out.stat", "out", "seeds"]


def test_a_failed_build_leaves_the_record_of_the_previous_one(tmp_path):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    build(seeds, out, quiet=True, store=None, analyses=False)
    before = stages.StatRecord.path(out).read_bytes()
    deals = seeds / "deals.yaml"
    deals.write_text(deals.read_text().replace("upfront: USD 50 million", "upfront: USD lots"))
    digest = tree_digest(out)
    with pytest.raises(SeedError) as err:
        build(seeds, out, quiet=True, store=None, analyses=False)
    assert "deals.yaml:" in str(err.value) and "upfront" in str(err.value) and tree_digest(out) == digest
    assert stages.StatRecord.path(out).read_bytes() == before


def test_summary_read_back_equals_summarize_in_its_order(tmp_path):
    ds = load_seeds(copy_fixture(tmp_path))
    made = summarize(ds)
    text = json.dumps(made, indent=2, sort_keys=True)  # as summary.json holds it
    back = summary_from_json(json.loads(text), ds)
    assert back == made and list(back) == list(made) and json.dumps(back) == json.dumps(made)
    assert summary_from_json({**json.loads(text), "records": {}}, ds) is None
    assert summary_from_json([], ds) is None


def test_manifest_json_is_what_the_json_module_writes(tmp_path):
    from dataclasses import asdict

    from graph.pipeline.manifest import Manifest

    m = Manifest("../seeds", {"deals.yaml": "ab"}, "c", "o", options={"note": '\n "outputs": {}'},
                 stages={"rdf": "k"}, outputs={"é/\"x.html": "1", "a.html": "2", "maps/b.html": "3"})
    assert m.to_json() == json.dumps(asdict(m), indent=1, sort_keys=True) + "\n"
    empty = Manifest("s", {}, "c", "o")
    assert empty.to_json() == json.dumps(asdict(empty), indent=1, sort_keys=True) + "\n"


def test_the_build_command_in_a_process_of_its_own_ends_at_once_with_its_whole_output(tmp_path):
    import subprocess
    import sys

    from .support import ROOT

    seeds = copy_fixture(tmp_path)
    r = subprocess.run([sys.executable, "-m", "graph.cli", "build", "--seeds", str(seeds), "--out",
                        str(tmp_path / "out"), "--store", "none", "--no-analyses", "-q"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip().endswith(f"files under {tmp_path / 'out'}/") and "records:" in r.stdout
    assert read_manifest(tmp_path / "out") is not None
