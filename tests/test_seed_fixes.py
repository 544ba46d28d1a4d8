"""The audit's data slips stay fixed (issue #10 part 4), each traced to its cited lines.

Also checks the mechanisms the fixes use: a figure that includes another term, one party's contribution to
a deal, and non-numeric disagreements that `dealgraph conflicts` shows side by side.
"""
from __future__ import annotations

import pytest
from rdflib import RDF

from graph.describe.conflicts import find_conflicts
from graph.core.errors import SeedError
from graph.ingest.loading import load_seeds
from graph.models.ontology import DG
from graph.stores.property_graph import to_property_graph
from graph.rdf.triples import iri, to_rdf
from graph.models.values import headline

from .support import SEEDS, copy_fixture


@pytest.fixture(scope="module")
def ds():
    return load_seeds(SEEDS)


def test_cstone_servier_is_44_plus_6(ds):
    # chinabio-2025:176: Servier bought the rights "for $44 million, with an additional $6 million" on transition.
    d = ds.deals["2023-12-cstone-servier"]
    assert "total" not in d.terms
    h = headline(d)
    assert (h.usd, h.qualifier, h.basis) == (50_000_000.0, "exact", "parts")


def test_ji_xing_round_credits_bayer_with_35_million(ds):
    # chinabio-2025:134: a $162 million equity investment into Ji Xing, Bayer "contributing $35 million".
    d = ds.deals["rtw-bayer-ji-xing-equity"]
    assert headline(d).usd == 162_000_000.0
    assert float(d.contribution("bayer").usd) == 35_000_000.0
    assert d.contribution("rtw") is None
    party = {(r["from"], r["to"]): r for r in to_property_graph(ds).rels["PARTY_TO"]}
    assert party[("bayer", d.id)]["contribution_usd"] == 35_000_000.0
    assert party[("bayer", d.id)]["contribution_text"] == "USD 35 million"
    assert party[("rtw", d.id)]["contribution_usd"] is None


def test_innovent_takeda_equity_is_inside_the_upfront(ds):
    # pharmcube-2026:399: "upfront payment of USD 1.2 billion (including a USD 100 million equity investment)".
    d = ds.deals["2025-10-innovent-takeda"]
    assert d.included_terms() == {"equity": "upfront"}
    assert d.terms["upfront"][0].includes == ["equity"]
    deal = {r["id"]: r for r in to_property_graph(ds).nodes["Deal"]}[d.id]
    assert deal["included_terms"] == ["equity"] and deal["upfront_usd"] == 1.2e9


def test_keymed_platina_upfront_includes_near_term(ds):
    # pharmcube-2026:401: Keymed "received an upfront and near-term payment of USD 16 million".
    d = ds.deals["2024-11-keymed-platina-medicines"]
    assert d.terms["upfront"][0].includes == ["near_term"]
    assert "near_term" not in d.terms
    term = {r["id"]: r for r in to_property_graph(ds).nodes["Term"]}[f"{d.id}/upfront/1"]
    assert term["includes"] == ["near_term"]


def test_no_deal_rests_on_a_booth_line(ds):
    # ciie-2025:13 only says J&J's booth showed Ronovo's Carina robot: no agreement, so no deal.
    assert "jnj-ronovo-surgical" not in ds.deals
    assert not [d.id for d in ds.deals.values() if "ronovo-surgical" in d.party_ids()]
    assert ds.assets["carina"].originator == "ronovo-surgical"


def test_non_numeric_disagreements_are_listed_side_by_side(ds):
    facts = {(c.subject, c.what): c for c in find_conflicts(ds) if c.kind == "fact"}
    # caixin-2026:68/76 exclude mainland China; ciie-2025:44 and caixin-2026:94 say global rights.
    terr = facts[("deal 2025-05-3sbio-pfizer", "territory_exclude")]
    assert [(cl.value, cl.sources) for cl in terr.claims] == [
        ("CN", ("caixin-2026:68", "caixin-2026:76")), ("(none)", ("ciie-2025:44", "caixin-2026:94"))]
    assert terr.spread() is None
    # pharmcube-2026:399 calls Innovent-Takeda co-development; Caixin a strategic collaboration.
    kind = facts[("deal 2025-10-innovent-takeda", "type")]
    assert [cl.value for cl in kind.claims] == ["co-development", "strategic-collaboration"]
    g = to_rdf(ds)
    alt = [o for o in g.objects(iri("deal", "2025-10-innovent-takeda"), DG.disputes)]
    assert len(alt) == 2 and all((a, RDF.type, DG.AlternativeClaim) in g for a in alt)


@pytest.mark.parametrize("edit, message", [
    ("  contributions: {initech: USD 5 million}\n",
     "contributions: 'initech' is not a party to the deal; list it under parties first"),
    ("  disputes:\n    type:\n      - {value: licence, sources: [mini:2]}\n      - {value: merger, sources: [mini:3]}\n",
     "disputes: 'merger' is not a valid type: unknown deal type 'merger'"),
    ("  disputes:\n    type:\n      - {value: option, sources: [mini:2]}\n      - {value: newco, sources: [mini:3]}\n",
     "disputes: the record's type (licence) is not one of the disputed values"),
])
def test_bad_contributions_and_disputes_are_reported(tmp_path, edit, message):
    seeds = copy_fixture(tmp_path)
    path = seeds / "deals.yaml"
    text = path.read_text()
    path.write_text(text.replace("  sources:", edit + "  sources:", 1))
    with pytest.raises(SeedError) as exc:
        load_seeds(seeds)
    problems = [str(p) for p in exc.value.problems]
    assert len(problems) == 1 and problems[0].startswith("seeds/deals.yaml:1:") and message in problems[0], problems


def test_figures_written_in_words_are_statistics(ds):
    # chinabio-2025:27 and :212: "one-third" of Big Pharma's licensed biotech assets came from China in 2024;
    # chinabio-2025:172: "more than one-third" of multinationals' new in-licensed assets.
    s = ds.statistics["chinabio-2024-cn-share-of-bigpharma-licensed-assets"]
    assert (s.written, s.shown, s.qualifier, s.period) == ("one-third", "one-third", "about", "2024")
    over = ds.statistics["chinabio-2024-cn-share-of-mnc-new-licensed-assets"]
    assert (over.shown, over.qualifier) == ("more than one-third", "over")
    row = {r["id"]: r for r in to_property_graph(ds).nodes["Statistic"]}[s.id]
    assert row["written"] == "one-third"


def test_words_must_be_on_the_cited_line(tmp_path):
    from graph.ingest.provenance import check_provenance

    from .support import FIXTURE_DOCS

    seeds = copy_fixture(tmp_path)
    path = seeds / "statistics.yaml"
    text = path.read_text()
    assert "value:" in text
    path.write_text(text.replace("  unit:", "  written: two-thirds\n  unit:", 1))
    problems = [p.message for p in check_provenance(load_seeds(seeds), FIXTURE_DOCS)]
    assert problems == ["written: 'two-thirds' is on none of the cited lines"]


def test_cases_and_policies_without_an_agreement_date_are_events(ds):
    ev = ds.events
    # pharmcube-2026:974: the FDA's CRL for the China-data-plus-bridging filing (Case 2)
    assert (ev["pharmcube-case2-fda-crl"].type, ev["pharmcube-case2-fda-crl"].agency) == ("rejection", "fda")
    # pharmcube-2026:239-242: the policy table (July 2024, Jan 2025, Aug 2025, March 2026)
    policies = sorted((e.date, e.id) for e in ev.values() if e.type == "policy" and e.country == "CN")
    assert [d for d, _ in policies] == ["2024-07", "2025-01", "2025-08", "2026-03"]
    # pharmcube-2026:1079: the Senate passed the FY2026 NDAA with a revised Biosecure Act in October 2025
    assert ev["us-senate-2025-10-ndaa-biosecure"].orgs == ["us-senate"]


def test_hercules_is_kaileras_first_name_not_another_investor(ds):
    # chinabio-2025:248 writes "Hercules's Kailera Therapeutics": Hercules CM NewCo was Kailera's placeholder
    # name (a curated fact), so the NewCo deal has two parties, not a third investor.
    assert "hercules" not in ds.organizations
    assert ds.org("Hercules").id == "kailera"
    assert ds.organizations["kailera"].provenance_of("former_names") == "curated"
    assert ds.deals["hengrui-kailera"].party_ids() == ["hengrui", "kailera"]


def test_party_headline_credits_bayer_with_its_own_part(ds):
    from graph.models.values import party_headline

    d = ds.deals["rtw-bayer-ji-xing-equity"]
    assert (party_headline(d, "bayer").usd, party_headline(d, "bayer").basis) == (35_000_000.0, "contribution")
    assert party_headline(d, "rtw").usd == 162_000_000.0
    assert party_headline(ds.deals["2025-03-hengrui-msd"], "msd") == headline(ds.deals["2025-03-hengrui-msd"])


def test_an_approximate_bound_keeps_its_words(ds):
    # pharmcube-2026:403: Keymed's milestones from the Gilead purchase are "up to approximately USD 70 million".
    m = ds.events["keymed-proceeds-gilead-ouro"].terms["milestones"][0]
    assert (m.text, m.qualifier, m.amount) == ("up to approximately USD 70 million", "up-to", 70_000_000)
