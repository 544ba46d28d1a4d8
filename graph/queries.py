"""The analysts' Cypher library (``queries/*.cypher``) and the read-only runner.

Each library file starts with a header of ``//`` comment lines::

    // name: company_partners
    // question: Which organizations are within N deal-steps of this company…
    // param: name = "Hengrui"  an id, name, alias or former name
    // param: hops = 2  how many deal-steps to follow, 1 to 4
    // unordered: counterparties
    // names: name=organization

``name`` must equal the file name; ``question`` says what the query answers;
each ``param`` gives a parameter, an example value written as JSON (its type is
the parameter's type) and what it means; ``unordered`` names list columns whose
order carries no meaning (the runner sorts them, so output is the same on every
engine and every run); ``names`` says which parameters name a record and of
what kind (organization, asset, deal, modality, place or measure): the runner
resolves each through ``graph.resolve`` against the store's own names and
passes the record's id, so a misspelt name is corrected (and said) or refused
with suggestions, never answered with no rows. A header line without a key
continues the previous one. ``optional: from_year = 0, to_year = 9999``
gives parameters a default (JSON values) used when the caller leaves them out.

``run_query`` binds parameters as Cypher parameters (never pasted into the
text), refuses obviously writing statements before they reach the database
and leaves the real guard to the store, which runs every query read-only.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from .errors import DealgraphError
from .readonly import StatementRefused, check_read_statement
from .resolve import resolve_in_store
from .resources import resource_dir
from .stores.base import ReadOnlyViolation, Store

QUERY_DIR = resource_dir("queries")
README = QUERY_DIR / "README.md"

HEADER_KEYS = ("name", "question", "param", "unordered", "names", "optional")
PARAM_RE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<rest>.+)$")
USED_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ORDER_RE = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


class UnknownQuery(DealgraphError):
    """No library query has that name and no file has that path."""


class QueryFileError(DealgraphError):
    """A query file's header is malformed."""


class ParameterError(DealgraphError):
    """A parameter is missing, unknown, or cannot be read as its type."""


class WriteRefused(ReadOnlyViolation):
    """The query text writes (or calls procedures); the runner refuses it before sending it."""


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, an example value (whose type is the parameter's) and what it means."""

    name: str
    example: Any = None
    description: str = ""

    @property
    def type(self) -> type | None:
        """bool, int, float or str; None when the query gives no example (an ad-hoc file)."""
        return None if self.example is None else type(self.example)

    def cli(self) -> str:
        """The example as the command line takes it: ``--param hops=2``."""
        v = self.example
        text = json.dumps(v) if isinstance(v, bool) else (str(v) if v is not None else "VALUE")
        if isinstance(v, str) and (" " in v or not v):
            text = json.dumps(v)
        return f"{self.name}={text}"


@dataclass(frozen=True)
class QueryInfo:
    """One query: where it lives, its header and its Cypher text."""

    name: str
    question: str
    params: tuple[Param, ...]
    unordered: tuple[str, ...]
    path: Path
    cypher: str
    names: tuple[tuple[str, str], ...] = ()
    defaults: tuple[tuple[str, Any], ...] = ()

    def name_kind(self, param: str) -> str | None:
        """The kind of record parameter ``param`` names (``organization``…), or None when it is not a name."""
        return dict(self.names).get(param)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def example_params(self) -> dict[str, Any]:
        """The header's example value for every parameter."""
        return {p.name: p.example for p in self.params}


# --------------------------------------------------------------------------- parsing
def _strip_code(cypher: str) -> str:
    """The text with comments and string literals blanked and backtick names removed (keeps line breaks)."""
    out: list[str] = []
    i, n = 0, len(cypher)
    while i < n:
        ch = cypher[i]
        if cypher.startswith("//", i):
            j = cypher.find("\n", i)
            i = n if j < 0 else j
        elif cypher.startswith("/*", i):
            j = cypher.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif ch in ("'", '"', "`"):
            j = i + 1
            while j < n and cypher[j] != ch:
                j += 2 if cypher[j] == "\\" and ch != "`" else 1  # no escapes in `names`
            out.append(" _ " if ch == "`" else " '' ")
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def used_params(cypher: str) -> list[str]:
    """Names of the ``$parameters`` the Cypher text uses (outside comments and strings), in first-use order."""
    seen: list[str] = []
    for m in USED_PARAM_RE.finditer(_strip_code(cypher)):
        if m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def _parse_param(text: str, where: str) -> Param:
    m = PARAM_RE.match(text.strip())
    if not m:
        raise QueryFileError(f"{where}: write a parameter as 'param: NAME = EXAMPLE  description', "
                             f'e.g. param: name = "Jiangsu Hengrui"  a company name; got "{text.strip()}"')
    rest = m["rest"]
    try:
        example, end = json.JSONDecoder().raw_decode(rest)
    except json.JSONDecodeError:
        raise QueryFileError(f"{where}: the example of parameter '{m['name']}' must be a JSON value "
                             f'(a "quoted string", a number, true or false); got {rest.split()[0]}') from None
    if not isinstance(example, (str, int, float, bool)):
        raise QueryFileError(f"{where}: the example of parameter '{m['name']}' must be a string, number or "
                             f"boolean, not {type(example).__name__}")
    return Param(m["name"], example, rest[end:].strip())


def parse_query(text: str, path: Path, *, library: bool = True) -> QueryInfo:
    """Read a query file's header and text.

    ``library=True`` (files in ``queries/``) requires ``name`` equal to the file
    name, a ``question``, and a ``param`` line for exactly the parameters the
    Cypher uses. For an ad-hoc file the header is optional: the name is the file
    name and every ``$parameter`` in the text is required, typed from the
    command line value.
    """
    fields: dict[str, list[str]] = {k: [] for k in HEADER_KEYS}
    lines: dict[str, list[int]] = {k: [] for k in HEADER_KEYS}
    last: str | None = None
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        key, sep, value = body.partition(":")
        key = key.strip().lower()
        if sep and key in HEADER_KEYS:
            fields[key].append(value.strip())
            lines[key].append(no)
            last = key
        elif sep and re.fullmatch(r"[a-z_]+", key) and library:
            raise QueryFileError(f"{path}:{no}: unknown header field '{key}'; expected one of "
                                 f"{', '.join(HEADER_KEYS)}")
        elif last is not None and body:
            fields[last][-1] = f"{fields[last][-1]} {body}".strip()
    for key in ("name", "question"):
        if len(fields[key]) > 1:
            raise QueryFileError(f"{path}:{lines[key][1]}: '{key}' is given twice")
    name = fields["name"][0] if fields["name"] else path.stem
    question = fields["question"][0] if fields["question"] else ""
    params = tuple(_parse_param(t, f"{path}:{n}") for t, n in zip(fields["param"], lines["param"]))
    unordered = tuple(c.strip() for t in fields["unordered"] for c in t.split(",") if c.strip())
    named = _parse_names(fields["names"], lines["names"], path, [p.name for p in params] + used_params(text))
    names = [p.name for p in params]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise QueryFileError(f"{path}: parameter '{dupes[0]}' is declared twice")
    used = used_params(text)
    if library:
        if not fields["name"]:
            raise QueryFileError(f"{path}: the header needs '// name: {path.stem}'")
        if name != path.stem or not NAME_RE.match(name):
            raise QueryFileError(f"{path}: the name '{name}' must be the file name ('{path.stem}'), "
                                 "lower-case letters, digits and underscores")
        if not question:
            raise QueryFileError(f"{path}: the header needs '// question: …' saying what the query answers")
        undeclared = [p for p in used if p not in names]
        if undeclared:
            raise QueryFileError(f"{path}: the query uses ${undeclared[0]} but the header has no "
                                 f"'// param: {undeclared[0]} = EXAMPLE' line")
        unused = [p for p in names if p not in used]
        if unused:
            raise QueryFileError(f"{path}: parameter '{unused[0]}' is declared but the query never uses "
                                 f"${unused[0]}")
    else:
        params = params + tuple(Param(p) for p in used if p not in names)
    defaults = _parse_defaults(fields["optional"], lines["optional"], path, params)
    return QueryInfo(name, question, params, unordered, path, text, named, defaults)


def _parse_defaults(texts: list[str], nos: list[int], path: Path, params: tuple[Param, ...]
                    ) -> tuple[tuple[str, Any], ...]:
    """``optional: from_year = 0, include_undated = false`` → defaults of the same type as each example."""
    out: list[tuple[str, Any]] = []
    types = {p.name: p.type for p in params}
    for text, no in zip(texts, nos):
        for part in (x.strip() for x in text.split(",") if x.strip()):
            key, sep, raw = (y.strip() for y in part.partition("="))
            try:
                value = json.loads(raw) if sep else None
            except json.JSONDecodeError:
                value = None
            if key not in types or value is None or (types[key] is not None and type(value) is not types[key]):
                raise QueryFileError(f"{path}:{no}: write 'optional: PARAM = DEFAULT' with a declared parameter "
                                     f"and a JSON default of its example's type; got '{part}'")
            out.append((key, value))
    return tuple(out)


def _parse_names(texts: list[str], nos: list[int], path: Path, params: list[str]) -> tuple[tuple[str, str], ...]:
    """``names: from=organization, to=organization`` → ``(('from', 'organization'), ('to', 'organization'))``."""
    from .resolve import NAME_KINDS

    out: list[tuple[str, str]] = []
    for text, no in zip(texts, nos):
        for part in (x.strip() for x in text.split(",") if x.strip()):
            key, sep, kind = (y.strip() for y in part.partition("="))
            if not sep or kind not in NAME_KINDS:
                raise QueryFileError(f"{path}:{no}: write 'names: PARAM=KIND' with KIND one of "
                                     f"{', '.join(NAME_KINDS)}; got '{part}'")
            if key not in params:
                raise QueryFileError(f"{path}:{no}: 'names' mentions '{key}', which is not a parameter of the query")
            out.append((key, kind))
    return tuple(out)


# --------------------------------------------------------------------------- the library
def list_queries(directory: Path = QUERY_DIR) -> list[QueryInfo]:
    """Every query of the library in ``directory``, sorted by name, headers parsed and checked."""
    if not directory.is_dir():
        raise UnknownQuery(f"no query library at {directory}")
    return [parse_query(p.read_text(encoding="utf-8"), p) for p in sorted(directory.glob("*.cypher"))]


def load_query(name_or_path: str | Path, directory: Path = QUERY_DIR) -> QueryInfo:
    """A library query by name (``company_profile``), or any ``.cypher`` file by path."""
    text = str(name_or_path)
    lib = directory / f"{text}.cypher"
    if NAME_RE.match(text) and lib.is_file():
        return parse_query(lib.read_text(encoding="utf-8"), lib)
    path = Path(name_or_path)
    if path.is_file():
        inside = path.resolve().parent == directory.resolve()
        return parse_query(path.read_text(encoding="utf-8"), path, library=inside)
    known = sorted(p.stem for p in directory.glob("*.cypher")) if directory.is_dir() else []
    close = difflib.get_close_matches(text, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else (
        f"; the library has {', '.join(known)}" if known else "")
    raise UnknownQuery(f"no query called '{text}' (and no file at that path){hint}")


# --------------------------------------------------------------------------- parameters
_INT_RE = re.compile(r"^[+-]?\d+$")
_FLOAT_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")
TYPE_WORDS = {int: "a whole number", float: "a number", bool: "true or false", str: "text"}


def parse_assignment(text: str) -> tuple[str, str]:
    """``'hops=2'`` → ``('hops', '2')``; a clear error when there is no ``=``."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise ParameterError(f"write parameters as key=value, e.g. --param name=Hengrui; got '{text}'")
    return key, value


def convert_value(text: str, kind: type | None, name: str = "value") -> Any:
    """A command-line string as the parameter's type.

    With a known type: ``int`` and ``float`` must parse as numbers (``1e9`` is a
    float; an int-looking value is fine for a float); ``bool`` takes
    true/false/yes/no/1/0; ``str`` keeps the text, minus one pair of
    surrounding quotes. Without one: ``true``/``false`` → bool, whole numbers →
    int, other numbers → float, anything else → str.
    """
    raw = text.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    if kind is str:
        return raw
    if kind is bool or (kind is None and raw.lower() in ("true", "false")):
        low = raw.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ParameterError(f"parameter '{name}' is true or false, not '{text}'")
    if kind is int or (kind is None and _INT_RE.match(raw)):
        if _INT_RE.match(raw):
            return int(raw)
        raise ParameterError(f"parameter '{name}' is a whole number, not '{text}'")
    if kind is float or (kind is None and _FLOAT_RE.match(raw)):
        if _FLOAT_RE.match(raw.replace("_", "")):
            return float(raw.replace("_", ""))
        raise ParameterError(f"parameter '{name}' is a number, not '{text}'")
    return raw


def bind_params(info: QueryInfo, given: dict[str, Any]) -> dict[str, Any]:
    """The parameters to send: every one the query declares, each of its declared type.

    Strings (from the command line) are converted with ``convert_value``; other
    values are checked (an int is accepted for a float parameter). Raises
    ``ParameterError`` naming a missing or unknown parameter and the query's example.
    """
    unknown = [k for k in given if info.param(k) is None]
    if unknown:
        takes = ", ".join(p.name for p in info.params) or "no parameters"
        raise ParameterError(f"query '{info.name}' has no parameter '{unknown[0]}'; it takes {takes}")
    out: dict[str, Any] = {}
    defaults = dict(info.defaults)
    for p in info.params:
        if p.name not in given and p.name in defaults:
            out[p.name] = defaults[p.name]
            continue
        if p.name not in given:
            example = f" (e.g. --param {p.cli()})" if p.example is not None else ""
            what = f": {p.description}" if p.description else ""
            raise ParameterError(f"query '{info.name}' needs parameter '{p.name}'{what}{example}")
        v = given[p.name]
        if isinstance(v, str):
            v = convert_value(v, p.type, p.name)
        elif p.type is float and isinstance(v, int) and not isinstance(v, bool):
            v = float(v)
        elif p.type is not None and (not isinstance(v, p.type) or (p.type is not bool and isinstance(v, bool))):
            raise ParameterError(f"parameter '{p.name}' of query '{info.name}' takes {TYPE_WORDS[p.type]}, "
                                 f"not {v!r} (e.g. {p.cli()})")
        out[p.name] = v
    return out


# --------------------------------------------------------------------------- running
def check_read_only(info: QueryInfo) -> None:
    """Refuse a text that is not one read statement (``graph.readonly.check_read_statement``).

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

    Resolution follows ``graph.resolve`` against the names held in ``store``;
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
    if not ORDER_RE.search(_strip_code(info.cypher)):
        rows.sort(key=lambda r: tuple(_sort_key(v) for v in r.values()))
    return rows


# --------------------------------------------------------------------------- README
def render_readme(queries: list[QueryInfo] | None = None) -> str:
    """``queries/README.md``: how to run the library and a table of every query, made from the headers.

    The text lives in ``graph.query_readme`` (``render_readme`` there); this is its public entry point.
    """
    from .query_readme import render_readme as render

    return render(list_queries() if queries is None else queries)
