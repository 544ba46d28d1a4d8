"""`dealgraph search` and the one name resolver (graph/find/search.py, graph/find/resolve.py) on the shipped seeds."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.ingest.loading import load_seeds
from graph.find.resolve import AmbiguousName, UnknownName, resolve
from graph.find.search import KINDS, compact, dataset_entries, normal, rank, search

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def ds():
    return load_seeds(SEEDS)


@pytest.fixture(scope="module")
def entries(ds):
    return dataset_entries(ds)


def _names(kind: str, rec) -> list[str]:
    if kind == "deal":
        return [rec.id] + ([rec.title] if rec.title else [])
    return [rec.id, *rec.names()]


@pytest.mark.parametrize("kind,table", [("organization", "organizations"), ("asset", "assets"), ("deal", "deals")])
def test_every_record_is_found_by_every_one_of_its_names(ds, entries, kind, table):
    """Each id, name, alias, former name, code name and title finds its record with the top score, and
    resolves to it; the same names in capitals and without punctuation find it too."""
    checked = 0
    for rec in ds.table(table).values():
        for name in _names(kind, rec):
            hits = rank(name, entries, [kind], limit=None, names_only=True)
            assert hits and hits[0].score == 100 and rec.id in {h.id for h in hits if h.score == 100}, (rec.id, name)
            assert resolve(entries, name.upper(), kind).id == rec.id, name
            checked += 1
    assert checked >= len(ds.table(table))


def test_search_ranks_an_exact_name_first_across_all_kinds(ds):
    for text, kind, rid in [("Jiangsu Hengrui", "organization", "hengrui"), ("SSGJ-707", "asset", "ssgj-707"),
                            ("MSD", "organization", "msd"), ("2025-05-3sbio-pfizer", "deal", "2025-05-3sbio-pfizer"),
                            ("武田药品工业株式会社", "organization", "takeda")]:
        top = search(ds, text)[0]
        assert (top.kind, top.id, top.score) == (kind, rid, 100), text


def test_every_statistic_is_found_by_words_of_its_description(ds, entries):
    """The three longest words of a statistic's note, or the words of its measure, find it."""
    stats = list(ds.statistics.values())
    assert len(stats) > 100
    for s in stats:
        words = sorted({w for w in normal(s.note or "").split() if not w.isdigit()}, key=lambda w: (-len(w), w))[:3]
        for query in filter(None, (" ".join(words), s.measure.replace("-", " "))):
            hits = rank(query, entries, ["statistic"], limit=None)
            assert s.id in {h.id for h in hits}, (s.id, query)


def test_typos_accents_case_and_punctuation(ds):
    def top(text: str, kind: str | None = None) -> str:
        return search(ds, text, kind)[0].id

    assert top("hengriu", "organization") == "hengrui"          # swapped letters
    assert top("Astrazeneka") == "astrazeneca"                 # a wrong letter
    assert top("Pfízer") == "pfizer" and top("TÁKEDA") == "takeda"   # accents, case
    assert top("ssgj707") == "ssgj-707" and top("ssgj 707") == "ssgj-707"  # punctuation
    assert top("Merck and Co", "organization") == "msd"
    assert compact("SSGJ-707") == compact("ssgj 707")
    # a word of a note or indication finds the record that says it
    assert "hengrui-oral-cv-drug" in {h.id for h in search(ds, "cardiovascular", "asset", limit=None)}


def test_hits_carry_kind_summary_and_sources(ds):
    hit = next(h for h in search(ds, "SSGJ-707", limit=None) if h.kind == "deal" and h.id == "2025-05-3sbio-pfizer")
    assert "3SBio (licensor)" in hit.summary and "upfront USD 1.25 billion" in hit.summary  # caixin-2026:76
    assert any(s.startswith("caixin-2026:") for s in hit.sources)
    stat = search(ds, "caixin-2025-cn-outlicensing-value")[0]
    assert stat.summary == "china-out-licensing-total-value 2025: USD 135.7 billion (PharmCube)"  # caixin-2026:10
    assert all(h.kind == "statistic" for h in search(ds, "deal count", "statistic"))
    with pytest.raises(Exception, match="unknown kind"):
        search(ds, "Hengrui", "company")
    assert set(KINDS) >= {"organization", "asset", "deal", "event", "statistic"}


def test_resolver_rules(entries):
    r = resolve(entries, "Jiangsu Hengrui", "organization")
    assert (r.id, r.exact, r.note) == ("hengrui", True, None)
    r = resolve(entries, "Hengriu", "organization")
    assert r.id == "hengrui" and not r.exact and "taken as organization Jiangsu Hengrui" in r.note
    with pytest.raises(AmbiguousName) as err:   # "Johnson & Johnson" and "Johnson & Johnson Innovation"
        resolve(entries, "Johnson", "organization")
    assert "jnj" in str(err.value) and "jnj-innovation" in str(err.value)
    with pytest.raises(UnknownName, match=r"did you mean .*Pfizer \(pfizer\)"):
        resolve(entries, "Pfizer Qqzx Nowhere", "organization")
    assert resolve(entries, "bispecfic antibody", "modality").id == "bispecific-antibody"
    assert resolve(entries, "china out licensing deal count", "measure").id == "china-out-licensing-deal-count"
    assert resolve(entries, "China", "place").id == "CN"


def _cli(*args: str):
    return CliRunner().invoke(main, ["search", *args, "--seeds", str(SEEDS)])


def test_cli_search_formats_and_kind():
    res = _cli("hengriu", "--limit", "3")
    assert res.exit_code == 0 and res.stdout.splitlines()[0].split() == ["kind", "id", "score", "summary", "sources"]
    assert res.stdout.splitlines()[2].startswith("organization  hengrui")
    rows = list(csv.DictReader(io.StringIO(_cli("licensing", "deal", "count", "--kind", "statistic",
                                                "--format", "csv").stdout)))
    assert rows and {r["kind"] for r in rows} == {"statistic"} and not rows[0]["sources"].startswith("[")
    data = json.loads(_cli("SSGJ 707", "--format", "json", "--kind", "asset").stdout)
    assert data[0]["id"] == "ssgj-707" and data[0]["score"] == 100 and isinstance(data[0]["sources"], list)
    res = _cli("zzqqxxvv")
    assert res.exit_code == 1 and res.stdout == "" and "nothing matches 'zzqqxxvv'" in res.stderr
    assert "Examples" in CliRunner().invoke(main, ["search", "--help"]).stdout


@pytest.mark.parametrize("args", [
    ["exposure", "Qqzx Nowhere Pharma"],
    ["map", "--focus", "Qqzx Nowhere Pharma"],
    ["map", "--exposure", "Qqzx Nowhere Pharma"],
    ["map", "--modality", "Qqzx Nowhere modality"],
])
def test_every_command_that_takes_a_name_refuses_an_unknown_one(args, tmp_path):
    res = CliRunner().invoke(main, [*args, "--seeds", str(SEEDS)] + (["--out", str(tmp_path / "m.html")]
                                                                        if args[0] == "map" else []))
    assert res.exit_code == 1 and res.stdout == "" and not (tmp_path / "m.html").exists()
    assert res.stderr.startswith("error: no ") and "Qqzx Nowhere" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_commands_use_a_close_name_and_say_so(tmp_path):
    res = CliRunner().invoke(main, ["map", "--focus", "Astrazeneka", "--seeds", str(SEEDS),
                                    "--out", str(tmp_path / "m.html")])
    assert res.exit_code == 0 and (tmp_path / "m.html").is_file()
    assert res.stderr.strip() == "note: 'Astrazeneka' taken as organization AstraZeneca (astrazeneca)"
