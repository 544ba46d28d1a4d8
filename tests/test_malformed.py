"""Every malformed seed file is rejected with the exact file, line, field and message, and nothing is written."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.core.errors import SeedError
from graph.ingest.loading import load_seeds

from .malformed_expected import EXPECTED
from .support import ROOT, copy_fixture

CASES = sorted((ROOT / "tests" / "malformed").glob("*.yaml"))


def test_corpus_has_a_case_per_rule():
    assert len(CASES) >= 25
    assert sorted(p.name for p in CASES) == sorted(EXPECTED)


def _broken_seeds(tmp_path: Path, case: Path) -> Path:
    seeds = copy_fixture(tmp_path)
    kind = case.name.split(".")[1]
    shutil.copy(case, seeds / f"{kind}.yaml")
    return seeds


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_malformed_seed_is_rejected_precisely(tmp_path, case):
    seeds = _broken_seeds(tmp_path, case)
    with pytest.raises(SeedError) as err:
        load_seeds(seeds)
    got = [(p.file, p.line, p.field, p.message) for p in err.value.problems]
    want = [(f"seeds/{f}", line, field, msg) for f, line, field, msg in EXPECTED[case.name]]
    assert got == want


@pytest.mark.parametrize("case", CASES[:: max(1, len(CASES) // 8)], ids=lambda p: p.name.split(".")[0])
def test_build_with_malformed_seed_writes_nothing(tmp_path, case):
    seeds = _broken_seeds(tmp_path, case)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(out), "--store", "none", "-q"])
    assert result.exit_code == 2, result.output
    f, line, field, _ = EXPECTED[case.name][0]
    assert f"seeds/{f}:{line}:" in result.output
    assert "nothing was written" in result.output
    assert not out.exists()
    # no staging folder left behind; only the build lock (.out.lock, kept between builds by design) stays
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "seeds"]
    assert (tmp_path / ".out.lock").stat().st_size == 0  # and it names no holder once released


def test_valid_fixture_loads(tmp_path):
    ds = load_seeds(copy_fixture(tmp_path))
    assert ds.counts() == {"sources": 1, "organizations": 3, "assets": 1, "deals": 1, "events": 1, "statistics": 2}
    deal = ds.deals["2025-03-acme-globex"]
    # references by alias resolve to canonical ids
    assert deal.parties == {"licensor": ["acme"], "licensee": ["globex"]}
    assert deal.assets == ["ab-101"]
