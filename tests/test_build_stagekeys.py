"""Stage keys finer than the whole dataset: a note changes pages, cards and the maps that show it, never the
analyses; an amount changes the analyses. Each rebuild equals a clean build of the same seeds."""
from __future__ import annotations

import json

from graph.pipeline.build import build

from .support import assert_equals_clean_build, copy_fixture


def _inodes(out, folder):
    return {p.name: p.stat().st_ino for p in (out / folder).iterdir()}


def test_note_changes_redo_pages_and_maps_that_show_them_not_the_analyses(tmp_path):
    seeds = copy_fixture(tmp_path / "p")
    out = tmp_path / "p" / "out"
    build(seeds, out, quiet=True)
    maps, analysis = _inodes(out, "maps"), (out / "exposure.json").stat().st_ino
    assert sorted(maps) == ["ego-globex.html", "exposure-globex.html", "overview.html"]

    # a note on Initech (an investor in Acme, no deal with Globex): only the overview shows its card
    orgs = seeds / "organizations.yaml"
    orgs.write_text(orgs.read_text().replace("  type: investor\n", "  type: investor\n  note: Seed-stage holder.\n"))
    r = build(seeds, out, quiet=True)
    assert "analyses" in r.reused and "report" in r.reused and "site" not in r.reused and "rdf" not in r.reused
    now = _inodes(out, "maps")
    assert now["overview.html"] != maps["overview.html"] and "Seed-stage holder." in (out / "maps/overview.html").read_text()
    assert {k: now[k] for k in ("ego-globex.html", "exposure-globex.html")} == {
        k: maps[k] for k in ("ego-globex.html", "exposure-globex.html")}
    assert (out / "exposure.json").stat().st_ino == analysis  # linked, not recomputed
    assert "Seed-stage holder." in (out / "org/initech.html").read_text()
    assert_equals_clean_build(tmp_path, seeds, out, "clean1")

    # a note on the deal: its page and every map showing the deal change; the store gets the analyses'
    # figures back from the saved files (the database equals a clean build's, compared in tree_digest)
    deals = seeds / "deals.yaml"
    deals.write_text(deals.read_text().replace("  status: terminated\n", "  status: terminated\n  note: Rights went back.\n"))
    r = build(seeds, out, quiet=True)
    assert "analyses" in r.reused and "maps" not in r.reused and "site" not in r.reused and "store" not in r.reused
    assert (out / "exposure.json").stat().st_ino == analysis
    assert "Rights went back." in (out / "deal/2025-03-acme-globex.html").read_text()
    assert all("Rights went back." in (out / "maps" / m).read_text() for m in maps)
    assert_equals_clean_build(tmp_path, seeds, out, "clean2")

    # an amount changes what the analyses read: they run again
    before = json.loads((out / "exposure.json").read_text())
    deals.write_text(deals.read_text().replace("upfront: USD 50 million", "upfront: USD 70 million"))
    r = build(seeds, out, quiet=True)
    assert "analyses" not in r.reused and "maps" not in r.reused
    assert (out / "exposure.json").stat().st_ino != analysis
    assert json.loads((out / "exposure.json").read_text()) != before  # equal to a clean build: test_build_incremental
