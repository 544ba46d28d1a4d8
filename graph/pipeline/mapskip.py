"""Which ego maps an edit of deals cannot have touched, so that a rebuild links them without drawing them.

An ego map of multinational F shows F, the organizations its deals and corporate links tie it to (``keep``),
the deals with a line between two of them (or with one party only, in ``keep``), and for each organization
its card (its record), its size and its measures (its row of ``centrality.json``; the size is its row's
measure over the largest in ``keep``). The previous build recorded the ids each map shows (``records``).
When the only records that changed are deals (added, removed, modified or moved), with the same code and
ontology, a previous ego map is still exact when:

* none of the changed deals is among its records, nor has any of its (new) parties among them: a deal that
  gained a line into the map names one of its organizations; a deal that touched F was drawn;
* every organization among its records has the same ``centrality.json`` row as before: a deal that left one
  of them (its old party) changes that organization's deal count, so its row, unless that organization is a
  party of another changed deal (the first rule).

Then ``keep`` is unchanged (a changed deal touching F is on the map), no deal enters or leaves the map, no
card, size or measure differs. The overview shows every deal's parties, and exposure maps follow chains
of deals beyond what they show: both are always drawn (with their positions kept when ``layoutmemo`` allows).
Anything else (an organization, asset, source or event changed, no previous figures) and nothing is skipped.

Example: ``untouched(stages, saved_entries, new_centrality_path)`` -> paths of ego maps to link.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .manifest import code_version, digest, ontology_version


def _rows(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {r["id"]: r for r in data.get("organizations", [])}


def untouched(ds: Any, stages: Any, saved: list[dict[str, Any]], centrality: Path) -> set[str]:
    """Paths of the previous build's ego maps (``saved``: the entries of its ``maps.json``) that this build may
    link as they are (see the module docstring); empty when unsure. ``centrality``: this build's
    ``centrality.json``."""
    prev, changes = stages.prev, stages.changes
    if prev is None or stages.full or changes is None or not saved:
        return set()
    if prev.code != code_version() or prev.ontology != ontology_version() or prev.stages.get("maps") != digest(
            "maps", prev.code, prev.ontology, prev.projection):
        return set()
    if any(kind != "deals" for kind, _ in changes.keys) or not stages.usable("centrality.json"):
        return set()
    old, new = _rows(stages.out / "centrality.json"), _rows(centrality)
    if old is None or new is None:
        return set()
    touched = {i for _, i in changes.keys}
    for i in list(touched):
        if i in ds.deals:
            touched.update(ds.deals[i].party_ids())
    refigured = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    out = set()
    for e in saved:
        if e.get("kind") != "ego":
            continue
        shown = set(e["records"])
        if shown.isdisjoint(touched) and shown.isdisjoint(refigured):
            out.add(e["path"])
    return out
