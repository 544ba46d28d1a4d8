"""Merge an analyst's deal list (CSV, XLSX, JSON) into the seeds, or fail changing nothing.

``import_deals`` reads the file through a mapping (``mapping.py``), resolves every
organization and asset name against the seeds (``matching.py``), builds the same pydantic
records the seeds hold (``graph.models``) and checks them with the seeds' own rules: each
record with ``model_validate`` (errors worded by ``graph.ingest.loading``), then the combined seeds
(references, names claimed twice, citations) with ``load_seeds`` on a staged copy. Any
problem names the row, the column and the value, and nothing is written.

The stages live in their own modules: ``tables.py`` reads the file, ``rows.py`` reads one row through
the mapping (and refuses formula-looking cells), ``plan.py`` resolves names and builds and matches each
deal, ``results.py`` holds the report and its problems (grouped into a screenful); this module stages,
validates and writes.

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
import shutil
import tempfile
from datetime import date as _date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..models.dataset import Dataset
from ..core.errors import DealgraphError, SeedError
from ..ingest.loading import _message, load_seeds
from ..models import Asset, Deal, Organization, Source
from . import seedtext
from .mapping import Mapping, load_mapping
from .plan import DealRow, NewRecord, Planner, dates_agree, derived_id, differences, party_key, slug
from .results import KINDS, ImportFailed, ImportProblem, ImportResult, Item, group_problems
from .rows import formula_cells
from .tables import Table, read_table

__all__ = ["ImportFailed", "ImportProblem", "ImportResult", "Item", "group_problems", "import_deals", "slug"]

MODELS = {"sources": Source, "organizations": Organization, "assets": Asset, "deals": Deal}
ORDER = {k: list(m.model_fields) for k, m in MODELS.items()}  # fields written in the models' order


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

    p = Planner(ds, m, table, sid)
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
        by_parties.setdefault(party_key(d.parties), []).append(d.id)
    new_ids: dict[str, int] = {}
    deal_path = seeds / "deals.yaml"
    lines = deal_path.read_text(encoding="utf-8").splitlines() if deal_path.exists() else []
    replacements: dict[str, dict[int, str]] = {k: {} for k in KINDS}
    appended: dict[str, list[str]] = {k: [] for k in KINDS}
    written_ids: dict[str, dict[str, NewRecord | DealRow]] = {k: {} for k in KINDS}
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
                dr.detail = "cites this row but was edited by hand: not updated; " + differences(deal, old)
            else:
                dr.action, dr.target, dr.detail = "updated", rid, differences(deal, old) or "fields changed"
                replacements["deals"][origin.line] = seedtext.render(
                    raw, f"{file.name} row {row.number} ({sid}:{row.number})", ORDER["deals"])
                written_ids["deals"][rid] = dr
            continue
        derived = raw.get("id") or derived_id(raw, m.roles())
        candidates = [derived] if derived in ds.deals else [
            i for i in by_parties.get(party_key(raw["parties"]), [])
            if dates_agree(raw.get("date"), ds.deals[i].date)]
        if candidates:
            deal = p.validate("deals", Deal, {**raw, "id": candidates[0]}, row)
            if deal is None:
                continue
            dr.action, dr.target = "matched", candidates[0]
            dr.detail = differences(deal, ds.deals[candidates[0]])
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
             p: Planner) -> list[ImportProblem]:
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
        row = rec.first if isinstance(rec, NewRecord) else rec.row
        role = rec.key if isinstance(rec, NewRecord) and kind == "organizations" else None
        key = p.key_of(kind, sp.field.split("."), role)
        what = {"organizations": "new organization", "assets": "new asset", "deals": "deal"}.get(kind, kind)
        col = p.cells.column(key) if key else None
        out.append(ImportProblem(row.number, col, row.cells.get(col) if col else None,
                                 f"{what} {hit}: {sp.field}: {sp.message}"))
    return out
