"""Load seed YAML into a validated Dataset, or fail naming every problem.

Validation happens in full before anything is returned: per-record checks by
the pydantic models, then dataset checks (duplicate ids, names claimed by two
records, references to records that do not exist, citations of unknown
documents). References may use an id or any name or alias; the dataset that
comes back holds canonical ids only.
"""
from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from functools import cache
from typing import Any, Iterator, get_args

from pydantic import BaseModel, ValidationError

from ..models.dataset import Dataset, Origin
from ..core.errors import SeedError, SeedProblem
from ..core.gcpause import without_gc
from ..models import RECORD_TYPES, Citation, Money, Record
from .items import Reuse, reuse_records, split_items
from .rules import graph_rules
from .yamlio import line_of, load_text, read_text

REQUIRED_FILES = ("sources", "organizations", "deals")


def _message(err: dict[str, Any], model: type[Record]) -> tuple[str, str]:
    """(field, message) for one pydantic error, worded for an analyst."""
    loc = [str(x) for x in err["loc"]]
    field = ".".join(loc)
    kind = err["type"]
    if kind == "missing":
        return field, "required field is missing"
    if kind == "extra_forbidden":
        return field, f"unknown field '{loc[-1]}'; allowed here: {', '.join(_allowed(model, err['loc']))}"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    m = re.match(r"^([a-z_]+): (.*)$", msg, re.S)
    if not loc and m:  # record-level rule that names the field it is about
        return m.group(1), m.group(2)
    if kind in ("greater_than_equal", "greater_than") and "percent" in field:
        msg = f"a percentage cannot be negative (got {err.get('input')})"
    elif kind == "less_than_equal" and "percent" in field:
        msg = f"a percentage cannot exceed 100 (got {err.get('input')})"
    elif kind in ("decimal_parsing", "float_parsing", "int_parsing", "decimal_type"):
        msg = f"expected a number, got '{err.get('input')}'"
    return field, msg


def _allowed(model: type[Record], loc: tuple[Any, ...]) -> list[str]:
    m: Any = model
    for part in loc[:-1]:
        f = getattr(m, "model_fields", {}).get(part)
        if f is None:
            continue
        ann = f.annotation
        for cand in getattr(ann, "__args__", ()) + (ann,):
            if hasattr(cand, "model_fields"):
                m = cand
                break
            for inner in getattr(cand, "__args__", ()):
                if hasattr(inner, "model_fields"):
                    m = inner
    return sorted(getattr(m, "model_fields", {}))


@dataclass
class _Context:
    """What validation needs beyond the records: YAML line maps and each record's list index."""

    dataset: Dataset = field(default_factory=Dataset)
    problems: list[SeedProblem] = field(default_factory=list)
    lines: dict[str, dict[tuple, int]] = field(default_factory=dict)
    index: dict[tuple[str, str], int] = field(default_factory=dict)
    # names of records that failed validation, and kinds whose file could not be read: references to
    # them are not reported again (the root problem already is)
    failed: dict[str, set[str]] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)
    # with ``digests``: per kind, the item digest of each record's list index (``items``), for the next build;
    # ``rewritten``: records whose references ``_resolve`` turned from names into ids
    digests: dict[str, dict[int, str]] | None = None
    rewritten: set[tuple[str, str]] = field(default_factory=set)

    def already_reported(self, kind: str, name: str) -> bool:
        return kind in self.unreadable or name.casefold() in self.failed.get(kind, set())

    def where(self, kind: str, rec_id: str, *path: Any) -> tuple[str, int]:
        """(file, line) of a field inside a record."""
        i = self.index[(kind, rec_id)]
        return self.dataset.origins[(kind, rec_id)].file, line_of(self.lines.get(kind, {}), (i, *path))


def _display(path: Path) -> str:
    return f"seeds/{path.name}" if path.parent.name == "seeds" else str(path)


def _read_kind(path: Path, kind: str, ctx: _Context) -> None:
    problems, dataset = ctx.problems, ctx.dataset
    display = _display(path)
    text, file_problems = read_text(path, display)
    data, lines = None, {}
    if text is not None:
        data, lines, file_problems = load_text(text, display)
        if ctx.digests is not None and isinstance(data, list):
            items = split_items(text)
            if items is not None and len(items) == len(data) and all(
                    lines.get((i,)) == it.line for i, it in enumerate(items)):
                ctx.digests[kind] = {i: it.digest for i, it in enumerate(items)}
    problems.extend(file_problems)
    if data is None:
        ctx.unreadable.add(kind)
        return
    ctx.lines[kind] = lines
    if data == [] and kind in REQUIRED_FILES:  # one problem, not one per reference to its records
        problems.append(SeedProblem(display, 1, "", f"the file holds no {kind} records (it is empty or only comments)"))
        ctx.unreadable.add(kind)
        return
    if not isinstance(data, list):
        problems.append(SeedProblem(display, 1, "", f"expected a list of {kind} records (each starting with '- id:')"))
        ctx.unreadable.add(kind)
        return
    model = RECORD_TYPES[kind]
    table = dataset.table(kind)
    for i, raw in enumerate(data):
        line = line_of(lines, (i,))
        if not isinstance(raw, dict):
            problems.append(SeedProblem(display, line, "", "expected a record (a mapping of field: value)"))
            continue
        try:
            rec = model.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                field, msg = _message(err, model)
                problems.append(SeedProblem(display, line_of(lines, (i, *err["loc"])), field, msg))
            ctx.failed.setdefault(kind, set()).update(_raw_names(raw))
            continue
        if rec.id in table:
            first = dataset.origins[(kind, rec.id)]
            problems.append(SeedProblem(display, line_of(lines, (i, "id")), "id",
                                        f"duplicate id '{rec.id}' (first defined at line {first.line})"))
            continue
        table[rec.id] = rec
        dataset.origins[(kind, rec.id)] = Origin(display, line)
        ctx.index[(kind, rec.id)] = i


def _reuse_kind(path: Path, kind: str, ctx: _Context, reuse: Reuse) -> bool:
    """Read one seed file taking each record whose item text is unchanged from ``reuse`` (``items.reuse_records``).

    False, with ``ctx`` untouched, when that cannot be done surely or anything in the file is wrong: the caller
    then reads the file whole (``_read_kind``), which reports every problem at its line."""
    display = _display(path)
    text, _ = read_text(path, display)
    found = reuse_records(text, display, RECORD_TYPES[kind], reuse.items.get(kind, {}), reuse.dataset.table(kind))
    if found is None:
        return False
    table = ctx.dataset.table(kind)
    for i, (it, rec) in enumerate(found):
        table[rec.id] = rec
        ctx.dataset.origins[(kind, rec.id)] = Origin(display, it.line)
        ctx.index[(kind, rec.id)] = i
    ctx.lines[kind] = {}  # only problems need lines, and any problem means validating from scratch
    if ctx.digests is not None:
        ctx.digests[kind] = {i: it.digest for i, (it, _) in enumerate(found)}
    return True


def _raw_names(raw: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for key in ("id", "name", "aliases", "former_names", "codes"):
        v = raw.get(key)
        for x in v if isinstance(v, list) else [v]:
            if isinstance(x, str):
                names.add(x.casefold())
    return names


def _name_index(ctx: _Context, kind: str) -> dict[str, str]:
    """casefolded name/alias/id -> record id; a name claimed by two records is a problem."""
    index: dict[str, str] = {}
    for rec_id, rec in ctx.dataset.table(kind).items():
        index.setdefault(rec_id.casefold(), rec_id)
        for field in ("name", "aliases", "former_names", "codes"):
            values = getattr(rec, field, None)
            if values is None:
                continue
            for j, name in enumerate([values] if isinstance(values, str) else values):
                key = name.casefold()
                owner = index.get(key)
                if owner is not None and owner != rec_id:
                    path = (field,) if isinstance(values, str) else (field, j)
                    what = "organization" if kind == "organizations" else "asset"
                    ctx.problems.append(SeedProblem(*ctx.where(kind, rec_id, *path), field,
                                                    f"'{name}' is already a name of {what} '{owner}'"))
                else:
                    index[key] = rec_id
    return index


def _refs(kind: str, rec: Record) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(path within the record, referenced name, target kind) for every reference a record makes."""
    if kind == "organizations":
        if rec.subsidiary_of:
            yield ("subsidiary_of",), rec.subsidiary_of, "organizations"
        for j, o in enumerate(rec.formed_by):
            yield ("formed_by", j), o, "organizations"
        for j, s in enumerate(rec.stakes):
            yield ("stakes", j, "org"), s.org, "organizations"
    elif kind == "assets":
        if rec.originator:
            yield ("originator",), rec.originator, "organizations"
    elif kind == "deals":
        for role, orgs in rec.parties.items():
            for j, o in enumerate(orgs):
                yield ("parties", role, j), o, "organizations"
        for j, a in enumerate(rec.assets):
            yield ("assets", j), a, "assets"
        for j, s in enumerate(rec.cost_split):
            yield ("cost_split", j, "org"), s.org, "organizations"
        for o in rec.contributions:
            yield ("contributions", o), o, "organizations"
    elif kind == "events":
        if rec.deal:
            yield ("deal",), rec.deal, "deals"
        for j, a in enumerate(rec.assets):
            yield ("assets", j), a, "assets"
        for j, o in enumerate(rec.orgs):
            yield ("orgs", j), o, "organizations"
        if rec.agency:
            yield ("agency",), rec.agency, "organizations"
    elif kind == "statistics":
        if rec.provider:
            yield ("provider",), rec.provider, "organizations"


def citations(rec: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Citation]]:
    """Every citation inside a record, with its path (record sources, money claims, stakes).

    Only fields whose type holds a model (citations, money claims, stakes) are walked: names, dates
    and numbers cannot hold a citation.
    """
    if isinstance(rec, Citation):
        yield path, rec
        return
    if isinstance(rec, list):
        for j, x in enumerate(rec):
            yield from citations(x, path + (j,))
    elif isinstance(rec, dict):
        for k, x in rec.items():
            yield from citations(x, path + (k,))
    elif isinstance(rec, BaseModel):
        for name in _model_fields(type(rec)):
            yield from citations(getattr(rec, name), path + (name,))


@cache
def _model_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Fields of ``model`` whose type mentions a pydantic model, in declaration order."""
    return tuple(name for name, f in model.model_fields.items() if _holds_model(f.annotation))


def _holds_model(ann: Any) -> bool:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return True
    return any(_holds_model(a) for a in get_args(ann))


def _resolve(ctx: _Context, cited: Dataset | None = None) -> None:
    """Names to ids in every reference, and unknown references and cited documents reported. The citations of a
    record that is the very object of ``cited`` (a previous validation whose documents all still exist) are
    known to be good and not walked again."""
    dataset, problems = ctx.dataset, ctx.problems
    indexes = {k: _name_index(ctx, k) for k in ("organizations", "assets")}
    indexes["deals"] = {d.casefold(): d for d in dataset.deals}
    for kind in Dataset.KINDS:
        table = dataset.table(kind)
        for rec_id, rec in list(table.items()):
            mapping: dict[str, str] = {}
            for path, name, target in _refs(kind, rec):
                found = indexes[target].get(name.casefold())
                if found is None and ctx.already_reported(target, name):
                    continue
                if found is None:
                    what = target.rstrip("s")
                    problems.append(SeedProblem(*ctx.where(kind, rec_id, *path), ".".join(map(str, path)),
                                                f"no {what} with id or name '{name}'"))
                elif found != name:  # a name or alias: the record is rewritten to hold the id
                    mapping[name] = found
            for path, cite in () if cited is not None and cited.table(kind).get(rec_id) is rec else citations(rec):
                if cite.doc not in dataset.sources and not ctx.already_reported("sources", cite.doc):
                    problems.append(SeedProblem(*ctx.where(kind, rec_id, *path), ".".join(map(str, path)),
                                                f"cites unknown source document '{cite.doc}' (not in sources.yaml)"))
            if mapping:
                table[rec_id] = _rewrite(kind, rec, mapping)
                ctx.rewritten.add((kind, rec_id))


def _rewrite(kind: str, rec: Record, m: dict[str, str]) -> Record:
    def r(x: str | None) -> str | None:
        return m.get(x, x) if x is not None else None

    up: dict[str, Any] = {}
    if kind == "organizations":
        up = {"subsidiary_of": r(rec.subsidiary_of), "formed_by": [r(x) for x in rec.formed_by],
              "stakes": [s.model_copy(update={"org": r(s.org)}) for s in rec.stakes]}
    elif kind == "assets":
        up = {"originator": r(rec.originator)}
    elif kind == "deals":
        up = {"parties": {k: [r(x) for x in v] for k, v in rec.parties.items()},
              "assets": [r(x) for x in rec.assets],
              "cost_split": [s.model_copy(update={"org": r(s.org)}) for s in rec.cost_split],
              "contributions": {r(k): v for k, v in rec.contributions.items()}}
    elif kind == "events":
        up = {"deal": r(rec.deal), "assets": [r(x) for x in rec.assets], "orgs": [r(x) for x in rec.orgs],
              "agency": r(rec.agency)}
    elif kind == "statistics":
        up = {"provider": r(rec.provider)}
    return rec.model_copy(update=up)


def load_seeds(seed_dir: Path | str) -> Dataset:
    """Read and validate ``<seed_dir>/{sources,organizations,assets,deals,events,statistics}.yaml``.

    Raises SeedError listing every problem (file, line, field, message) when anything is wrong.
    """
    return _load(Path(seed_dir), None, False)[0]


def validate_seeds(seed_dir: Path | str, reuse: Reuse | None = None) -> tuple[Dataset, dict[str, dict[str, str]]]:
    """``load_seeds``, taking from ``reuse`` (the previous build's dataset) every record whose item text is unchanged.

    Returns the dataset, equal to what ``load_seeds`` gives (records, order, origins), and what the next build
    may reuse: per kind, item digest → record id (``graph.ingest.items``; records whose references were
    written as names are left out: their resolved form depends on other records). Only the new or changed
    items are parsed and validated; the rules over the whole dataset (references, names, graph rules) run
    as always. When anything is wrong the seeds are validated from scratch, so the problems raised
    (``SeedError``) are exactly those of ``load_seeds``.

    Example: ``ds, items = validate_seeds("seeds")``; after editing one deal's note,
    ``validate_seeds("seeds", Reuse(ds, items))`` parses that deal only.
    """
    seed_dir = Path(seed_dir)
    if reuse is not None:
        try:
            return _load(seed_dir, reuse, True)
        except SeedError:
            pass
    return _load(seed_dir, None, True)


@without_gc
def _load(seed_dir: Path, reuse: Reuse | None, digests: bool) -> tuple[Dataset, dict[str, dict[str, str]]]:
    if not seed_dir.is_dir():
        raise SeedError([SeedProblem(str(seed_dir), 0, "", "seed folder not found; start one with `dealgraph init DIR` "
                                     "(add --with-shipped-seeds for the shipped dataset), or pass --seeds DIR")])
    ctx = _Context(digests={} if digests else None)
    for kind in Dataset.KINDS:
        path = seed_dir / f"{kind}.yaml"
        if not path.exists():
            if kind in REQUIRED_FILES:
                ctx.problems.append(SeedProblem(str(path), 0, "", f"missing seed file: {kind}.yaml is required"))
            continue
        if reuse is None or not _reuse_kind(path, kind, ctx, reuse):
            _read_kind(path, kind, ctx)
    old = reuse.dataset if reuse is not None else None
    _resolve(ctx, old if old is not None and old.sources.keys() <= ctx.dataset.sources.keys() else None)
    fresh = None if old is None else {(k, i) for k, t in ((k, ctx.dataset.table(k)) for k in Dataset.KINDS)
                                      for i, r in t.items() if r is not old.table(k).get(i)}
    ctx.problems.extend(graph_rules(ctx.dataset, ctx.where, fresh))  # one code path for validate and build
    if ctx.problems:
        raise SeedError(ctx.problems)
    if digests:  # a build's dataset lives as long as the process: kept out of collections (as read_dataset does)
        gc.freeze()
    elif not gc.get_freeze_count():  # into the oldest generation without a walk (the next young one would walk all)
        gc.freeze()
        gc.unfreeze()
    return ctx.dataset, _item_ids(ctx)


def _item_ids(ctx: _Context) -> dict[str, dict[str, str]]:
    """Per kind, item digest → id of the record it gave, leaving out records ``_resolve`` rewrote."""
    ids: dict[str, dict[int, str]] = {}
    for (kind, rec_id), i in ctx.index.items():
        ids.setdefault(kind, {})[i] = rec_id
    out: dict[str, dict[str, str]] = {}
    for kind, by_index in (ctx.digests or {}).items():
        of = ids.get(kind, {})
        out[kind] = {d: of[i] for i, d in by_index.items() if i in of and (kind, of[i]) not in ctx.rewritten}
    return out


def money_claims(rec: Record) -> Iterator[tuple[str, Money]]:
    """(term kind, claim) for every money claim in a deal, event or statistic."""
    for kind, claims in (getattr(rec, "terms", None) or {}).items():
        for c in claims:
            yield kind, c
    for c in getattr(rec, "money", None) or []:
        yield "value", c
