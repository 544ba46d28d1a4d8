"""The analysts' Cypher library (``queries/*.cypher``): finding the files and reading their headers.


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
resolves each through ``graph.find.resolve`` against the store's own names and
passes the record's id, so a misspelt name is corrected (and said) or refused
with suggestions, never answered with no rows. A header line without a key
continues the previous one. ``optional: from_year = 0, to_year = 9999``

Parameters are read and typed by ``graph.query.params``; ``graph.query.run`` runs a query.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import DealgraphError
from ..core.resources import resource_dir

QUERY_DIR = resource_dir("queries")
README = QUERY_DIR / "README.md"

HEADER_KEYS = ("name", "question", "param", "unordered", "names", "optional")
PARAM_RE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<rest>.+)$")
USED_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownQuery(DealgraphError):
    """No library query has that name and no file has that path."""


class QueryFileError(DealgraphError):
    """A query file's header is malformed."""



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
def strip_code(cypher: str) -> str:
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
    for m in USED_PARAM_RE.finditer(strip_code(cypher)):
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
    from ..find.resolve import NAME_KINDS

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


