"""China exposure by direction on the tiny hand-built seed set of ``graph.analysis.examples``.

Every record of the set is listed in that module's docstring; every figure below is worked out by hand
in the comments. The set is loaded by the real loader (aliases resolve), as the ``tiny`` fixture.
"""
from __future__ import annotations

import doctest
import importlib

import pytest

from graph.analysis import exposure_text
from graph.analysis.direction import counterparties, deal_direction, in_greater_china
from graph.analysis.examples import write_tiny_seeds
from graph.analysis.exposure import CHINA, GREATER_CHINA, ROW_COLUMNS, ExposureIndex, exposure, exposures
from graph.ingest.loading import load_seeds
from graph.models.values import headline


def by_org(results):
    return {e.org: e for e in results}


# --------------------------------------------------------------------------- headline values
def test_headline_rules(tiny):
    d = tiny.deals
    h1 = headline(d["d1"])   # 100e6 exact + up to 900e6 → 1.0e9 'up-to'; equity 50e6 left out
    assert (h1.usd, h1.qualifier, h1.basis, h1.kinds) == (1.0e9, "up-to", "parts", ("upfront", "milestones"))
    h2 = headline(d["d2"])   # only an undisclosed upfront → no value, reason undisclosed
    assert (h2.usd, h2.reason) == (None, "undisclosed")
    h3 = headline(d["d3"])   # about USD 2 billion → the total, labelled 'about'
    assert (h3.usd, h3.qualifier, h3.basis) == (2.0e9, "about", "total")
    assert headline(d["d9"]).reason == "not-given"


# --------------------------------------------------------------------------- direct
def test_aliases_resolve_to_one_organization(tiny):
    # d1 names "BigPharma Inc.", d2 names "BP Group": both are mnc's deals
    assert tiny.deals["d1"].parties["licensee"] == ["mnc"]
    assert tiny.deals["d2"].parties["licensee"] == ["mnc"]
    e = exposure(tiny, "mnc")
    assert {r["deal"] for r in e.direct["deal_list"]} == {"d1", "d2", "d3"}


def test_direct_exposure_by_hand(tiny):
    e = by_org(exposures(tiny))["mnc"]
    d = e.direct
    # mnc's deals: d1 d2 d3 d4 d7 = 5; Chinese counterparty (CN only): d1 (cn1), d2 (cn2), d3 (cn1) = 3
    assert (d["deals"], d["all_deals"], d["share"]) == (3, 5, 0.6)
    # value: d1 1.0e9 + d2 nothing (undisclosed) + d3 2.0e9 = 3.0e9
    # all: 1.0e9 + 2.0e9 + d4 0.3e9 + d7 0.4e9 = 3.7e9 → share 3.0/3.7 = 0.810811
    assert d["value_usd"] == 3.0e9
    assert d["all_value_usd"] == 3.7e9
    assert d["value_share"] == pytest.approx(3.0 / 3.7, abs=1e-6)
    # upfront paid: d1 100e6 (mnc is licensee); d3 has no upfront; d2's is undisclosed → 100e6. Equity: d1 50e6
    assert (d["upfront_usd"], d["equity_usd"]) == (100e6, 50e6)
    assert d["inbound_deals"] == 3
    # labels: one 'up-to' value (d1), one 'about' (d3); one deal without value, because it is undisclosed
    assert d["by_qualifier"] == {"about": {"deals": 1, "value_usd": 2.0e9}, "up-to": {"deals": 1, "value_usd": 1.0e9}}
    assert (d["undisclosed_deals"], d["disclosed_deals"], d["no_value_reasons"]) == (1, 2, {"undisclosed": 1})


def test_partners_and_herfindahl_by_hand(tiny):
    d = exposure(tiny, "mnc").direct
    # cn1 in d1 and d3 (weight 2, value 3.0e9); cn2 in d2 (weight 1, value 0)
    assert [(p["id"], p["deals"], p["weight"], p["value_usd"]) for p in d["partners"]] == [
        ("cn1", ["d1", "d3"], 2.0, 3.0e9), ("cn2", ["d2"], 1.0, 0.0)]
    # HHI by deals: (2/3)² + (1/3)² = 5/9; by value: cn1 holds all of it → 1
    assert d["hhi_deals"] == pytest.approx(5 / 9, abs=1e-6)
    assert d["hhi_value"] == 1.0
    assert d["partners"][0]["deal_share"] == pytest.approx(2 / 3, abs=1e-6)


def test_composition_by_hand(tiny):
    d = exposure(tiny, "mnc").direct
    # d1 bispecific-antibody (family biologic) 1e9; d2 small-molecule 0; d3 adc (family biologic) 2e9
    assert d["by_modality"] == {
        "adc": {"deals": 1, "value_usd": 2.0e9, "partners": ["cn1"]},
        "bispecific-antibody": {"deals": 1, "value_usd": 1.0e9, "partners": ["cn1"]},
        "small-molecule": {"deals": 1, "value_usd": 0.0, "partners": ["cn2"]}}
    assert d["by_family"] == {"biologic": {"deals": 2, "value_usd": 3.0e9, "partners": ["cn1"]},
                              "small-molecule": {"deals": 1, "value_usd": 0.0, "partners": ["cn2"]}}
    assert {k: v["deals"] for k, v in d["by_type"].items()} == {"co-development": 1, "licence": 2}
    assert {k: (v["deals"], v["value_usd"]) for k, v in d["by_year"].items()} == {"2023": (1, 1.0e9),
                                                                                  "2024": (2, 2.0e9)}


def test_terminated_deal_and_what_was_retained(tiny):
    d = exposure(tiny, "mnc").direct
    # only d2 among CN deals is terminated; its event says USD 10 million was kept and all rights returned
    assert [(t["deal"], t["retained_usd"], t["returned"], t["date"]) for t in d["terminated"]] == [
        ("d2", 10e6, ["All rights to A-2."], "2025-03")]


def test_three_party_deal_counts_for_both_multinationals(tiny):
    e2 = exposure(tiny, "mnc2").direct
    # mnc2: d3 d6 d9 = 3 deals; Chinese counterparty: d3 (cn1; mnc is not Chinese), d9 (cn1) → 2/3
    # value: d3 2.0e9, d9 none (no terms) ; all: 2.0e9 + d6 1.0e9 = 3.0e9 → 2/3
    assert (e2["deals"], e2["all_deals"], e2["value_usd"], e2["all_value_usd"]) == (2, 3, 2.0e9, 3.0e9)
    assert e2["share"] == pytest.approx(2 / 3, abs=1e-6)
    assert e2["value_share"] == pytest.approx(2 / 3, abs=1e-6)
    assert e2["no_value_reasons"] == {"not-given": 1}
    assert [p["id"] for p in e2["partners"]] == ["cn1"] and e2["hhi_deals"] == 1.0


def test_period_bounds_and_undated_deals(tiny):
    e = exposure(tiny, "mnc", from_year=2024, to_year=2024).direct
    # 2024 only: d2 and d3 (both Chinese) → 2 of 2; value 2.0e9 of 2.0e9
    assert (e["deals"], e["all_deals"], e["value_usd"], e["all_value_usd"]) == (2, 2, 2.0e9, 2.0e9)
    e2 = exposure(tiny, "mnc2", from_year=2000).direct
    # d9 has no date: left out once a bound is given, and counted as such
    assert (e2["deals"], e2["all_deals"], e2["undated_excluded"]) == (1, 2, 1)


def test_greater_china_adds_hong_kong(tiny):
    assert GREATER_CHINA == {"CN", "HK", "MO", "TW"} and CHINA == {"CN"}
    d = exposure(tiny, "mnc", china=GREATER_CHINA).direct
    # d7 (hk1, USD 400 million, terminated) joins: 4 of 5 deals, value 3.0e9 + 0.4e9 = 3.4e9
    assert (d["deals"], d["value_usd"]) == (4, 3.4e9)
    assert d["by_qualifier"]["exact"] == {"deals": 1, "value_usd": 4.0e8}
    assert [t["deal"] for t in d["terminated"]] == ["d2", "d7"]
    assert d["terminated"][1]["retained_usd"] == 40e6


# --------------------------------------------------------------------------- indirect
def test_newco_acquisition_chain(tiny):
    i = exposure(tiny, "mnc2").indirect
    # a4 (cn2) → licensed to newco in d5 → newco acquired by mnc2 in d6; mnc2 never dealt with cn2
    assert i["assets"] == 1
    (c,) = i["chain_list"]
    assert (c["asset"], c["originator"], c["chain"]) == ("a4", "cn2", ["cn2", "d5", "newco", "d6", "mnc2"])
    assert c["year"] == 2025          # the latest deal of the chain
    assert i["by_family"] == {"small-molecule": 1}


def test_sublicence_chain_and_direct_assets_left_out(tiny):
    i = exposure(tiny, "mnc").indirect
    # a5 (cn2) → d8 to us1 → sublicensed to mnc in d4; a1, a2, a3 are direct deals with their originators
    assert [(c["asset"], c["chain"]) for c in i["chain_list"]] == [("a5", ["cn2", "d8", "us1", "d4", "mnc"])]
    assert i["originators"] == ["cn2"]
    # the chain's year is 2022 (d4), outside 2024
    assert exposure(tiny, "mnc", from_year=2024).indirect["assets"] == 0


def test_subsidiary_counts_in_group(tmp_path):
    folder = write_tiny_seeds(tmp_path / "seeds")
    orgs = (folder / "organizations.yaml").read_text()
    orgs += ('- {id: mnc-jp, name: Big Pharma Japan, country: JP, type: pharma, subsidiary_of: mnc, '
             'sources: ["doc:1"]}\n')
    (folder / "organizations.yaml").write_text(orgs)
    deals = (folder / "deals.yaml").read_text()
    deals += ("- {id: d20, type: licence, date: 2024-10, parties: {licensor: cn2, licensee: mnc-jp}, "
              "terms: {total: USD 50 million}, sources: ['doc:1']}\n")
    (folder / "deals.yaml").write_text(deals)
    ds = load_seeds(folder)
    e = exposure(ds, "mnc")
    # the Japanese subsidiary's deal is the group's: 4 of 6 deals, value 3.0e9 + 0.05e9
    assert e.group == ["mnc", "mnc-jp"]
    assert (e.direct["deals"], e.direct["all_deals"], e.direct["value_usd"]) == (4, 6, 3.05e9)
    # and its sourcing: d1 d2 d3 d4 (before) + d20 = 5 of 6
    assert (e.sourcing["deals"], e.sourcing["all_deals"]) == (5, 6)


def test_rows_and_json_are_stable(tiny):
    a = [e.to_dict() for e in exposures(tiny)]
    b = [e.to_dict() for e in exposures(tiny, index=ExposureIndex(tiny))]
    assert a == b
    row = by_org(exposures(tiny))["mnc"].row()
    assert list(row) == ROW_COLUMNS
    assert (row["sourcing_deals"], row["sourcing_deals_high"], row["market_deals"], row["capital_deals"]) == (4, 4, 0, 0)
    assert row["sourcing_partners"] == ["cn1", "cn2"] and row["sourcing_indirect_assets"] == 1
    assert (row["any_deals"], row["all_deals"]) == (3, 5)


def test_unknown_org_is_an_error(tiny):
    with pytest.raises(KeyError, match="no organization with id 'nope'"):
        exposure(tiny, "nope")


def test_doctests_in_values():
    from graph.models import values

    res = doctest.testmod(values)
    assert res.failed == 0 and res.attempted >= 2


@pytest.mark.parametrize("name", ["chains", "direction", "measures", "exposure", "exposure_text", "partners"])
def test_doctests_in_analysis(name, tiny):
    # the examples in the docstrings run, with the tiny set as `tiny`
    module = importlib.import_module(f"graph.analysis.{name}")
    res = doctest.testmod(module, extraglobs={"tiny": tiny}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted >= 1


# --------------------------------------------------------------------------- by direction
def test_sourcing_by_hand(tiny):
    s = exposure(tiny, "mnc").sourcing
    # mnc's deals: d1 d2 d3 d4 d7 = 5. Sourcing with China: d1 (cn1 licenses), d2 (cn2), d3 (cn1, co-development),
    # d4 (us1 sublicenses a5, which cn2 originated) = 4; d7's licensor is in Hong Kong, not mainland China
    assert (s["deals"], s["possible_deals"], s["all_deals"], s["share"], s["share_high"]) == (4, 0, 5, 0.8, 0.8)
    # value: d1 1.0e9 + d2 none + d3 2.0e9 + d4 0.3e9 = 3.3e9 of all 3.7e9 (d7 0.4e9 too)
    assert (s["value_usd"], s["all_value_usd"], s["value_high_usd"]) == (3.3e9, 3.7e9, 3.3e9)
    # upfront: d1 100e6 only (d2's is undisclosed); equity d1 50e6
    assert (s["upfront_usd"], s["equity_usd"]) == (100e6, 50e6)
    # partners: cn1 (d1, d3: 3.0e9), cn2 (d2 as licensor, d4 as a5's originator: 0.3e9)
    assert [(p["id"], p["deals"], p["value_usd"]) for p in s["partners"]] == [
        ("cn1", ["d1", "d3"], 3.0e9), ("cn2", ["d2", "d4"], 0.3e9)]
    # HHI: by deals (2/4)² + (2/4)² = 0.5; by value (3.0/3.3)² + (0.3/3.3)² = 0.834711
    assert s["hhi_deals"] == 0.5 and s["hhi_value"] == pytest.approx(0.834711, abs=1e-6)
    d4 = next(r for r in s["deal_list"] if r["deal"] == "d4")
    assert d4["via"] == ["chain", "originator"] and d4["partners"] == ["cn2"]


def test_chain_ending_acquisition_is_sourcing(tiny):
    e = exposure(tiny, "mnc2")
    # d3 (cn1), d9 (cn1), and d6: buying newco, which holds cn2's a4 (d5) → 3 of 3, though newco is American
    assert (e.sourcing["deals"], e.sourcing["all_deals"]) == (3, 3)
    d6 = next(r for r in e.sourcing["deal_list"] if r["deal"] == "d6")
    assert d6["via"] == ["chain"] and d6["partners"] == ["cn2"]
    # any direction, by counterparty only: d3 and d9 (newco is not Chinese)
    assert e.direct["deals"] == 2


def test_medtech_seller_is_market_not_sourcing(tiny):
    m = exposure(tiny, "med")
    # med's group (med, medsub): d10 d11 d12 d14 = 4 deals
    # market: d10 (sells to cnbuy), d14 (medsub with cn2 for the China market: counterparty and territory) = 2
    assert (m.market["deals"], m.market["all_deals"], m.market["share"]) == (2, 4, 0.5)
    assert [(r["deal"], r["via"]) for r in m.market["deal_list"]] == [
        ("d10", ["counterparty"]), ("d14", ["counterparty", "territory"])]
    assert m.market["value_usd"] == 50e6 and m.market["no_value_reasons"] == {"not-given": 1}
    # capital: d11 invests in cninv (equity 30e6); co-investor vc1 is not a partner; holding: 5% of cn2
    assert (m.capital["deals"], m.capital["equity_usd"]) == (1, 30e6)
    assert [p["id"] for p in m.capital["partners"]] == ["cninv"]
    assert [(h["id"], h["how"]) for h in m.capital["holdings"]] == [("cn2", ["stake 5% held by med"])]
    # sourcing: only d12, from Zeta Bio whose country is unknown → 0 certain, 1 possible: 0%–25%
    assert (m.sourcing["deals"], m.sourcing["deals_high"], m.sourcing["share"], m.sourcing["share_high"]) == (
        0, 1, 0.0, 0.25)
    assert m.sourcing["value_possible_usd"] == 10e6 and m.sourcing["value_usd"] == 0.0
    assert m.sourcing["possible_partners"] == [{"id": "unk", "name": "Zeta Bio", "deals": ["d12"]}]


def test_unknown_country_is_counted_apart_never_as_not_chinese(tiny):
    m = exposure(tiny, "med")
    # any direction: d10, d11, d14 certain; d12 possibly (Zeta Bio has no country)
    assert (m.direct["deals"], m.direct["possible_deals"], m.direct["deals_high"]) == (3, 1, 4)
    ix = ExposureIndex(tiny)
    assert ix.status("unk", CHINA) == "unknown" and ix.status("medsub", CHINA) == "other"   # DE, from med


def test_direction_rules(tiny):
    g = frozenset({"med", "medsub"})
    assert counterparties(tiny.deals["d11"], g) == {"cninv": "out"}          # vc1: co-investor, left out
    assert counterparties(tiny.deals["d12"], g) == {"unk": "in"}
    assert counterparties(tiny.deals["d14"], g) == {"cn2": "mutual"}
    assert in_greater_china(tiny.deals["d14"]) and not in_greater_china(tiny.deals["d1"])
    assert [deal_direction(tiny.deals[d], frozenset({"mnc"})) for d in ("d1", "d3", "d4", "d7")] == ["sourcing"] * 4
    # the licensor's side: rights flow out of the group → market
    assert deal_direction(tiny.deals["d8"], frozenset({"cn2"})) == "market"
    assert deal_direction(tiny.deals["d11"], frozenset({"vc1"})) == "capital"
    assert deal_direction(tiny.deals["d1"], frozenset({"hk1"})) is None        # not a party


def test_possible_chain_from_originator_of_unknown_country(tmp_path):
    folder = write_tiny_seeds(tmp_path / "seeds")
    assets = (folder / "assets.yaml").read_text() + '- {id: a9, name: A-9, modality: peptide, originator: unk, ' \
        'sources: ["doc:1"]}\n'
    (folder / "assets.yaml").write_text(assets)
    deals = (folder / "deals.yaml").read_text() + (
        "- {id: d21, type: licence, date: 2025-08, parties: {licensor: unk, licensee: newco}, assets: [a9], "
        "sources: ['doc:1']}\n")
    (folder / "deals.yaml").write_text(deals)
    e = exposure(load_seeds(folder), "mnc2")
    # unk → newco (d21) → mnc2 (d6): a chain from an originator of unknown country: possible, not certain
    assert (e.indirect["assets"], e.indirect["possible_assets"]) == (1, 1)
    assert [c["chain"] for c in e.indirect["possible_chain_list"]] == [["unk", "d21", "newco", "d6", "mnc2"]]
    # d6 already ends cn2's chain, so it stays a certain sourcing deal
    assert e.sourcing["deals"] == 3 and e.sourcing["possible_deals"] == 0


def test_measure_name_is_checked(tiny):
    with pytest.raises(KeyError, match="unknown measure 'inbound'"):
        exposure(tiny, "mnc").measure("inbound")


def test_text_shows_bounds_and_exact_money(tiny):
    text = exposure_text.describe(exposure(tiny, "med"))
    assert "SOURCING: 0–1 of 4 deals (0%–25%)" in text
    assert "MARKET: 2 of 4 deals (50%)" in text
    assert "possibly China (country not recorded): Zeta Bio (unk): d12" in text
    assert exposure_text.usd_words(1.825e9) == "USD 1.825 billion"
    block = exposure_text.readme_block(exposures(tiny))
    assert block.startswith(exposure_text.README_START) and block.rstrip().endswith(exposure_text.README_END)
    assert "| Med Devices | 4 | 0–1 | 0%–25% |" in block
