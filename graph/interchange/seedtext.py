"""Write imported records into seed YAML as text, leaving every existing line as it was.

Each imported record is one block: a marker comment naming where it came from, then the
record as a one-item YAML list (``- id: …``). New blocks are appended to the end of the
file; a block the importer wrote before can be replaced in place (found by its marker).
Hand-written records are never touched.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

MARKER = "# dealgraph import:"
_ID_RE = re.compile(r"^- id: *['\"]?([^'\"\s]+)")


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The record's own fields in block style; lists and mappings inside it in flow style (libyaml's emitter
    when PyYAML has it: the same text, some sixty times faster)."""


class _Record(dict):
    """Marks the top-level mapping of a record (block style)."""


def _scalar(v: Any) -> bool:
    return not isinstance(v, (list, dict))


_Dumper.add_representer(_Record, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data.items(),
                                                                       flow_style=False))
_Dumper.add_representer(list, lambda d, data: d.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=all(_scalar(x) for x in data)))
_Dumper.add_representer(dict, lambda d, data: d.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=all(_scalar(x) or all(map(_scalar, x)) for x in data.values())))


def render(record: dict[str, Any], origin: str, order: list[str] | None = None) -> str:
    """One record as a marked block of YAML text (ends with a newline); fields in ``order`` come first."""
    keys = [k for k in (order or []) if k in record] + [k for k in record if k not in (order or [])]
    body = yaml.dump([_Record((k, record[k]) for k in keys)], Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=110)
    return f"{MARKER} {origin}\n{body}"


def block_at(lines: list[str], id_line: int) -> tuple[int, int] | None:
    """0-based [start, end) of the importer's block whose ``- id:`` is on 1-based ``id_line``.

    None when the record there was not written by the importer (no marker on the line above).
    """
    i = id_line - 1
    if i <= 0 or i >= len(lines) or not lines[i - 1].startswith(MARKER) or not lines[i].startswith("- "):
        return None
    j = i + 1
    while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j].strip()):
        j += 1
    while j > i + 1 and not lines[j - 1].strip():
        j -= 1
    return i - 1, j


def blocks(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, record id) of every importer block, lines 1-based and inclusive."""
    lines = text.splitlines()
    out = []
    for n, line in enumerate(lines, start=1):
        m = _ID_RE.match(line)
        if m:
            span = block_at(lines, n)
            if span is not None:
                out.append((span[0] + 1, span[1], m.group(1)))
    return out


def _open_list(text: str) -> str:
    """Existing text ready for ``- `` items to follow: a final newline, and an empty ``[]`` removed."""
    if text.strip() and yaml.safe_load(text) == [] and any(line.strip() == "[]" for line in text.splitlines()):
        text = "\n".join(line for line in text.splitlines() if line.strip() != "[]") + "\n"
    if text and not text.endswith("\n"):
        text += "\n"
    return text


def rewrite(text: str, replacements: dict[int, str], appended: list[str]) -> str:
    """``text`` with the importer blocks whose ids sit on the given 1-based lines replaced, and blocks appended."""
    if replacements:
        lines = text.splitlines()
        for id_line in sorted(replacements, reverse=True):
            span = block_at(lines, id_line)
            if span is None:
                raise ValueError(f"line {id_line} does not start a record written by the importer")
            lines[span[0]:span[1]] = replacements[id_line].rstrip("\n").split("\n")
        text = "\n".join(lines) + "\n"
    return _open_list(text) + "".join(appended)
