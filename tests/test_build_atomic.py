"""A build is all or nothing: kills, a read-only folder, a full disk and a second build never leave a mixed out/.

The kill tests run real builds in subprocesses. ``DEALGRAPH_TEST_PAUSE=<point>`` makes the build stop
itself (SIGSTOP) at that point, so the test kills it (SIGKILL) exactly there, not at a guessed time.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.pipeline.build import build
from graph.cli import main
from graph.pipeline.outputs import Staging

from .support import ROOT, copy_fixture, tree_digest

OPTS = ["--store", "ladybug", "-q"]


def _cli_build(seeds: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(out), *OPTS, *extra])


def _edit_one_record(seeds: Path) -> None:
    """Change one deal's upfront payment: the RDF, the store, the analyses and the maps all change."""
    path = seeds / "deals.yaml"
    text = path.read_text()
    assert "upfront: USD 50 million" in text
    path.write_text(text.replace("upfront: USD 50 million", "upfront: USD 60 million"))


def _spawn(seeds: Path, out: Path, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graph", "build", "--seeds", str(seeds), "--out", str(out), *OPTS],
                            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _kill_when_paused(proc: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until the build has stopped itself at its pause point, then SIGKILL it."""
    stat = Path(f"/proc/{proc.pid}/stat")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the build ended before its pause point: {proc.stderr.read()}")
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "T":
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the build never reached its pause point")


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    """Old seeds built into old/out, new seeds (one record changed) built cleanly into new/out."""
    top = tmp_path_factory.mktemp("atomic")
    old_seeds = copy_fixture(top / "old")
    new_seeds = copy_fixture(top / "new")
    _edit_one_record(new_seeds)
    for seeds in (old_seeds, new_seeds):
        r = _cli_build(seeds, seeds.parent / "out")
        assert r.exit_code == 0, r.output
    old, new = tree_digest(top / "old" / "out"), tree_digest(top / "new" / "out")
    assert old != new
    return top, old_seeds, new_seeds, old, new


@pytest.mark.parametrize("point,env,expect", [
    ("after-analyses", {}, "old"),  # the new store, analyses and plots are written, maps not yet
    ("after-swap", {}, "new"),
    ("between-renames", {"DEALGRAPH_TEST_NO_EXCHANGE": "1"}, "old"),  # the two-rename fallback, recovered
])
def test_a_killed_build_leaves_out_entirely_old_or_new_and_the_rerun_equals_a_clean_build(
        trees, tmp_path, point, env, expect):
    top, old_seeds, new_seeds, old, new = trees
    # the build under test writes over a copy of the old output, from the new seeds' path
    work = tmp_path / "work"
    shutil.copytree(new_seeds, work / "seeds")
    shutil.copytree(top / "old" / "out", work / "out")
    before = tree_digest(work / "out")
    assert before == old

    _kill_when_paused(_spawn(work / "seeds", work / "out", {"DEALGRAPH_TEST_PAUSE": point, **env}))

    if point == "between-renames":  # out/ was renamed away; the next job restores it before anything else
        assert not (work / "out").exists()
        Staging(work / "out").discard()
    assert tree_digest(work / "out") == (old if expect == "old" else new)

    r = _cli_build(work / "seeds", work / "out")
    assert r.exit_code == 0, r.output
    assert tree_digest(work / "out") == new
    assert sorted(p.name for p in work.iterdir()) == [".out.lock", ".out.stat", "out", "seeds"]  # no leftovers


def test_a_second_build_fails_at_once_before_validation(tmp_path):
    seeds = copy_fixture(tmp_path)
    (seeds / "deals.yaml").write_text("- id: [broken\n")  # would fail validation with exit 2
    with Staging(tmp_path / "out"):
        r = _cli_build(seeds, tmp_path / "out")
    assert r.exit_code == 1
    assert r.output == (f"error: {tmp_path / 'out'} is being written by pid {os.getpid()} (lock "
                        f"{tmp_path / '.out.lock'} is held); wait for that job to finish\n")
    assert not (tmp_path / "out").exists()


def test_leftovers_of_killed_builds_are_cleaned_and_other_files_in_out_are_kept(tmp_path):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    assert _cli_build(seeds, out, "--no-analyses").exit_code == 0
    (tmp_path / ".out-staging-999999" / "maps").mkdir(parents=True)
    (tmp_path / ".out-old-999998").mkdir()
    (out / "export").mkdir()
    (out / "export" / "deals.csv").write_text("an export the build did not write\n")
    assert _cli_build(seeds, out, "--no-analyses").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", ".out.stat", "out", "seeds"]
    assert (out / "export" / "deals.csv").read_text() == "an export the build did not write\n"


def _readonly_mount(path: Path) -> bool:
    """Make ``path`` read-only: a read-only bind mount when root (permissions do not stop root), else chmod."""
    if os.geteuid() != 0:
        for p in [path, *path.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        return True
    ok = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True).returncode == 0
    ok = ok and subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], capture_output=True).returncode == 0
    return ok


def _undo_readonly(path: Path) -> None:
    if os.geteuid() != 0:
        for p in [path, *path.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    else:
        subprocess.run(["umount", str(path)], capture_output=True)


def test_a_read_only_out_ends_in_one_line_and_out_is_untouched(tmp_path):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    assert _cli_build(seeds, out, "--no-analyses").exit_code == 0
    _edit_one_record(seeds)
    before = tree_digest(out)
    if not _readonly_mount(out):
        pytest.skip("cannot make a read-only folder here (root without mount rights)")
    try:
        r = _cli_build(seeds, out, "--no-analyses")
    finally:
        _undo_readonly(out)
    assert r.exit_code == 1
    assert r.output == (f"error: cannot write {out}: the folder is read-only; make it writable or choose another "
                        "--out\n")
    assert tree_digest(out) == before


def test_a_full_disk_ends_in_one_line_and_out_is_untouched(tmp_path):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    assert _cli_build(seeds, out, "--no-analyses").exit_code == 0
    _edit_one_record(seeds)
    before = tree_digest(out)
    limit = 64 * 1024  # every file of this build larger than 64 KiB fails with EFBIG, as on a full disk
    proc = _spawn(seeds, out, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert "File too large" in err and f"{out}/ was left as it was" in err, err
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", ".out.stat", "out", "seeds"]


def test_a_plot_that_cannot_be_drawn_ends_in_one_line_and_out_is_untouched(tmp_path, monkeypatch):
    seeds = copy_fixture(tmp_path)
    out = tmp_path / "out"
    build(seeds, out, store=None, analyses=False, quiet=True)
    before = tree_digest(out)

    import graph.analysis.plots as plots  # graph.analysis.run imports its plots when it draws them

    def broken_plot(*_a, **_k):
        raise ValueError("Glyph 0 missing from current font.\nsecond line")
    monkeypatch.setattr(plots, "plot_centrality_top", broken_plot)
    r = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(out), "--store", "none", "-q"])
    assert r.exit_code == 1
    assert r.output == ("error: running analyses (centrality, China exposure) failed: ValueError: Glyph 0 missing "
                        f"from current font.; {out}/ was left as it was\n")
    assert tree_digest(out) == before
