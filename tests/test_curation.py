"""Reference data: every deal party has a headquarters country (document, curated or unknown with a reason),
and curated facts stay apart from document citations in the models, RDF, property graph and data card."""
from __future__ import annotations

import pytest
from rdflib import RDF

from graph.ingest.curation import country_gaps, curated_facts, deal_parties, unknown_countries
from graph.describe.datacard import render_datacard
from graph.core.errors import SeedError
from graph.ingest.loading import load_seeds
from graph.models.ontology import DG, PROV
from graph.stores.property_graph import to_property_graph
from graph.rdf.triples import iri, to_rdf
from graph.rdf.shacl import validate_graph

from .support import SEEDS, copy_fixture


@pytest.fixture(scope="module")
def ds():
    return load_seeds(SEEDS)


def test_every_deal_party_has_a_country_or_a_reason(ds):
    assert country_gaps(ds) == []


def test_no_multinational_lacks_a_country(ds):
    mncs = [o for o in ds.organizations.values() if o.multinational]
    assert len(mncs) >= 28
    assert [o.id for o in mncs if not o.country] == []


def test_at_most_two_percent_of_deal_parties_are_unknown(ds):
    parties = deal_parties(ds)
    unknown = unknown_countries(ds)
    # 1 of 88 today: the PharmCube case-study licensee the report does not name
    assert len(unknown) <= 0.02 * len(parties), unknown


def test_curated_countries_that_names_would_mislead(ds):
    """A Chinese-sounding name does not make a company Chinese, and an American-run group can be Irish."""
    org = ds.organizations
    assert (org["cathay-capital"].country, org["cathay-capital"].provenance_of("country")) == ("FR", "curated")
    assert org["wuxi-advanced-therapies"].country == "US"
    assert org["medtronic"].country == "IE"
    assert org["gsk"].country == "GB" and org["novartis"].country == "CH" and org["bayer"].country == "DE"
    # Chinese parties the issue found without a country
    for o in ("puhe", "tsinghua", "peking-university", "hitgen", "xtalpi", "cardioacc", "accuredit",
              "epigenic", "immunocan", "genor"):
        assert org[o].country == "CN", o
    # a document-stated country stays a document fact
    assert org["hengrui"].provenance_of("country") == "document"
    assert org["varian"].subsidiary_of == "siemens-healthineers"
    assert org["varian"].provenance_of("subsidiary_of") == "curated"


def test_curated_fact_in_rdf_is_not_a_document_citation(ds):
    g = to_rdf(ds)
    gsk = iri("org", "gsk")
    fact = iri("org", "gsk", "curated", "country")
    assert (gsk, PROV.wasDerivedFrom, fact) in g
    assert (fact, RDF.type, DG.CuratedFact) in g
    assert (fact, RDF.type, DG.Citation) not in g
    assert (fact, DG.aboutProperty, DG.headquarters) in g
    assert (fact, PROV.wasAttributedTo, DG.curators) in g
    unknown = iri("org", "pharmcube-case3-partner", "unknown", "country")
    assert (iri("org", "pharmcube-case3-partner"), DG.unknownValue, unknown) in g
    assert "outside China" in str(g.value(unknown, DG.basis))


def test_shacl_rejects_a_curated_fact_without_basis(tmp_path):
    seeds = copy_fixture(tmp_path)
    path = seeds / "organizations.yaml"
    path.write_text(path.read_text().replace("  type: investor\n", "  country: US\n  type: investor\n"
                                             "  curated: {country: New York investor}\n"))
    g = to_rdf(load_seeds(seeds))
    assert validate_graph(g) == []
    g.remove((iri("org", "initech", "curated", "country"), DG.basis, None))
    assert any("one-line basis" in str(v) for v in validate_graph(g))


def test_property_graph_marks_curated_facts(ds):
    pg = to_property_graph(ds)
    orgs = {r["id"]: r for r in pg.nodes["Organization"]}
    gsk = orgs["gsk"]
    assert (gsk["country"], gsk["country_source"]) == ("GB", "curated")
    assert gsk["country_basis"].startswith("drugmaker headquartered in London")
    assert "curated:country" in gsk["sources"] and gsk["curated"] == ["country"]
    assert orgs["hengrui"]["country_source"] == "document" and orgs["hengrui"]["curated"] == []
    assert orgs["pharmcube-case3-partner"]["country_source"] == "unknown"
    hq = {(r["from"], r["to"]): r for r in pg.rels["HEADQUARTERED_IN"]}
    assert hq[("gsk", "GB")]["sources"] == ["curated:country"]
    assert all(s.startswith("caixin-2026:") or s.startswith("ciie-2025:") or s.startswith("chinabio-2025:")
               or s.startswith("pharmcube-2026:") or s.startswith("video-2025:") for s in hq[("hengrui", "CN")]["sources"])
    sub = {(r["from"], r["to"]): r for r in pg.rels["SUBSIDIARY_OF"]}
    assert sub[("varian", "siemens-healthineers")]["sources"] == ["curated:subsidiary_of"]


def test_datacard_lists_curated_facts_apart(ds):
    card = render_datacard(ds)
    assert "## Curated facts" in card
    assert "| organization `gsk` | country | GB | curated |" in card
    n = sum(1 for f in curated_facts(ds) if f.status == "curated" and f.field == "country")
    assert f"{n} curated" in card


@pytest.mark.parametrize("edit, message", [
    ("  curated: {country: London}\n", "seeds/organizations.yaml:{line}: curated: 'country' is curated but has no "
                                       "value; give country, or move it to 'unknown' with a reason"),
    ("  country: US\n  unknown: {country: nobody knows}\n",
     "seeds/organizations.yaml:{line}: unknown: 'country' has a value (US) and is marked unknown; drop one"),
    ("  country: US\n  curated: {country: 'New York; investor'}\n",
     "seeds/organizations.yaml:{field_line}: curated: the basis for 'country' cannot contain ';' or '|' (they separate "
     "list items in exports): use a comma or a dash"),
    ("  curated: {note: x}\n", "seeds/organizations.yaml:{line}: curated: 'note' cannot be curated; fields that can: "
                               "country, type, multinational, subsidiary_of, former_names"),
])
def test_bad_curation_is_reported_with_file_and_line(tmp_path, edit, message):
    seeds = copy_fixture(tmp_path)
    path = seeds / "organizations.yaml"
    text = path.read_text()
    path.write_text(text.replace("  type: investor\n", "  type: investor\n" + edit))
    line = text[: text.index("- id: initech")].count("\n") + 1
    with pytest.raises(SeedError) as exc:
        load_seeds(seeds)
    # record-level rules point at the record; a bad basis at its own line (after id, name, type, country)
    assert [str(p) for p in exc.value.problems] == [message.format(line=line, field_line=line + 4)]


def test_modalities_a_drug_name_makes_plain_are_curated(ds):
    # pharmcube-2026:322 names tislelizumab, ensartinib and sunvozertinib without saying what they are.
    for asset, modality in (("tislelizumab", "monoclonal-antibody"), ("ensartinib", "small-molecule"),
                            ("sunvozertinib", "small-molecule"), ("zanubrutinib", "small-molecule"),
                            ("plozasiran", "rnai")):
        a = ds.assets[asset]
        assert (a.modality, a.provenance_of("modality")) == (modality, "curated"), asset
    pg = to_property_graph(ds)
    row = {r["id"]: r for r in pg.nodes["Asset"]}["tislelizumab"]
    assert row["modality_source"] == "curated" and "curated:modality" in row["sources"]
    edge = {(r["from"], r["to"]): r for r in pg.rels["HAS_MODALITY"]}[("tislelizumab", "monoclonal-antibody")]
    assert edge["sources"] == ["curated:modality"]
    assert {r["id"]: r for r in pg.nodes["Asset"]}["ssgj-707"]["modality_source"] == "document"


def test_curated_deal_dates_stay_apart_from_document_dates(ds):
    # chinabio-2025:138 names Bayer's AskBio purchase without a date; the month is common knowledge.
    d = ds.deals["bayer-askbio"]
    assert (d.date, d.year, d.provenance_of("date")) == ("2020-10", 2020, "curated")
    row = {r["id"]: r for r in to_property_graph(ds).nodes["Deal"]}
    assert row["bayer-askbio"]["date_source"] == "curated" and "curated:date" in row["bayer-askbio"]["sources"]
    assert row["2025-03-hengrui-msd"]["date_source"] == "document"
    assert row["jnj-xtalpi"]["date_source"] is None
    assert (iri("deal", "bayer-askbio"), PROV.wasDerivedFrom, iri("deal", "bayer-askbio", "curated", "date")) in to_rdf(ds)


@pytest.mark.parametrize("module", ["graph.ingest.curation", "graph.stores.property_graph", "graph.models.dates",
                                    "graph.models.records"])
def test_doctests_run(module):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0
