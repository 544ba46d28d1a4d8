"""Analyses of the deal graph on NetworkX: the partner network, centrality, and each multinational's China exposure.

* ``partners.partner_graph(ds)``: organizations linked by the deals they made with each other (directed);
* ``centrality.centrality_table(G)``: degree, weighted degree, betweenness, closeness, PageRank, Louvain community;
* ``exposure.exposures(ds, …)``: sourcing, market and capital exposure of each multinational, with bounds;
* ``run_analyses(ds, out_dir, store=None)``: all of it, written as CSV, JSON and PNG (and node properties).

The names below are imported when first used, not with the package: a read command that only needs the
exposure text (or the saved centrality table) must not pay for NetworkX, NumPy and matplotlib (about
0.9 s of start-up). ``from graph.analysis import exposure`` still gives the function ``exposure``, as before.
"""
from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

#: Public name -> the submodule that defines it.
_HOME = {"CHINA": "exposure", "DIRECTIONS": "exposure", "GREATER_CHINA": "exposure", "Exposure": "exposure",
         "ExposureIndex": "exposure", "exposure": "exposure", "exposures": "exposure",
         "CentralityTable": "centrality", "centrality_table": "centrality",
         "deal_links": "partners", "partner_graph": "partners", "undirected": "partners",
         "run_analyses": "run"}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


class _Package(types.ModuleType):
    """Keeps ``graph.analysis.exposure`` the function: importing the submodule of the same name would
    otherwise bind the module to that attribute (as the eager imports of earlier versions never did)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _HOME.get(name) == name and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
