"""China exposure on a tiny hand-built seed set whose every figure is worked out by hand below.

The seed set (written as YAML and loaded through the real loader, so aliases resolve):

organizations: mnc "Big Pharma" (US, multinational, aliases "BigPharma Inc." and "BP Group"),
mnc2 "Other Pharma" (CH, multinational), cn1 "Alpha Bio" (CN), cn2 "Beta Bio" (CN), hk1 "Gamma Bio" (HK),
us1 "Delta Bio" (US), newco "NewCo One" (US, formed by fund), fund "Fund Capital" (US).

assets: a1 bispecific-antibody (cn1), a2 small-molecule (cn2), a3 adc (cn1), a4 small-molecule (cn2),
a5 peptide (cn2).

deals:
  d1 2023-05 licence cn1 → "BigPharma Inc." [a1]  upfront USD 100 million, milestones up to USD 900 million,
                                                    equity USD 50 million        headline 1.0e9 'up-to' (parts)
  d2 2024-02 licence cn2 → "BP Group" [a2]         upfront undisclosed, terminated   no headline (undisclosed)
  d3 2024-07 co-development cn1 ↔ mnc, mnc2 [a3]   total about USD 2 billion      headline 2.0e9 'about'
  d4 2022-06 licence us1 → mnc [a5]  (sublicence)  total USD 300 million          headline 3.0e8 'exact'
  d5 2021-03 newco cn2 → newco [a4]                upfront USD 20 million         headline 2.0e7
  d6 2025-01 acquisition newco by mnc2             total USD 1 billion            headline 1.0e9
  d7 2023-09 licence hk1 → mnc, terminated         total USD 400 million          headline 4.0e8
  d8 2020-01 licence cn2 → us1 [a5]                upfront USD 5 million          headline 5.0e6
  d9 (no date) licence cn1 → mnc2                  no terms                       no headline (not-given)
events: d2 terminated (retained USD 10 million), d7 terminated (retained USD 40 million).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.analysis.exposure import CHINA, GREATER_CHINA, ExposureIndex, exposure, exposures
from graph.values import headline
from graph.loading import load_seeds

SOURCES = """
- {id: doc, title: Test document, publisher: tests, date: 2025, type: note, file: doc.txt}
"""
ORGS = """
- {id: mnc, name: Big Pharma, aliases: [BigPharma Inc., BP Group], country: US, type: pharma, multinational: true,
   sources: ["doc:1"]}
- {id: mnc2, name: Other Pharma, country: CH, type: pharma, multinational: true, sources: ["doc:1"]}
- {id: cn1, name: Alpha Bio, country: CN, type: biotech, sources: ["doc:1"]}
- {id: cn2, name: Beta Bio, country: CN, type: biotech, sources: ["doc:1"]}
- {id: hk1, name: Gamma Bio, country: HK, type: biotech, sources: ["doc:1"]}
- {id: us1, name: Delta Bio, country: US, type: biotech, sources: ["doc:1"]}
- {id: fund, name: Fund Capital, country: US, type: investor, sources: ["doc:1"]}
- {id: newco, name: NewCo One, country: US, type: newco, formed_by: [fund], sources: ["doc:1"]}
"""
ASSETS = """
- {id: a1, name: A-1, modality: bispecific-antibody, originator: cn1, sources: ["doc:1"]}
- {id: a2, name: A-2, modality: small-molecule, originator: cn2, sources: ["doc:1"]}
- {id: a3, name: A-3, modality: adc, originator: cn1, sources: ["doc:1"]}
- {id: a4, name: A-4, modality: small-molecule, originator: cn2, sources: ["doc:1"]}
- {id: a5, name: A-5, modality: peptide, originator: cn2, sources: ["doc:1"]}
"""
DEALS = """
- id: d1
  type: licence
  date: 2023-05
  parties: {licensor: cn1, licensee: BigPharma Inc.}
  assets: [a1]
  terms: {upfront: USD 100 million, milestones: up to USD 900 million, equity: USD 50 million}
  sources: ["doc:1"]
- id: d2
  type: licence
  date: 2024-02
  parties: {licensor: cn2, licensee: BP Group}
  assets: [a2]
  status: terminated
  terms: {upfront: undisclosed}
  sources: ["doc:1"]
- id: d3
  type: co-development
  date: 2024-07
  parties: {licensor: cn1, co-developer: [mnc, mnc2]}
  assets: [a3]
  terms: {total: about USD 2 billion}
  sources: ["doc:1"]
- id: d4
  type: licence
  date: 2022-06
  parties: {licensor: us1, licensee: mnc}
  assets: [a5]
  terms: {total: USD 300 million}
  sources: ["doc:1"]
- id: d5
  type: newco
  date: 2021-03
  parties: {licensor: cn2, licensee: newco}
  assets: [a4]
  terms: {upfront: USD 20 million}
  sources: ["doc:1"]
- id: d6
  type: acquisition
  date: 2025-01
  parties: {target: newco, acquirer: mnc2}
  terms: {total: USD 1 billion}
  sources: ["doc:1"]
- id: d7
  type: licence
  date: 2023-09
  parties: {licensor: hk1, licensee: mnc}
  status: terminated
  terms: {total: USD 400 million}
  sources: ["doc:1"]
- id: d8
  type: licence
  date: 2020-01
  parties: {licensor: cn2, licensee: us1}
  assets: [a5]
  terms: {upfront: USD 5 million}
  sources: ["doc:1"]
- id: d9
  type: licence
  parties: {licensor: cn1, licensee: mnc2}
  sources: ["doc:1"]
"""
EVENTS = """
- {id: d2-end, type: termination, date: 2025-03, deal: d2, orgs: [cn2, mnc], terms: {retained: USD 10 million},
   returned: All rights to A-2., sources: ["doc:1"]}
- {id: d7-end, type: termination, deal: d7, orgs: [hk1, mnc], terms: {retained: USD 40 million},
   returned: Global rights., sources: ["doc:1"]}
"""


def write_tiny_seeds(folder: Path) -> Path:
    """The seed set described in the module docstring, as YAML files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("sources", SOURCES), ("organizations", ORGS), ("assets", ASSETS), ("deals", DEALS),
                       ("events", EVENTS)):
        (folder / f"{name}.yaml").write_text(text.lstrip(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_seeds(write_tiny_seeds(tmp_path_factory.mktemp("tiny") / "seeds"))


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
    assert (d["inbound_deals"], d["outbound_deals"]) == (3, 0)
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
    deals += ("- {id: d10, type: licence, date: 2024-10, parties: {licensor: cn2, licensee: mnc-jp}, "
              "terms: {total: USD 50 million}, sources: ['doc:1']}\n")
    (folder / "deals.yaml").write_text(deals)
    ds = load_seeds(folder)
    e = exposure(ds, "mnc")
    # the Japanese subsidiary's deal is the group's: 4 of 6 deals, value 3.0e9 + 0.05e9
    assert e.group == ["mnc", "mnc-jp"]
    assert (e.direct["deals"], e.direct["all_deals"], e.direct["value_usd"]) == (4, 6, 3.05e9)


def test_rows_and_json_are_stable(tiny):
    a = [e.to_dict() for e in exposures(tiny)]
    b = [e.to_dict() for e in exposures(tiny, index=ExposureIndex(tiny))]
    assert a == b
    row = by_org(exposures(tiny))["mnc"].row()
    assert row["china_deals"] == 3 and row["values_up_to"] == 1 and row["values_about"] == 1
    assert row["indirect_assets"] == 1 and row["partners"] == ["cn1", "cn2"]


def test_unknown_org_is_an_error(tiny):
    with pytest.raises(KeyError, match="no organization with id 'nope'"):
        exposure(tiny, "nope")


def test_doctests_in_values():
    import doctest

    from graph import values

    res = doctest.testmod(values)
    assert res.failed == 0 and res.attempted >= 2
