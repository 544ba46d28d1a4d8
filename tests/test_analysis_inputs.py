"""``analysis_inputs``: the digest of exactly what the analyses read, on the tiny seed set edited as YAML.

An edit to something the analyses do not read (a note, a title, a citation, an alias, a stage, a later
claim, another kind of event, the order of records) leaves the digest equal *and* every file
``run_analyses`` writes byte-identical; an edit to what they read (a party, a date or its precision, an
amount, a country, a group, a modality, a termination) changes the digest.
"""
from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from graph.analysis import inputs as I
from graph.analysis.examples import write_tiny_seeds
from graph.analysis.run import run_analyses
from graph.ingest.loading import load_seeds

# (file, text in the tiny seeds, replacement): none of these is read by the analyses
UNREAD = [
    ("deals", "  terms: {total: USD 300 million}\n", "  terms: {total: USD 300 million}\n  note: a sublicence\n"
                                                   "  title: Delta sublicence\n  royalties: tiered, low teens\n"),
    ("deals", "  parties: {licensor: cn1, licensee: mnc2}\n  sources: [\"doc:1\"]",
     "  parties: {licensor: cn1, licensee: mnc2}\n  sources: [\"doc:2\"]"),
    ("organizations", "name: Alpha Bio, country: CN,", "name: Alpha Bio, aliases: [Alpha Biologics], country: CN,"),
    ("organizations", "{id: vc1, name: Theta Ventures,", "{id: vc1, name: Theta Ventures, note: a venture fund,"),
    ("assets", "{id: a2, name: A-2, modality: small-molecule,",
     "{id: a2, name: A-2, codes: [AB-002], modality: small-molecule, stage: phase-2, target: KRAS,"),
    ("events", "returned: Global rights., sources",
     "returned: Global rights., note: ended early, sources"),
    ("events", "", "- {id: a1-ok, type: approval, date: 2025-08, assets: [a1], orgs: [mnc], sources: [\"doc:1\"]}\n"),
]
# (file, text, replacement): each one is read
READ = {
    "party": ("deals", "parties: {licensor: us1, licensee: mnc}", "parties: {licensor: us1, licensee: mnc2}"),
    "date": ("deals", "date: 2023-05\n", "date: 2023-06\n"),
    "date precision": ("deals", "date: 2023-05\n", "date: 2023\n"),
    "amount": ("deals", "terms: {total: USD 300 million}", "terms: {total: USD 310 million}"),
    "qualifier": ("deals", "terms: {total: USD 300 million}", "terms: {total: up to USD 300 million}"),
    "country": ("organizations", "name: Gamma Bio, country: HK,", "name: Gamma Bio, country: CN,"),
    "country recorded": ("organizations", "{id: unk, name: Zeta Bio,", "{id: unk, name: Zeta Bio, country: CN,"),
    "organization name": ("organizations", "name: Beta Bio,", "name: Beta Biotech,"),
    "multinational": ("organizations", "country: US, type: biotech, sources", "country: US, type: biotech, "
                      "multinational: true, sources"),
    "stake": ("organizations", "stakes: [{org: cn2, percent: 5}]", "stakes: [{org: cn2, percent: 6}]"),
    "deal type": ("deals", "type: co-development\n", "type: licence\n"),
    "status": ("deals", "  status: terminated\n  terms: {total: USD 400 million}",
               "  status: completed\n  terms: {total: USD 400 million}"),
    "territory": ("deals", "territory_include: [CN]", "territory_include: [HK]"),
    "modality": ("assets", "name: A-5, modality: peptide,", "name: A-5, modality: small-molecule,"),
    "originator": ("assets", "name: A-5, modality: peptide, originator: cn2", "name: A-5, modality: peptide, "
                   "originator: hk1"),
    "retained": ("events", "retained: USD 40 million", "retained: USD 45 million"),
}


def _seeds(folder: Path, edits: list[tuple[str, str, str]]) -> Path:
    seeds = write_tiny_seeds(folder)
    for kind, old, new in edits:
        path = seeds / f"{kind}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{kind}.yaml no longer holds {old!r}"   # the edit must really happen
        path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    return seeds


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_unread_edits_keep_the_digest_and_every_analysis_file(tiny, tmp_path):
    edited = load_seeds(_seeds(tmp_path / "edited", UNREAD))
    assert edited.deals["d4"].note and edited.organizations["cn1"].aliases and "a1-ok" in edited.events
    assert I.analysis_inputs(edited) == I.analysis_inputs(tiny)
    run_analyses(tiny, tmp_path / "a")
    run_analyses(edited, tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(a) >= 9 and a == b            # centrality and exposure CSV + JSON, 3 multinationals, 2 plots


def test_record_order_does_not_count(tiny, tmp_path):
    seeds = write_tiny_seeds(tmp_path / "seeds")
    deals = (seeds / "deals.yaml").read_text(encoding="utf-8").split("- id: ")[1:]
    (seeds / "deals.yaml").write_text("".join("- id: " + d for d in reversed(deals)), encoding="utf-8")
    shuffled = load_seeds(seeds)
    assert list(shuffled.deals)[0] == "d14"
    assert I.analysis_inputs(shuffled) == I.analysis_inputs(tiny)


@pytest.mark.parametrize("what", sorted(READ))
def test_each_read_edit_changes_the_digest(tiny, tmp_path, what):
    edited = load_seeds(_seeds(tmp_path / "seeds", [READ[what]]))
    assert I.analysis_inputs(edited) != I.analysis_inputs(tiny)


def test_digest_is_stable_and_hex(tiny):
    d = I.analysis_inputs(tiny)
    assert d == I.analysis_inputs(tiny) and len(d) == 64 and int(d, 16) >= 0
    # the projection holds only the termination events, the records the analyses take from events
    assert [e[0] for e in I.inputs_projection(tiny)["terminations"]] == ["d2-end", "d7-end"]


def test_doctests_in_inputs(tiny):
    res = doctest.testmod(I, extraglobs={"tiny": tiny}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted >= 6
