"""The malformed-import corpus (tests/malformed_import/, written by tests/malformed_import_make_cases.py): every bad
deal list ends with exit code 1 and exactly these lines on stderr, never a traceback, and the seeds and the
documents folder are left byte for byte as they were. Formula-looking cells are refused."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main

from .support import FIXTURE_DOCS, ROOT, copy_fixture

FOLDER = ROOT / "tests" / "malformed_import"
MAPPING = FOLDER / "mapping.yaml"
CASES = sorted(FOLDER.glob("[0-9]*"))

EXPECTED = {
    '01_latin1_cell.csv': [
        'error: 01_latin1_cell.csv:2: not UTF-8: byte 0xE9 at column 4 cannot be read; save the file as UTF-8',
    ],
    '02_utf16_file.csv': [
        'error: 02_utf16_file.csv:1: the file is UTF-16, not UTF-8; save it as UTF-8',
    ],
    '03_formula_name.csv': [
        'error: 1 problem in 03_formula_name.csv; nothing was imported',
        '  row 2, column \'Licensor\' (\'=HYPERLINK("http://evil.example","x")\'): looks like a spreadsheet formula (it starts with \'=\'); write the value itself',
    ],
    '04_at_formula.csv': [
        'error: 1 problem in 04_at_formula.csv; nothing was imported',
        "  row 2, column 'Licensee' ('@SUM(A1:A9)'): looks like a spreadsheet formula (it starts with '@'); write the value itself",
    ],
    '05_plus_formula.csv': [
        'error: 1 problem in 05_plus_formula.csv; nothing was imported',
        "  row 2, column 'Asset' ('+cmd|' /C calc'!A0'): looks like a spreadsheet formula (it starts with '+'); write the value itself",
    ],
    '06_tab_led_formula.csv': [
        'error: 1 problem in 06_tab_led_formula.csv; nothing was imported',
        "  row 2, column 'Asset' ('=1+1'): looks like a spreadsheet formula (it starts with '='); write the value itself",
    ],
    '07_minus_formula.csv': [
        'error: 1 problem in 07_minus_formula.csv; nothing was imported',
        "  row 2, column 'Licensor' ('-2+3+cmd'): looks like a spreadsheet formula (it starts with '-'); write the value itself",
    ],
    '08_nested_json_cell.json': [
        'error: 08_nested_json_cell.json:1: a value is nested too deeply; cells must be text, numbers or lists of them',
    ],
    '09_list_in_list_json.json': [
        "error: 09_list_in_list_json.json:1: 'Licensee' holds a list inside a list; cells must be text, numbers or lists of them",
    ],
    '10_object_cell_json.json': [
        "error: 10_object_cell_json.json:1: 'Licensor' holds an object; cells must be text, numbers or lists",
    ],
    '11_not_json.json': [
        'error: 11_not_json.json:1: not valid JSON (Expecting property name enclosed in double quotes)',
    ],
    '12_nul_in_csv.csv': [
        'error: 1 problem in 12_nul_in_csv.csv; nothing was imported',
        "  row 2, column 'Licensor' ('Ac\\x00me'): new organization ac-me: name: text holds control character U+0000; remove it",
    ],
    '13_many_unknown_rows.csv': [
        'error: 12 problems in 13_many_unknown_rows.csv; nothing was imported',
        "  12 rows, column 'Upfront': deal …: terms.upfront.0: '…' is negative: amounts cannot be negative (e.g. row 2 ('-1'), row 3 ('-2'), row 4 ('-3'), …)",
    ],
    '14_empty_file.csv': [
        'error: 14_empty_file.csv: the file is empty (expected a header row)',
    ],
    '15_binary_file.xlsx': [
        'error: 15_binary_file.xlsx: cannot read as an Excel workbook (File is not a zip file)',
    ],
    '16_utf16_json.json': [
        'error: 16_utf16_json.json:1: the file is UTF-16, not UTF-8; save it as UTF-8',
    ],
    '17_control_char_in_cell.csv': [
        'error: 1 problem in 17_control_char_in_cell.csv; nothing was imported',
        "  row 2, column 'Licensor' ('Acme\\x1b[31m'): new organization acme-31m: name: text holds control character U+001B; remove it",
    ],
    '18_long_formula_value.csv': [
        'error: 1 problem in 18_long_formula_value.csv; nothing was imported',
        "  row 2, column 'Licensor' ('=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA… (5001 characters)'): looks like a spreadsheet formula (it starts with '='); write the value itself",
    ],
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_case_has_its_message():
    assert sorted(p.name for p in CASES) == sorted(EXPECTED)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_bad_deal_list_is_refused_with_its_located_message(tmp_path: Path, case: Path):
    seeds = copy_fixture(tmp_path)
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    before = (_tree(seeds), _tree(docs))
    r = CliRunner().invoke(main, ["import", str(case), "--mapping", str(MAPPING), "--seeds", str(seeds),
                                  "--docs", str(docs)])
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert r.stderr.splitlines() == EXPECTED[case.name]
    assert (_tree(seeds), _tree(docs)) == before


def test_thousands_of_unknown_names_give_one_grouped_screenful(tmp_path: Path):
    seeds = copy_fixture(tmp_path)
    file = tmp_path / "many.csv"
    with file.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Licensor", "Licensee", "Asset", "Signed", "Upfront"])
        for i in range(600):
            w.writerow([f"Unknown Maker {i:04d}", "Globex", "AB-101", "2025-09", "40"])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING.read_text().replace("organizations: true", "organizations: false"))
    r = CliRunner().invoke(main, ["import", str(file), "--mapping", str(mapping), "--seeds", str(seeds), "--dry-run"])
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "error: 600 problems in many.csv; nothing was imported",
        "  600 rows, column 'Licensor': no organization matches '…'; map it under names.organizations in the "
        "mapping, or set create.organizations: true to create it (e.g. row 2 ('Unknown Maker 0000'), "
        "row 3 ('Unknown Maker 0001'), row 4 ('Unknown Maker 0002'), …)",
    ]
