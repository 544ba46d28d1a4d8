"""The figures of one exposure measure, from the deals it counts (``summarise``).

Given the deals a measure counts for certain (*China*) and those it counts as
*possibly China* (a party of unknown country), ``summarise`` gives:

* ``deals`` (lower bound), ``possible_deals``, ``deals_high`` = deals +
  possible_deals (upper bound); ``all_deals`` of the group in the period;
  ``share`` = deals / all_deals and ``share_high`` = deals_high / all_deals;
* ``value_usd``: the sum of the China deals' headline values
  (``values.headline``: the ``total`` if disclosed, else the disclosed parts;
  equity left out), ``value_possible_usd`` the same for the possible deals,
  ``value_high_usd`` their sum, ``value_share`` = value_usd / all_value_usd.
  "Up to", "over", "about" and "under" amounts count in full and are labelled
  (``by_qualifier``); undisclosed amounts count as deals but add no value
  (``undisclosed_deals``, ``no_value_reasons``);
* ``upfront_usd``, ``equity_usd``: disclosed upfront and equity terms of the
  China deals (paid by the group when it takes, received when it gives: see
  each deal's ``inbound``);
* ``partners``: each Chinese organization behind the China deals, a deal with
  several split equally among them (``weight``, value); ``possible_partners``
  the organizations of unknown country behind the possible deals;
* Herfindahl index over partners: ``hhi_deals = Σ (weight_p / Σ weight)²``,
  ``hhi_value`` likewise over value (None without value), from 1/n to 1;
* composition ``by_modality``, ``by_family``, ``by_type``, ``by_year``
  (a deal covering several modalities counts under each, its value split
  equally), ``terminated`` deals with what was retained and returned, and the
  ``deal_list`` and ``possible_list`` behind every figure.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from ..models import Deal
from ..models.values import party_headline, preferred, usd_of
from .chains import ExposureIndex

MONEY_DIGITS = 2
SHARE_DIGITS = 6


def money(x: float) -> float:
    """A USD amount rounded to cents (so sums of floats print the same on every run)."""
    return round(x, MONEY_DIGITS) + 0.0


def share(num: float, den: float) -> float | None:
    """num / den rounded to 6 decimals; None when den is 0."""
    return round(num / den, SHARE_DIGITS) + 0.0 if den else None


def _bucket() -> dict[str, Any]:
    return {"deals": 0, "value_usd": 0.0, "partners": set()}


def _close(buckets: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: {"deals": b["deals"], "value_usd": money(b["value_usd"]), "partners": sorted(b["partners"])}
            for k, b in sorted(buckets.items(), key=lambda kv: str(kv[0]))}


def hhi(weights: Iterable[float]) -> float | None:
    """Herfindahl index of the weights: Σ (w / Σ w)², None when they sum to 0.

    >>> hhi([1, 1]), hhi([3]), hhi([0])
    (0.5, 1.0, None)
    """
    w = [x for x in weights if x > 0]
    total = sum(w)
    if not total:
        return None
    return round(sum((x / total) ** 2 for x in w), SHARE_DIGITS) + 0.0


def _listing(ix: ExposureIndex, d: Deal, link: dict[str, Any], gset: frozenset[str]) -> dict[str, Any]:
    f = ix.facts(d.id)
    h, equity = f["head"], f["equity_usd"]
    if d.contributions:
        members = [o for o in f["parties"] if o in gset]
        if len(members) == 1 and d.contribution(members[0]) is not None:
            # the group is credited with its own stated part, not the whole round (``values.party_headline``):
            # Bayer put USD 35 million into Ji Xing's USD 162 million financing
            h = party_headline(d, members[0])
            equity = h.usd if equity is not None else None
    roles = sorted(r for r, orgs in d.parties.items() if any(o in gset for o in orgs))
    return {"deal": d.id, "date": d.date, "type": d.type, "status": d.status, "roles": roles,
            "partners": link["partners"], "via": link["via"], "inbound": link.get("inbound", False),
            "headline_usd": h.usd, "qualifier": h.qualifier, "basis": h.basis, "kinds": list(h.kinds),
            "no_value_reason": h.reason, "upfront_usd": f["upfront_usd"], "equity_usd": equity,
            "assets": list(d.assets), "modalities": list(f["modalities"]), "families": list(f["families"]),
            "terminated": f["terminated"]}


def summarise(ix: ExposureIndex, gset: frozenset[str], certain: list[tuple[Deal, dict[str, Any]]],
              possible: list[tuple[Deal, dict[str, Any]]], all_deals: int, all_value: float) -> dict[str, Any]:
    """Every figure of one measure (see the module docstring).

    ``certain`` and ``possible``: (deal, link) pairs, the link as
    ``direction.china_link`` gives it (its ``partners`` are the organizations
    behind the deal).
    """
    ds = ix.ds
    value = upfront = equity = 0.0
    undisclosed = 0
    reasons: dict[str, int] = defaultdict(int)
    by_q: dict[str, dict[str, Any]] = {}
    by_mod: dict[str, dict[str, Any]] = defaultdict(_bucket)
    by_fam: dict[str, dict[str, Any]] = defaultdict(_bucket)
    by_type: dict[str, dict[str, Any]] = defaultdict(_bucket)
    by_year: dict[str, dict[str, Any]] = defaultdict(_bucket)
    partners: dict[str, dict[str, Any]] = {}
    terminated, listing = [], []
    for d, link in certain:
        row = _listing(ix, d, link, gset)
        listing.append(row)
        cn = link["partners"]
        usd = row["headline_usd"] or 0.0
        up, eq = row["upfront_usd"] or 0.0, row["equity_usd"] or 0.0
        if row["headline_usd"] is None:
            undisclosed += 1
            reasons[row["no_value_reason"] or "not-given"] += 1
        else:
            value += usd
            b = by_q.setdefault(row["qualifier"], {"deals": 0, "value_usd": 0.0})
            b["deals"] += 1
            b["value_usd"] += usd
        upfront += up
        equity += eq
        year = ix.years[d.id]
        for buckets, keys in ((by_mod, row["modalities"]), (by_fam, row["families"]), (by_type, [d.type]),
                              (by_year, [str(year) if year else "undated"])):
            for k in keys:
                b = buckets[k]
                b["deals"] += 1
                b["value_usd"] += usd / len(keys)
                b["partners"].update(link["partners"])
        for p in cn:
            e = partners.get(p)
            if e is None:
                e = partners[p] = {"deals": [], "weight": 0.0, "value_usd": 0.0, "upfront_usd": 0.0, "equity_usd": 0.0}
            e["deals"].append(d.id)
            e["weight"] += 1 / len(cn)
            e["value_usd"] += usd / len(cn)
            e["upfront_usd"] += up / len(cn)
            e["equity_usd"] += eq / len(cn)
        if row["terminated"]:
            evs = ix.terminations.get(d.id, [])
            ret = [r for r in (preferred(e.terms, "retained") for e in evs) if r is not None]
            terminated.append({
                "deal": d.id, "partners": link["partners"], "status": d.status, "events": [e.id for e in evs],
                "date": next((e.date for e in evs if e.date), None),
                "retained_usd": money(sum(usd_of(r) or 0.0 for r in ret)) if any(usd_of(r) for r in ret) else None,
                "retained": [r.text for r in ret], "returned": [e.returned for e in evs if e.returned],
                "headline_usd": row["headline_usd"], "headline_qualifier": row["qualifier"]})
    poss_list = [_listing(ix, d, link, gset) for d, link in possible]
    value_poss = sum(r["headline_usd"] or 0.0 for r in poss_list)
    poss_partners: dict[str, list[str]] = {}
    for r in poss_list:
        for p in r["partners"]:
            poss_partners.setdefault(p, []).append(r["deal"])

    total_w = sum(p["weight"] for p in partners.values())
    total_v = sum(p["value_usd"] for p in partners.values())
    partner_rows = []
    for pid in sorted(partners, key=lambda p: (-partners[p]["weight"], -partners[p]["value_usd"], p)):
        e = partners[pid]
        o = ds.organizations.get(pid)
        partner_rows.append({"id": pid, "name": o.name if o else pid, "country": ix.country(pid),
                             "deals": e["deals"], "weight": round(e["weight"], SHARE_DIGITS) + 0.0,
                             "value_usd": money(e["value_usd"]), "upfront_usd": money(e["upfront_usd"]),
                             "equity_usd": money(e["equity_usd"]),
                             "deal_share": share(e["weight"], total_w), "value_share": share(e["value_usd"], total_v)})
    n, m = len(certain), len(possible)
    return {
        "deals": n, "possible_deals": m, "deals_high": n + m, "all_deals": all_deals,
        "share": share(n, all_deals), "share_high": share(n + m, all_deals),
        "value_usd": money(value), "value_possible_usd": money(value_poss), "value_high_usd": money(value + value_poss),
        "all_value_usd": money(all_value), "value_share": share(value, all_value),
        "upfront_usd": money(upfront), "equity_usd": money(equity),
        "inbound_deals": sum(1 for r in listing if r["inbound"]),
        "disclosed_deals": n - undisclosed, "undisclosed_deals": undisclosed,
        "no_value_reasons": dict(sorted(reasons.items())),
        "by_qualifier": {k: {"deals": b["deals"], "value_usd": money(b["value_usd"])} for k, b in sorted(by_q.items())},
        "hhi_deals": hhi(p["weight"] for p in partners.values()),
        "hhi_value": hhi(p["value_usd"] for p in partners.values()),
        "partners": partner_rows,
        "possible_partners": [{"id": p, "name": ds.organizations[p].name if p in ds.organizations else p,
                               "deals": sorted(v)} for p, v in sorted(poss_partners.items())],
        "by_modality": _close(by_mod), "by_family": _close(by_fam), "by_type": _close(by_type),
        "by_year": _close(by_year), "terminated": terminated, "deal_list": listing, "possible_list": poss_list,
    }
