"""The synthetic dataset generator: deterministic, shaped like real dealmaking, valid seed YAML."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.ingest.loading import load_seeds
from graph.ingest.synth import dataset_from_seeds, synthetic_dataset, synthetic_seeds, write_seeds
from graph.models.vocabulary import vocabulary


@pytest.fixture(scope="module")
def ds():
    return synthetic_dataset(5000, seed=2)


def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    assert synthetic_seeds(400, seed=5) == synthetic_seeds(400, seed=5)
    assert synthetic_seeds(400, seed=5) != synthetic_seeds(400, seed=6)
    assert len(synthetic_seeds(400, seed=5)["deals"]) == 400


def test_shape_multinationals_license_from_many_small_mostly_chinese_companies(ds):
    orgs = ds.organizations
    mncs = {o.id for o in orgs.values() if o.multinational}
    assert 50 <= len(mncs) <= len(orgs) / 10  # tens to a few hundred (400 at 100k deals), few among many
    licensees = Counter(o for d in ds.deals.values() if d.type == "licence" for o in d.parties["licensee"])
    licensors = Counter(o for d in ds.deals.values() if d.type == "licence" for o in d.parties["licensor"])
    assert sum(n for o, n in licensees.items() if o in mncs) / sum(licensees.values()) > 0.8
    assert len(licensors) > 3 * len(licensees)  # many small licensors, fewer big licensees
    cn = sum(n for o, n in licensors.items() if orgs[o].country == "CN")
    assert 0.6 < cn / sum(licensors.values()) < 0.95
    # power law: the busiest licensee is in far more deals than the median one
    counts = sorted(licensees.values(), reverse=True)
    assert counts[0] > 20 * counts[len(counts) // 2]


def test_shape_assets_money_terminations_and_newcos(ds):
    v = vocabulary()
    assert {a.modality for a in ds.assets.values()} <= set(v.modalities)
    assert len({a.modality for a in ds.assets.values()}) > 15
    claims = [c for d in ds.deals.values() for cs in d.terms.values() for c in cs]
    assert {c.qualifier for c in claims if c.disclosed} >= {"exact", "up-to", "about", "over"}
    assert any(c.disclosure == "undisclosed" for c in claims)
    assert any(c.currency == "CNY" and c.usd is None for c in claims)  # RMB without a given conversion
    terminated = [d for d in ds.deals.values() if d.status == "terminated"]
    assert 0.02 < len(terminated) / len(ds.deals) < 0.12
    ended = {e.deal for e in ds.events.values() if e.type == "termination"}
    assert ended == {d.id for d in terminated}
    newcos = [o for o in ds.organizations.values() if o.type == "newco"]
    assert newcos and all(o.formed_by for o in newcos)
    acquired = {t for d in ds.deals.values() if d.type == "acquisition" for t in d.parties["target"]}
    assert acquired & {o.id for o in newcos}  # some NewCos are bought: a chain licensor → NewCo → acquirer


def test_written_yaml_loads_back_to_the_same_dataset(tmp_path):
    seeds = synthetic_seeds(300, seed=9)
    write_seeds(seeds, tmp_path)
    loaded = load_seeds(tmp_path)
    direct = dataset_from_seeds(seeds)
    for kind in loaded.KINDS:
        assert loaded.table(kind) == direct.table(kind), kind


def test_cli_synth_writes_seed_files(tmp_path):
    out = tmp_path / "s"
    res = CliRunner().invoke(main, ["synth", "--deals", "120", "--seed", "4", "--out", str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert {r["file"].rsplit("/", 1)[-1] for r in rows} == {f"{k}.yaml" for k in
                                                          ("sources", "organizations", "assets", "deals", "events",
                                                           "statistics")}
    assert next(r["records"] for r in rows if r["file"].endswith("deals.yaml")) == 120
    first = (out / "deals.yaml").read_text()
    CliRunner().invoke(main, ["synth", "--deals", "120", "--seed", "4", "--out", str(out)])
    assert (out / "deals.yaml").read_text() == first  # same seed, same files
    assert len(load_seeds(out).deals) == 120
    bad = CliRunner().invoke(main, ["synth", "--deals", "0", "--out", str(out)])
    assert bad.exit_code != 0 and "--deals" in bad.output
