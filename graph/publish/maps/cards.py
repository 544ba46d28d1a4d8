"""What a reader sees about a deal or an organization on a map: exact money, parties, assets, sources.

``deal_record`` is the one description of a deal the page holds: the hover cards, the
in-page filters and the CSV export all read it. Money is exact: amounts are the
preferred claims' own words (``Money.text``) and their USD values as decimal strings
(``Decimal``, never a binary float), so the page can add them up exactly.
"""
from __future__ import annotations

import weakref
from decimal import Decimal
from typing import Any

from ...models.dataset import Dataset
from ...models import Deal
from ...models.values import headline, preferred
from ...models.vocabulary import vocabulary
from . import flows, style
from .filters import usd_text


def _dec(x: Decimal | None) -> str | None:
    if x is None:
        return None
    s = format(Decimal(x).normalize(), "f")
    return s


def headline_money(deal: Deal) -> tuple[Decimal | None, str]:
    """(exact USD headline value or None, its words) per ``graph.models.values.headline``.

    A single claim keeps the source's words ('up to USD 1.97 billion' stays as written); a sum of
    parts is written from the exact sum with the combined qualifier. Undisclosed: (None, reason).
    """
    h = headline(deal)
    if h.usd is None:
        return None, {"undisclosed": "undisclosed", "no-usd": "not in USD", "not-given": "not given"}.get(
            h.reason or "", "not disclosed")
    claims = [preferred(deal.terms, k) for k in h.kinds]
    total = sum((Decimal(c.usd) for c in claims), Decimal(0))
    if len(claims) == 1:
        c = claims[0]
        text = c.text if c.currency in (None, "USD") else f"{c.text} (≈ {usd_text(total, c.qualifier)})"
        return total, text
    return total, usd_text(total, h.qualifier)


def upfront_money(deal: Deal) -> tuple[Decimal | None, str]:
    """(exact USD upfront or None, its words as the source wrote them, or 'not stated')."""
    c = preferred(deal.terms, "upfront")
    if c is None:
        return None, "not stated"
    if not c.disclosed:
        return None, "none" if c.disclosure == "absent" else c.disclosure
    usd = Decimal(c.usd) if c.usd is not None else None
    if usd is not None and c.currency not in (None, "USD"):
        return usd, f"{c.text} (≈ {usd_text(usd)})"
    return usd, c.text


# The map set describes the same deal on many maps (its parties' ego and exposure maps, the overview):
# each record is made once per dataset (a Dataset is never changed after loading) and copied out.
_RECORDS: dict[str, Any] = {"ref": None, "records": {}}


def deal_record(ds: Dataset, d: Deal) -> dict[str, Any]:
    """Everything the page shows or filters on about one deal, as JSON-ready values (a fresh dict each call,
    made once per dataset and deal).

    Keys: id, title, date ('' if undated), year, type, type_label, family, status, parties
    ([role label, names]), party_ids ([id, name]), roles ([role label, [ids]]), givers, takers (ids, per ``flows.sides``),
    assets (names with modality), asset_ids, codes (asset codes), modality_families, headline,
    headline_usd (decimal string or None), upfront, upfront_usd, sources (doc:line), note, direction
    ({'mainland': …, 'greater': …}, ``flows.direction`` for either China).
    """
    ref = _RECORDS["ref"]
    if ref is None or ref() is not ds:
        _RECORDS["ref"], _RECORDS["records"] = weakref.ref(ds), {}
    made = _RECORDS["records"].get(d.id)
    if made is None or made[0] is not d:
        made = _RECORDS["records"][d.id] = (d, _deal_record(ds, d))
    return dict(made[1])


def _deal_record(ds: Dataset, d: Deal) -> dict[str, Any]:
    v = vocabulary()
    name = (lambda o: ds.organizations[o].name if o in ds.organizations else o)
    parties = [[v.roles[r].label if r in v.roles else r, ", ".join(name(o) for o in orgs)]
               for r, orgs in d.parties.items()]
    assets, codes, fams = [], [], []
    for a in d.assets:
        rec = ds.assets.get(a)
        if rec is None:
            assets.append(a)
            continue
        mod = v.modalities[rec.modality].label if rec.modality in v.modalities else rec.modality
        extra = ", ".join(x for x in (mod, rec.target or "") if x)
        assets.append(f"{rec.name} ({extra})" if extra else rec.name)
        codes.extend(rec.names())
        fam = v.modality_family(rec.modality) if rec.modality in v.modalities else rec.modality
        if fam not in fams:
            fams.append(fam)
    g, t, p = flows.sides(d)
    cn, gc = chinese_sets(ds)
    hv, ht = headline_money(d)
    uv, ut = upfront_money(d)
    return {
        "id": d.id, "title": d.title or "", "date": d.date or "", "year": d.year,
        "type": d.type, "type_label": v.deal_types[d.type].label if d.type in v.deal_types else d.type,
        "family": style.family_of(d.type),
        "status": v.statuses[d.status].label if d.status in v.statuses else d.status,
        "parties": parties, "party_ids": [[o, name(o)] for o in d.party_ids()],
        "roles": [[v.roles[r].label if r in v.roles else r, list(orgs)] for r, orgs in d.parties.items()],
        "givers": g, "takers": t if g or t else [], "assets": assets, "asset_ids": list(d.assets),
        "codes": codes, "modality_families": fams,
        "headline": ht, "headline_usd": _dec(hv), "upfront": ut, "upfront_usd": _dec(uv),
        "sources": sorted({str(c) for c in d.sources} | {str(c) for cl in d.terms.values() for m in cl
                                                        for c in m.sources}),
        "note": d.note or "",
        "direction": {"mainland": flows.direction(d, cn), "greater": flows.direction(d, gc)},
    }


# The sets of the last organizations table asked about, kept with the table itself: keyed on ``id()`` they were
# once handed to a later dataset whose table took the freed table's address (a rebuild in the same process).
_CHINESE: dict[str, Any] = {"orgs": None, "sets": None}


def chinese_sets(ds: Dataset) -> tuple[frozenset[str], frozenset[str]]:
    """Ids of organizations headquartered in mainland China, and in Greater China (CN, HK, MO, TW)."""
    if _CHINESE["orgs"] is not ds.organizations:
        gc_codes = vocabulary().place_members("GREATER-CHINA")
        _CHINESE["sets"] = (frozenset(o.id for o in ds.organizations.values() if o.country == "CN"),
                            frozenset(o.id for o in ds.organizations.values() if o.country in gc_codes))
        _CHINESE["orgs"] = ds.organizations
    return _CHINESE["sets"]


def documents(ds: Dataset) -> dict[str, list[str]]:
    """Source document id -> [title, date], for showing a citation with its document."""
    return {k: [s.title, s.date] for k, s in sorted(ds.sources.items())}


def country_text(code: str | None) -> str:
    if not code:
        return "not recorded"
    p = vocabulary().places.get(code)
    return f"{p.label} ({code})" if p else code


def org_about(ds: Dataset, oid: str) -> list[list[str]]:
    """Rows about an organization: headquarters, kind, multinational, other names, note, sources."""
    v = vocabulary()
    o = ds.organizations[oid]
    rows = [["Headquarters", country_text(o.country)],
            ["Kind", v.org_kinds[o.type].label if o.type in v.org_kinds else o.type]]
    if o.multinational:
        rows.append(["Multinational", "yes"])
    others = o.names()[1:]
    if others:
        rows.append(["Also known as", "; ".join(others[:6]) + (" …" if len(others) > 6 else "")])
    if o.note:
        rows.append(["Note", o.note])
    rows.append(["Sources", ", ".join(sorted({str(c) for c in o.sources}))])
    return rows
