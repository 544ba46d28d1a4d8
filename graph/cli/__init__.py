"""The ``dealgraph`` command: a thin layer over the library.

Each sub-command lives in a module of this package named for what it does and
registers itself on ``main``; the commands call library functions and format
their results, nothing more.
"""
from __future__ import annotations

from .group import main

__all__ = ["main"]


def _register() -> None:
    from . import build  # noqa: F401  (commands register on import)
    for optional in ("stores", "analysis", "maps", "interchange", "query", "search", "init", "browser"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{optional}":
                raise


_register()
