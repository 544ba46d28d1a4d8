"""Read YAML while remembering the line of every value, and never crash on what a file holds.

``load_with_lines`` returns plain Python data plus a map from the path of each
value (a tuple of keys and list indexes) to its 1-based line, so that
validation errors can name the line an analyst has to edit. It parses with
libyaml (``yaml.CSafeLoader``) when PyYAML has it, the pure-Python loader otherwise.

Whatever the bytes, the result is data or a list of ``file:line: field: message``
problems, never an exception: a file that is not UTF-8 (a Latin-1 byte, a UTF-16
file), raw control characters, a list or mapping used as a key, nesting deeper
than ``MAX_DEPTH``, an alias that contains itself, and aliases that expand to more
values than the file could spell out (``alias bombs``) are all reported. Text
values may not hold control characters other than tab and line break.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable

import yaml

from ..core.errors import SeedProblem
from ..core.gcpause import paused_gc

Path_ = tuple[Any, ...]

#: Deepest nesting of lists and mappings a seed file may use (records need about five).
MAX_DEPTH = 50
#: Values aliases may add beyond those written in the file (which bounds alias expansion).
ALIAS_ALLOWANCE = 10_000

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text (validation parses them)."""


# Keep YYYY-MM-DD as strings: partial dates (2025-05) are strings anyway and
# one parser for both keeps error messages consistent.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_STR = "tag:yaml.org,2002:str"
_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF16_LE, "UTF-16"),
         (codecs.BOM_UTF16_BE, "UTF-16"))


def control_character(text: str) -> str | None:
    """The first control character in ``text`` other than tab and line breaks, as ``U+0007``; else None.

    >>> control_character("Acme\\x1b[31m"), control_character("two\\nlines")
    ('U+001B', None)
    """
    m = _CONTROL_RE.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def decode(raw: bytes, file: str) -> tuple[str | None, list[SeedProblem]]:
    """``raw`` as UTF-8 text (a UTF-8 byte-order mark dropped), or a problem naming the line of the first bad byte.

    >>> decode("name: Café".encode("latin-1"), "f.yaml")[1][0].message
    'not UTF-8: byte 0xE9 at column 10 cannot be read; save the file as UTF-8'
    """
    for bom, name in _BOMS:
        if raw.startswith(bom) or (name == "UTF-16" and len(raw) > 1 and raw[1:2] == b"\x00" and raw[:1] != b"\x00"):
            return None, [SeedProblem(file, 1, "", f"the file is {name}, not UTF-8; save it as UTF-8")]
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        start = body.rfind(b"\n", 0, exc.start) + 1
        col = len(body[start:exc.start].decode("utf-8", "replace")) + 1
        return None, [SeedProblem(file, line, "", f"not UTF-8: byte 0x{body[exc.start]:02X} at column {col} "
                                                  "cannot be read; save the file as UTF-8")]


def _raw_controls(text: str, file: str) -> list[SeedProblem]:
    """Raw control characters (libyaml would refuse them without a line), one problem per line, at most 20."""
    out: list[SeedProblem] = []
    for m in _CONTROL_RE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if out and out[-1].line == line:
            continue
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        out.append(SeedProblem(file, line, "", f"control character U+{ord(m.group()):04X} at column {col}; "
                                               "text cannot hold control characters"))
        if len(out) >= 20:
            break
    return out


def _field(path: Path_) -> str:
    """The path inside a record (the list index of the record left out), dotted."""
    return ".".join(str(x) for x in (path[1:] if path and isinstance(path[0], int) else path))


class _Walk:
    """Turns a composed node tree into data and lines, with the bounds of the module docstring."""

    def __init__(self, loader: Any, file: str, budget: int):
        self.loader, self.file, self.budget = loader, file, budget
        self.lines: dict[Path_, int] = {}
        self.problems: list[SeedProblem] = []
        self.active: set[int] = set()
        self.constructors: dict[str, Callable[..., Any]] = loader.yaml_constructors

    def problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        self.problems.append(SeedProblem(self.file, node.start_mark.line + 1, _field(path), message))

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag == _STR:
            value = node.value
        else:
            make = self.constructors.get(node.tag) or self.constructors.get(None)
            try:
                value = make(self.loader, node)
            except (yaml.YAMLError, ValueError, TypeError, ArithmeticError):
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                raise _Stop(node, path, f"'{node.value}' cannot be read as {tag}") from None
        # raw control characters were refused before parsing; only "\x07"-style escapes can make one
        if node.style == '"' and isinstance(value, str):
            bad = control_character(value)
            if bad:
                self.problem(node, path, f"text holds control character {bad}; remove it")
        return value

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Stop(node, path, "aliases expand to more values than the file writes out; "
                                    "write the values out instead of repeating aliases")
        self.lines[path] = node.start_mark.line + 1
        cls = type(node)
        if cls is _SCALAR:
            return self.scalar(node, path)
        if len(path) >= MAX_DEPTH:
            raise _Stop(node, path, f"nested more than {MAX_DEPTH} levels deep")
        key = id(node)
        if key in self.active:
            raise _Stop(node, path, "an alias refers to a list or mapping that contains it (a recursive alias)")
        self.active.add(key)
        convert, lines = self.convert, self.lines
        try:
            if cls is _SEQUENCE:
                return [convert(v, path + (i,)) for i, v in enumerate(node.value)]
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not _SCALAR:
                    what = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
                    self.problem(key_node, path, f"a key must be plain text, not a {what}")
                    continue
                k = key_node.value if key_node.tag == _STR else self.scalar(key_node, path)
                if not isinstance(k, str):
                    self.problem(key_node, path, f"a key must be text, not {k!r} (put it in quotes)")
                    continue
                if k in out:
                    self.problems.append(SeedProblem(self.file, key_node.start_mark.line + 1,
                                                     _field(path + (k,)), "key appears twice in the same record"))
                if type(value_node) is _SCALAR and self.budget > 0:  # the common leaf, inline
                    self.budget -= 1
                    sub = path + (k,)
                    lines[sub] = value_node.start_mark.line + 1
                    out[k] = self.scalar(value_node, sub)
                else:
                    out[k] = convert(value_node, path + (k,))
            return out
        finally:
            self.active.discard(key)


class _Stop(Exception):
    """A bound was passed: the walk stops with one problem."""

    def __init__(self, node: yaml.Node, path: Path_, message: str):
        super().__init__(message)
        self.node, self.path, self.message = node, path, message


def load_text(text: str, file: str) -> tuple[Any, dict[Path_, int], list[SeedProblem]]:
    """Parse YAML text. Returns (data, lines, problems); data is None when the text cannot be read at all."""
    with paused_gc():  # parsing allocates only live objects: collections would walk them all and free nothing
        return _load_text(text, file)


def _load_text(text: str, file: str) -> tuple[Any, dict[Path_, int], list[SeedProblem]]:
    controls = _raw_controls(text, file)
    if controls:
        return None, {}, controls
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        return None, {}, [SeedProblem(file, line, "", f"YAML syntax error: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:  # a reader error without a mark
        return None, {}, [SeedProblem(file, 0, "", f"YAML cannot be read: {str(exc).splitlines()[0]}")]
    except RecursionError:
        return None, {}, [SeedProblem(file, 0, "", f"nested more than {MAX_DEPTH} levels deep")]
    if node is None:
        loader.dispose()
        return [], {(): 1}, []
    walk = _Walk(loader, file, len(text) + ALIAS_ALLOWANCE)
    try:
        data = walk.convert(node, ())
    except _Stop as stop:
        walk.problem(stop.node, stop.path, stop.message)
        return None, {}, walk.problems
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # a scalar its tag cannot build (e.g. !!int x)
        return None, {}, [SeedProblem(file, 0, "", f"YAML value cannot be read: {str(exc).splitlines()[0]}")]
    finally:
        loader.dispose()
    return data, walk.lines, walk.problems


def load_with_lines(path: Path, display: str | None = None) -> tuple[Any, dict[Path_, int], list[SeedProblem]]:
    """Parse one YAML file. Returns (data, lines, problems); an unreadable file is a problem, data None.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = p.write_bytes(b"- id: a\\n  name: &n [*n]\\n")
    >>> data, lines, problems = load_with_lines(p, "x.yaml")
    >>> data, str(problems[0])
    (None, 'x.yaml:2: name.0: an alias refers to a list or mapping that contains it (a recursive alias)')
    """
    file = display or str(path)
    text, problems = read_text(path, file)
    if text is None:
        return None, {}, problems
    return load_text(text, file)


def read_text(path: Path, file: str) -> tuple[str | None, list[SeedProblem]]:
    """The text of a seed file (``decode``), or None and the problem (named ``file``) that keeps it from being read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [SeedProblem(file, 0, "", f"cannot be read: {exc.strerror or exc}")]
    return decode(raw, file)


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a raw control character (which ``load_text`` reports, line by line)."""
    return _CONTROL_RE.search(text) is not None


def line_of(lines: dict[Path_, int], path: Path_) -> int:
    """Line of the deepest known prefix of ``path`` (a missing field points at its record)."""
    p = tuple(path)
    while p:
        if p in lines:
            return lines[p]
        p = p[:-1]
    return lines.get((), 1)


def name_key(name: str) -> str:
    """The form names are compared in: Unicode NFKC, then case folding (full-width look-alikes are equal).

    >>> name_key("ＡＣＭＥ Bio") == name_key("acme bio")
    True
    """
    return unicodedata.normalize("NFKC", name).casefold()
