"""CSV that a spreadsheet opens without running anything: every CSV the project writes goes through here.

Neutralised cell
    A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (which a spreadsheet
    reads as the start of a formula) is written with a leading apostrophe, the OWASP rule for CSV injection
    (https://owasp.org/www-community/attacks/CSV_Injection). Numbers, and text that is only a number
    (``-12``, ``+3.5``), are written as they are, so a negative number stays a number.
"""
from __future__ import annotations

import csv
import re
from typing import Any, Iterable

#: A number written as text ("-12", "+3.5", "1,250", "-4e3", "12%"): a spreadsheet reads it as a number.
_NUMBER = re.compile(r"^[-+]?[0-9][0-9,]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?%?$")

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text that a spreadsheet would read as a formula.

    >>> safe_cell('=HYPERLINK("http://x","click")'), safe_cell("-1+1"), safe_cell(-5), safe_cell("-5.5"), safe_cell("Acme")
    ('\\'=HYPERLINK("http://x","click")', "'-1+1", -5, '-5.5', 'Acme')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose rows pass through ``safe_cell``."""

    def __init__(self, f: Any, **kwargs: Any):
        self._w = csv.writer(f, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose values pass through ``safe_cell`` (the header is written as given)."""

    def writerow(self, rowdict: dict[str, Any]) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[dict[str, Any]]) -> None:
        for r in rowdicts:
            self.writerow(r)


def writer(f: Any, **kwargs: Any) -> SafeWriter:
    """A spreadsheet-safe ``csv.writer`` on ``f`` (same keyword arguments)."""
    return SafeWriter(f, **kwargs)
