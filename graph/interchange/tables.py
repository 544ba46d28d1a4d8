"""Read a deal list (CSV, XLSX or a JSON list of objects) as numbered rows of named cells.

Each row carries the number that imported records cite as ``<source-id>:<number>``.
That number is always a line of the file the source record names, so the provenance
checker (which reads cited *lines*) can check imported records like any other:

* CSV: the line of the file where the row starts (the header is line 1, so the first
  data row is usually line 2 — the same number a spreadsheet shows for that row).
* XLSX: the sheet's row number as Excel shows it. The source record names a CSV
  rendition of the sheet (``<file>.csv``) in which row N is line N; the importer writes
  that rendition into the documents folder.
* JSON: the line where the row's object starts. Write one object per line if the
  provenance checker should see each whole row on its cited line.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.csvsafe import writer as csv_writer
from ..core.errors import DealgraphError, clip
from ..ingest.yamlio import decode

FORMATS = (".csv", ".xlsx", ".json")


@dataclass(frozen=True)
class Row:
    """One data row: the line it is cited by, and its non-empty cells by column name."""

    number: int
    cells: dict[str, Any]


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[Row]
    cite_file: str              # file name the source record names (and citations' lines refer to)
    rendition: str | None = None  # text of cite_file when it is not the imported file itself (XLSX)
    sheet: str | None = None      # the sheet read (XLSX)

    def document_text(self) -> bytes:
        """The bytes of the document that citations point into."""
        return self.rendition.encode("utf-8") if self.rendition is not None else self.path.read_bytes()


def cell_text(v: Any) -> str:
    """A cell as text: 1250.0 -> '1250', 1.25 -> '1.25', a date -> 'YYYY-MM-DD'."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _clean(v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def _columns(header: list[Any], where: str) -> list[str | None]:
    cols: list[str | None] = []
    seen: set[str] = set()
    for h in header:
        name = cell_text(h).strip() if h is not None else ""
        if not name:
            cols.append(None)
            continue
        if name in seen:
            raise DealgraphError(f"{where}: column '{name}' appears twice in the header")
        seen.add(name)
        cols.append(name)
    return cols


def _row(cols: list[str | None], values: list[Any], where: str, number: int) -> Row | None:
    cells: dict[str, Any] = {}
    for i, v in enumerate(values):
        v = _clean(v)
        if v is None:
            continue
        if i >= len(cols) or cols[i] is None:
            raise DealgraphError(f"{where}: row {number} has a value ('{cell_text(v)}') in column {i + 1}, "
                                 "which has no name in the header")
        cells[cols[i]] = v
    return Row(number, cells) if cells else None


def read_text(path: Path) -> str:
    """The file as UTF-8 text (a byte-order mark dropped), or a DealgraphError naming the line of the first
    byte that is not UTF-8 (a Latin-1 export, a UTF-16 file), never a traceback."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DealgraphError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    text, problems = decode(raw, path.name)
    if text is None:
        raise DealgraphError(str(problems[0]))
    return text


def read_csv(path: Path) -> Table:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    cols: list[str | None] | None = None
    rows: list[Row] = []
    start = 1
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if cols is None:
                cols = _columns(values, path.name)
                continue
            row = _row(cols, values, path.name, line)
            if row:
                rows.append(row)
    except csv.Error as exc:
        raise DealgraphError(f"{path.name}:{reader.line_num}: not valid CSV ({exc})") from None
    if cols is None:
        raise DealgraphError(f"{path.name}: the file is empty (expected a header row)")
    return Table(path, [c for c in cols if c], rows, path.name)


def read_xlsx(path: Path, sheet: str | None) -> Table:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise DealgraphError("reading .xlsx needs the openpyxl package (pip install openpyxl)") from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise DealgraphError(f"{path.name}: cannot read as an Excel workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise DealgraphError(f"{path.name}: no sheet '{sheet}' (sheets: {', '.join(wb.sheetnames)})")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        where = f"{path.name} [{ws.title}]"
        cols: list[str | None] | None = None
        rows: list[Row] = []
        lines: list[str] = []
        for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            buf = io.StringIO()
            csv_writer(buf, lineterminator="").writerow(  # the rendition is a CSV others may open
                ["" if v is None else " ".join(cell_text(v).splitlines()) for v in values])
            lines.append(buf.getvalue())
            if all(_clean(v) is None for v in values):
                continue
            if cols is None:
                cols = _columns(list(values), where)
                continue
            row = _row(cols, list(values), where, number)
            if row:
                rows.append(row)
    finally:
        wb.close()
    if cols is None:
        raise DealgraphError(f"{where}: the sheet is empty (expected a header row)")
    return Table(path, [c for c in cols if c], rows, f"{path.name}.csv", "\n".join(lines) + "\n", ws.title)


def read_json(path: Path) -> Table:
    text = read_text(path)
    dec = json.JSONDecoder()

    def skip(i: int) -> int:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        return i

    def fail(i: int, msg: str) -> DealgraphError:
        return DealgraphError(f"{path.name}:{text.count(chr(10), 0, i) + 1}: {msg}")

    i = skip(0)
    if i >= len(text) or text[i] != "[":
        raise fail(i, "expected a JSON list of objects, starting with '['")
    i = skip(i + 1)
    cols: list[str] = []
    rows: list[Row] = []
    while i < len(text) and text[i] != "]":
        try:
            obj, end = dec.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            raise fail(exc.pos, f"not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise fail(i, "a value is nested too deeply; cells must be text, numbers or lists of them") from None
        number = text.count("\n", 0, i) + 1
        if not isinstance(obj, dict):
            raise fail(i, "expected an object ({...}) for each row")
        cells = {}
        for k, v in obj.items():
            if isinstance(v, list):
                if any(isinstance(x, (list, dict)) for x in v):
                    raise fail(i, f"'{clip(str(k))}' holds a list inside a list; cells must be text, numbers or "
                                  "lists of them")
                v = [x for x in (_clean(x) for x in v) if x is not None] or None
            elif isinstance(v, dict):
                raise fail(i, f"'{clip(str(k))}' holds an object; cells must be text, numbers or lists")
            v = _clean(v)
            if k not in cols:
                cols.append(k)
            if v is not None:
                cells[k] = v
        if cells:
            rows.append(Row(number, cells))
        i = skip(end)
        if i < len(text) and text[i] == ",":
            i = skip(i + 1)
        elif i < len(text) and text[i] != "]":
            raise fail(i, "expected ',' or ']' after an object")
    if i >= len(text):
        raise fail(i, "the list is not closed with ']'")
    if skip(i + 1) != len(text):
        raise fail(skip(i + 1), "unexpected text after the list")
    return Table(path, cols, rows, path.name)


def read_table(path: Path | str, sheet: str | None = None) -> Table:
    """Read a deal list by its extension (.csv, .xlsx or .json)."""
    path = Path(path)
    if not path.is_file():
        raise DealgraphError(f"file not found: {path}")
    ext = path.suffix.lower()
    if ext == ".csv":
        return read_csv(path)
    if ext == ".xlsx":
        return read_xlsx(path, sheet)
    if ext == ".json":
        return read_json(path)
    raise DealgraphError(f"{path.name}: unsupported file type '{ext}' (expected {', '.join(FORMATS)})")
