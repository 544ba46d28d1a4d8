"""New cards on an unchanged map (``graph.publish.maps.recard``): after a note is edited, the rebuild writes the
maps that show it from their previous page without laying them out again, and they equal a clean build's."""
from __future__ import annotations

import dataclasses
import os
import shutil

import pytest

import graph.publish.maps.layout as layout
import graph.publish.maps.recard as recard_module
from graph.ingest.synth import synthetic_dataset, write_seeds, synthetic_seeds
from graph.core.errors import SeedError
from graph.pipeline.build import build
from graph.publish.maps.exposure_view import exposure_map
from graph.publish.maps.network import ego_map, overview_map
from graph.publish.maps.recard import DATA_OPEN, recard, recarded
from graph.publish.maps.render import render_html

from .support import tree_digest

# text that JSON and the page's escaping both touch: quotes, a backslash at the end, markup, a line separator
TRICKY = 'Rights back to "Acme" <b>&amp;</b>\u2028 ✓ \\'


def _with_notes(ds, notes):
    """A copy of ``ds`` with ``notes`` ({(table, id): note or None}) set: the only fields that differ."""
    ds = dataclasses.replace(ds, deals=dict(ds.deals), organizations=dict(ds.organizations))
    for (table, i), note in notes.items():
        t = getattr(ds, table)
        t[i] = t[i].model_copy(update={"note": note})
    return ds


def _data(page: str) -> str:
    start = page.index(DATA_OPEN) + len(DATA_OPEN)
    return page[start:page.index("</script>", start)]


def test_new_cards_equal_the_page_drawn_afresh():
    ds = synthetic_dataset(60, seed=5, orgs=40)
    mnc = sorted(o.id for o in ds.organizations.values() if o.multinational)[0]
    deal = ds.deals[sorted(set(exposure_map(ds, mnc).deals) & set(ego_map(ds, mnc).deals))[0]]  # on all 3 maps
    first, last = sorted(ds.deals)[0], sorted(ds.deals)[-1]   # the deals object's first and last entries
    org = next(o for o in deal.party_ids() if o != mnc)
    # a note added, one changed to awkward text, one removed, an organization's note (its node's card)
    edits = {("deals", deal.id): TRICKY, ("deals", first): "First.", ("deals", last): None,
             ("organizations", org): "Changed hands " + TRICKY, ("organizations", mnc): "Big."}
    old = _with_notes(ds, {("deals", last): "To be removed."})
    new = _with_notes(old, edits)
    ids = {i for _, i in edits}
    for draw in (overview_map, lambda d: ego_map(d, mnc), lambda d: exposure_map(d, mnc)):
        mg = draw(new)
        shown = ids & ({n.id.split(":", 1)[-1] for n in mg.nodes} | set(mg.deals))  # as MapFile.records
        before, after = render_html(draw(old)), render_html(mg)
        assert before != after and deal.id in shown
        assert recarded(new, _data(before), shown) == _data(after)
        assert recarded(new, _data(before), set()) == _data(before)   # nothing asked, nothing changed
        hidden = next((i for i in sorted(ds.deals) if i not in mg.deals), "no-such-record")
        with pytest.raises(ValueError, match="neither a deal nor a node"):  # a record the map does not show
            recarded(new, _data(before), shown | {hidden})


def test_a_page_not_laid_out_as_expected_is_left_to_be_drawn(tmp_path):
    ds = synthetic_dataset(20, seed=2, orgs=15)
    d = sorted(ds.deals)[0]
    page = render_html(overview_map(ds))
    old, new = tmp_path / "old.html", tmp_path / "new.html"
    # the deal's record twice in the deals object: which one is the card cannot be told
    data = _data(page)
    doubled = data.replace(',"org_names":', ',"x":{"%s":{}},"org_names":' % d, 1)
    doubled = doubled.replace(',"deals":{', ',"deals":{"%s":{},' % d, 1)
    old.write_text(page.replace(data, doubled), encoding="utf-8")
    assert not recard(ds, old, new, {d}) and not new.exists()
    old.write_text("<html>no map data</html>", encoding="utf-8")
    assert not recard(ds, old, new, {d}) and not new.exists()
    with pytest.raises(ValueError):
        recarded(ds, data, {",odd"})


def test_new_cards_go_into_a_fresh_file_never_through_a_link(tmp_path):
    ds = synthetic_dataset(20, seed=2, orgs=15)
    d = sorted(ds.deals)[0]
    old, new = tmp_path / "old.html", tmp_path / "new.html"
    old.write_text(render_html(overview_map(ds)), encoding="utf-8")
    os.link(old, new)                     # as a page linked from the previous build
    before = old.read_bytes()
    edited = _with_notes(ds, {("deals", d): "Changed."})
    assert recard(edited, old, new, {d})
    assert old.read_bytes() == before and new.read_text(encoding="utf-8") == render_html(overview_map(edited))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.html", "old.html"]   # no temporary file left


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _rebuild_equals_clean_build(tmp_path, seeds, out, name, rebuilt=None):
    """Rebuild ``out`` incrementally (unless ``rebuilt`` is that rebuild's result), build a copy of the seeds
    from scratch, and compare every file."""
    r = rebuilt or build(seeds, out, quiet=True, store=None)
    clean = tmp_path / name / "seeds"
    shutil.copytree(seeds, clean)
    build(clean, clean.parent / "out", quiet=True, full=True, store=None)
    a, b = tree_digest(out), tree_digest(clean.parent / "out")
    assert a == b, (name, sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)))
    return r


def test_note_edits_give_new_cards_without_a_new_layout_and_every_rebuild_equals_a_clean_build(tmp_path,
                                                                                               monkeypatch):
    seeds = tmp_path / "p" / "seeds"
    write_seeds(synthetic_seeds(30, seed=4, orgs=24), seeds)
    out = tmp_path / "p" / "out"
    build(seeds, out, quiet=True, store=None)
    deals = seeds / "deals.yaml"
    text = deals.read_text(encoding="utf-8")
    note = next(line for line in text.splitlines() if line.startswith("  note:"))
    records = text.split("\n- id: ")
    first, last = "- id: " + records[1].split("\n")[0], records[-1].split("\n")[0]

    def no_layout(*_a, **_k):
        raise AssertionError("a map was laid out again")

    # notes (one edited to awkward text, one added): the maps showing them get new cards, not a new layout
    with monkeypatch.context() as m:
        m.setattr(layout, "component_layout", no_layout)
        m.setattr(layout, "layered_layout", no_layout)
        _edit(deals, note, '  note: "Edited: ' + TRICKY.replace("\\", "\\\\").replace('"', '\\"')
              .replace("\u2028", "\\L") + '"')
        _edit(deals, first + "\n", first + "\n  note: Added <here>.\n")
        r = build(seeds, out, quiet=True, store=None)
    _rebuild_equals_clean_build(tmp_path, seeds, out, "note", r)
    assert "analyses" in r.reused and "maps" not in r.reused
    assert any("Added \\u003chere\\u003e." in p.read_text(encoding="utf-8") for p in (out / "maps").iterdir())

    # a bad edit fails naming file, line and field, and leaves out/ as it was
    before = tree_digest(out)
    good = deals.read_text(encoding="utf-8")
    line = good[:good.index("  status: ")].count("\n") + 1
    _edit(deals, "  status: ", "  status: [not, a, status]\n  old_status: ")
    with pytest.raises(SeedError) as bad:
        build(seeds, out, quiet=True, store=None)
    assert f"deals.yaml:{line}: status: unknown status" in str(bad.value) and tree_digest(out) == before
    deals.write_text(good, encoding="utf-8")

    # an amount (the analyses read it), a deal added, a deal removed: every map is drawn again, still equal
    _edit(deals, "upfront: USD ", "upfront: USD 1")
    r = _rebuild_equals_clean_build(tmp_path, seeds, out, "amount")
    assert "analyses" not in r.reused and "maps" not in r.reused
    text = deals.read_text(encoding="utf-8")
    record = text[text.index("- id: "):text.index("\n- id: ") + 1]
    _edit(deals, record, record + record.replace("- id: ", "- id: zz-copy-of-", 1))
    _rebuild_equals_clean_build(tmp_path, seeds, out, "added")
    text = deals.read_text(encoding="utf-8")
    deals.write_text(text[:text.index("\n- id: " + last)] + "\n", encoding="utf-8")  # the last deal removed
    _rebuild_equals_clean_build(tmp_path, seeds, out, "removed")


def test_a_page_that_cannot_take_new_cards_is_drawn_again(tmp_path, monkeypatch):
    seeds = tmp_path / "p" / "seeds"
    write_seeds(synthetic_seeds(12, seed=6, orgs=10), seeds)
    out = tmp_path / "p" / "out"
    build(seeds, out, quiet=True, store=None)
    deals = seeds / "deals.yaml"
    note = next(line for line in deals.read_text(encoding="utf-8").splitlines() if line.startswith("  note:"))
    _edit(deals, note, "  note: Another note.")
    drawn = []
    monkeypatch.setattr(recard_module, "recard", lambda *a, **k: False)   # as for a page not as ``render`` writes it
    import graph.publish.maps.site as site_module   # drawn: written by ``write_maps`` (in their kept layout)

    real = site_module.write_map
    monkeypatch.setattr(site_module, "write_map", lambda *a, **k: drawn.append(1) or real(*a, **k))
    r = build(seeds, out, quiet=True, store=None)
    monkeypatch.undo()
    assert drawn and "maps" not in r.reused
    _rebuild_equals_clean_build(tmp_path, seeds, out, "drawn", r)


def test_doctests():
    import doctest

    res = doctest.testmod(recard_module)
    assert res.attempted > 0 and res.failed == 0
