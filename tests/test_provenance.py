"""Every record's cited line states it, and every figure appears on a cited line as the text writes it."""
from __future__ import annotations

from graph.ingest.loading import load_seeds
from graph.ingest.provenance import check_provenance

from .support import FIXTURE_DOCS, SEEDS, copy_fixture, source_documents


def test_shipped_seeds_cite_lines_that_state_them():
    problems = check_provenance(load_seeds(SEEDS), source_documents())
    assert [str(p) for p in problems] == []


def test_every_source_is_a_file_in_the_documents_folder():
    docs = source_documents()
    for s in load_seeds(SEEDS).sources.values():
        assert (docs / s.file).is_file(), s.file


def test_fixture_passes(tmp_path):
    assert check_provenance(load_seeds(copy_fixture(tmp_path)), FIXTURE_DOCS) == []


def test_wrong_line_is_caught(tmp_path):
    seeds = copy_fixture(tmp_path)
    text = (seeds / "assets.yaml").read_text().replace("sources: [mini:2]", "sources: [mini:5]")
    (seeds / "assets.yaml").write_text(text)
    problems = [str(p) for p in check_provenance(load_seeds(seeds), FIXTURE_DOCS)]
    assert problems == ["assets/ab-101 @ mini:5: cited line names none of: "
                        "ab-101, acme, acme bio"]


def test_wrong_figure_is_caught(tmp_path):
    seeds = copy_fixture(tmp_path)
    text = (seeds / "deals.yaml").read_text().replace("USD 50 million", "USD 60 million")
    (seeds / "deals.yaml").write_text(text)
    problems = [str(p) for p in check_provenance(load_seeds(seeds), FIXTURE_DOCS)]
    assert problems == ["deals/2025-03-acme-globex @ mini:2, mini:3: terms.upfront: the figure 60 is on none "
                        "of the cited lines"]


def test_line_past_the_end_is_caught(tmp_path):
    seeds = copy_fixture(tmp_path)
    text = (seeds / "events.yaml").read_text().replace("sources: [mini:4]", "sources: [mini:400]")
    (seeds / "events.yaml").write_text(text)
    problems = [str(p) for p in check_provenance(load_seeds(seeds), FIXTURE_DOCS)]
    assert "events/acme-globex-termination @ mini:400: no such line in the document" in problems


def test_missing_documents_folder_is_reported(tmp_path):
    problems = check_provenance(load_seeds(copy_fixture(tmp_path)), tmp_path / "nowhere")
    assert [p.message for p in problems] == [f"document file not found: {tmp_path / 'nowhere' / 'mini.txt'}"]
