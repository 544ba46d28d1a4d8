"""The query library on both engines: same answers on LadybugDB and Neo4j, the right answers, read-only.

Graphs used:
* the seed graph plus a few test-only records (``EXTRAS``: ids ``qx-…``, cited to a
  ``qx-fixture`` source) that give the library a NewCo chain, an acquisition, a stake,
  a subsidiary, procurement and localisation deals and asset events, which the small
  hand-written seed set lacks;
* a synthetic graph (``graph.ingest.synth``) of a few hundred deals merged with the above, on
  which every query runs with many parameter values, to compare the engines beyond the seeds.

Facts about real deals are checked by hand against the source documents (line
cited beside each); they are facts that stay true as the seed set grows, not totals.
"""
from __future__ import annotations

import itertools
import math
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest

from graph.models.dataset import Dataset
from graph.core.errors import DealgraphError
from graph.ingest.loading import load_seeds
from graph.stores.property_graph import PropertyGraph, schema, to_property_graph
from graph.find.resolve import AmbiguousName, UnknownName
from graph.query.run import (README, ParameterError, QueryFileError, UnknownQuery, WriteRefused, check_read_only,
                             convert_value, list_queries, load_query, parse_query, prepare_query, render_readme,
                             run_query, used_params)
from graph.stores import open_store
from graph.stores.base import ReadOnlyViolation, Store
from graph.ingest.synth import synthetic_dataset
from graph.models.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ENGINES = ("ladybug", "neo4j")

# ------------------------------------------------------------------------------------------ test-only records
EXTRAS: dict[str, str] = {
    "sources": """
- id: qx-fixture
  title: "Query tests: synthetic records"
  publisher: dealgraph test suite
  date: 2026
  type: test-fixture
  file: qx-fixture.txt
""",
    "organizations": """
- id: qx-fund
  name: QX Fund
  type: investor
  country: US
  stakes: [{org: qx-newco, percent: 20}]
  sources: [qx-fixture:1]
- id: qx-newco
  name: QX NewCo Therapeutics
  aliases: [QX NewCo]
  type: newco
  country: US
  formed_by: [Jiangsu Hengrui, QX Fund]
  sources: [qx-fixture:2]
- id: qx-buyer
  name: QX Buyer Pharma
  type: pharma
  multinational: true
  country: CH
  sources: [qx-fixture:3]
- id: qx-pfizer-china
  name: QX Pfizer Subsidiary
  type: pharma
  country: CN
  subsidiary_of: Pfizer
  sources: [qx-fixture:4]
- id: qx-distributor
  name: QX Distributor
  type: distributor
  country: CN
  sources: [qx-fixture:5]
- id: qx-devices
  name: QX Devices
  type: medtech
  multinational: true
  country: US
  sources: [qx-fixture:6]
""",
    "assets": """
- id: qx-101
  name: QX-101 bispecific ADC
  codes: [QX-101]
  modality: bispecific-adc
  stage: phase-1
  originator: Jiangsu Hengrui
  sources: [qx-fixture:7]
""",
    "deals": """
- id: 2024-06-hengrui-qx-newco
  type: newco
  date: 2024-06
  parties: {licensor: Jiangsu Hengrui, licensee: QX NewCo, investor: QX Fund}
  assets: [QX-101]
  territory_include: WORLD
  territory_exclude: GREATER-CHINA
  terms:
    upfront: USD 100 million
  sources: [qx-fixture:8]
- id: 2025-09-qx-buyer-qx-newco
  type: acquisition
  date: 2025-09
  parties: {target: QX NewCo, acquirer: QX Buyer Pharma}
  status: completed
  terms:
    total: USD 1 billion
  sources: [qx-fixture:9]
- id: 2025-11-qx-procurement
  type: procurement
  title: QX device import procurement
  date: 2025-11
  parties: {buyer: QX Distributor, seller: QX Devices}
  territory_include: CN
  sources: [qx-fixture:10]
- id: 2025-11-qx-localisation
  type: localisation
  date: 2025-11
  parties: {partner: QX Devices, host: QX Distributor}
  territory_include: CN
  sources: [qx-fixture:11]
""",
    "events": """
- id: qx-101-trial-start
  type: trial-start
  date: 2025-01
  assets: [QX-101]
  orgs: [QX NewCo]
  sources: [qx-fixture:12]
- id: qx-newco-milestone
  type: milestone-payment
  date: 2025-06
  deal: 2024-06-hengrui-qx-newco
  orgs: [QX NewCo, Jiangsu Hengrui]
  terms:
    payment: USD 10 million
  sources: [qx-fixture:13]
""",
}


def seeds_with_extras(dest: Path) -> Path:
    """A copy of seeds/ with the test-only records appended to each file (loaded by the real loader)."""
    out = dest / "seeds"
    shutil.copytree(SEEDS, out)
    for kind, text in EXTRAS.items():
        path = out / f"{kind}.yaml"
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(before.rstrip("\n") + "\n" + text.lstrip("\n"), encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def seed_dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_seeds(seeds_with_extras(tmp_path_factory.mktemp("query-seeds")))


@pytest.fixture(scope="session")
def seed_graph(seed_dataset: Dataset) -> PropertyGraph:
    return to_property_graph(seed_dataset)


@pytest.fixture(scope="session")
def synth_dataset(seed_dataset: Dataset) -> Dataset:
    """300 synthetic deals plus the seeds and test records (which bring conflicts, cost splits, procurement…)."""
    synth = synthetic_dataset(300, seed=11)
    for kind in Dataset.KINDS:
        clash = set(synth.table(kind)) & set(seed_dataset.table(kind))
        assert not clash, f"synthetic {kind} ids clash with seed ids: {sorted(clash)[:5]}"
    return synth.merged(seed_dataset)


@pytest.fixture(scope="session")
def synth_graph(synth_dataset: Dataset) -> PropertyGraph:
    return to_property_graph(synth_dataset)


# ------------------------------------------------------------------------------------------ stores
class Neo4jGraphs:
    """The one Neo4j test database, holding whichever graph a test asks for (loading replaces the graph)."""

    def __init__(self, store: Store):
        self.store = store
        self.holding: str | None = None

    def with_graph(self, key: str, pg: PropertyGraph) -> Store:
        if self.holding != key:
            self.holding = None
            self.store.load(pg)
            self.holding = key
        return self.store


@pytest.fixture(scope="module")
def neo4j_graphs(neo4j_uri: str):
    store = open_store(neo4j_uri=neo4j_uri)
    try:
        yield Neo4jGraphs(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def ladybug_seed(tmp_path_factory: pytest.TempPathFactory, seed_graph: PropertyGraph):
    store = open_store(path=tmp_path_factory.mktemp("lb-seed") / "graph.lbdb")
    store.load(seed_graph)
    yield store
    store.close()


@pytest.fixture(scope="module")
def ladybug_synth(tmp_path_factory: pytest.TempPathFactory, synth_graph: PropertyGraph):
    store = open_store(path=tmp_path_factory.mktemp("lb-synth") / "graph.lbdb")
    store.load(synth_graph)
    yield store
    store.close()


@pytest.fixture(params=ENGINES)
def seed_store(request: pytest.FixtureRequest, seed_graph: PropertyGraph) -> Store:
    """The seed graph (with the test records) on each engine in turn."""
    if request.param == "ladybug":
        return request.getfixturevalue("ladybug_seed")
    return request.getfixturevalue("neo4j_graphs").with_graph("seed", seed_graph)


@pytest.fixture()
def both_seed(request: pytest.FixtureRequest, seed_graph: PropertyGraph) -> dict[str, Store]:
    lb = request.getfixturevalue("ladybug_seed")
    neo = request.getfixturevalue("neo4j_graphs").with_graph("seed", seed_graph)
    return {"ladybug": lb, "neo4j": neo}


# ------------------------------------------------------------------------------------------ comparing results
def norm(v: Any) -> Any:
    """A result value in a form both engines must agree on exactly.

    Types are kept apart (True is not 1, 2 is not 2.0); Decimal (LadybugDB's wide
    integers) becomes int when whole; floats are rounded to 12 significant digits so
    that sums added up in a different order compare equal; lists stay ordered.
    Anything else (nodes, paths, dates) is an error: library queries return plain values.
    """
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else norm(float(v))
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return repr(v)
        return 0.0 if v == 0 else float(f"{v:.12g}")
    if isinstance(v, (list, tuple)):
        return tuple(norm(x) for x in v)
    raise AssertionError(f"unexpected value type {type(v).__name__}: {v!r}")


def canonical(rows: list[dict[str, Any]]) -> list[tuple]:
    """Rows as sorted tuples of (column, type name, normalised value): order of rows set aside, nothing else."""
    out = []
    for r in rows:
        out.append(tuple((k, type(norm(v)).__name__, norm(v)) for k, v in r.items()))
    return sorted(out, key=repr)


def assert_same(name: str, params: dict[str, Any], a: list[dict[str, Any]], b: list[dict[str, Any]]) -> None:
    ca, cb = canonical(a), canonical(b)
    if ca != cb:
        only_a = [r for r in ca if r not in cb][:3]
        only_b = [r for r in cb if r not in ca][:3]
        pytest.fail(f"{name} {params}: LadybugDB gave {len(a)} rows, Neo4j {len(b)}\n"
                    f"  only LadybugDB: {only_a}\n  only Neo4j: {only_b}")


def test_norm_keeps_types_apart():
    assert canonical([{"x": 1}]) != canonical([{"x": 1.0}])
    assert canonical([{"x": True}]) != canonical([{"x": 1}])
    assert canonical([{"x": ["a", "b"]}]) != canonical([{"x": ["b", "a"]}])
    assert canonical([{"x": Decimal(8100)}]) == canonical([{"x": 8100}])
    assert canonical([{"x": 0.1 + 0.2 + 0.3}]) == canonical([{"x": 0.3 + 0.2 + 0.1}])
    assert canonical([{"a": 1, "b": 2}, {"a": 0, "b": 2}]) == canonical([{"a": 0, "b": 2}, {"a": 1, "b": 2}])
    with pytest.raises(AssertionError):
        norm({"node": 1})


# ------------------------------------------------------------------------------------------ the library itself
QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]


def test_library_has_the_queries_analysts_asked_for():
    assert len(QUERIES) >= 20
    for must in ("company_profile", "company_deals", "company_partners", "path_between_companies",
                 "multinationals_licensing_from", "top_parties_by_count", "top_parties_by_value",
                 "deals_above_upfront", "assets_by_modality", "assets_by_modality_family", "modality_trend_by_year",
                 "newco_chains", "terminated_deals", "co_development_cost_split", "procurement_and_localisation",
                 "events_for_asset", "deal_sources", "conflicting_deal_terms", "conflicting_statistics"):
        assert must in NAMES


@pytest.mark.parametrize("info", QUERIES, ids=NAMES)
def test_header_is_complete(info):
    assert info.name == info.path.stem
    assert len(info.question) > 20 and "?" in info.question
    assert {p.name for p in info.params} == set(used_params(info.cypher))
    for p in info.params:
        assert p.example is not None and p.description, f"{info.name}: parameter {p.name} needs an example and words"
    check_read_only(info)  # no library query writes


def _code(cypher: str) -> str:
    from graph.query.library import strip_code
    return strip_code(cypher)


@pytest.mark.parametrize("info", QUERIES, ids=NAMES)
def test_query_uses_only_the_schema_and_vocabulary(info):
    """Labels, relationship types and properties exist in property_graph.schema(); quoted keys in the vocabulary."""
    sch, v = schema(), vocabulary()
    code = _code(info.cypher)
    labels = set(re.findall(r"\(\s*\w*\s*:\s*(\w+)", code))
    assert labels and labels <= set(sch.nodes), labels - set(sch.nodes)
    rel_groups = re.findall(r"\[\s*\w*\s*:\s*([\w|]+)", code)
    rels = {t for g in rel_groups for t in g.split("|")}
    assert rels <= set(sch.rels), rels - set(sch.rels)
    props = {p for props in sch.nodes.values() for p, _ in props} | {p for r in sch.rels.values() for p, _ in r.props}
    used = {m for m in re.findall(r"\b[a-z]\w*\.([a-z_]\w*)", code)}
    assert used <= props, f"unknown properties {used - props}"
    # quoted vocabulary keys, in the raw text (strings are blanked in `code`)
    allowed = {
        "role": set(v.roles),
        "type": set(v.deal_types) | set(v.event_types) | set(v.asset_kinds),
        "kind": set(v.org_kinds) | set(v.term_kinds),
        "status": set(v.statuses),
    }
    for field, value in re.findall(r"\b(role|type|kind|status)\s*(?:=|<>|:)\s*'([^']*)'", info.cypher):
        assert value in allowed[field], f"{info.name}: '{value}' is not a {field} in the ontology"


def test_readme_is_generated_from_the_headers():
    assert README.read_text(encoding="utf-8") == render_readme(QUERIES), (
        "queries/README.md is stale: run `dealgraph queries --readme > queries/README.md`")
    for q in QUERIES:
        assert f"| `{q.name}` |" in README.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ the same on both engines
@pytest.mark.parametrize("name", NAMES)
def test_every_query_answers_the_same_on_both_engines(name, both_seed):
    info = load_query(name)
    params = info.example_params()
    lb = run_query(both_seed["ladybug"], name, params)
    neo = run_query(both_seed["neo4j"], name, params)
    assert_same(name, params, lb, neo)
    # rows come back in the same order too: by ORDER BY, or (without one) sorted by the runner
    assert [canonical([r]) for r in lb] == [canonical([r]) for r in neo] or "ORDER BY" in info.cypher
    for row in lb:
        assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", c) for c in row), f"{name}: unnamed column in {list(row)}"
        assert list(row) == list(neo[0]), f"{name}: columns differ between engines"


# ------------------------------------------------------------------------------------------ right answers
CHECKS: dict[str, Callable[[Callable[..., list[dict[str, Any]]]], None]] = {}


def check(name: str):
    def deco(fn):
        CHECKS[name] = fn
        return fn
    return deco


def one(rows: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    """The single row whose columns have the given values."""
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one row with {match}, found {len(found)} in {rows}"
    return found[0]


@check("company_profile")
def _(run):
    # "Jiangsu Hengrui" is an alias (seeds/organizations.yaml); caixin-2026:52 names it "Jiangsu Hengrui Pharmaceuticals Co. Ltd."
    for name in ("Jiangsu Hengrui", "JIANGSU HENGRUI PHARMACEUTICALS CO. LTD.", "hengrui", "Jiangsu Hengrui Pharmaceuticals"):
        rows = run("company_profile", name=name)
        assert [r["id"] for r in rows] == ["hengrui"], name
    r = run("company_profile", name="Jiangsu Hengrui")[0]
    assert r["country"] == "CN" and r["headquarters"] == "China" and r["multinational"] is False
    assert "Jiangsu Hengrui" in r["aliases"] and r["deals"] >= 2 and r["assets"] >= 1
    msd = run("company_profile", name="Merck & Co. Inc.")  # caixin-2026:54
    assert msd[0]["id"] == "msd" and msd[0]["multinational"] is True
    with pytest.raises(UnknownName, match="did you mean"):  # never an empty answer to an unknown name
        run("company_profile", name="Zyxwv Nowhere Biotech")


@check("company_deals")
def _(run):
    rows = run("company_deals", name="Hengrui")
    msd = one(rows, deal="2025-03-hengrui-msd")
    # caixin-2026:54: $200 million upfront, up to $1.77 billion in milestones
    assert msd["role"] == "licensor" and msd["counterparties"] == ["Merck & Co., Inc. (licensee)"]
    assert msd["upfront_usd"] == 200e6 and msd["milestones_usd"] == 1.77e9
    gsk = one(rows, deal="2025-07-hengrui-gsk")
    # caixin-2026:52: about $12 billion including $500 million upfront (the preferred total claim)
    assert gsk["upfront_usd"] == 500e6 and gsk["total_usd"] == 12e9 and gsk["type"] == "co-development"
    newco = one(rows, deal="2024-06-hengrui-qx-newco")
    assert newco["counterparties"] == ["QX Fund (investor)", "QX NewCo Therapeutics (licensee)"]  # sorted
    assert [r["deal"] for r in run("company_deals", name="Axion Bio Inc.")] == ["immuneonco-axion-licence"]


@check("company_partners")
def _(run):
    one_hop = {r["id"]: r["hops"] for r in run("company_partners", name="Jiangsu Hengrui", hops=1)}
    assert one_hop["gsk"] == 1 and one_hop["msd"] == 1 and one_hop["qx-newco"] == 1
    assert "hengrui" not in one_hop and "qx-buyer" not in one_hop
    two = {r["id"]: r["hops"] for r in run("company_partners", name="Jiangsu Hengrui", hops=2)}
    assert two["qx-buyer"] == 2 and two["gsk"] == 1  # the nearest distance wins
    assert set(one_hop) < set(two)
    four = {r["id"]: r["hops"] for r in run("company_partners", name="msd", hops=4)}
    assert four["hengrui"] == 1 and four["gsk"] == 2 and four["qx-buyer"] == 3


@check("path_between_companies")
def _(run):
    rows = run("path_between_companies", **{"from": "Merck", "to": "GSK PLC", "max_hops": 2})
    assert {"hops": 2, "companies": ["Merck & Co., Inc.", "Jiangsu Hengrui Pharmaceuticals", "GSK"],
            "deals": ["2025-03-hengrui-msd", "2025-07-hengrui-gsk"]} in rows
    assert all(len(r["companies"]) == r["hops"] + 1 == len(r["deals"]) + 1 for r in rows)
    assert run("path_between_companies", **{"from": "Merck", "to": "GSK", "max_hops": 1}) == []
    three = run("path_between_companies", **{"from": "MSD", "to": "QX Buyer Pharma", "max_hops": 3})
    assert {r["hops"] for r in three} == {3}
    assert ["Merck & Co., Inc.", "Jiangsu Hengrui Pharmaceuticals", "QX NewCo Therapeutics",
            "QX Buyer Pharma"] in [r["companies"] for r in three]
    assert run("path_between_companies", **{"from": "MSD", "to": "QX Buyer Pharma", "max_hops": 2}) == []


@check("multinationals_licensing_from")
def _(run):
    rows = run("multinationals_licensing_from", place="CN", from_year=2025, to_year=2025)
    pfizer = one(rows, deal="2025-05-3sbio-pfizer")
    # caixin-2026:76: $1.25 billion upfront, up to $4.8 billion milestones
    assert (pfizer["multinational"], pfizer["licensor"]) == ("Pfizer", "3SBio")
    assert pfizer["upfront_usd"] == 1.25e9 and pfizer["headline_usd"] >= 6e9  # a total, or 1.25 + 4.8
    assert one(rows, deal="2025-07-hengrui-gsk")["headline_usd"] == 12e9
    takeda = one(rows, deal="2025-10-innovent-takeda")  # caixin-2026:98: up to $11.4 billion
    assert takeda["role"] == "co-developer" and takeda["headline_usd"] == 11.4e9
    assert all(r["year"] == 2025 for r in rows)
    assert run("multinationals_licensing_from", place="CN", from_year=2030, to_year=2031) == []
    region = run("multinationals_licensing_from", place="GREATER-CHINA", from_year=2025, to_year=2025)
    assert canonical(rows) == canonical([r for r in region if r["deal"] in {x["deal"] for x in rows}])
    japan = run("multinationals_licensing_from", place="JP", from_year=2025, to_year=2025)
    assert not {"3SBio", "Innovent Biologics"} & {r["licensor"] for r in japan}


@check("top_parties_by_count")
def _(run):
    rows = run("top_parties_by_count", role="licensor", limit=50)
    counts = [r["deals"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert one(rows, id="hengrui")["deals"] >= 3  # msd, gsk and the test NewCo deal
    assert len(run("top_parties_by_count", role="licensor", limit=2)) == 2
    # caixin-2026:54 and :52: Hengrui licensed to MSD (2025-03) and GSK (2025-07); the MSD collaboration is undated
    y2025 = one(run("top_parties_by_count", role="licensor", limit=50, from_year=2025, to_year=2025), id="hengrui")
    assert y2025["deals"] == 2 and y2025["undated_left_out"] >= 0
    assert one(rows, id="hengrui")["undated_left_out"] == 0  # no period: nothing left out
    # ciie-2025:19: MSD's five Chinese collaborations date from the three years before CIIE 2025 (2022/2025):
    # they count in a period holding the whole span, and are left out (and counted as such) of 2025 alone
    span = one(run("top_parties_by_count", role="partner", limit=50, from_year=2022, to_year=2025), id="msd")
    only = one(run("top_parties_by_count", role="partner", limit=50, from_year=2020, to_year=2026), id="msd")
    assert span["deals"] >= 5 and only["deals"] == span["deals"]
    y25 = [r for r in run("top_parties_by_count", role="partner", limit=50, from_year=2025, to_year=2025)
           if r["id"] == "msd"]
    assert not y25 or y25[0]["undated_left_out"] >= 5
    assert one(run("top_parties_by_count", role="acquirer", limit=10), id="qx-buyer")["deals"] == 1


@check("top_parties_by_value")
def _(run):
    rows = run("top_parties_by_value", role="licensee", limit=50)
    values = [r["headline_usd"] for r in rows]
    assert values == sorted(values, reverse=True)
    assert one(rows, id="pfizer")["headline_usd"] >= 6e9  # 3SBio deal alone: 1.25 upfront + 4.8 milestones
    # caixin-2026:52: GSK's collaboration with Hengrui, about $12 billion (GSK licensee or co-developer)
    gsk = [r for role in ("licensee", "co-developer") for r in run("top_parties_by_value", role=role, limit=50)
           if r["id"] == "gsk"]
    assert gsk and max(r["headline_usd"] for r in gsk) >= 12e9
    pfizer = one(run("top_parties_by_value", role="licensee", limit=50, from_year=2025, to_year=2025), id="pfizer")
    assert pfizer["upfront_usd"] >= 1.25e9  # upfront next to headline value (caixin-2026:76)
    assert run("top_parties_by_value", role="licensee", limit=50, from_year=2030, to_year=2031) == []


@check("deals_above_upfront")
def _(run):
    rows = run("deals_above_upfront", min_upfront_usd=1e9)
    r = one(rows, deal="2025-05-3sbio-pfizer")
    assert r["upfront_usd"] == 1.25e9 and r["parties"] == ["3SBio (licensor)", "Pfizer (licensee)"]
    assert "2025-07-hengrui-gsk" not in {x["deal"] for x in rows}
    assert all(x["upfront_usd"] >= 1e9 for x in rows)
    assert one(run("deals_above_upfront", min_upfront_usd=500e6), deal="2025-07-hengrui-gsk")["upfront_usd"] == 500e6
    # a whole number given for the float parameter is accepted and means the same
    assert canonical(run("deals_above_upfront", min_upfront_usd=1000000000)) == canonical(rows)


@check("assets_by_modality")
def _(run):
    rows = run("assets_by_modality", modality="bispecific-antibody")
    assert one(rows, asset="ssgj-707")["originator"] == "3SBio"  # caixin-2026:76, pharmcube-2026:311
    assert canonical(run("assets_by_modality", modality="Bispecific ANTIBODY")) == canonical(rows)
    assert "qx-101" not in {r["asset"] for r in rows}  # a bispecific ADC is not a bispecific antibody
    assert one(run("assets_by_modality", modality="small-molecule"), asset="hengrui-oral-cv-drug")


@check("assets_by_modality_family")
def _(run):
    rows = run("assets_by_modality_family", family="antibody")
    assert one(rows, asset="ssgj-707")["modality"] == "bispecific-antibody"
    assert one(rows, asset="qx-101")["modality"] == "bispecific-adc"  # bispecific-adc → adc → antibody
    assert "hengrui-oral-cv-drug" not in {r["asset"] for r in rows}
    biologic = {r["asset"] for r in run("assets_by_modality_family", family="biologic")}
    assert {r["asset"] for r in rows} <= biologic
    narrow = run("assets_by_modality_family", family="bispecific-adc")
    assert "qx-101" in {r["asset"] for r in narrow} and "ssgj-707" not in {r["asset"] for r in narrow}
    assert {r["modality"] for r in narrow} == {"bispecific-adc"}


@check("modality_trend_by_year")
def _(run):
    rows = run("modality_trend_by_year", from_year=2024, to_year=2025)
    r = one(rows, year=2025, modality="bispecific-antibody")
    assert r["family"] == "biologic" and r["deals"] >= 1
    assert one(rows, year=2024, modality="bispecific-adc")["deals"] >= 1
    assert all(2024 <= x["year"] <= 2025 for x in rows)


@check("newco_chains")
def _(run):
    r = one(run("newco_chains"), id="qx-newco")
    assert r["founders"] == ["Jiangsu Hengrui Pharmaceuticals", "QX Fund"]
    assert r["licensed_from"] == ["Jiangsu Hengrui Pharmaceuticals"] and r["deals"] == ["2024-06-hengrui-qx-newco"]
    assert (r["acquirer"], r["acquired"], r["price_usd"]) == ("QX Buyer Pharma", "2025-09", 1e9)


@check("terminated_deals")
def _(run):
    r = one(run("terminated_deals"), deal="immuneonco-axion-licence")
    # caixin-2026:78 and :100: terminated, ImmuneOnco retained $35 million and regained global rights
    assert r["retained_usd"] == 35e6 and r["retained"] == "USD 35 million"
    assert r["licensors"] == ["ImmuneOnco Biopharmaceuticals (Shanghai)"] and r["counterparties"] == ["Axion Bio"]
    assert r["event"] == "immuneonco-axion-termination" and "rights" in r["returned"]


@check("co_development_cost_split")
def _(run):
    rows = run("co_development_cost_split")
    # pharmcube-2026:445: Innovent-Takeda, 40/60 cost-sharing (Takeda 60)
    assert one(rows, deal="2025-10-innovent-takeda", organization="Takeda Pharmaceutical")["cost_share_percent"] == 60.0
    assert one(rows, deal="2025-10-innovent-takeda", organization="Innovent Biologics")["cost_share_percent"] == 40.0
    assert one(rows, deal="2025-07-hengrui-gsk", organization="GSK")["cost_share_percent"] is None


@check("procurement_and_localisation")
def _(run):
    rows = run("procurement_and_localisation")
    p = one(rows, deal="2025-11-qx-procurement")
    assert p["type"] == "procurement" and p["parties"] == ["QX Devices (seller)", "QX Distributor (buyer)"]
    assert p["territory"] == ["CN"] and p["title"] == "QX device import procurement"
    assert one(rows, deal="2025-11-qx-localisation")["type"] == "localisation"
    assert {r["type"] for r in rows} <= {"procurement", "localisation"}


@check("events_for_asset")
def _(run):
    rows = run("events_for_asset", asset="qx-101")
    assert one(rows, event="qx-101-trial-start")["via"] == "asset"
    m = one(rows, event="qx-newco-milestone")
    assert m["via"] == "deal" and m["deal"] == "2024-06-hengrui-qx-newco" and m["type"] == "milestone-payment"
    assert canonical(run("events_for_asset", asset="QX-101 BISPECIFIC ADC")) == canonical(rows)


@check("deal_sources")
def _(run):
    rows = run("deal_sources", deal="2025-07-hengrui-gsk")
    r = one(rows, source="caixin-2026", line=52)
    assert r["title"] == "Chinese Drugmakers Strike Record $136 Billion in Cross-Border Licensing Deals"
    assert r["publisher"] == "Caixin"
    both = {(x["source"], x["line"]) for x in run("deal_sources", deal="2025-10-innovent-takeda")}
    assert {("caixin-2026", 98), ("pharmcube-2026", 445)} <= both


@check("deal_terms")
def _(run):
    rows = run("deal_terms", deal="2025-05-3sbio-pfizer")
    # caixin-2026:76: $1.25 billion upfront, up to $4.8 billion milestones, $100 million equity
    up = one(rows, kind="upfront")
    assert (up["text"], up["usd"], up["qualifier"]) == ("USD 1.25 billion", 1.25e9, "exact")
    assert "caixin-2026:76" in up["sources"]
    assert one(rows, kind="milestones")["qualifier"] == "up-to" and one(rows, kind="milestones")["usd"] == 4.8e9
    assert one(rows, kind="equity")["usd"] == 100e6


@check("conflicting_deal_terms")
def _(run):
    rows = [r for r in run("conflicting_deal_terms") if r["deal"] == "2025-07-hengrui-gsk"]
    # caixin-2026:52 says about $12 billion; pharmcube-2026:445 says USD 12.5b
    claims = {r["usd"]: r["sources"] for r in rows if r["kind"] == "total"}
    assert set(claims) == {12e9, 12.5e9}
    assert "caixin-2026:52" in claims[12e9] and "pharmcube-2026:445" in claims[12.5e9]
    assert {r["spread_usd"] for r in rows} == {0.5e9}
    assert "2025-05-3sbio-pfizer" not in {r["deal"] for r in run("conflicting_deal_terms")}


@check("conflicting_statistics")
def _(run):
    rows = [r for r in run("conflicting_statistics")
            if (r["measure"], r["period"]) == ("china-out-licensing-deal-count", "2025")]
    # caixin-2026:12 counts 157 deals in 2025; pharmcube-2026:360 counts 158
    cited = {(r["value"], s) for r in rows for s in r["sources"]}
    assert {(157.0, "caixin-2026:12"), (158.0, "pharmcube-2026:360")} <= cited
    assert all(r["publisher"] == "PharmCube" for r in rows)


@check("deals_by_year")
def _(run):
    rows = run("deals_by_year", from_year=2024, to_year=2025)
    lic = one(rows, year=2025, type="licence")
    assert lic["deals"] >= 2 and lic["with_upfront"] >= 2 and lic["upfront_usd"] >= 200e6 + 1.25e9
    assert one(rows, year=2024, type="newco")["upfront_usd"] >= 100e6
    assert all(r["with_upfront"] <= r["deals"] for r in rows)
    # undated deals are left out of a period and counted as left out; include_undated keeps them
    left = {r["undated_left_out"] for r in rows}
    assert len(left) == 1 and left.pop() > 0 and all(r["year"] is not None for r in rows)
    kept = run("deals_by_year", from_year=2024, to_year=2025, include_undated=True)
    undated = [r for r in kept if r["year"] is None]
    assert undated and {r["undated_left_out"] for r in kept} == {0}
    assert sum(r["deals"] for r in undated) == rows[0]["undated_left_out"]
    everything = run("deals_by_year")  # no period: every deal counts
    assert sum(r["deals"] for r in everything) == sum(r["deals"] for r in run(
        "deals_by_year", from_year=0, to_year=9999, include_undated=True))


@check("company_assets")
def _(run):
    r = one(run("company_assets", name="3SBio Inc."), asset="ssgj-707")
    assert r["modality"] == "bispecific-antibody" and r["family"] == "biologic" and r["deals"] >= 1
    hengrui = {x["asset"] for x in run("company_assets", name="Hengrui")}
    assert {"hengrui-oral-cv-drug", "qx-101"} <= hengrui


@check("asset_deals")
def _(run):
    r = one(run("asset_deals", asset="SSGJ-707"), deal="2025-05-3sbio-pfizer")
    assert r["parties"] == ["3SBio (licensor)", "Pfizer (licensee)"] and r["upfront_usd"] == 1.25e9
    assert r["milestones_usd"] == 4.8e9 and r["asset"] == "SSGJ-707"
    assert canonical(run("asset_deals", asset="ssgj-707")) == canonical(run("asset_deals", asset="SSGJ-707"))


@check("deals_in_territory")
def _(run):
    # caixin-2026:76: global rights excluding mainland China
    us = {r["deal"] for r in run("deals_in_territory", place="US")}
    cn = {r["deal"] for r in run("deals_in_territory", place="CN")}
    assert "2025-05-3sbio-pfizer" in us and "2025-05-3sbio-pfizer" not in cn
    # WORLD minus GREATER-CHINA excludes CN through the PART_OF hierarchy
    assert "2024-06-hengrui-qx-newco" in us and "2024-06-hengrui-qx-newco" not in cn
    assert "2025-11-qx-procurement" in cn and "2025-11-qx-procurement" not in us


@check("acquisitions")
def _(run):
    r = one(run("acquisitions"), target="QX NewCo Therapeutics")
    assert (r["acquirer"], r["date"], r["deal"], r["price_usd"]) == ("QX Buyer Pharma", "2025-09",
                                                                     "2025-09-qx-buyer-qx-newco", 1e9)
    assert r["acquirer_country"] == "CH"
    ouro = one(run("acquisitions"), target="Ouro")  # pharmcube-2026:403: Gilead buys Ouro for USD 2.175 billion
    assert ouro["price"] == ["USD 2.175 billion"] and ouro["price_usd"] == 2175e6 and ouro["acquirer"] == "Gilead"


@check("equity_stakes")
def _(run):
    r = one(run("equity_stakes"), holder="QX Fund", company="QX NewCo Therapeutics")
    assert r["percent"] == 20.0 and r["holder_kind"] == "investor" and r["sources"] == ["qx-fixture:1"]


@check("corporate_family")
def _(run):
    rows = run("corporate_family", name="Pfizer Inc.")
    r = one(rows, organization="QX Pfizer Subsidiary")
    assert r["relation"] == "subsidiary" and r["levels"] == 1 and r["company"] == "Pfizer"
    up = run("corporate_family", name="QX Pfizer Subsidiary")
    assert one(up, organization="Pfizer")["relation"] == "parent"


@check("statistic_series")
def _(run):
    rows = run("statistic_series", measure="china-out-licensing-total-value")
    # caixin-2026:10: $135.7 billion in 2025; caixin-2026:12: $51.9 billion in 2024
    assert one(rows, statistic="caixin-2025-cn-outlicensing-value")["value"] == 135.7e9
    assert one(rows, statistic="caixin-2024-cn-outlicensing-value")["value"] == 51.9e9
    assert [r["period"] for r in rows] == sorted(r["period"] for r in rows)
    assert all(r["unit"] == "money" and r["currency"] == "USD" for r in rows)


@check("licensors_by_place")
def _(run):
    rows = run("licensors_by_place", from_year=2024, to_year=2025)
    cn = one(rows, country="CN")
    assert cn["name"] == "China" and cn["deals"] >= 5  # Hengrui x3 (one a test record), 3SBio, Innovent
    assert cn["upfront_usd"] >= 200e6 + 1.25e9 + 500e6 + 100e6
    # only licensors count: Pfizer (US) and Takeda (JP) took licences, they did not grant them
    assert all(r["deals"] >= 1 for r in rows)


@check("deal_record")
def _(run):
    r = one(run("deal_record", deal="2025-05-3sbio-pfizer"), deal="2025-05-3sbio-pfizer")
    # caixin-2026:76: $1.25 billion upfront, up to $4.8 billion milestones, $100 million equity, ex-mainland China;
    # ciie-2025:44 puts the whole deal at over USD 6 billion
    assert {"upfront: USD 1.25 billion", "milestones: up to USD 4.8 billion", "equity: USD 100 million",
            "total: over USD 6 billion"} <= set(r["terms"])
    assert r["parties"] == ["3SBio (licensor)", "Pfizer (licensee)"] and r["assets"] == ["SSGJ-707"]
    assert (r["territory_include"], r["territory_exclude"]) == (["WORLD"], ["CN"])
    assert {"caixin-2026:76", "ciie-2025:44"} <= set(r["sources"]) and r["note"]
    gsk = run("deal_record", deal="2025-07-hengrui-gsk")[0]
    # both total claims are kept: caixin-2026:52 about $12 billion, pharmcube-2026:445 USD 12.5 billion
    assert len([t for t in gsk["terms"] if t.startswith("total:")]) == 2
    assert run("deal_record", deal="immuneonco-axion-licence")[0]["events"]  # the termination followed


@check("deals_by_source")
def _(run):
    rows = run("deals_by_source", document="ciie-2025")
    # ciie-2025:51: AstraZeneca-Eccogene, up to USD 1.825 billion
    r = one(rows, deal="2023-eccogene-astrazeneca")
    assert r["terms"] == ["total: up to USD 1.825 billion"] and r["lines"] == [51]
    assert "2025-03-hengrui-msd" not in {x["deal"] for x in rows}  # a Caixin deal only
    by_title = run("deals_by_source", document="Chinese Drugmakers Strike Record $136 Billion in Cross-Border "
                                               "Licensing Deals")
    assert one(by_title, deal="2025-03-hengrui-msd")


@check("events_with_money")
def _(run):
    rows = run("events_with_money")
    # ciie-2025:51: USD 60 million milestone to Eccogene at first Phase IIb dosing
    m = one(rows, event="azd5004-phase-2b-milestone")
    assert (m["kind"], m["money"], m["usd"], m["deal"]) == ("payment", "USD 60 million", 60e6,
                                                              "2023-eccogene-astrazeneca")
    # caixin-2026:78: ImmuneOnco kept USD 35 million on termination
    assert one(rows, event="immuneonco-axion-termination")["money"] == "USD 35 million"
    assert all(r["money"] for r in rows)


@check("statistics_search")
def _(run):
    rows = run("statistics_search", text="deal count")
    assert {"caixin-2025-cn-outlicensing-count", "pharmcube-2025-cn-outlicensing-count"} <= {r["statistic"] for r in rows}
    assert all("deal" in r["measure"] or "deal" in (r["note"] or "").lower() or "deal" in r["statistic"]
               for r in rows)
    assert canonical(run("statistics_search", text="DEAL-COUNT")) == canonical(rows)


@check("statistics_by_publisher")
def _(run):
    rows = run("statistics_by_publisher", publisher="PharmCube")
    # caixin-2026:12 attributes 157 deals in 2025 to PharmCube; pharmcube-2026:360 itself says 158
    assert one(rows, statistic="caixin-2025-cn-outlicensing-count")["value"] == 157.0
    assert one(rows, statistic="pharmcube-2025-cn-outlicensing-count")["value"] == 158.0
    assert all(r["publisher"] == "PharmCube" for r in rows)


@check("statistics_by_period")
def _(run):
    rows = run("statistics_by_period", period="2025-H1")
    # video-2025:11: 72 deals in the first half of 2025; ciie-2025:35 about USD 48.448 billion value
    assert one(rows, statistic="video-2025h1-cn-outlicensing-count")["value"] == 72.0
    assert all(r["period"].startswith("2025-H1") for r in rows)
    assert {r["statistic"] for r in rows} < {r["statistic"] for r in run("statistics_by_period", period="2025")}


@check("statistics_by_document")
def _(run):
    rows = run("statistics_by_document", document="video-2025")
    # video-2025:11: 94 deals in 2024
    r = one(rows, statistic="video-2024-cn-outlicensing-count")
    assert r["value"] == 94.0 and r["lines"] == [11]
    assert canonical(run("statistics_by_document", document="004_e43b8ec5efe35720.txt")) == canonical(
        run("statistics_by_document", document="pharmcube-2026"))


def test_every_library_query_has_its_answer_checked():
    assert set(CHECKS) == set(NAMES), set(NAMES) ^ set(CHECKS)


@pytest.mark.parametrize("name", NAMES)
def test_answers_checked_by_hand(name, seed_store):
    def run(query: str, **params: Any) -> list[dict[str, Any]]:
        assert query == name
        return run_query(seed_store, query, params)

    CHECKS[name](run)


NAMED = [(q.name, param, kind) for q in QUERIES for param, kind in q.names]


def test_every_query_that_takes_a_name_says_so_in_its_header():
    """A parameter described as a name, id, title or key of a record is resolved (header 'names')."""
    for q in QUERIES:
        for p in q.params:
            if any(w in p.description for w in ("name", "an id", "title")):
                assert q.name_kind(p.name), f"{q.name}: parameter {p.name} names a record but is not in 'names'"
    assert len(NAMED) >= 18


@pytest.mark.parametrize("name,param,kind", NAMED, ids=[f"{n}-{p}" for n, p, _ in NAMED])
def test_every_name_parameter_refuses_an_unknown_name_with_suggestions(name, param, kind, ladybug_seed):
    info = load_query(name)
    example = info.example_params()[param]
    wrong = f"{example} zyxwq qqqqq nowhere"
    with pytest.raises(UnknownName) as err:
        run_query(ladybug_seed, name, {**info.example_params(), param: wrong})
    text = str(err.value)
    assert wrong in text and "did you mean" in text and "\n" not in text
    # the example itself is among the suggestions (by name or id)
    resolved = run_query.__globals__["resolve_in_store"](ladybug_seed, example, kind)
    assert resolved.id in text


@pytest.mark.parametrize("name", sorted({n for n, _, _ in NAMED}))
def test_name_queries_still_match_names_when_run_without_the_runner(name, ladybug_seed):
    """Neo4j Browser (the guide) runs a query with its example as written: the Cypher matches names itself."""
    info = load_query(name)
    params = info.example_params()
    raw = ladybug_seed.query(info.cypher, {**dict(info.defaults), **params})
    assert raw and len(raw) == len(run_query(ladybug_seed, name, params))


def test_a_misspelt_name_is_corrected_and_said(ladybug_seed):
    said: list[str] = []
    rows = run_query(ladybug_seed, "company_deals", {"name": "Hengriu"}, notify=said.append)
    assert rows == run_query(ladybug_seed, "company_deals", {"name": "Jiangsu Hengrui"})
    assert said == ["name: 'Hengriu' taken as organization Jiangsu Hengrui Pharmaceuticals (hengrui)"]
    quiet: list[str] = []
    run_query(ladybug_seed, "asset_deals", {"asset": "ssgj-707"}, notify=quiet.append)
    assert quiet == []  # an exact name (any case) is not remarked on
    with pytest.raises(AmbiguousName, match="jnj-innovation"):  # Johnson & Johnson, and its Innovation arm
        run_query(ladybug_seed, "company_deals", {"name": "Johnson"})


def test_running_twice_gives_the_same_rows_in_the_same_order(ladybug_seed):
    for name in ("company_deals", "path_between_companies", "terminated_deals", "company_partners"):
        params = load_query(name).example_params()
        assert run_query(ladybug_seed, name, params) == run_query(ladybug_seed, name, params)


# ------------------------------------------------------------------------------------------ read-only
WRITES = {
    "create": "CREATE (o:Organization {id: 'intruder', name: 'Intruder'}) RETURN o.id AS id",
    "merge": "MERGE (o:Organization {id: 'intruder'}) RETURN o.id AS id",
    "set": "MATCH (o:Organization) WHERE o.id = $id SET o.name = 'Renamed' RETURN o.id AS id",
    "delete": "MATCH (d:Deal) DETACH DELETE d",
    "remove": "MATCH (o:Organization) REMOVE o.note RETURN count(o) AS n",
    "call": "CALL db.labels() YIELD label RETURN label",
    "lowercase_create": "match (o:Organization) with o limit 1 create (x:Organization {id: 'intruder2'}) return x.id",
}


def _fingerprint(store: Store) -> tuple:
    rows = store.query("MATCH (o:Organization) RETURN o.id AS id, o.name AS name ORDER BY id")
    deals = store.query("MATCH (d:Deal) RETURN count(d) AS n")
    return tuple((r["id"], r["name"]) for r in rows), norm(deals[0]["n"]), tuple(sorted(store.counts().items()))


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_writing_query_files_are_refused_and_change_nothing(kind, seed_store, tmp_path):
    before = _fingerprint(seed_store)
    path = tmp_path / f"{kind}.cypher"
    path.write_text(f"// name: {kind}\n// question: Does this write?\n{WRITES[kind]}\n", encoding="utf-8")
    params = {"id": "hengrui"} if "$id" in WRITES[kind] else {}
    with pytest.raises(WriteRefused, match="read-only|refused"):
        run_query(seed_store, path, params)
    assert _fingerprint(seed_store) == before


@pytest.mark.parametrize("kind", ["create", "merge", "set", "delete", "lowercase_create"])
def test_the_engine_itself_refuses_writes(kind, seed_store):
    """Past the runner's word check, each store runs queries read-only: the database refuses the write."""
    before = _fingerprint(seed_store)
    params = {"id": "hengrui"} if "$id" in WRITES[kind] else {}
    with pytest.raises(ReadOnlyViolation):
        seed_store.query(WRITES[kind], params)
    assert _fingerprint(seed_store) == before
    assert seed_store.query("MATCH (o:Organization) WHERE o.id = $id RETURN o.name AS name",
                            {"id": "hengrui"}) == [{"name": "Jiangsu Hengrui Pharmaceuticals"}]


def test_write_words_inside_strings_comments_and_names_are_not_writes(tmp_path, ladybug_seed):
    path = tmp_path / "harmless.cypher"
    path.write_text("// name: harmless\n// question: Does a word in a string count?\n"
                    "// CREATE nothing here; this is a comment\n"
                    "MATCH (o:Organization) WHERE o.name <> 'CREATE SET DELETE' AND o.id <> $set "
                    "RETURN o.id AS id, o.kind AS kind ORDER BY id LIMIT 1 /* MERGE */\n", encoding="utf-8")
    rows = run_query(ladybug_seed, path, {"set": "x"})
    assert rows == [{"id": "3sbio", "kind": "biotech"}]


def test_several_statements_are_refused(tmp_path):
    path = tmp_path / "two.cypher"
    path.write_text("MATCH (o:Organization) RETURN o.id AS id; MATCH (d:Deal) RETURN d.id AS id\n")
    with pytest.raises(WriteRefused, match="several statements"):
        prepare_query(path)


# ------------------------------------------------------------------------------------------ parameters
def test_missing_parameter_names_it_and_gives_the_example():
    with pytest.raises(ParameterError) as exc:
        prepare_query("company_partners", {"name": "Hengrui"})
    msg = str(exc.value)
    assert "company_partners" in msg and "'hops'" in msg and "hops=2" in msg


def test_unknown_parameter_is_an_error():
    with pytest.raises(ParameterError, match="no parameter 'hop'.*takes name, hops"):
        prepare_query("company_partners", {"name": "Hengrui", "hops": "2", "hop": "3"})


def test_parameters_are_typed_from_the_example():
    _, bound = prepare_query("company_partners", {"name": "Hengrui", "hops": "3"})
    assert bound == {"name": "Hengrui", "hops": 3} and isinstance(bound["hops"], int)
    _, bound = prepare_query("deals_above_upfront", {"min_upfront_usd": "1e9"})
    assert bound == {"min_upfront_usd": 1e9} and isinstance(bound["min_upfront_usd"], float)
    _, bound = prepare_query("deals_above_upfront", {"min_upfront_usd": "500000000"})
    assert isinstance(bound["min_upfront_usd"], float)
    _, bound = prepare_query("company_assets", {"name": "3SBio"})  # looks numeric-ish, stays text
    assert bound == {"name": "3SBio"}
    _, bound = prepare_query("deal_sources", {"deal": "2025"})
    assert bound == {"deal": "2025"}
    with pytest.raises(ParameterError, match="whole number"):
        prepare_query("company_partners", {"name": "Hengrui", "hops": "two"})
    with pytest.raises(ParameterError, match="takes a whole number, not True"):
        prepare_query("company_partners", {"name": "Hengrui", "hops": True})


def test_convert_value_without_a_known_type():
    assert convert_value("2", None) == 2 and isinstance(convert_value("2", None), int)
    assert convert_value("2.5", None) == 2.5
    assert convert_value("1e9", None) == 1e9
    assert convert_value("true", None) is True and convert_value("False", None) is False
    assert convert_value("Jiangsu Hengrui", None) == "Jiangsu Hengrui"
    assert convert_value('"2025"', None) == "2025"  # quotes keep a number as text
    assert convert_value("yes", bool) is True and convert_value("0", bool) is False
    with pytest.raises(ParameterError):
        convert_value("maybe", bool, "flag")


def test_parameters_are_passed_as_parameters_not_pasted(tmp_path, ladybug_seed):
    # a value that would break out of a quoted string if it were pasted into the text
    assert run_query(ladybug_seed, "statistics_search", {"text": "x' OR 1=1 OR s.id = '"}) == []
    with pytest.raises(UnknownName):  # a name parameter never reaches the query unresolved
        run_query(ladybug_seed, "company_profile", {"name": "x' OR 1=1 OR o.id = '"})
    rows = run_query(ladybug_seed, "company_profile", {"name": "Jiangsu Hengrui"})
    assert rows[0]["id"] == "hengrui"


def test_ad_hoc_file_takes_its_parameters_from_the_text(tmp_path, ladybug_seed):
    path = tmp_path / "mine.cypher"
    path.write_text("MATCH (d:Deal) WHERE d.year = $year AND d.upfront_usd >= $min RETURN d.id AS deal ORDER BY deal\n")
    info, bound = prepare_query(path, {"year": "2025", "min": "1e9"})
    assert info.name == "mine" and [p.name for p in info.params] == ["year", "min"]
    assert bound == {"year": 2025, "min": 1e9}
    rows = run_query(ladybug_seed, path, {"year": "2025", "min": "1e9"})
    assert {"deal": "2025-05-3sbio-pfizer"} in rows and {"deal": "2025-07-hengrui-gsk"} not in rows  # 500m upfront
    with pytest.raises(ParameterError, match="needs parameter 'min'"):
        prepare_query(path, {"year": "2025"})


# ------------------------------------------------------------------------------------------ headers and lookup
def test_unknown_query_suggests_close_names():
    with pytest.raises(UnknownQuery, match="did you mean company_deals"):
        load_query("company_deal")


@pytest.mark.parametrize("text, message", [
    ("MATCH (o:Organization) RETURN o.id AS id", "needs '// name"),
    ("// name: other\n// question: What?\nMATCH (o:Organization) RETURN o.id AS id", "must be the file name"),
    ("// name: broken\nMATCH (o:Organization) RETURN o.id AS id", "question"),
    ("// name: broken\n// question: Who?\nMATCH (o:Organization) WHERE o.id = $id RETURN o.id AS id",
     "uses \\$id but the header has no"),
    ("// name: broken\n// question: Who?\n// param: id = hengrui\nMATCH (o:Organization) WHERE o.id = $id RETURN o",
     "must be a JSON value"),
    ("// name: broken\n// question: Who?\n// param: x = 1\nMATCH (o:Organization) RETURN o.id AS id",
     "never uses \\$x"),
    ("// name: broken\n// question: Who?\n// colour: blue\nMATCH (o:Organization) RETURN o.id AS id",
     "unknown header field 'colour'"),
])
def test_malformed_library_headers_are_reported(tmp_path, text, message):
    path = tmp_path / "broken.cypher"
    path.write_text(text)
    with pytest.raises(QueryFileError, match=message):
        parse_query(text, path)


def test_header_lines_continue_and_unordered_columns_are_read(tmp_path):
    text = ("// name: multi\n// question: What is\n//   continued here?\n"
            "// param: n = 2.0  a number\n// unordered: a, b\nRETURN $n AS n\n")
    info = parse_query(text, tmp_path / "multi.cypher")
    assert info.question == "What is continued here?"
    assert info.params[0].example == 2.0 and info.params[0].type is float and info.params[0].description == "a number"
    assert info.unordered == ("a", "b")


def test_query_errors_are_dealgraph_errors():
    for cls in (UnknownQuery, QueryFileError, ParameterError, WriteRefused):
        assert issubclass(cls, DealgraphError)
    assert issubclass(WriteRefused, ReadOnlyViolation)


# ------------------------------------------------------------------------------------------ synthetic graph
# (last in the file: the Neo4j test database then switches from the seed graph to this one only once)
def synth_params(ds: Dataset) -> dict[str, list[Any]]:
    """Values to try for each parameter name on the synthetic graph, picked from the data."""
    by_deals = sorted(ds.organizations.values(), key=lambda o: (-len(ds.deals_of(o.id)), o.id))
    busy = [o for o in by_deals if ds.deals_of(o.id)]
    newcos = [o for o in ds.organizations.values() if o.type == "newco"]
    small = [o for o in busy if len(ds.deals_of(o.id)) == 1]
    names = [busy[0].name, busy[1].id, busy[5].name.upper(), newcos[0].name, small[0].id]
    covered = [a for a in ds.assets.values() if any(a.id in d.assets for d in ds.deals.values())]
    with_events = [a for a in ds.assets.values() if any(a.id in e.assets for e in ds.events.values())]
    deals_many_terms = sorted(ds.deals.values(), key=lambda d: (-sum(len(c) for c in d.terms.values()), d.id))
    measures = sorted({s.measure for s in ds.statistics.values()})
    return {
        "name": names, "from": [busy[0].name, small[0].id], "to": [busy[3].id, newcos[0].name],
        "hops": [1, 2, 3, 4], "max_hops": [1, 2, 3],
        "place": ["CN", "US", "WORLD", "GREATER-CHINA", "EUROPE"],
        "from_year": [2018, 2022], "to_year": [2023, 2026],
        "role": ["licensor", "licensee", "acquirer", "investor"], "limit": [5, 25],
        "min_upfront_usd": [5e7, 1e9],
        "modality": ["monoclonal-antibody", "ADC", "small-molecule", "car-t"],
        "family": ["antibody", "biologic", "cell-therapy", "device", "genetic-medicine"],
        "asset": [covered[0].name, covered[1].id.upper(), with_events[0].id],
        "deal": [deals_many_terms[0].id, deals_many_terms[-1].id],
        "measure": measures[:3],
        "include_undated": [False, True],
        "text": ["deal", "2025", measures[0].split("-")[0]],
        "publisher": sorted({ds.organizations[x.provider].name for x in ds.statistics.values() if x.provider})[:3],
        "period": ["2024", "2025-H1", "2025"],
        "document": sorted(ds.sources)[:3],
    }


@pytest.fixture()
def both_synth(request: pytest.FixtureRequest, synth_graph: PropertyGraph) -> dict[str, Store]:
    lb = request.getfixturevalue("ladybug_synth")
    neo = request.getfixturevalue("neo4j_graphs").with_graph("synth", synth_graph)
    return {"ladybug": lb, "neo4j": neo}


@pytest.mark.parametrize("name", NAMES)
def test_every_query_answers_the_same_on_a_synthetic_graph(name, both_synth, synth_dataset):
    info = load_query(name)
    candidates = synth_params(synth_dataset)
    combos = list(itertools.product(*[candidates[p.name] for p in info.params]))
    assert combos
    nonempty = 0
    for combo in combos[:60]:
        params = dict(zip((p.name for p in info.params), combo))
        lb = run_query(both_synth["ladybug"], name, params)
        neo = run_query(both_synth["neo4j"], name, params)
        assert_same(name, params, lb, neo)
        nonempty += bool(lb)
    assert nonempty, f"{name}: no parameter set gave any rows on the synthetic graph; the comparison proves nothing"


def test_synthetic_parameters_cover_every_library_parameter(synth_dataset):
    names = {p.name for q in QUERIES for p in q.params}
    assert names <= set(synth_params(synth_dataset)), names - set(synth_params(synth_dataset))
