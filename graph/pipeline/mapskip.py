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
card, size or measure differs. An exposure map of F is drawn from F's ``Exposure`` (its group, direct China
deals and indirect chains: ``exposure_view``); the build records a digest of it with the map
(``exposure_digest``). A previous exposure map is still exact when that digest is unchanged, the two rules
above hold for its records, and no changed deal is named anywhere in the ``Exposure`` nor has a party in
F's group: its lines, deals, assets and figures are then those it had. The overview shows every deal's
parties: it is always drawn (with its positions kept when ``layoutmemo`` allows). Anything else (an
organization, asset, source or event changed, no previous figures) and nothing is skipped.

Example: ``untouched(ds, stages, saved_entries, new_centrality_path, exposures)`` -> paths of maps to link.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .manifest import code_version, digest, ontology_version


def exposure_digest(exposure: Any) -> str:
    """A digest of everything an ``Exposure`` holds (``to_dict``), sets sorted: the same exposure, the same text.

    >>> from graph.analysis.exposure import Exposure
    >>> exposure_digest(Exposure("m", "M", "US", ["m"], {}, ["CN"])) == exposure_digest(
    ...     Exposure("m", "M", "US", ["m"], {}, ["CN"]))
    True
    """
    def plain(o: Any) -> Any:
        return sorted(o, key=str) if isinstance(o, (set, frozenset)) else str(o)

    return hashlib.sha256(json.dumps(exposure.to_dict(), sort_keys=True, default=plain).encode()).hexdigest()


def _strings(value: Any, out: set[str]) -> set[str]:
    """Every string anywhere in ``value`` (dict keys and values, lists), into ``out``."""
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _strings(k, out)
            _strings(v, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            _strings(v, out)
    return out


def _rows(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {r["id"]: r for r in data.get("organizations", [])}


def _seen(ds: Any, stages: Any, saved: list[dict[str, Any]], centrality: Path) -> tuple[set[str], set[str]] | None:
    """(the changed deals and their parties, the organizations whose centrality row changed) when only deals
    changed since a build by the same code and ontology; None when unsure."""
    prev, changes = stages.prev, stages.changes
    if prev is None or stages.full or changes is None or not saved:
        return None
    if prev.code != code_version() or prev.ontology != ontology_version() or prev.stages.get("maps") != digest(
            "maps", prev.code, prev.ontology, prev.projection):
        return None
    if any(kind != "deals" for kind, _ in changes.keys) or not stages.usable("centrality.json"):
        return None
    old, new = _rows(stages.out / "centrality.json"), _rows(centrality)
    if old is None or new is None:
        return None
    touched = {i for _, i in changes.keys}
    for i in list(touched):
        if i in ds.deals:
            touched.update(ds.deals[i].party_ids())
    return touched, {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def new_cards(ds: Any, stages: Any, saved: list[dict[str, Any]], centrality: Path, done: set[str]
              ) -> dict[str, set[str]]:
    """Overview and ego maps (not in ``done``) that the edited deals may change in their cards only: map path ->
    the changed deals it shows, to write with ``recard(..., card_only=True)``, which refuses a deal whose page
    record changed beyond its card (then the map is drawn). Only when every change is a modified deal, none
    of the map's organizations has a new centrality row, and every changed deal the map does not show has no
    party on it (for the overview: it shows every changed deal)."""
    seen = _seen(ds, stages, saved, centrality)
    ch = stages.changes
    if seen is None or ch.added or ch.removed or ch.moved:
        return {}
    refigured, deals = seen[1], {i for _, i in ch.keys}
    out = {}
    for e in saved:
        shown = set(e["records"])
        if e["path"] in done or e.get("kind") not in ("overview", "ego") or not shown.isdisjoint(refigured):
            continue
        others = deals - shown
        if (e["kind"] == "overview" and others) or any(shown.intersection(ds.deals[d].party_ids()) for d in others):
            continue
        if deals & shown:
            out[e["path"]] = deals & shown
    return out


def untouched(ds: Any, stages: Any, saved: list[dict[str, Any]], centrality: Path,
              exposures: dict[str, Any] | None = None) -> set[str]:
    """Paths of the previous build's ego and exposure maps (``saved``: the entries of its ``maps.json``) that
    this build may link as they are (see the module docstring); empty when unsure. ``centrality``: this build's
    ``centrality.json``; ``exposures``: this build's ``Exposure`` per multinational (none: every exposure map
    is drawn)."""
    seen = _seen(ds, stages, saved, centrality)
    if seen is None:
        return set()
    touched, refigured = seen
    deals = {i for _, i in stages.changes.keys}
    out = set()
    for e in saved:
        shown = set(e["records"])
        if not (shown.isdisjoint(touched) and shown.isdisjoint(refigured)):
            continue
        if e.get("kind") == "exposure":
            exp = (exposures or {}).get(e.get("org"))
            if exp is None or not e.get("exp") or e["exp"] != exposure_digest(exp) \
                    or not touched.isdisjoint(exp.group) or not deals.isdisjoint(_strings(exp.to_dict(), set())):
                continue
        elif e.get("kind") != "ego":
            continue
        out.add(e["path"])
    return out
