"""The report out/index.html: league tables, years and modalities, analyses, conflicts, coverage, map links.

The page in a browser (no errors, nothing fetched, images shown, nothing injected) is tested in
test_maps_browser.py.
"""
from __future__ import annotations

import html as html_lib
import re

import pytest

from graph.analysis import run_analyses
from graph.ingest.loading import load_seeds
from graph.publish.maps import write_maps, write_report
from graph.publish.maps.report import LICENSEE_ROLES, LICENSOR_ROLES, deals_by_modality, deals_by_year, league
from graph.ingest.synth import dataset_from_seeds

from .support import SEEDS
from .test_maps import INJECT, INJECT_NOTE, crafted_seeds


@pytest.fixture(scope="module")
def crafted():
    return dataset_from_seeds(crafted_seeds(), "crafted")


def test_league_tables_rank_by_count_and_by_headline_value(crafted):
    by_value = league(crafted, LICENSOR_ROLES, "value")
    # Phoenix: total up to USD 2 billion; Dragon: 50 million + up to 900 million; the injecting company's
    # deal has no disclosed value, so it is not ranked by value
    assert [(r.org, r.value_usd) for r in by_value] == [("phoenix", 2e9), ("dragon", 0.95e9)]
    by_count = league(crafted, LICENSOR_ROLES, "count")
    assert {r.org for r in by_count} == {"dragon", "phoenix", "evil"}
    evil = next(r for r in by_count if r.org == "evil")
    assert evil.deals == 1 and evil.undisclosed == 1 and evil.value_usd == 0
    takers = league(crafted, LICENSEE_ROLES, "count")
    assert (takers[0].org, takers[0].deals, takers[0].value_usd, takers[0].undisclosed) == ("globe", 2, 2e9, 1)


def test_league_on_the_seeds_uses_the_headline_definition():
    ds = load_seeds(SEEDS)
    rows = {r.org: r for r in league(ds, LICENSOR_ROLES, "value", top=10_000)}
    expected = sum(float(d.headline()[0]) for d in ds.deals.values()
                   if "3sbio" in d.parties.get("licensor", []) and d.headline()[0] is not None)
    assert rows["3sbio"].value_usd == pytest.approx(expected)
    assert rows["3sbio"].value_usd >= 6e9             # Pfizer deal: "over USD 6 billion" in total


def test_deals_by_year_and_modality(crafted):
    years = {r["year"]: r for r in deals_by_year(crafted)}
    assert {y: r["deals"] for y, r in years.items()} == {"2022": 1, "2023": 1, "2024": 1, "2025": 2}
    assert years["2024"]["value_usd"] == 1.2e9 and years["2025"]["undisclosed"] == 1
    mods = {(r["family"] or r["modality"]): r["deals"] for r in deals_by_modality(crafted)}
    assert mods["Biologic"] == 2                      # an ADC and a monoclonal antibody
    assert mods["Antibody-drug conjugate"] == 1 and mods["Monoclonal antibody"] == 1
    assert mods["Small molecule"] == 1 and mods["Not stated"] == 2


def test_report_holds_every_section_and_links_every_map(tmp_path):
    ds = load_seeds(SEEDS)
    run_analyses(ds, tmp_path)
    maps = write_maps(ds, tmp_path)
    page = write_report(ds, tmp_path, maps)
    assert page == tmp_path / "index.html"
    text = page.read_text()
    for section in ("maps", "summary", "leagues", "trends", "centrality", "exposure", "conflicts", "coverage"):
        assert f'<section id="{section}">' in text
    links = set(re.findall(r'href="(maps/[^"]+)"', text))
    assert {m.path for m in maps} <= links
    assert all((tmp_path / link).is_file() for link in links)
    # the analysis plots are inside the page, not beside it
    pngs = sorted((tmp_path / "plots").glob("*.png"))
    assert pngs and text.count('src="data:image/png;base64,') == len(pngs)
    assert "2025-07-hengrui-gsk" in text                       # sources disagree on its total
    assert "china-out-licensing-deal-count" in text            # coverage against a reported total
    assert "<script" not in text
    assert "default-src 'none'" in html_lib.unescape(text)


def test_report_without_analysis_files_computes_them(crafted, tmp_path):
    text = write_report(crafted, tmp_path).read_text()
    assert "Globe Pharma" in text and 'id="centrality"' in text
    assert "No maps were written" in text


def test_report_escapes_names_and_is_repeatable(crafted, tmp_path):
    run_analyses(crafted, tmp_path)
    maps = write_maps(crafted, tmp_path)
    first = write_report(crafted, tmp_path, maps).read_bytes()
    second = write_report(crafted, tmp_path, maps).read_bytes()
    assert first == second
    text = first.decode()
    assert INJECT not in text and "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in text
    assert INJECT_NOTE not in text
