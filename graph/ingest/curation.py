"""Curated facts and the gaps they fill: which facts come from the documents and which from curation.

Terms:

- **document fact**: a field whose value a cited line of a source document states or clearly implies.
- **curated fact**: a field the documents do not state but that is common knowledge (GSK is British). The
  record lists it under ``curated`` with a one-line basis in our words; it is shown as ``curated:<field>``
  wherever sources are shown, never as a document line.
- **unknown**: a field that neither the documents nor common knowledge give; the record lists it under
  ``unknown`` with the reason.
- **country gap**: an organization that is a party to a deal and has no headquarters country and no
  ``unknown`` reason. The shipped seeds have none; ``dealgraph validate`` lists any.

"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models.dataset import Dataset


@dataclass(frozen=True)
class Fact:
    """One curated or unknown fact: ``Fact('organizations', 'gsk', 'country', 'GB', 'curated', 'London-based …')``."""

    kind: str      # seed file: organizations, assets
    record: str    # record id
    field: str     # seed field: country, multinational, subsidiary_of, modality…
    value: Any     # the curated value (None for unknown)
    status: str    # 'curated' or 'unknown'
    basis: str     # one line: why it holds, or why it cannot be known


def example() -> Dataset:
    """The small dataset the examples below use: a Chinese licensor, a curated British licensee,
    one licensee with no country and one whose country is recorded as unknown."""
    from ..models import Deal, Organization

    def org(i: str, **kw: Any) -> Organization:
        return Organization(id=i, name=i.upper(), type="pharma", sources=["doc:1"], **kw)

    return Dataset(organizations={"hengrui": org("hengrui", country="CN"),
                                  "gsk": org("gsk", country="GB", curated={"country": "London-based"}),
                                  "x": org("x"), "y": org("y", unknown={"country": "not named"})},
                   deals={"d": Deal(id="d", type="licence", sources=["doc:1"],
                                    parties={"licensor": "hengrui", "licensee": ["gsk", "x", "y"]})})


def curated_facts(ds: Dataset) -> list[Fact]:
    """Every curated and unknown fact in the dataset, sorted by kind, record and field.

    >>> ds = example()
    >>> [(f.record, f.field, f.value, f.status) for f in curated_facts(ds)]
    [('gsk', 'country', 'GB', 'curated'), ('y', 'country', None, 'unknown')]
    """
    out: list[Fact] = []
    for kind in ("organizations", "assets", "deals"):
        for rec in ds.table(kind).values():
            for field, basis in rec.curated.items():
                out.append(Fact(kind, rec.id, field, getattr(rec, field), "curated", basis))
            for field, reason in rec.unknown.items():
                out.append(Fact(kind, rec.id, field, None, "unknown", reason))
    return sorted(out, key=lambda f: (f.kind, f.record, f.field))


def deal_parties(ds: Dataset) -> list[str]:
    """Ids of the organizations that are a party to at least one deal, sorted."""
    return sorted({o for d in ds.deals.values() for o in d.party_ids()})


def country_gaps(ds: Dataset) -> list[str]:
    """Deal parties with no headquarters country and no ``unknown`` reason (should be none).

    >>> country_gaps(example())
    ['x']
    """
    return [o for o in deal_parties(ds)
            if not ds.organizations[o].country and "country" not in ds.organizations[o].unknown]


def unknown_countries(ds: Dataset, parties_only: bool = True) -> list[str]:
    """Organizations whose country is recorded as unknown (with a reason); deal parties only by default."""
    ids = deal_parties(ds) if parties_only else sorted(ds.organizations)
    return [o for o in ids if "country" in ds.organizations[o].unknown]


def country_sources(ds: Dataset) -> dict[str, int]:
    """How many organizations have a document, curated or unknown headquarters country.

    >>> country_sources(example())
    {'document': 1, 'curated': 1, 'unknown': 2}
    """
    counts = {"document": 0, "curated": 0, "unknown": 0}
    for o in ds.organizations.values():
        counts[o.provenance_of("country")] += 1
    return counts


def country_warnings(ds: Dataset) -> list[str]:
    """Lines for ``dealgraph validate``: every deal party without a country, then those marked unknown."""
    out = [f"deal party without a headquarters country: {o} ({ds.organizations[o].name})" for o in country_gaps(ds)]
    out += [f"deal party with an unknown headquarters country: {o} ({ds.organizations[o].name}): "
            f"{ds.organizations[o].unknown['country']}" for o in unknown_countries(ds)]
    return out
