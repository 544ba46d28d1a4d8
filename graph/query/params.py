"""The parameters of a library query: reading ``name=value`` and typing each value by the header's example."""
from __future__ import annotations

import re
from typing import Any

from ..core.errors import DealgraphError
from .library import QueryInfo


class ParameterError(DealgraphError):
    """A parameter is missing, unknown, or cannot be read as its type."""



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


