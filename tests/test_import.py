"""`dealgraph import`: analysts' deal lists merged into the seeds, validated like the seeds, idempotent."""
from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.core.errors import DealgraphError
from graph.interchange.importer import ImportFailed, import_deals
from graph.interchange.matching import NameIndex, similarity
from graph.ingest.loading import load_seeds
from graph.ingest.provenance import check_provenance

from .support import FIXTURE_DOCS, ROOT, SEEDS, copy_fixture, source_documents

EXAMPLES = ROOT / "examples" / "import"
EXAMPLE_CSV = EXAMPLES / "example-deals.csv"
EXAMPLE_MAPPING = EXAMPLES / "example-mapping.yaml"

# A made-up deal list over the minimal fixture (Acme Bio, Globex Pharma, AB-101).
MINI_HEADER = ["Licensor", "Licensee", "Licensee country", "Product", "Modality", "Signed", "Type", "Upfront",
               "Milestones", "Currency"]
MINI_ROWS = [
    ["Acme Bio", "Globex", "", "AB-101", "", "2025-03-14", "licence", "50", "1.2 billion", "USD"],
    ["Acme", "Umbrella Works", "DE", "AB-202", "ADC", "2025-09", "licence", "30", "", "USD"],
    ["Acme", "Umbrella Works", "DE", "AB-303", "small molecule", "2025-10", "option", "5", "", "USD"],
]
MINI_MAPPING = """
columns:
  licensor: Licensor
  licensee: Licensee
  licensee_country: Licensee country
  asset: Product
  asset_modality: Modality
  date: Signed
  deal_type: Type
  upfront: Upfront
  milestones: Milestones
  currency: Currency
defaults: {org_type: pharma}
money: {scale: million}
create: {organizations: true, assets: true}
"""


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def mini(tmp_path: Path, rows: list[list[str]] | None = None, mapping: str = MINI_MAPPING,
         name: str = "mini-deals.csv"):
    """(seeds, file, mapping, docs) for an import over a copy of the minimal fixture."""
    seeds = copy_fixture(tmp_path)
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    file = write_csv(tmp_path / name, MINI_HEADER, MINI_ROWS if rows is None else rows)
    m = tmp_path / "mapping.yaml"
    m.write_text(mapping, encoding="utf-8")
    return seeds, file, m, docs


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def item(result, kind, rec_id):
    return next(i for i in result.items if i.kind == kind and i.id == rec_id)


# --------------------------------------------------------------------------- the shipped example
def test_example_dry_run_on_the_project_seeds_matches_and_writes_nothing(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    before = snapshot(seeds)
    r = CliRunner().invoke(main, ["import", str(EXAMPLE_CSV), "--mapping", str(EXAMPLE_MAPPING), "--seeds",
                                  str(seeds), "--dry-run", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert snapshot(seeds) == before
    ds = load_seeds(seeds)
    sbio_pfizer = next(d.id for d in ds.deals.values()
                       if d.parties.get("licensor") == ["3sbio"] and d.parties.get("licensee") == ["pfizer"])
    hengrui_msd = next(d.id for d in ds.deals.values()
                       if d.parties.get("licensor") == ["hengrui"] and d.parties.get("licensee") == ["msd"])
    by = {(x["kind"], x["id"]): x for x in rows}
    assert by[("deals", sbio_pfizer)]["action"] == "matched"
    assert by[("deals", sbio_pfizer)]["detail"] == ""   # USD 1250 million upfront == USD 1.25 billion
    assert by[("deals", hengrui_msd)]["action"] == "matched"
    assert by[("organizations", "hengrui")]["detail"] == "'Hengrui Pharma' by names.organizations in the mapping"
    assert by[("organizations", "fictivia-biotech")]["action"] == "added"
    assert by[("organizations", "fictivia-biotech")]["rows"] == "4, 5"
    assert by[("deals", "2025-11-fictivia-biotech-imaginex-pharma")]["action"] == "added"
    assert by[("sources", "import-example-deals")]["action"] == "added"
    assert "dry run, nothing written" in r.stderr


def test_example_import_cites_rows_that_check_out_and_a_second_import_changes_nothing(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    docs = tmp_path / "docs"
    shutil.copytree(source_documents(), docs)
    before = snapshot(seeds)
    first = import_deals(EXAMPLE_CSV, EXAMPLE_MAPPING, seeds, docs=docs)
    assert first.count("added", "deals") == 2 and first.count("added", "organizations") == 3
    assert (docs / "example-deals.csv").read_bytes() == EXAMPLE_CSV.read_bytes()
    # existing text (and its comments) is kept: the files only grew
    after = snapshot(seeds)
    for name, old in before.items():
        assert after[name].startswith(old), name
    ds = load_seeds(seeds)
    src = ds.sources["import-example-deals"]
    assert (src.type, src.file, src.date) == ("import", "example-deals.csv", "2026-01")
    fictivia = ds.org("Fictivia Biotech")
    assert (fictivia.id, fictivia.country, fictivia.type) == ("fictivia-biotech", "CN", "biotech")
    assert [str(c) for c in fictivia.sources] == ["import-example-deals:4", "import-example-deals:5"]
    deal = ds.deals["2025-11-fictivia-biotech-imaginex-pharma"]
    assert deal.parties == {"licensor": ["fictivia-biotech"], "licensee": ["imaginex-pharma"]}
    assert deal.terms["upfront"][0].usd == 80_000_000
    assert (deal.terms["milestones"][0].qualifier, deal.terms["milestones"][0].usd) == ("up-to", 1_200_000_000)
    assert (deal.territory_include, deal.territory_exclude) == (["WORLD"], ["GREATER-CHINA"])
    assert ds.assets["fx-101"].modality == "adc" and ds.assets["fx-101"].originator == "fictivia-biotech"
    assert ds.org("Imaginex Pharma").country == "CH"
    # every citation, old and new, points at a line that states the record
    assert [str(p) for p in check_provenance(ds, docs)] == []

    second = import_deals(EXAMPLE_CSV, EXAMPLE_MAPPING, seeds, docs=docs)
    assert second.count("added") == 0 and second.count("updated") == 0
    assert second.count("unchanged", "deals") == 2
    assert second.files == []
    assert snapshot(seeds) == after


# --------------------------------------------------------------------------- matching and creating
def test_rows_match_existing_records_and_create_new_ones(tmp_path):
    seeds, file, m, docs = mini(tmp_path)
    res = import_deals(file, m, seeds, docs=docs, today="2026-02-01")
    assert item(res, "deals", "2025-03-acme-globex").action == "matched"
    assert item(res, "organizations", "acme").detail == "'Acme Bio' by name; 'Acme' by alias"
    assert item(res, "organizations", "globex").action == "matched"
    umbrella = item(res, "organizations", "umbrella-works")
    assert (umbrella.action, umbrella.rows) == ("added", [3, 4])
    assert item(res, "deals", "2025-09-acme-umbrella-works").action == "added"
    ds = load_seeds(seeds)
    assert ds.organizations["umbrella-works"].country == "DE"
    assert ds.organizations["umbrella-works"].type == "pharma"
    assert ds.assets["ab-303"].modality == "small-molecule"
    assert ds.deals["2025-10-acme-umbrella-works"].type == "option"
    assert ds.sources["import-mini-deals"].date == "2026-02-01"
    assert [str(c) for c in ds.deals["2025-09-acme-umbrella-works"].sources] == ["import-mini-deals:3"]
    assert check_provenance(ds, docs) == []


def test_matched_deal_reports_what_the_file_says_differently(tmp_path):
    rows = [["Acme Bio", "Globex", "", "AB-101", "", "2025-03", "licence", "55", "", "USD"]]
    seeds, file, m, docs = mini(tmp_path, rows)
    res = import_deals(file, m, seeds, dry_run=True)
    assert item(res, "deals", "2025-03-acme-globex").detail == "upfront: file USD 55 million, seeds USD 50 million"


def test_a_changed_row_updates_the_record_it_imported_in_place(tmp_path):
    seeds, file, m, docs = mini(tmp_path)
    import_deals(file, m, seeds, docs=docs)
    text_before = (seeds / "deals.yaml").read_text()
    rows = [list(r) for r in MINI_ROWS]
    rows[1][7] = "35"
    write_csv(file, MINI_HEADER, rows)
    res = import_deals(file, m, seeds, docs=docs)
    upd = item(res, "deals", "2025-09-acme-umbrella-works")
    assert (upd.action, upd.detail) == ("updated", "upfront: file USD 35 million, seeds USD 30 million")
    assert item(res, "deals", "2025-10-acme-umbrella-works").action == "unchanged"
    text = (seeds / "deals.yaml").read_text()
    assert text.count("2025-09-acme-umbrella-works") == 1
    assert "USD 35 million" in text and "USD 30 million" not in text
    assert len(text.splitlines()) == len(text_before.splitlines())
    ds = load_seeds(seeds)
    assert ds.deals["2025-09-acme-umbrella-works"].terms["upfront"][0].usd == 35_000_000
    assert check_provenance(ds, docs) == []   # the documents folder got the new file too
    assert import_deals(file, m, seeds, docs=docs).count("updated") == 0


def test_a_near_miss_is_suggested_never_merged(tmp_path):
    rows = [["Acme Biotech", "Globex", "", "AB-101", "", "2025-03", "licence", "50", "", "USD"]]
    seeds, file, m, docs = mini(tmp_path, rows)
    before = snapshot(seeds)
    with pytest.raises(ImportFailed) as exc:
        import_deals(file, m, seeds, docs=docs)
    assert str(exc.value.problems[0]) == (
        "row 2, column 'Licensor' ('Acme Biotech'): 'Acme Biotech' matches no organization exactly but resembles "
        "'Acme Bio' (acme, 1.00); map it under names.organizations (to an id, or to 'new' to create it)")
    assert snapshot(seeds) == before
    assert not (docs / "mini-deals.csv").exists()


def test_near_miss_resolved_by_names_or_created_with_a_warning(tmp_path):
    rows = [["Acme Biotech", "Globex", "", "AB-101", "", "2025-03", "licence", "50", "", "USD"]]
    seeds, file, m, docs = mini(tmp_path, rows, MINI_MAPPING + "names: {organizations: {acme biotech: acme}}\n")
    res = import_deals(file, m, seeds, dry_run=True)
    assert item(res, "deals", "2025-03-acme-globex").action == "matched"
    m.write_text(MINI_MAPPING + "matching: {near_miss: create}\n")
    res = import_deals(file, m, seeds, dry_run=True)
    assert item(res, "organizations", "acme-biotech").action == "added"
    assert res.warnings == ["row 2: created organization 'acme-biotech' for 'Acme Biotech', which resembles "
                            "'Acme Bio' (acme, 1.00)"]


def test_unknown_names_are_errors_unless_the_mapping_allows_creating(tmp_path):
    seeds, file, m, docs = mini(tmp_path, mapping=MINI_MAPPING.replace("create: {organizations: true, assets: true}",
                                                                       "create: {assets: true}"))
    with pytest.raises(ImportFailed) as exc:
        import_deals(file, m, seeds, dry_run=True)
    assert [str(p) for p in exc.value.problems] == [
        "row 3, column 'Licensee' ('Umbrella Works'): no organization matches 'Umbrella Works'; map it under "
        "names.organizations in the mapping, or set create.organizations: true to create it",
        "row 4, column 'Licensee' ('Umbrella Works'): no organization matches 'Umbrella Works'; map it under "
        "names.organizations in the mapping, or set create.organizations: true to create it"]


# --------------------------------------------------------------------------- validation
def test_every_problem_names_row_column_and_value_and_nothing_is_written(tmp_path):
    rows = [
        ["Acme", "Globex", "", "AB-101", "", "2025-13", "licence", "50", "", "USD"],       # impossible date
        ["Acme", "Hooli Labs", "Atlantis", "", "", "2025-09", "handshake", "30", "", "USD"],  # country, type
        ["Acme", "Globex", "", "AB-101", "", "2025-11", "licence", "lots", "", "USD"],      # money
        ["Acme", "Globex", "", "AB-101", "", "2025-12", "licence", "40", "", ""],           # no currency
        ["Acme", "Globex", "", "AB-909", "gene pill", "2026-01", "licence", "1", "", "USD"],  # modality
    ]
    seeds, file, m, docs = mini(tmp_path, rows)
    before = snapshot(seeds)
    r = CliRunner().invoke(main, ["import", str(file), "--mapping", str(m), "--seeds", str(seeds), "--docs", str(docs)])
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0] == "error: 6 problems in mini-deals.csv; nothing was imported"
    expected = [   # in row order; long vocabulary lists cut short
        "row 2, column 'Signed' ('2025-13'): deal 2025-13-acme-globex: date: '2025-13' is an impossible date "
        "(month must be in 1..12)",
        "row 3, column 'Licensee country' ('Atlantis'): new organization hooli-labs: country: unknown country "
        "'Atlantis': expected an ISO 3166-1 alpha-2 code such as CN, US, GB",
        "row 3, column 'Type' ('handshake'): deal 2025-09-acme-hooli-labs: type: unknown deal type 'handshake': "
        "expected one of acquisition, co-development,",
        "row 4, column 'Upfront' ('lots'): deal 2025-11-acme-globex: terms.upfront.0: 'lots' is not an amount: "
        "write e.g. 'USD 500 million', 'up to USD 1.2 billion', 'undisclosed' or 'none'",
        "row 5, column 'Upfront' ('40'): a bare number needs a currency: map a currency column or set "
        "defaults.currency",
        "row 6, column 'Modality' ('gene pill'): new asset ab-909: modality: unknown modality 'gene pill': "
        "expected one of adc, ai-discovery,",
    ]
    got = sorted(line.strip() for line in lines[1:])
    assert len(got) == len(expected)
    for line, want in zip(got, expected):
        assert line.startswith(want), (line, want)
    assert snapshot(seeds) == before
    assert not (docs / "mini-deals.csv").exists()


def test_a_missing_required_field_points_at_the_mapping(tmp_path):
    seeds, file, m, docs = mini(tmp_path, mapping=MINI_MAPPING.replace("defaults: {org_type: pharma}\n", ""))
    with pytest.raises(ImportFailed) as exc:
        import_deals(file, m, seeds, dry_run=True)
    assert [str(p) for p in exc.value.problems] == [
        "row 3, column 'Licensee' ('Umbrella Works'): new organization umbrella-works: type: required field is "
        "missing (map a column to licensee_type or set defaults.org_type in the mapping)"]


def test_a_problem_only_the_combined_seeds_show_is_traced_back_to_its_row(tmp_path):
    # 'Umbrella Works' becomes umbrella-works; 'UMBRELLA-WORKS' is another new name, and the loader finds
    # that name already taken (it is the first one's id): the problem is reported against the row and cell
    rows = [["Acme", "Umbrella Works", "DE", "", "", "2025-09", "licence", "30", "", "USD"],
            ["Acme", "UMBRELLA-WORKS", "DE", "", "", "2025-10", "licence", "31", "", "USD"]]
    seeds, file, m, docs = mini(tmp_path, rows)
    with pytest.raises(ImportFailed) as exc:
        import_deals(file, m, seeds, dry_run=True)
    assert [str(p) for p in exc.value.problems] == [
        "row 3, column 'Licensee' ('UMBRELLA-WORKS'): new organization umbrella-works-2: name: 'UMBRELLA-WORKS' "
        "is already a name of organization 'umbrella-works'"]


# --------------------------------------------------------------------------- other file types
def test_json_lists_cite_the_line_of_each_object(tmp_path):
    seeds, _, m, docs = mini(tmp_path)
    objs = [dict(zip(MINI_HEADER, r)) for r in MINI_ROWS]
    for o in objs:
        o["Upfront"] = float(o["Upfront"])       # numbers as JSON numbers
    file = tmp_path / "mini-deals.json"
    file.write_text("[\n" + ",\n".join(json.dumps(o) for o in objs) + "\n]\n", encoding="utf-8")
    res = import_deals(file, m, seeds, docs=docs)
    assert item(res, "deals", "2025-09-acme-umbrella-works").rows == [3]
    ds = load_seeds(seeds)
    assert ds.deals["2025-09-acme-umbrella-works"].terms["upfront"][0].text == "USD 30 million"
    assert check_provenance(ds, docs) == []
    assert import_deals(file, m, seeds, docs=docs).count("added") == 0


def test_xlsx_sheets_are_read_and_cited_through_a_csv_rendition(tmp_path):
    import openpyxl

    seeds, _, m, docs = mini(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Deals"
    ws.append(["Exported from a tracker (fictional)"])   # a title row above the header
    ws.append(MINI_HEADER)
    for r in MINI_ROWS:
        r = list(r)
        r[5] = datetime(2025, 9, 30) if r[5] == "2025-09" else r[5]
        r[7] = int(r[7])
        ws.append(r)
    file = tmp_path / "tracker.xlsx"
    wb.save(file)
    m.write_text(MINI_MAPPING.replace("columns:", "sheet: Deals\ncolumns:"))
    with pytest.raises(DealgraphError, match=r"tracker.xlsx \[Deals\]: row 2 has a value \('Licensee'\) in column 2, "
                                             "which has no name in the header"):
        import_deals(file, m, seeds, docs=docs)   # the title row is read as the header
    assert not (docs / "tracker.xlsx.csv").exists()
    ws.delete_rows(1)
    wb.save(file)
    res = import_deals(file, m, seeds, docs=docs)
    assert item(res, "deals", "2025-09-acme-umbrella-works").rows == [3]
    ds = load_seeds(seeds)
    src = ds.sources["import-tracker"]
    assert src.file == "tracker.xlsx.csv"
    assert ds.deals["2025-09-acme-umbrella-works"].date == "2025-09-30"
    rendition = (docs / "tracker.xlsx.csv").read_text().splitlines()
    assert rendition[2].startswith("Acme,Umbrella Works,DE,AB-202,ADC,2025-09-30,licence,30")
    assert check_provenance(ds, docs) == []
    assert import_deals(file, m, seeds, docs=docs).count("added") == 0


# --------------------------------------------------------------------------- mapping file
def test_mapping_mistakes_are_named(tmp_path):
    seeds, file, m, docs = mini(tmp_path, mapping=MINI_MAPPING.replace("licensee: Licensee", "licencee: Licensee"))
    with pytest.raises(DealgraphError, match="mapping.yaml: columns: unknown column key 'licencee': did you mean "
                                             "'licensee'"):
        import_deals(file, m, seeds, dry_run=True)
    m.write_text(MINI_MAPPING.replace("asset: Product", "asset: Drug"))
    with pytest.raises(DealgraphError, match=r"mini-deals.csv has no column 'Drug' \(columns.asset\)"):
        import_deals(file, m, seeds, dry_run=True)
    m.write_text(MINI_MAPPING + "money: {scale: million, qualifiers: {milestone: up to}}\n")
    with pytest.raises(DealgraphError, match="unknown term kind 'milestone'"):
        import_deals(file, m, seeds, dry_run=True)


def test_the_example_mapping_documents_every_key_it_accepts():
    from graph.interchange.mapping import DEAL_KEYS, DEFAULTABLE, VALUE_KINDS, Mapping, load_mapping

    text = EXAMPLE_MAPPING.read_text()
    load_mapping(EXAMPLE_MAPPING)
    for key in [*Mapping.model_fields, *DEAL_KEYS, *DEFAULTABLE, *VALUE_KINDS, "suggest_above", "near_miss",
                "scale", "qualifiers", "asset_modality", "asset_target", "asset_indication", "asset_stage"]:
        assert key in text, key


# --------------------------------------------------------------------------- names
def test_name_index_finds_what_the_dataset_finds():
    ds = load_seeds(SEEDS)
    idx = NameIndex((o.id, o.names()) for o in ds.organizations.values())
    for o in ds.organizations.values():
        for n in [o.id, *o.names()]:
            assert idx.get(n.upper()) == ds.org(n).id == o.id
    assert idx.get("Jiangsu Hengrui") == "hengrui"
    assert idx.get("Hengrui Pharma") is None
    assert [s.id for s in idx.suggest("Hengrui Pharma", 0.75)][:1] == ["hengrui"]


def test_similarity_counts_distinctive_words_not_generic_ones():
    assert similarity("Hengrui Pharma", "Jiangsu Hengrui Pharmaceuticals") == 1.0
    assert similarity("Fictivia Biotech", "Imaginex Biotech") < 0.75
    assert similarity("Acme Bio", "Acme Biotech") == 1.0


def test_the_json_example_plans_the_same_import_as_the_csv_example(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    plans = []
    for f in (EXAMPLE_CSV, EXAMPLES / "example-deals.json"):
        res = import_deals(f, EXAMPLE_MAPPING, seeds, dry_run=True)
        plans.append([(r["action"], r["kind"], r["id"], r["rows"], r["detail"]) for r in res.rows()
                      if r["kind"] != "sources"])
    assert plans[0] == plans[1]


def test_import_help_explains_the_command():
    r = CliRunner().invoke(main, ["import", "--help"])
    assert r.exit_code == 0
    for word in ("--mapping", "--dry-run", "--seeds", "--docs", "near misses", "SOURCE-ID:ROW"):
        assert word in r.output, word
