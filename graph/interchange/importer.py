"""Merge an analyst's deal list (CSV, XLSX, JSON) into the seeds, or fail changing nothing.

``import_deals`` reads the file through a mapping (``mapping.py``), resolves every
organization and asset name against the seeds (``matching.py``), builds the same pydantic
records the seeds hold (``graph.models``) and checks them with the seeds' own rules: each
record with ``model_validate`` (errors worded by ``graph.loading``), then the combined seeds
(references, names claimed twice, citations) with ``load_seeds`` on a staged copy. Any
problem names the row, the column and the value, and nothing is written.

Provenance: the file is registered as a source (``sources.yaml``, type ``import``) and every
imported record cites ``<source-id>:<row>``, the row being a line of the cited document
(see ``tables.py``). Records are identified deterministically, so importing the same file
twice adds nothing the second time:

* a deal already imported from the same row (it cites ``<source-id>:<row>``) is *unchanged*,
  or *updated* in place when the row changed;
* a deal with the id the row derives (``YYYY-MM-<party>-<party>``, the seeds' convention, or
  the mapping's id column), or with the same parties in the same roles on a compatible date,
  is *matched*: hand-written records are never modified, differences are reported;
* anything else is *added*; organizations and assets are matched by id, name or alias, and
  created only when the mapping allows it (near misses are suggestions, never merges).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..dataset import Dataset
from ..csvsafe import FORMULA_STARTS
from ..errors import MAX_PER_FILE, DealgraphError, SeedError, clip
from ..loading import _message, load_seeds
from ..models import Asset, Deal, Organization, Source
from ..vocabulary import vocabulary
from . import seedtext
from .mapping import TRANSLATED_BY, VALUE_KINDS, Mapping, load_mapping
from .matching import NameIndex
from .tables import Row, Table, cell_text, read_table

NEGATIVE_RE = re.compile(r"^-\s*[0-9][0-9,]*(?:\.[0-9]+)?$")
NUMBER_RE = re.compile(r"^[0-9][0-9,]*(?:\.[0-9]+)?$")
SCALED_RE = re.compile(r"^[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:thousand|million|billion|k|m|mn|b|bn)$", re.I)
KINDS = ("sources", "organizations", "assets", "deals")
MODELS = {"sources": Source, "organizations": Organization, "assets": Asset, "deals": Deal}
ORDER = {k: list(m.model_fields) for k, m in MODELS.items()}  # fields written in the models' order


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ImportProblem:
    """One problem with one cell (or row) of the imported file."""

    row: int | None
    column: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        head = ", ".join(where)
        if self.value is not None:
            head += f" ('{_show(self.value)}')"
        return f"{head}: {self.message}" if head else self.message


class ImportFailed(DealgraphError):
    """The file cannot be imported; holds every problem found. Nothing was written."""

    def __init__(self, file: str, problems: list[ImportProblem]):
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        n = len(problems)
        lines = "\n".join(f"  {line}" for line in group_problems(self.problems))
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in {file}; nothing was imported\n{lines}")


def group_problems(problems: list[ImportProblem], examples: int = 3) -> list[str]:
    """A screenful of lines for ``problems``: the same problem in several rows (same column, same message
    but for the quoted value) is one line with a count and the first ``examples`` rows; at most
    ``MAX_PER_FILE`` lines, then a count of the rest.

    >>> ps = [ImportProblem(r, "Licensor", f"Name {r}", f"no organization matches 'Name {r}'") for r in (2, 3, 4, 5)]
    >>> group_problems(ps)
    ["4 rows, column 'Licensor': no organization matches '…' (e.g. row 2 ('Name 2'), row 3 ('Name 3'), row 4 ('Name 4'), …)"]
    """
    groups: dict[tuple[str | None, str], list[ImportProblem]] = {}
    for p in problems:
        pattern = re.sub(r"^(deal|new organization|new asset) \S+: ", r"\1 …: ", p.message)
        groups.setdefault((p.column, re.sub(r"'[^']*'", "'…'", pattern)), []).append(p)
    lines: list[str] = []
    for (column, pattern), ps in groups.items():
        if len(ps) == 1:
            lines.append(str(ps[0]))
            continue
        shown = ", ".join(f"row {p.row} ('{_show(p.value)}')" if p.value is not None else f"row {p.row}"
                          for p in ps[:examples])
        more = ", …" if len(ps) > examples else ""
        where = f", column '{column}'" if column else ""
        lines.append(f"{len(ps)} rows{where}: {pattern} (e.g. {shown}{more})")
    if len(lines) > MAX_PER_FILE:
        rest = sum(len(ps) for ps in list(groups.values())[MAX_PER_FILE:])
        lines = lines[:MAX_PER_FILE] + [f"… and {rest} more problem{'s' if rest != 1 else ''}"]
    return lines


@dataclass
class Item:
    """One line of the import report."""

    action: str            # added | updated | unchanged | matched
    kind: str              # sources | organizations | assets | deals
    id: str
    rows: list[int] = field(default_factory=list)
    detail: str = ""


@dataclass
class ImportResult:
    file: Path
    source_id: str
    dry_run: bool
    items: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)   # seed files (and document) written, or that would be
    document: Path | None = None                      # the copy of the cited document in the docs folder

    def count(self, action: str, kind: str | None = None) -> int:
        return sum(1 for i in self.items if i.action == action and (kind is None or i.kind == kind))

    def summary(self) -> dict[str, dict[str, int]]:
        """{action: {kind: n}} for every action and kind."""
        return {a: {k: self.count(a, k) for k in KINDS} for a in ("added", "updated", "unchanged", "matched")}

    def rows(self) -> list[dict[str, Any]]:
        order = {"added": 0, "updated": 1, "unchanged": 2, "matched": 3}
        items = sorted(self.items, key=lambda i: (order[i.action], KINDS.index(i.kind), i.rows[:1], i.id))
        return [{"action": i.action, "kind": i.kind, "id": i.id, "rows": ", ".join(map(str, i.rows)),
                 "detail": i.detail} for i in items]


def _show(v: Any) -> str:
    text = "; ".join(map(cell_text, v)) if isinstance(v, list) else cell_text(v)
    return clip(re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text))


def formula_cells(table: Table) -> list[ImportProblem]:
    """Text cells a spreadsheet would run as a formula (they start with = + - @, a tab or a carriage
    return; a negative number aside): refused, so no formula ever reaches the seeds or a CSV output."""
    out = []
    for row in table.rows:
        for col, v in row.cells.items():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, str) and x.startswith(FORMULA_STARTS) and not NEGATIVE_RE.match(x):
                    out.append(ImportProblem(row.number, col, x, f"looks like a spreadsheet formula (it starts with "
                                                                 f"{x[0]!r}); write the value itself"))
    return out


def slug(text: str) -> str:
    """An id-shaped slug: 'Jiangsu Hengrui Pharma' -> 'jiangsu-hengrui-pharma'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.casefold()).strip("-")


# --------------------------------------------------------------------------- reading one row
class _Rows:
    """Cell access for one mapping: raw cells, split lists, translated vocabulary words."""

    def __init__(self, m: Mapping):
        self.m = m
        self.v = vocabulary()
        self.tables = {k: {str(a).casefold(): b for a, b in t.items()} for k, t in m.values.items()}

    def column(self, key: str) -> str | None:
        return self.m.columns.get(key)

    def raw(self, row: Row, key: str) -> Any:
        col = self.column(key)
        return row.cells.get(col) if col else None

    def items(self, row: Row, key: str) -> list[str]:
        """The cell split on the list separator (a JSON list is taken as is)."""
        v = self.raw(row, key)
        if v is None:
            return []
        parts = v if isinstance(v, list) else cell_text(v).split(self.m.list_separator)
        return [p for p in (cell_text(x).strip() for x in parts) if p]

    def word(self, kind: str, text: str) -> str:
        """A cell's word as a vocabulary key: the mapping's table, else a key or label written in any case."""
        hit = self.tables.get(kind, {}).get(text.casefold())
        if hit is not None:
            return hit
        vocab = getattr(self.v, VALUE_KINDS[kind])
        if kind == "country":
            vocab = {c: self.v.places[c] for c in vocab}
        for key, concept in vocab.items():
            if text.casefold() in (key.casefold(), concept.label.casefold()):
                return key
        return text

    def value(self, row: Row, key: str, default_key: str | None = None) -> Any:
        """Translated cell of ``key``, else the mapping's default."""
        v = self.raw(row, key)
        if v is None:
            return self.m.default(default_key or key)
        if key in TRANSLATED_BY:
            return self.word(TRANSLATED_BY[key], cell_text(v))
        return cell_text(v)

    def words(self, row: Row, key: str) -> list[str]:
        items = self.items(row, key)
        if not items:
            d = self.m.default(key)
            return [] if d is None else (d if isinstance(d, list) else [d])
        return [self.word(TRANSLATED_BY[key], x) for x in items]

    def money(self, row: Row, kind: str) -> tuple[str | None, str | None]:
        """(phrase, problem) for a money cell: bare numbers get the currency, scale and qualifier."""
        v = self.raw(row, kind)
        if v is None:
            return None, None
        text = cell_text(v).strip()
        qual = self.m.money.qualifiers.get(kind)
        cur = self.raw(row, "currency")
        cur = self.word("currency", cell_text(cur)) if cur is not None else self.m.default("currency")
        if NUMBER_RE.match(text):
            if cur is None:
                return None, "a bare number needs a currency: map a currency column or set defaults.currency"
            return " ".join(x for x in (qual, cur, text, self.m.money.scale) if x), None
        if SCALED_RE.match(text):
            if cur is None:
                return None, "an amount without a currency: map a currency column or set defaults.currency"
            return " ".join(x for x in (qual, cur, text) if x), None
        return text, None


def _date_cell(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return cell_text(v)


# --------------------------------------------------------------------------- the plan
@dataclass
class _New:
    """An organization or asset this import creates."""

    kind: str
    raw: dict[str, Any]
    rows: list[int]
    key: str            # the mapping key of the column its name came from
    first: Row
    note: str = ""


@dataclass
class _DealRow:
    row: Row
    raw: dict[str, Any]
    action: str = "added"
    target: str | None = None     # id of the existing deal for matched / updated / unchanged
    detail: str = ""


class _Planner:
    def __init__(self, ds: Dataset, m: Mapping, table: Table, source_id: str):
        self.ds, self.m, self.table, self.source_id = ds, m, table, source_id
        self.cells = _Rows(m)
        self.problems: list[ImportProblem] = []
        self.warnings: list[str] = []
        self.index = {"organizations": NameIndex((o.id, o.names()) for o in ds.organizations.values()),
                      "assets": NameIndex((a.id, a.names()) for a in ds.assets.values())}
        self.new: dict[str, dict[str, _New]] = {"organizations": {}, "assets": {}}   # casefolded name -> record
        self.matched: dict[tuple[str, str], Item] = {}
        self.taken: dict[str, set[str]] = {}   # ids in the seeds and given to new records, per kind
        self.deals: list[_DealRow] = []
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
        self.new[kind][name.casefold()] = _New(kind, raw, [row.number], key, row, note)
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
        d = _date_cell(c.raw(row, "date"))
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
            self.deals.append(_DealRow(row, raw))
        else:  # still report the row's other problems
            self.validate("deals", Deal, {**raw, "id": raw.get("id") or _derived_id(raw, self.m.roles()) or "row"}, row)

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
def _party_key(parties: dict[str, list[str]]) -> frozenset[tuple[str, str]]:
    return frozenset((role, o) for role, orgs in parties.items() for o in orgs)


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _derived_id(raw: dict[str, Any], roles: list[str]) -> str:
    parts = [raw["date"][:7]] if raw.get("date") else []
    for role in roles:
        parts += raw["parties"].get(role, [])
    return slug("-".join(parts))


def _differences(new: Deal, old: Deal) -> str:
    """What the file says differently from an existing deal (figures, date, assets)."""
    out = []
    if not _dates_agree(new.date, old.date):
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


# --------------------------------------------------------------------------- the import
def _source(ds: Dataset, m: Mapping, table: Table, today: str) -> tuple[dict[str, Any], bool]:
    """(source record, already registered?)."""
    if m.source.id is not None:
        sid = m.source.id
    else:
        same = [s for s in ds.sources.values() if s.file == table.cite_file and s.type == "import"]
        sid = same[0].id if same else "import-" + (slug(table.path.stem) or "file")
    other = [s.id for s in ds.sources.values() if s.file == table.cite_file and s.id != sid]
    if other:
        raise DealgraphError(f"{table.cite_file} is already the document of source '{other[0]}'; "
                             f"set source.id: {other[0]} in the mapping to import into it")
    if sid in ds.sources:
        existing = ds.sources[sid]
        if existing.file != table.cite_file:
            raise DealgraphError(f"source id '{sid}' is already registered for file {existing.file}; "
                                 "set another source.id in the mapping")
        return existing.model_dump(exclude_none=True), True
    note = m.source.note
    if table.rendition is not None:
        note = note or (f"CSV rendition of sheet '{table.sheet}' of {table.path.name} written by dealgraph "
                        "import; line N is row N of the sheet")
    raw = {"id": sid, "title": m.source.title or f"Deal list imported from {table.path.name}",
           "publisher": m.source.publisher, "date": m.source.date or today, "type": "import",
           "file": table.cite_file}
    if note:
        raw["note"] = note
    return raw, False


def import_deals(file: Path | str, mapping: Path | str | Mapping, seeds: Path | str = "seeds", *,
                 docs: Path | str | None = None, dry_run: bool = False, today: str | None = None) -> ImportResult:
    """Merge the deal list ``file`` into the seed folder ``seeds`` as ``mapping`` directs.

    Returns what was (or, with ``dry_run``, would be) added, updated, left unchanged and matched.
    With ``docs``, the cited document (the file, or a CSV rendition of an XLSX sheet) is written
    there too, so ``dealgraph validate --docs`` can check the new citations. Raises ImportFailed
    naming row, column and value of every problem; then nothing is written.
    """
    file, seeds = Path(file), Path(seeds)
    m = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    ds = load_seeds(seeds)
    table = read_table(file, m.sheet)
    missing = [f"'{col}' (columns.{key})" for key, col in m.columns.items() if col not in table.columns]
    if missing:
        raise DealgraphError(f"{file.name} has no column {', '.join(missing)}; its columns are: "
                             + ", ".join(f"'{c}'" for c in table.columns))
    source_raw, source_known = _source(ds, m, table, today or _date.today().isoformat())
    sid = source_raw["id"]
    result = ImportResult(file, sid, dry_run)
    try:
        Source.model_validate(source_raw)
    except ValidationError as exc:
        raise DealgraphError("the mapping's source: " + "; ".join(
            ": ".join(_message(e, Source)) for e in exc.errors())) from None
    result.items.append(Item("matched" if source_known else "added", "sources", sid, [], table.cite_file))

    p = _Planner(ds, m, table, sid)
    p.problems.extend(formula_cells(table))
    for row in table.rows:
        p.plan_row(row)
    if not table.rows:
        p.warnings.append(f"{file.name} has no data rows")

    # validate new organizations and assets with the seeds' models
    for kind, model in (("organizations", Organization), ("assets", Asset)):
        for n in p.new[kind].values():
            p.validate(kind, model, n.raw, n.first, n.key if kind == "organizations" else None)

    # classify deals
    own = {c.line: d.id for d in ds.deals.values() for c in d.sources if c.doc == sid}
    by_parties: dict[frozenset, list[str]] = {}
    for d in ds.deals.values():
        by_parties.setdefault(_party_key(d.parties), []).append(d.id)
    new_ids: dict[str, int] = {}
    deal_path = seeds / "deals.yaml"
    lines = deal_path.read_text(encoding="utf-8").splitlines() if deal_path.exists() else []
    replacements: dict[str, dict[int, str]] = {k: {} for k in KINDS}
    appended: dict[str, list[str]] = {k: [] for k in KINDS}
    written_ids: dict[str, dict[str, _New | _DealRow]] = {k: {} for k in KINDS}
    for dr in p.deals:
        raw, row = dr.raw, dr.row
        if row.number in own:
            rid = own[row.number]
            raw["id"] = rid
            deal = p.validate("deals", Deal, raw, row)
            if deal is None:
                continue
            old = ds.deals[rid]
            origin = ds.origins[("deals", rid)]
            if deal == old:
                dr.action, dr.target = "unchanged", rid
            elif seedtext.block_at(lines, origin.line) is None:
                dr.action, dr.target = "matched", rid
                dr.detail = "cites this row but was edited by hand: not updated; " + _differences(deal, old)
            else:
                dr.action, dr.target, dr.detail = "updated", rid, _differences(deal, old) or "fields changed"
                replacements["deals"][origin.line] = seedtext.render(
                    raw, f"{file.name} row {row.number} ({sid}:{row.number})", ORDER["deals"])
                written_ids["deals"][rid] = dr
            continue
        derived = raw.get("id") or _derived_id(raw, m.roles())
        candidates = [derived] if derived in ds.deals else [
            i for i in by_parties.get(_party_key(raw["parties"]), [])
            if _dates_agree(raw.get("date"), ds.deals[i].date)]
        if candidates:
            deal = p.validate("deals", Deal, {**raw, "id": candidates[0]}, row)
            if deal is None:
                continue
            dr.action, dr.target = "matched", candidates[0]
            dr.detail = _differences(deal, ds.deals[candidates[0]])
            if len(candidates) > 1:
                p.warnings.append(f"row {row.number}: several deals have these parties and date "
                                  f"({', '.join(candidates)}); matched {candidates[0]}")
            continue
        rid = derived
        if rid in new_ids:
            if "id" in raw:
                p.problem(row, "id", f"id '{rid}' is given to row {new_ids[rid]} too")
                continue
            alt = f"{rid}-{raw['assets'][0]}" if raw.get("assets") else None
            rid = alt if alt and alt not in new_ids and alt not in ds.deals else f"{rid}-r{row.number}"
        raw["id"] = rid
        if p.validate("deals", Deal, raw, row) is None:
            continue
        new_ids[rid] = row.number
        dr.action, dr.target = "added", rid
        appended["deals"].append(seedtext.render(raw, f"{file.name} row {row.number} ({sid}:{row.number})",
                                                 ORDER["deals"]))
        written_ids["deals"][rid] = dr

    if p.problems:
        raise ImportFailed(file.name, p.problems)

    # the other records to write
    if not source_known:
        appended["sources"].append(seedtext.render(source_raw, f"{file.name}", ORDER["sources"]))
    for kind in ("organizations", "assets"):
        for n in sorted(p.new[kind].values(), key=lambda n: (n.rows[0], n.raw["id"])):
            rows = ", ".join(map(str, n.rows))
            origin = f"{file.name} row{'s' if len(n.rows) > 1 else ''} {rows}"
            appended[kind].append(seedtext.render(n.raw, origin, ORDER[kind]))
            written_ids[kind][n.raw["id"]] = n
            result.items.append(Item("added", kind, n.raw["id"], n.rows, n.note or f"'{n.raw['name']}'"))
    result.items.extend(p.matched.values())
    for dr in p.deals:
        result.items.append(Item(dr.action, "deals", dr.target or dr.raw["id"], [dr.row.number], dr.detail))
    result.warnings.extend(p.warnings)

    # stage the combined seeds and check them with the loader
    changed = {k for k in KINDS if appended[k] or replacements[k]}
    texts = {}
    for k in changed:
        path = seeds / f"{k}.yaml"
        old_text = path.read_text(encoding="utf-8") if path.exists() else ""
        texts[k] = seedtext.rewrite(old_text, replacements[k], appended[k])
    stage = Path(tempfile.mkdtemp(prefix="dealgraph-import-"))
    try:
        staged = stage / "seeds"
        staged.mkdir()
        for k in Dataset.KINDS:
            src = seeds / f"{k}.yaml"
            if k in texts:
                (staged / f"{k}.yaml").write_text(texts[k], encoding="utf-8")
            elif src.exists():
                shutil.copyfile(src, staged / f"{k}.yaml")
        try:
            load_seeds(staged)
        except SeedError as exc:
            raise ImportFailed(file.name, _explain(exc, texts, written_ids, p)) from None
        if docs is not None:
            result.document = Path(docs) / table.cite_file
        result.files = sorted(seeds / f"{k}.yaml" for k in changed)
        if dry_run:
            return result
        # write: the document first (harmless on its own), then each seed file, each replaced atomically
        if result.document is not None:
            data = table.document_text()
            if not result.document.exists() or result.document.read_bytes() != data:
                result.document.parent.mkdir(parents=True, exist_ok=True)
                tmp = result.document.with_name(f".{result.document.name}.import-tmp")
                tmp.write_bytes(data)
                os.replace(tmp, result.document)
        for k in sorted(changed):
            tmp = seeds / f".{k}.yaml.import-tmp"
            shutil.copyfile(staged / f"{k}.yaml", tmp)
            os.replace(tmp, seeds / f"{k}.yaml")
        if result.document is None and changed:
            result.warnings.append(f"no documents folder given: put {table.cite_file} there (or pass --docs) so "
                                   "`dealgraph validate --docs` can check the new citations")
        return result
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _explain(exc: SeedError, texts: dict[str, str], written: dict[str, dict[str, Any]],
             p: _Planner) -> list[ImportProblem]:
    """The loader's problems with the staged seeds, each pointed back at the row and column it came from."""
    spans = {k: seedtext.blocks(t) for k, t in texts.items()}
    out = []
    for sp in exc.problems:
        kind = Path(sp.file).stem
        hit = next(((rid) for a, b, rid in spans.get(kind, []) if a <= sp.line <= b and rid in written.get(kind, {})),
                   None)
        if hit is None:
            out.append(ImportProblem(None, None, None, f"in the combined seeds: {sp}"))
            continue
        rec = written[kind][hit]
        row = rec.first if isinstance(rec, _New) else rec.row
        role = rec.key if isinstance(rec, _New) and kind == "organizations" else None
        key = p.key_of(kind, sp.field.split("."), role)
        what = {"organizations": "new organization", "assets": "new asset", "deals": "deal"}.get(kind, kind)
        col = p.cells.column(key) if key else None
        out.append(ImportProblem(row.number, col, row.cells.get(col) if col else None,
                                 f"{what} {hit}: {sp.field}: {sp.message}"))
    return out
