"""The build's forked parts (graph.pipeline.parallel): results and failures come back to the parent, a failed part fails
the whole build all or nothing, an interrupted parent leaves no child behind, and a parallel build writes
exactly what a sequential one writes."""
from __future__ import annotations

import os
import signal
import time

import pytest

import graph.pipeline.build
from graph.pipeline.build import build
from graph.core.errors import DealgraphError, SeedError, SeedProblem
from graph.pipeline.parallel import MAX_PARALLEL_RECORDS, Forked, parallel_ok

from .support import copy_fixture, tree_digest


def _gone(pid: int) -> bool:
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # not our child any more: reaped
    return True


def test_a_child_gives_back_its_result_or_its_exception():
    with Forked(lambda: {"triples": 3}) as child:
        assert child.join() == {"triples": 3}

    def fails():
        raise DealgraphError("cannot write graph.ttl: No space left on device")

    with Forked(fails) as child, pytest.raises(DealgraphError, match="^cannot write graph.ttl: No space left"):
        child.join()

    problem = SeedProblem("deals.yaml", 7, "parties", "unknown organization 'acme2'")

    def invalid():
        raise SeedError([problem])

    with Forked(invalid) as child, pytest.raises(SeedError) as err:
        child.join()
    assert err.value.problems == [problem]  # the same problems, not their text re-parsed


def test_a_child_killed_by_a_signal_is_named_and_an_interrupted_parent_reaps_its_child():
    with Forked(lambda: os.kill(os.getpid(), signal.SIGKILL)) as child:
        pid = child.pid
        with pytest.raises(DealgraphError, match="ended without a result \\(signal SIGKILL\\)"):
            child.join()
    assert _gone(pid)

    with pytest.raises(KeyboardInterrupt):  # Ctrl-C in the parent while the child works
        with Forked(lambda: time.sleep(60)) as child:
            pid = child.pid
            raise KeyboardInterrupt
    assert _gone(pid)


def test_parallel_only_where_it_pays_and_fits(monkeypatch):
    monkeypatch.delenv("DEALGRAPH_JOBS", raising=False)
    assert parallel_ok(100) is ((os.cpu_count() or 1) >= 2)
    assert not parallel_ok(MAX_PARALLEL_RECORDS + 1)
    monkeypatch.setenv("DEALGRAPH_JOBS", "1")
    assert not parallel_ok(100)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one CPU: the build does not fork")
def test_a_failing_parallel_part_fails_the_build_and_parallel_equals_sequential(tmp_path, monkeypatch):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    monkeypatch.delenv("DEALGRAPH_JOBS", raising=False)
    build(seeds, out, quiet=True)
    before = tree_digest(out)

    def broken(*_a, **_k):
        raise OSError(28, "No space left on device", str(tmp_path / "x" / "graph.ttl"))

    monkeypatch.setattr(graph.pipeline.build, "write_rdf", broken)  # runs in the forked child
    deals = seeds / "deals.yaml"
    deals.write_text(deals.read_text().replace("upfront: USD 50 million", "upfront: USD 60 million"))
    with pytest.raises(DealgraphError) as err:
        build(seeds, out, quiet=True)
    assert str(err.value) == (f"cannot write {tmp_path / 'x' / 'graph.ttl'}: No space left on device (the disk is "
                              f"full) (while writing RDF); {out}/ was left as it was")
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", ".out.stat", "out", "seeds"]
    monkeypatch.undo()

    build(seeds, out, quiet=True)
    monkeypatch.setenv("DEALGRAPH_JOBS", "1")
    build(seeds, tmp_path / "seq", quiet=True, full=True)
    assert tree_digest(out) == tree_digest(tmp_path / "seq")


def test_large_seeds_are_validated_apart_and_the_build_is_the_same(tmp_path, monkeypatch):
    """Above VALIDATE_APART_BYTES the seeds are validated in a child that pickles the dataset (the parent
    reads it back, at half the memory); the outputs are those of validating in the parent, and invalid
    seeds still fail with their file, line and field."""
    seeds = copy_fixture(tmp_path)
    monkeypatch.setenv("DEALGRAPH_JOBS", "1")
    build(seeds, tmp_path / "inline", quiet=True)
    forks = []

    class counted(Forked):
        def __init__(self, fn, where=lambda: ""):
            forks.append(fn)
            super().__init__(fn, where)

    monkeypatch.setattr(graph.pipeline.build, "VALIDATE_APART_BYTES", 0)
    monkeypatch.setattr(graph.pipeline.build, "Forked", counted)
    result = build(seeds, tmp_path / "apart", quiet=True)
    assert len(forks) == 1  # the validation (DEALGRAPH_JOBS=1: no other part forks)
    assert result.dataset.counts() == build(seeds, tmp_path / "again", quiet=True, full=True).dataset.counts()
    assert tree_digest(tmp_path / "apart") == tree_digest(tmp_path / "inline")

    deals = seeds / "deals.yaml"
    deals.write_text(deals.read_text().replace("upfront: USD 50 million", "upfront: USD fifty", 1))
    with pytest.raises(SeedError) as err:
        build(seeds, tmp_path / "bad", quiet=True)
    assert any(p.file.endswith("deals.yaml") and p.line and "upfront" in p.field for p in err.value.problems)
    assert not (tmp_path / "bad").exists()
