"""Dates as precise as the sources: a day, a month, a year, a span of years or only a named period."""
from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from graph.core.errors import SeedError
from graph.ingest.loading import load_seeds
from graph.models.dates import date_precision, year_of, year_span
from graph.models.ontology import DG
from graph.stores.property_graph import to_property_graph
from graph.rdf.triples import iri, to_rdf
from graph.rdf.shacl import validate_graph
from graph.describe.summary import summarize

from .support import SEEDS, copy_fixture


@pytest.fixture(scope="module")
def ds():
    return load_seeds(SEEDS)


@pytest.mark.parametrize("date, period, precision, year, span", [
    ("2025-05-20", None, "day", 2025, (2025, 2025)),
    ("2025-05", None, "month", 2025, (2025, 2025)),
    ("2025", "CIIE 2025", "year", 2025, (2025, 2025)),
    ("2022/2025", None, "years", None, (2022, 2025)),
    (None, "before April 2025", "period", None, (None, None)),
    (None, None, None, None, (None, None)),
])
def test_precision_year_and_span(date, period, precision, year, span):
    assert (date_precision(date, period), year_of(date), year_span(date)) == (precision, year, span)


def test_records_placed_only_at_an_event_are_not_undated(ds):
    # ciie-2025:105: the Sinopharm procurement agreements were signed during CIIE 2025.
    d = ds.deals["2025-sinopharm-bayer-procurement"]
    assert (d.date, d.period, d.date_precision, d.year) == ("2025", "CIIE 2025", "year", 2025)
    # ciie-2025:19: MSD showed five partnerships from the past three years at CIIE 2025.
    msd = ds.deals["kelun-biotech-msd-collaboration"]
    assert (msd.date_precision, msd.year, msd.year_span) == ("years", None, (2022, 2025))
    # ciie-2025:13: the Medtronic co-developments were on show by CIIE 2025; no date is given.
    assert ds.deals["medtronic-keensea-medical"].date_precision == "period"
    assert summarize(ds)["deals_by_date_precision"]["period"] >= 3


def test_property_graph_and_rdf_keep_the_precision(ds):
    pg = to_property_graph(ds)
    deals = {r["id"]: r for r in pg.nodes["Deal"]}
    row = deals["hengrui-msd-collaboration"]
    assert (row["date"], row["year"], row["year_from"], row["year_to"], row["date_precision"]) == \
        ("2022/2025", None, 2022, 2025, "years")
    assert deals["2023-eccogene-astrazeneca"]["period"] == "CIIE 2023"
    assert deals["2025-03-hengrui-msd"]["date_precision"] == "month"
    events = {r["id"]: r for r in pg.nodes["Event"]}
    assert events["art001-nmpa-ind"]["date_precision"] == "period"
    g = to_rdf(ds)
    node = iri("deal", "hengrui-msd-collaboration")
    assert g.value(node, DG.date) == Literal("2022/2025")
    assert str(g.value(node, DG.datePrecision)) == "years"
    assert g.value(iri("deal", "2025-03-hengrui-msd"), DG.date) == Literal("2025-03", datatype=XSD.gYearMonth)
    assert validate_graph(g) == []


@pytest.mark.parametrize("date, message", [
    ("2025/2022", "'2025/2022' is not a span of years: the first year must come before the second"),
    ("2025-H1", "'2025-H1' is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or a span of years YYYY/YYYY"),
])
def test_bad_dates_are_reported(tmp_path, date, message):
    seeds = copy_fixture(tmp_path)
    path = seeds / "deals.yaml"
    path.write_text(path.read_text().replace("date: 2025-03-14", f"date: {date}"))
    with pytest.raises(SeedError) as exc:
        load_seeds(seeds)
    assert [str(p) for p in exc.value.problems] == [f"seeds/deals.yaml:3: date: {message}"]
