"""Every case of the malformed-seed corpus through the real commands: `validate` and `build` exit with 2 and
print the located problem (file:line: field: message), `build` leaves an existing out/ byte for byte as it was,
and neither command touches the seeds. No input ends in a traceback."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.core.errors import MAX_PER_FILE, SeedProblem

from .malformed_expected import EXPECTED
from .support import ROOT, copy_fixture

CASES = sorted((ROOT / "tests" / "malformed").glob("*.yaml"))


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_holds_sixty_hardening_cases():
    assert len([p for p in CASES if int(p.name[:2]) >= 34]) >= 60


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_commands_report_the_located_problem_and_change_nothing(tmp_path: Path, case: Path):
    seeds = copy_fixture(tmp_path)
    shutil.copy(case, seeds / f"{case.name.split('.')[1]}.yaml")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"from": "the previous build"}\n')
    seeds_before, out_before = _tree(seeds), _tree(out)
    lines = [str(SeedProblem(f"seeds/{f}", line, field, msg)) for f, line, field, msg in EXPECTED[case.name]]
    runner = CliRunner()
    for args in (["validate", "--seeds", str(seeds), "--docs", str(tmp_path / "no-docs")],
                 ["build", "--seeds", str(seeds), "--out", str(out), "--store", "none", "--no-analyses", "-q"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        printed = result.stderr.splitlines()
        n = len(lines)
        assert printed[0] == f"{n} problem{'s' if n != 1 else ''} in the seeds; nothing was written"
        assert printed[1:] == [f"  {line}" for line in lines[:MAX_PER_FILE]]
        assert max(len(p) for p in printed) < 800  # a huge bad value is cut
    assert _tree(seeds) == seeds_before
    assert _tree(out) == out_before
    # nothing else beside out/: no staging folder; only the build lock, kept between builds by design
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "no-docs") == [".out.lock", "out", "seeds"]
    assert (tmp_path / ".out.lock").stat().st_size == 0


def test_a_flood_of_problems_is_one_screenful_per_file(tmp_path: Path):
    seeds = copy_fixture(tmp_path)
    text = (seeds / "deals.yaml").read_text()
    records = [text.replace("2025-03-acme-globex", f"deal-{i:02d}").replace("licence", "handshake") for i in range(45)]
    (seeds / "deals.yaml").write_text("".join(records))
    result = CliRunner().invoke(main, ["validate", "--seeds", str(seeds)])
    printed = result.stderr.splitlines()
    # 45 unknown deal types, and the event's deal no longer exists (1 more, in events.yaml)
    assert result.exit_code == 2 and printed[0] == "46 problems in the seeds; nothing was written"
    deal_lines = [p for p in printed if p.startswith("  seeds/deals.yaml:")]
    assert len(deal_lines) == MAX_PER_FILE
    assert "  … and 25 more problems in seeds/deals.yaml" in printed
    assert any(p.startswith("  seeds/events.yaml:3: deal:") for p in printed)


def test_validate_says_when_citations_were_not_checked(tmp_path: Path):
    seeds = copy_fixture(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--seeds", str(seeds), "--docs", str(tmp_path / "nowhere")])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == \
        f"seeds are valid (citations not checked: no documents found at {tmp_path / 'nowhere'})"


def test_build_checks_citations_like_validate(tmp_path: Path, monkeypatch):
    from .support import FIXTURE_DOCS
    seeds = copy_fixture(tmp_path)
    # a citation past the end of its document: validate and build now agree
    (seeds / "assets.yaml").write_text((seeds / "assets.yaml").read_text().replace("[mini:2]", "[mini:999]"))
    monkeypatch.setenv("DEALGRAPH_DOCS", str(FIXTURE_DOCS))
    for args in (["validate", "--seeds", str(seeds)],
                 ["build", "--seeds", str(seeds), "--out", str(tmp_path / "out"), "--store", "none", "-q"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "  seeds/assets.yaml:1: sources: mini:999: no such line in the document" in result.stderr
    assert not (tmp_path / "out").exists()
