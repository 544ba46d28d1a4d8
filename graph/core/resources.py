"""Where the package's data lives: the ontology, the query library and the shipped seeds.

In a checkout (and an editable install) they are the top-level folders ``ontology/``,
``queries/``, ``seeds/`` and ``examples/``. A built wheel carries copies of them inside the package,
under ``graph/_data/`` (see ``setup.py``), so an installed ``dealgraph`` works from any
folder. ``resource_dir("ontology")`` returns whichever exists; nothing else in the
package spells these paths.

>>> resource_dir("ontology").joinpath("dealgraph.ttl").is_file()
True
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import DealgraphError

#: The folders a wheel carries; ``setup.py`` copies exactly these.
PACKAGED = ("ontology", "queries", "seeds", "examples")

_PACKAGE = Path(__file__).resolve().parents[1]  # the graph package (this file is in graph/core/)


@cache
def resource_dir(name: str) -> Path:
    """The folder holding the packaged resource ``name`` (one of ``PACKAGED``).

    The copy inside the installed package wins; a checkout falls back to the top-level folder.
    """
    if name not in PACKAGED:
        raise ValueError(f"unknown resource folder '{name}'; known: {', '.join(PACKAGED)}")
    for cand in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if cand.is_dir():
            return cand
    raise DealgraphError(f"the package's '{name}' folder is missing (looked in {_PACKAGE / '_data'} and "
                         f"{_PACKAGE.parent}); reinstall dealgraph")


def shipped_seeds() -> Path:
    """The seed dataset that ships with dealgraph (152 organizations, 67 deals… see ``seeds/DATACARD.md``)."""
    return resource_dir("seeds")
