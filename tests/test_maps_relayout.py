"""Maps kept in their previous layout (``graph.publish.maps.layoutmemo``): after an edit that the analyses read
(an amount, a status, a party, a deal added or removed), a rebuild lays out again only the maps whose layout
inputs changed, and every map equals a clean build's."""
from __future__ import annotations

import json
import re
import shutil

import yaml

import graph.publish.maps.layout as layout
import graph.publish.maps.layoutmemo as layoutmemo
from graph.ingest.synth import synthetic_seeds, write_seeds
from graph.pipeline.build import build

from .support import tree_digest


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _record(text: str, deal: str) -> str:
    start = text.index("- id: " + deal + "\n")
    end = text.find("\n- id: ", start)
    return text[start:] if end < 0 else text[start:end + 1]


def _parties(record: str) -> set[str]:
    """The organization ids a deal record names (its parties), read from the YAML text."""
    parties = yaml.safe_load(record)[0]["parties"]
    return {p for v in parties.values() for p in ([v] if isinstance(v, str) else v)}


def _same_as_clean(tmp_path, seeds, out, name):
    clean = tmp_path / name / "seeds"
    shutil.copytree(seeds, clean)
    build(clean, clean.parent / "out", quiet=True, full=True, store=None)
    a, b = tree_digest(out), tree_digest(clean.parent / "out")
    assert a == b, (name, sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)))


def _laid_out(monkeypatch):
    """Patch the layout functions to note the node ids of every map laid out; the list they fill."""
    calls: list[set[str]] = []
    for name in ("component_layout", "layered_layout"):
        real = getattr(layout, name)
        monkeypatch.setattr(layout, name, lambda ids, *a, _real=real, **k: calls.append(set(ids)) or _real(ids, *a, **k))
    return calls


def test_analysed_edits_lay_out_only_the_maps_they_reshape_and_equal_a_clean_build(tmp_path, monkeypatch):
    seeds = tmp_path / "p" / "seeds"
    write_seeds(synthetic_seeds(40, seed=4, orgs=30), seeds)
    out = tmp_path / "p" / "out"
    build(seeds, out, quiet=True, store=None)
    maps = json.loads((out / ".cache" / "maps.json").read_text(encoding="utf-8"))["maps"]
    assert all(m["layout"] for m in maps) and len(maps) > 3
    deals = seeds / "deals.yaml"
    text = deals.read_text(encoding="utf-8")

    # an upfront amount: only maps showing one of that deal's parties may be laid out again (their sizes may
    # change); every other map keeps its positions, and fewer maps are laid out than there are
    # (a deal with no total: its upfront counts in its headline value, so in its parties' sizes)
    deal = next(i for i in re.findall(r"^- id: (\S+)$", text, re.M)
                if "upfront: USD " in _record(text, i) and "total:" not in _record(text, i))
    record = _record(text, deal)
    parties = {"org:" + p for p in _parties(record)}
    assert parties
    # and the ego and exposure maps showing neither the deal nor a party nor an organization whose figures
    # changed (nor, for exposure maps, a different exposure) are not drawn at all (``mapskip``): linked
    import graph.publish.maps.site as site_module

    written = []
    with monkeypatch.context() as m:
        calls = _laid_out(m)
        real = site_module.write_map
        m.setattr(site_module, "write_map", lambda mg, path: written.append(path.name) or real(mg, path))
        _edit(deals, record, record.replace("upfront: USD ", "upfront: USD 1", 1))
        r = build(seeds, out, quiet=True, store=None)
    assert "analyses" not in r.reused and len(calls) < len(maps)
    assert all(ids & parties for ids in calls), "a map not showing the deal's parties was laid out"
    linked = {m["path"].split("/")[-1] for m in maps} - set(written)
    assert any(p.startswith("ego-") for p in linked) and any(p.startswith("exposure-") for p in linked)
    assert "overview.html" in written
    _same_as_clean(tmp_path, seeds, out, "amount")

    # a status: it shapes no map (neither sizes nor lines), so no map is laid out again
    text = deals.read_text(encoding="utf-8")
    statuses = sorted(set(re.findall(r"^  status: (\S+)$", text, re.M)))
    status = re.search(r"^  status: (\S+)$", text, re.M)
    # and the overview, whose figures stay, takes the deal's new card on its previous page (``recard``)
    written = []
    with monkeypatch.context() as m:
        calls = _laid_out(m)
        real = site_module.write_map
        m.setattr(site_module, "write_map", lambda mg, path: written.append(path.name) or real(mg, path))
        _edit(deals, status.group(0), "  status: " + next(s for s in statuses if s != status.group(1)))
        r = build(seeds, out, quiet=True, store=None)
    assert calls == [] and "maps" not in r.reused and "overview.html" not in written
    _same_as_clean(tmp_path, seeds, out, "status")

    # a party changed, a deal added, a deal removed: still equal to a clean build
    text = deals.read_text(encoding="utf-8")
    record = _record(text, deal)
    one, other = sorted(_parties(record))[0], sorted(re.findall(r"^- id: (\S+)$", (seeds / "organizations.yaml")
                                                                .read_text(encoding="utf-8"), re.M))[-1]
    _edit(deals, record, record.replace(f"org: {one}\n", f"org: {other}\n", 1))
    build(seeds, out, quiet=True, store=None)
    _same_as_clean(tmp_path, seeds, out, "party")
    text = deals.read_text(encoding="utf-8")
    record = text[text.index("- id: "):text.index("\n- id: ") + 1]
    _edit(deals, record, record + record.replace("- id: ", "- id: zz-copy-of-", 1))
    build(seeds, out, quiet=True, store=None)
    _same_as_clean(tmp_path, seeds, out, "added")
    text = deals.read_text(encoding="utf-8")
    last = text.rindex("\n- id: ")
    deals.write_text(text[:last + 1], encoding="utf-8")
    build(seeds, out, quiet=True, store=None)
    _same_as_clean(tmp_path, seeds, out, "removed")


def test_a_previous_page_that_does_not_hold_the_nodes_is_laid_out_again(tmp_path):
    page = tmp_path / "old.html"
    page.write_text(layoutmemo.DATA_OPEN + '{"title":"t","nodes":[{"id":"org:a","x":1,"y":2}],"edges":[]}</script>',
                    encoding="utf-8")
    assert layoutmemo.page_positions(page) == {"org:a": (1, 2)}
    memo = layoutmemo.LayoutMemo({"maps/m.html": ("k", page)})
    memo.current = "maps/m.html"
    assert memo.positions("k", ["org:a"]) == {"org:a": (1, 2)} and memo.reused == ["maps/m.html"]
    assert memo.positions("other key", ["org:a"]) is None               # something the layout reads changed
    assert memo.positions("k", ["org:a", "org:b"]) is None              # a node the page does not have
    page.write_text("<html>no map data</html>", encoding="utf-8")
    assert memo.positions("k", ["org:a"]) is None and memo.keys == {"maps/m.html": "k"}
    memo = layoutmemo.LayoutMemo({"maps/m.html": ("k", page)}, check=lambda path: False)   # changed since
    memo.current = "maps/m.html"
    assert memo.positions("k", ["org:a"]) is None


def test_doctests():
    import doctest

    import graph.pipeline.mapskip as mapskip

    for module in (layoutmemo, mapskip):
        res = doctest.testmod(module)
        assert res.attempted > 0 and res.failed == 0
