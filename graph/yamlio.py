"""Read YAML while remembering the line of every value.

``load_with_lines`` returns plain Python data plus a map from the path of each
value (a tuple of keys and list indexes) to its 1-based line, so that
validation errors can name the line an analyst has to edit.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import SeedProblem

Path_ = tuple[Any, ...]


class _Loader(yaml.SafeLoader):
    """Safe loader that keeps dates as text (validation parses them)."""


# Keep YYYY-MM-DD as strings: partial dates (2025-05) are strings anyway and
# one parser for both keeps error messages consistent.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _convert(node: yaml.Node, path: Path_, lines: dict[Path_, int], loader: _Loader, file: str,
             problems: list[SeedProblem]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                problems.append(SeedProblem(file, key_node.start_mark.line + 1, str(key),
                                            "key appears twice in the same record"))
            out[key] = _convert(value_node, path + (key,), lines, loader, file, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, path + (i,), lines, loader, file, problems) for i, v in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_with_lines(path: Path, display: str | None = None) -> tuple[Any, dict[Path_, int], list[SeedProblem]]:
    """Parse one YAML file. Returns (data, lines, problems); a syntax error is a problem, data None."""
    file = display or str(path)
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        msg = f"YAML syntax error: {exc.problem or exc.context}"
        return None, {}, [SeedProblem(file, line, "", msg)]
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    problems: list[SeedProblem] = []
    if node is None:
        return [], {(): 1}, problems
    return _convert(node, (), lines, loader, file, problems), lines, problems


def line_of(lines: dict[Path_, int], path: Path_) -> int:
    """Line of the deepest known prefix of ``path`` (a missing field points at its record)."""
    p = tuple(path)
    while p:
        if p in lines:
            return lines[p]
        p = p[:-1]
    return lines.get((), 1)
