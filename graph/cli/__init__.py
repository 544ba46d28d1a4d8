"""The ``dealgraph`` command: a thin layer over the library.

Each sub-command lives in a module of this package named for what it does and
registers itself on ``main`` (``graph/cli/group.py``); the commands call library
functions and format their results, nothing more. A command's module is imported
when that command runs (``COMMANDS``), not with the package: ``dealgraph search``
does not pay for NetworkX, NumPy or rdflib, which other commands' options need
(about 0.3 s of start-up). Anything that lists the commands (``--help``,
``main.commands``) loads them all.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any, Iterator

from .group import main

__all__ = ["main"]

#: Command name -> the module of this package that defines it (tests/test_cli_lazy.py checks the list).
COMMANDS = {"validate": "build", "build": "build", "conflicts": "build", "coverage": "build", "datacard": "build",
            "synth": "stores", "centrality": "analysis", "exposure": "analysis", "map": "maps",
            "import": "interchange", "export": "interchange", "query": "query", "queries": "query",
            "search": "search", "init": "init", "neo4j-style": "browser", "neo4j-guide": "browser"}


def _load(module: str) -> None:
    try:
        import_module(f"{__name__}.{module}")
    except ModuleNotFoundError as exc:  # a module left out of a trimmed install: its commands are absent
        if exc.name != f"{__name__}.{module}":
            raise


class _Commands(dict):
    """``main.commands``: a command's module is imported when the command is looked up by name; iterating,
    counting or listing imports them all, so every reader sees every command."""

    def _all(self) -> None:
        for module in dict.fromkeys(COMMANDS.values()):
            _load(module)

    def get(self, name: Any, default: Any = None) -> Any:
        if not dict.__contains__(self, name) and name in COMMANDS:
            _load(COMMANDS[name])
        return dict.get(self, name, default)

    def __getitem__(self, name: Any) -> Any:
        value = self.get(name, self)
        if value is self:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return self.get(name) is not None

    def __iter__(self) -> Iterator[str]:
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)

    def keys(self):  # type: ignore[override]
        self._all()
        return dict.keys(self)

    def values(self):  # type: ignore[override]
        self._all()
        return dict.values(self)

    def items(self):  # type: ignore[override]
        self._all()
        return dict.items(self)


main.commands = _Commands(main.commands)
