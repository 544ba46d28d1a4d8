"""The import plan: each row's names resolved (explicit mapping, exact match, or a new record), its deal built
and validated with the seeds' models, and its deal matched against the seeds (same row, derived id, same parties)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..models.dataset import Dataset
from ..ingest.loading import _message
from ..models import Deal
from .mapping import Mapping
from .matching import NameIndex
from .results import ImportProblem, Item
from .rows import RowReader, date_cell
from .tables import Row, Table, cell_text


def slug(text: str) -> str:
    """An id-shaped slug: 'Jiangsu Hengrui Pharma' -> 'jiangsu-hengrui-pharma'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.casefold()).strip("-")


# --------------------------------------------------------------------------- the plan
@dataclass
class NewRecord:
    """An organization or asset this import creates."""

    kind: str
    raw: dict[str, Any]
    rows: list[int]
    key: str            # the mapping key of the column its name came from
    first: Row
    note: str = ""


@dataclass
class DealRow:
    row: Row
    raw: dict[str, Any]
    action: str = "added"
    target: str | None = None     # id of the existing deal for matched / updated / unchanged
    detail: str = ""


class Planner:
    def __init__(self, ds: Dataset, m: Mapping, table: Table, source_id: str):
        self.ds, self.m, self.table, self.source_id = ds, m, table, source_id
        self.cells = RowReader(m)
        self.problems: list[ImportProblem] = []
        self.warnings: list[str] = []
        self.index = {"organizations": NameIndex((o.id, o.names()) for o in ds.organizations.values()),
                      "assets": NameIndex((a.id, a.names()) for a in ds.assets.values())}
        self.new: dict[str, dict[str, NewRecord]] = {"organizations": {}, "assets": {}}   # casefolded name -> record
        self.matched: dict[tuple[str, str], Item] = {}
        self.taken: dict[str, set[str]] = {}   # ids in the seeds and given to new records, per kind
        self.deals: list[DealRow] = []
        self.explicit = {"organizations": {k.casefold(): v for k, v in m.names.organizations.items()},
                         "assets": {k.casefold(): v for k, v in m.names.assets.items()}}

    def problem(self, row: Row | None, key: str | None, message: str, value: Any = None) -> None:
        col = self.cells.column(key) if key else None
        if value is None and row is not None and col is not None:
            value = row.cells.get(col)
        self.problems.append(ImportProblem(row.number if row else None, col, value, message))

    def cite(self, row: Row) -> str:
        return f"{self.source_id}:{row.number}"

    # -- names -----------------------------------------------------------------------------------
    def resolve(self, kind: str, name: str, row: Row, key: str, make: Any) -> str | None:
        """Id for a name in the file: explicit mapping, exact match, created in this import, or a new record."""
        what = "organization" if kind == "organizations" else "asset"
        index = self.index[kind]
        explicit = self.explicit[kind].get(name.casefold())
        if explicit is not None and explicit.casefold() != "new":
            found = index.get(explicit)
            if found is None:
                self.problem(row, key, f"names.{kind} maps '{name}' to '{explicit}', which is no {what} in the seeds",
                             name)
                return None
            self._match(kind, found, row, f"'{name}' by names.{kind} in the mapping")
            return found
        found = index.get(name) if explicit is None else None
        if found is not None:
            self._match(kind, found, row, f"'{name}' by {index.how(name, found)}")
            return found
        pending = self.new[kind].get(name.casefold())
        if pending is not None:
            if row.number not in pending.rows:
                pending.rows.append(row.number)
                pending.raw["sources"].append(self.cite(row))
            return pending.raw["id"]
        allowed = getattr(self.m.create, kind)
        suggestions = [] if explicit is not None else index.suggest(name, self.m.matching.suggest_above)
        hint = f"did you mean {' or '.join(map(str, suggestions))}? " if suggestions else ""
        if not allowed:
            self.problem(row, key, f"no {what} matches '{name}'; {hint}map it under names.{kind} in the mapping, "
                                   f"or set create.{kind}: true to create it", name)
            return None
        if suggestions and self.m.matching.near_miss == "error":
            self.problem(row, key, f"'{name}' matches no {what} exactly but resembles "
                                   f"{' and '.join(map(str, suggestions))}; "
                                   f"map it under names.{kind} (to an id, or to 'new' to create it)", name)
            return None
        rec_id = self._fresh_id(kind, name, row, key)
        raw = make(rec_id, name)
        raw["sources"] = [self.cite(row)]
        note = f"resembles {', '.join(map(str, suggestions))}" if suggestions else ""
        if suggestions:
            self.warnings.append(f"row {row.number}: created {what} '{rec_id}' for '{name}', which resembles "
                                 f"{' and '.join(map(str, suggestions))}")
        self.new[kind][name.casefold()] = NewRecord(kind, raw, [row.number], key, row, note)
        return rec_id

    def _fresh_id(self, kind: str, name: str, row: Row, key: str) -> str:
        base = slug(name) or f"{self.source_id}-r{row.number}-{slug(key)}"
        taken = self.taken.setdefault(kind, set(self.ds.table(kind)))  # kept up to date: no rebuild per row
        rec_id, n = base, 2
        while rec_id in taken:
            rec_id, n = f"{base}-{n}", n + 1
        taken.add(rec_id)
        return rec_id

    def _match(self, kind: str, rec_id: str, row: Row, how: str) -> None:
        item = self.matched.setdefault((kind, rec_id), Item("matched", kind, rec_id, [], how))
        if row.number not in item.rows:
            item.rows.append(row.number)
        if how not in item.detail.split("; "):
            item.detail = f"{item.detail}; {how}" if item.detail else how

    # -- rows ------------------------------------------------------------------------------------
    def org_maker(self, row: Row, role: str) -> Any:
        def make(rec_id: str, name: str) -> dict[str, Any]:
            raw: dict[str, Any] = {"id": rec_id, "name": name}
            country = self.cells.raw(row, f"{role}_country")
            country = (self.cells.word("country", cell_text(country)) if country is not None
                       else self.m.default(f"{role}_country"))
            if country is not None:
                raw["country"] = country
            kind = self.cells.raw(row, f"{role}_type")
            kind = (self.cells.word("org_type", cell_text(kind)) if kind is not None
                    else self.m.default(f"{role}_type") or self.m.default("org_type"))
            if kind is not None:
                raw["type"] = kind
            return raw
        return make

    def asset_maker(self, row: Row, parties: dict[str, list[str]]) -> Any:
        def make(rec_id: str, name: str) -> dict[str, Any]:
            raw: dict[str, Any] = {"id": rec_id, "name": name}
            for field_, key in (("type", "asset_type"), ("modality", "asset_modality"), ("target", "asset_target"),
                                ("indication", "asset_indication"), ("stage", "asset_stage")):
                v = self.cells.value(row, key)
                if v is not None:
                    raw[field_] = v
            role = self.m.asset_originator
            if role and len(parties.get(role, [])) == 1:
                raw["originator"] = parties[role][0]
            return raw
        return make

    def plan_row(self, row: Row) -> None:
        c = self.cells
        parties: dict[str, list[str]] = {}
        ok = True
        for role in self.m.roles():
            ids = []
            for name in c.items(row, role):
                found = self.resolve("organizations", name, row, role, self.org_maker(row, role))
                ok &= found is not None
                if found is not None and found not in ids:
                    ids.append(found)
            if ids:
                parties[role] = ids
        assets = []
        for name in c.items(row, "asset"):
            found = self.resolve("assets", name, row, "asset", self.asset_maker(row, parties))
            ok &= found is not None
            if found is not None and found not in assets:
                assets.append(found)
        raw: dict[str, Any] = {}
        if c.raw(row, "id") is not None:
            raw["id"] = cell_text(c.raw(row, "id"))
        for field_, key in (("type", "deal_type"), ("title", "title"), ("status", "status"),
                            ("stage_at_signing", "stage_at_signing"), ("royalties", "royalties"), ("note", "note")):
            v = c.value(row, key)
            if v is not None:
                raw[field_] = v
        d = date_cell(c.raw(row, "date"))
        if d is not None:
            raw["date"] = d
        raw["parties"] = parties
        if assets:
            raw["assets"] = assets
        for key in ("territory_include", "territory_exclude"):
            places = c.words(row, key)
            if places:
                raw[key] = places
        terms = {}
        for kind in self.m.term_columns():
            phrase, problem = c.money(row, kind)
            if problem:
                self.problem(row, kind, problem)
                ok = False
            elif phrase is not None:
                terms[kind] = phrase
        if terms:
            raw["terms"] = terms
        raw["sources"] = [self.cite(row)]
        if not parties:
            if ok:
                self.problem(row, None, "the row names no party: fill one of the columns "
                             + ", ".join(f"'{c.column(r)}'" for r in self.m.roles()))
            return
        if ok:
            self.deals.append(DealRow(row, raw))
        else:  # still report the row's other problems
            self.validate("deals", Deal, {**raw, "id": raw.get("id") or derived_id(raw, self.m.roles()) or "row"}, row)

    # -- validation ------------------------------------------------------------------------------
    FIELD_KEYS = {
        "deals": {"type": "deal_type", "assets": "asset"},
        "organizations": {"name": "{role}", "id": "{role}", "country": "{role}_country", "type": "{role}_type"},
        "assets": {"name": "asset", "id": "asset", "type": "asset_type", "modality": "asset_modality",
                   "target": "asset_target", "indication": "asset_indication", "stage": "asset_stage",
                   "originator": "{originator}"},
    }
    HINTS = {"deal_type": "defaults.deal_type", "asset_modality": "defaults.asset_modality",
             "{role}_type": "defaults.org_type"}

    def key_of(self, kind: str, loc: list[str], role: str | None = None) -> str | None:
        """The mapping key (and so the column) behind a field of a record built from a row."""
        if not loc:
            return None
        head = loc[0]
        if kind == "deals":
            if head == "parties" and len(loc) > 1:
                return loc[1]
            if head == "terms" and len(loc) > 1:
                return loc[1]
            if head == "sources":
                return None
            return self.FIELD_KEYS["deals"].get(head, head)
        key = self.FIELD_KEYS[kind].get(head)
        if key is None:
            return None
        return key.replace("{role}", role or "").replace("{originator}", self.m.asset_originator or "")

    def validate(self, kind: str, model: Any, raw: dict[str, Any], row: Row, role: str | None = None) -> Any:
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                field_, msg = _message(err, model)
                key = self.key_of(kind, field_.split("."), role)
                what = {"organizations": "new organization", "assets": "new asset", "deals": "deal"}[kind]
                if key is not None and self.cells.column(key) is None:
                    hint = self.HINTS.get(key.replace(role or "\0", "{role}"), f"defaults.{key}")
                    msg += f" (map a column to {key} or set {hint} in the mapping)" if "missing" in msg else ""
                    key = {"organizations": role, "assets": "asset"}.get(kind)   # point at the record's name
                self.problem(row, key, f"{what} {raw.get('id', '')}: {field_}: {msg}")
            return None


# --------------------------------------------------------------------------- deal matching
def party_key(parties: dict[str, list[str]]) -> frozenset[tuple[str, str]]:
    return frozenset((role, o) for role, orgs in parties.items() for o in orgs)


def dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def derived_id(raw: dict[str, Any], roles: list[str]) -> str:
    parts = [raw["date"][:7]] if raw.get("date") else []
    for role in roles:
        parts += raw["parties"].get(role, [])
    return slug("-".join(parts))


def differences(new: Deal, old: Deal) -> str:
    """What the file says differently from an existing deal (figures, date, assets)."""
    out = []
    if not dates_agree(new.date, old.date):
        out.append(f"date: file {new.date}, seeds {old.date}")
    for kind, claims in new.terms.items():
        if kind not in old.terms:
            out.append(f"{kind}: file {claims[0].text}, not in seeds")
            continue
        a, b = claims[0], old.terms[kind][0]
        if (a.amount, a.currency) != (b.amount, b.currency):
            out.append(f"{kind}: file {a.text}, seeds {b.text}")
    extra = [x for x in new.assets if x not in old.assets]
    if extra:
        out.append(f"assets: file adds {', '.join(extra)}")
    return "; ".join(out)
