"""Running a query of the analysts' Cypher library (or any ``.cypher`` file), read-only.

``run_query`` binds parameters as Cypher parameters (never pasted into the
text), refuses obviously writing statements before they reach the database
and leaves the real guard to the store, which runs every query read-only.

The library's files and their headers are read by ``graph.query.library`` (where the header format is
defined), parameters by ``graph.query.params``, and ``queries/README.md`` is written by
``graph.query.readme``; their public names are importable from here too.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from .library import (QUERY_DIR, README, Param, QueryFileError, QueryInfo, UnknownQuery, list_queries, load_query,
                      parse_query, strip_code, used_params)
from .params import ParameterError, bind_params, convert_value, parse_assignment
from .readme import render_readme
from .readonly import StatementRefused, check_read_statement
from ..find.resolve import resolve_in_store
from ..stores.base import ReadOnlyViolation, Store

__all__ = ["QUERY_DIR", "README", "Param", "QueryFileError", "QueryInfo", "UnknownQuery", "list_queries",
           "load_query", "parse_query", "strip_code", "used_params", "ParameterError", "bind_params",
           "convert_value", "parse_assignment", "render_readme", "WriteRefused", "check_read_only",
           "prepare_query", "resolve_names", "run_query"]

ORDER_RE = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


class WriteRefused(ReadOnlyViolation):
    """The query text writes (or calls procedures); the runner refuses it before sending it."""


# --------------------------------------------------------------------------- running
def check_read_only(info: QueryInfo) -> None:
    """Refuse a text that is not one read statement (``graph.query.readonly.check_read_statement``).

    The text is tokenized by Cypher's lexical rules and every clause, keyword and function must be on
    the read-only allow-list; the store's read-only execution is a second guard behind it.
    """
    try:
        check_read_statement(info.cypher)
    except StatementRefused as exc:
        raise WriteRefused(f"query '{info.name}' is refused at {exc}") from None


def _sort_key(v: Any) -> tuple:
    """Orders any result values: numbers by value, then text, then lists and the rest, None last."""
    if v is None:
        return (3, 0, "")
    if isinstance(v, bool):
        return (0, int(v), "")
    if isinstance(v, (int, float, Decimal)):
        return (1, v, "")
    if isinstance(v, str):
        return (2, 0, v)
    return (2, 1, json.dumps(v, sort_keys=True, default=str))


def prepare_query(name_or_path: str | Path, params: dict[str, Any] | None = None,
                  directory: Path = QUERY_DIR) -> tuple[QueryInfo, dict[str, Any]]:
    """Everything ``run_query`` checks before touching a database: the query, its read-only text, its parameters."""
    info = load_query(name_or_path, directory)
    check_read_only(info)
    return info, bind_params(info, params or {})


def resolve_names(store: Store, info: QueryInfo, bound: dict[str, Any],
                  notify: Callable[[str], None] | None = None) -> dict[str, Any]:
    """``bound`` with every name parameter (header ``names``) replaced by the id of the record it names.

    Resolution follows ``graph.find.resolve`` against the names held in ``store``;
    an inexact match is reported through ``notify`` (the CLI prints it on
    stderr). Raises ``UnknownName`` or ``AmbiguousName`` (both ``DealgraphError``).
    """
    out = dict(bound)
    for param, kind in info.names:
        if isinstance(out.get(param), str):
            res = resolve_in_store(store, out[param], kind)
            if res.note and notify is not None:
                notify(f"{param}: {res.note}")
            out[param] = res.id
    return out


def run_query(store: Store, name_or_path: str | Path, params: dict[str, Any] | None = None,
              directory: Path = QUERY_DIR, notify: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Run a library query (or a ``.cypher`` file) on ``store`` read-only and return its rows.

    Parameters are checked and typed by ``bind_params`` and passed to the
    database as parameters. List columns the header calls ``unordered`` come back
    sorted; so do the rows of a query without ``ORDER BY`` (by their values, left
    to right), so that the output never depends on the engine or the run.
    Parameters that name a record are resolved first (``resolve_names``). Raises
    ``UnknownQuery``, ``ParameterError``, ``UnknownName``/``AmbiguousName``,
    ``WriteRefused`` (also for a write the database itself refuses) or the
    store's ``QueryError``.

    Example: ``run_query(store, "company_deals", {"name": "Hengriu"}, notify=print)``
    prints ``name: 'Hengriu' taken as organization Jiangsu Hengrui Pharmaceuticals (hengrui)``.
    """
    info, bound = prepare_query(name_or_path, params, directory)
    bound = resolve_names(store, info, bound, notify)
    try:
        rows = store.query(info.cypher, bound)
    except WriteRefused:
        raise
    except ReadOnlyViolation as exc:
        raise WriteRefused(f"query '{info.name}' is refused by {store.name}: {exc}") from exc
    for row in rows:
        for col in info.unordered:
            if isinstance(row.get(col), list):
                row[col] = sorted(row[col], key=_sort_key)
    if not ORDER_RE.search(strip_code(info.cypher)):
        rows.sort(key=lambda r: tuple(_sort_key(v) for v in r.values()))
    return rows
