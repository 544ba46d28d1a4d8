"""Numbers shown exactly: graph.models.values display functions and the `emit` output helper."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import click
import pytest
from click.testing import CliRunner

from graph.cli.build import emit
from graph.models.values import display_cell, display_rows, format_money, format_percent, plain_number


@pytest.mark.parametrize("amount,qualifier,want", [
    (1825000000.0, "up-to", "up to USD 1.825 billion"),   # ciie-2025:51 (binary rounding gave 1.82)
    (2175000000.0, None, "USD 2.175 billion"),            # pharmcube-2026:403 (gave 2.17)
    (Decimal("12000000000"), "about", "about USD 12 billion"),
    (Decimal("135.7E9"), "exact", "USD 135.7 billion"),
    (48448000000.0, None, "USD 48.448 billion"),
    (16e6, "over", "over USD 16 million"),
    (35e6, None, "USD 35 million"),
    (999999.5, None, "USD 999,999.5"),
])
def test_money_is_written_as_the_source_wrote_it(amount, qualifier, want):
    assert format_money(amount, "USD", qualifier) == want


def test_numbers_are_plain_and_exact():
    assert plain_number(1.397e10) == "13,970,000,000"          # notebooks showed 1.397000e+10
    assert plain_number(1e-7) == "0.0000001" and "e" not in plain_number(1.23e21)
    assert plain_number(Decimal("0.30000000000000004")) == "0.30000000000000004"
    assert plain_number(float("nan")) == "" and plain_number(None) == ""
    assert format_percent(0.49) == "49.0%" and format_percent(None) == ""
    assert display_cell(None) == "" and display_cell([1.5, "a"]) == "1.5; a"
    assert display_rows([{"headline_usd": 6e9, "x": None}]) == [{"headline_usd": "USD 6 billion", "x": ""}]


def _emit(rows, fmt, columns=None) -> str:
    @click.command()
    def cmd():
        emit(rows, fmt, columns)
    return CliRunner().invoke(cmd, []).stdout


ROWS = [{"deal": "d1", "parties": ["Pfizer (licensee)", "3SBio (licensor)"], "upfront_usd": 1825000000.0,
         "total_usd": None, "share": 0.1 + 0.2}]


def test_emit_table_never_prints_none_and_keeps_every_digit():
    out = _emit(ROWS, "table")
    assert "None" not in out and "1,825,000,000" in out and "Pfizer (licensee); 3SBio (licensor)" in out
    assert "0.30000000000000004" in out and "e+" not in out


def test_emit_csv_lists_are_plain_text_and_numbers_exact():
    row = next(csv.DictReader(io.StringIO(_emit(ROWS, "csv"))))
    assert row["parties"] == "Pfizer (licensee); 3SBio (licensor)"   # not JSON text
    assert row["upfront_usd"] == "1825000000" and row["total_usd"] == ""


def test_emit_json_keeps_lists_and_numbers():
    assert json.loads(_emit(ROWS, "json"))[0]["parties"] == ["Pfizer (licensee)", "3SBio (licensor)"]


@pytest.mark.parametrize("module", ["graph.models.values", "graph.models.headline", "graph.find.search", "graph.find.resolve"])
def test_doctests_run(module):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 0
