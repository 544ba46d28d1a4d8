"""The validated dataset: every record by id, with name lookups and where each record was written."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from . import Asset, Deal, Event, Organization, Record, Source, Statistic


@dataclass(frozen=True)
class Origin:
    """Where a record was written: seed file and line."""

    file: str
    line: int


@dataclass
class Dataset:
    sources: dict[str, Source] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    statistics: dict[str, Statistic] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)

    KINDS = ("sources", "organizations", "assets", "deals", "events", "statistics")

    def table(self, kind: str) -> dict[str, Record]:
        return getattr(self, kind)

    def records(self) -> Iterator[tuple[str, Record]]:
        for kind in self.KINDS:
            for rec in self.table(kind).values():
                yield kind, rec

    def counts(self) -> dict[str, int]:
        return {k: len(self.table(k)) for k in self.KINDS}

    # -- lookups -------------------------------------------------------------
    def org(self, name_or_id: str) -> Organization:
        """An organization by id, name, alias or former name (case-insensitive)."""
        return _lookup(self.organizations, name_or_id, "organization")

    def asset(self, name_or_id: str) -> Asset:
        """An asset by id, name, code name or alias (case-insensitive)."""
        return _lookup(self.assets, name_or_id, "asset")

    def deals_of(self, org_id: str) -> list[Deal]:
        return [d for d in self.deals.values() if org_id in d.party_ids()]

    def merged(self, other: "Dataset") -> "Dataset":
        """A new dataset with ``other``'s records added (``other`` wins on equal ids)."""
        out = Dataset(origins={**self.origins, **other.origins})
        for kind in self.KINDS:
            setattr(out, kind, {**self.table(kind), **other.table(kind)})
        return out


def _lookup(table: dict[str, Any], name_or_id: str, what: str) -> Any:
    if name_or_id in table:
        return table[name_or_id]
    key = name_or_id.casefold()
    for rec in table.values():
        if key == rec.id or key in (n.casefold() for n in rec.names()):
            return rec
    raise KeyError(f"no {what} called '{name_or_id}'")
