"""Exactly what the analyses read from a dataset, as one digest (``analysis_inputs``).

``run_analyses`` (partner network, centrality, exposure, plots) reads only part
of a validated dataset. Its *inputs* are:

* **organizations**: id, name, kind, headquarters ``country``, the
  ``multinational`` flag, ``subsidiary_of``, ``formed_by`` and ``stakes``
  (holder, percent) — groups, roll-ups, headquarters, holdings and chains;
* **deals**: id, type, ``date`` as written (so its precision), status, parties
  by role, assets covered (in order), ``territory_include``, and for each term
  kind and each party's contribution the *preferred* claim (``values``: the
  first listed) with its text, amount, currency, qualifier, disclosure, USD
  value and included terms;
* **assets**: id, name, modality and originator (indirect chains, modality mix);
* **termination events** of a deal (``type == 'termination'`` with a ``deal``):
  id, deal, date, ``returned`` and the preferred ``retained`` claim.

Everything else is not read: notes, titles, citations (``sources``), aliases,
former names and code names, curated and unknown bases, disputes, later claims
of a term, royalties, cost splits, periods, stages, targets, indications,
excluded territories, other events, source documents and statistics. Records
are taken in id order, so moving a record within or between seed files changes
nothing. The ontology and dealgraph's code are further inputs, keyed apart by
the build.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from ..models.dataset import Dataset
from ..core.gcpause import without_gc
from ..models import Money

__all__ = ["analysis_inputs", "inputs_projection"]


def _exact(v: Any) -> str | None:
    """A Decimal by its exact text ('1.50' stays '1.50'), None as None."""
    return None if v is None else str(v)


def _claim(m: Money | None) -> list[Any] | None:
    if m is None:
        return None
    return [m.text, _exact(m.amount), m.currency, m.qualifier, m.disclosure, _exact(m.usd), list(m.includes)]


def _first(claims: list[Money] | None) -> list[Any] | None:
    return _claim(claims[0]) if claims else None


@without_gc
def inputs_projection(ds: Dataset) -> dict[str, list[list[Any]]]:
    """The part of ``ds`` the analyses read (module docstring), as plain lists in id order.

    >>> p = inputs_projection(tiny)
    >>> sorted(p), p["assets"][0]
    (['assets', 'deals', 'organizations', 'terminations'], ['a1', 'A-1', 'bispecific-antibody', 'cn1'])
    """
    orgs = [[o.id, o.name, o.type, o.country, o.multinational, o.subsidiary_of, list(o.formed_by),
             [[s.org, _exact(s.percent)] for s in o.stakes]]
            for o in (ds.organizations[k] for k in sorted(ds.organizations))]
    deals = [[d.id, d.type, d.date, d.status, {r: list(v) for r, v in d.parties.items()}, list(d.assets),
              list(d.territory_include), {k: _first(c) for k, c in d.terms.items()},
              {o: _first(c) for o, c in d.contributions.items()}]
             for d in (ds.deals[k] for k in sorted(ds.deals))]
    assets = [[a.id, a.name, a.modality, a.originator] for a in (ds.assets[k] for k in sorted(ds.assets))]
    ends = [[e.id, e.deal, e.date, e.returned, _first(e.terms.get("retained"))]
            for e in (ds.events[k] for k in sorted(ds.events)) if e.type == "termination" and e.deal]
    return {"organizations": orgs, "deals": deals, "assets": assets, "terminations": ends}


def analysis_inputs(ds: Dataset) -> str:
    """SHA-256 (hex) of what the analyses read from ``ds`` (``inputs_projection``, module docstring).

    Two datasets with the same digest give the same analysis files, byte for
    byte, under the same ontology and code: the build keys its analyses stage
    on it, so editing a note, a citation or an alias does not rerun them,
    while changing a party, a date, an amount or a country does. Decimals
    enter as written (``Decimal('1.50')`` and ``Decimal('1.5')`` differ).

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> ds = tiny.merged(Dataset())                  # a copy whose tables can change
    >>> before = analysis_inputs(ds)
    >>> ds.organizations["mnc"] = ds.organizations["mnc"].model_copy(update={"note": "renamed in 2025"})
    >>> analysis_inputs(ds) == before
    True
    >>> ds.organizations["mnc"] = ds.organizations["mnc"].model_copy(update={"country": "GB"})
    >>> analysis_inputs(ds) == before
    False
    """
    text = json.dumps(inputs_projection(ds), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
