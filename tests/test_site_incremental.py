"""Incremental site writing (graph.publish.site.write_site(..., previous=)): unchanged pages reused, the result
byte-identical to a clean write; and the Python-written fragments escaping exactly as Jinja does."""
from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from markupsafe import escape

from graph.ingest.loading import load_seeds
from graph.find.search import normal
from graph.publish.site import page_path, write_site
from graph.publish.site.html import esc
from graph.publish.site.write import SIDECAR, fold

from .support import SEEDS, source_documents

DEAL = "2025-05-3sbio-pfizer"
NOTE = "  note: >-\n    Caixin calls the upfront"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_same(a: Path, b: Path) -> None:
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    differ = [k for k in fa if fa[k] != fb[k]]
    assert differ == []


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """A copy of the shipped seeds with one deal's note changed, its dataset, and the site of the shipped seeds."""
    root = tmp_path_factory.mktemp("incremental")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    text = (seeds / "deals.yaml").read_text(encoding="utf-8")
    assert text.count(NOTE) == 1
    (seeds / "deals.yaml").write_text(text.replace(NOTE, NOTE.replace("Caixin", "Edited for the test: Caixin")),
                                      encoding="utf-8")
    ds = load_seeds(seeds)
    assert ds.deals[DEAL].note.startswith("Edited for the test")
    base = root / "base"
    write_site(load_seeds(SEEDS), base, docs=None)
    return ds, base, root


def test_one_changed_deal_renders_one_page_and_equals_a_clean_write(edited, tmp_path):
    ds, base, _ = edited
    before = _files(base)
    new, clean = tmp_path / "new", tmp_path / "clean"
    result = write_site(ds, new, docs=None, previous=base)
    write_site(ds, clean, docs=None)
    _assert_same(new, clean)                                # every page, twin, asset and the sidecar
    # the note shows on the deal's page only (deal rows, lists and the search index do not carry notes)
    assert (result.rendered, result.reused) == (1, sum(result.pages.values()) - 1)
    assert result.files == 2 * sum(result.pages.values()) + 3
    changed = new / page_path("deal", DEAL)
    assert "Edited for the test" in changed.read_text(encoding="utf-8")
    assert changed.stat().st_ino != (base / page_path("deal", DEAL)).stat().st_ino
    same = page_path("org", "pfizer")
    assert (new / same).stat().st_ino == (base / same).stat().st_ino        # hard-linked, not copied
    assert _files(base) == before                                           # the previous site is untouched


def test_rewriting_in_place_deletes_pages_of_removed_records(edited, tmp_path):
    ds, base, _ = edited
    site = tmp_path / "site"
    shutil.copytree(base, site)
    gone = next(e for e in ds.events)
    ds = replace(ds, events={k: e for k, e in ds.events.items() if k != gone})
    result = write_site(ds, site, docs=None, previous=site)
    clean = tmp_path / "clean"
    write_site(ds, clean, docs=None)
    _assert_same(site, clean)
    assert not (site / page_path("event", gone)).exists() and not (site / page_path("event", gone, "json")).exists()
    assert 0 < result.rendered < 20 and result.reused > 200


def test_other_templates_or_missing_pages_mean_rendering(edited, tmp_path):
    ds, base, _ = edited
    prev = tmp_path / "prev"
    shutil.copytree(base, prev)
    (prev / page_path("org", "pfizer")).unlink()                  # a page missing from the previous site
    result = write_site(ds, tmp_path / "a", docs=None, previous=prev)
    assert result.rendered == 2                                   # the changed deal and the missing page
    sidecar = orjson.loads((prev / SIDECAR).read_bytes())
    sidecar["renderer"] = "other templates"
    (prev / SIDECAR).write_bytes(orjson.dumps(sidecar))
    result = write_site(ds, tmp_path / "b", docs=None, previous=prev)
    assert result.reused == 0 and result.rendered == sum(result.pages.values())
    (prev / SIDECAR).write_text("not json", encoding="utf-8")
    assert write_site(ds, tmp_path / "c", docs=None, previous=prev).reused == 0
    clean = tmp_path / "clean"
    write_site(ds, clean, docs=None)
    for name in "abc":
        _assert_same(tmp_path / name, clean)


def test_a_file_in_the_way_is_replaced_not_written_through(edited, tmp_path):
    ds, base, _ = edited
    site = tmp_path / "site"
    (site / "deal").mkdir(parents=True)
    outside = tmp_path / "outside.html"
    outside.write_text("keep me", encoding="utf-8")
    os.link(outside, site / page_path("deal", DEAL))              # e.g. left linked from an older tree
    write_site(ds, site, docs=None)
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert "Edited for the test" in (site / page_path("deal", DEAL)).read_text(encoding="utf-8")


TRICKY = ["", "plain", "Merck & Co.", "<script>alert('x')</script>", 'say "hi"', "a&amp;b", "Île-de-France",
          "ＳＳＧＪ－７０７", "Straße & Søn", "tab\tand\nnewline", "emoji 🧬 & <b>", "x_y-z", "'\"<>&" * 3]


@pytest.mark.parametrize("text", TRICKY)
def test_fragments_escape_and_fold_as_jinja_and_search_do(text):
    assert esc(text) == str(escape(text))
    assert fold(text) == normal(text)


def test_fold_equals_normal_on_every_name_of_the_seeds():
    ds = load_seeds(SEEDS)
    names = [n for o in ds.organizations.values() for n in o.names()] + \
            [n for a in ds.assets.values() for n in a.names()] + [s.title for s in ds.sources.values()]
    assert len(names) > 300
    assert [fold(n) for n in names] == [normal(n) for n in names]


def test_with_documents_and_analyses_the_incremental_write_equals_a_clean_one(edited, tmp_path):
    # hover lines, exposure figures and map links are part of each page's twin, so of its digest
    docs = source_documents()
    ds, _, _ = edited
    shipped = load_seeds(SEEDS)
    prev, new, clean = tmp_path / "prev", tmp_path / "new", tmp_path / "clean"
    for folder in (prev, new, clean):
        (folder / "maps").mkdir(parents=True)
        (folder / "maps" / "ego-pfizer.html").write_text("<p>map</p>", encoding="utf-8")
    (prev / "maps" / "ego-gsk.html").write_text("<p>map</p>", encoding="utf-8")      # gone since: GSK's page changes
    write_site(shipped, prev, docs=docs)
    result = write_site(ds, new, docs=docs, previous=prev)
    write_site(ds, clean, docs=docs)
    _assert_same(new, clean)
    assert result.rendered == 2 and 'data-line="' in (new / page_path("deal", DEAL)).read_text(encoding="utf-8")


# ---------------------------------------------------------------- changes: only the pages a change reaches are built
def _edit(ds, kind: str, rid: str, **update):
    table = dict(ds.table(kind))
    table[rid] = table[rid].model_copy(update=update)
    return replace(ds, **{kind: table})


def _with_bystander(ds):
    """The shipped seeds with an event of an untitled deal also involving an organization that is not a party:
    that organization's page then names the deal, whose name is made of its parties' names."""
    untitled = next(d for d in ds.deals.values() if d.title is None and len(d.party_ids()) >= 2
                    and any(e.deal == d.id for e in ds.events.values()))
    event = next(e for e in ds.events.values() if e.deal == untitled.id)
    bystander = next(o for o in reversed(ds.organizations) if o not in untitled.party_ids())
    return _edit(ds, "events", event.id, orgs=[bystander], agency=None)


def _shipped_edits(ds):
    """(what, edited dataset) for edits of every kind a reader can make to the shipped seeds."""
    untitled = next(d for d in ds.deals.values() if d.title is None and len(d.party_ids()) >= 2
                    and any(e.deal == d.id for e in ds.events.values()))
    org = next(o for o in untitled.party_ids() if o in ds.organizations)
    other = next(o for o in ds.organizations if o not in untitled.party_ids())
    role = next(r for r, orgs in untitled.parties.items() if org in orgs)
    parties = {r: [other if o == org else o for o in orgs] for r, orgs in untitled.parties.items()}
    event = next(e for e in ds.events.values() if e.deal and e.note)
    asset = next(a for a in ds.assets.values() if a.originator)
    sub = next(o for o in ds.organizations.values() if o.subsidiary_of)
    termed = next(d for d in ds.deals.values() if d.terms)
    term = next(iter(termed.terms))
    claim = termed.terms[term][0]
    stat = next(iter(ds.statistics.values()))
    new_deal = untitled.model_copy(update={"id": "zz-added-deal", "title": None})
    gone = next(e for e in ds.events.values() if e.deal)
    swapped = dict(reversed(list(ds.deals.items())))
    return [
        ("a deal's note", _edit(ds, "deals", untitled.id, note="A note changed by the test.")),
        ("a deal's party", _edit(ds, "deals", untitled.id, parties={**parties, role: parties[role]})),
        ("an organization renamed", _edit(ds, "organizations", org, name="Renamed & <Co>")),
        ("an event's note", _edit(ds, "events", event.id, note="Event note changed.")),
        ("an asset's originator", _edit(ds, "assets", asset.id, originator=other)),
        ("a parent company", _edit(ds, "organizations", sub.id, subsidiary_of=other)),
        ("a deal's amount", _edit(ds, "deals", termed.id, terms={
            **termed.terms, term: [claim.model_copy(update={"text": claim.text + " (restated)"}), *termed.terms[term][1:]]})),
        ("a statistic's note", _edit(ds, "statistics", stat.id, note="Statistic note changed.")),
        ("a deal added", replace(ds, deals={**ds.deals, new_deal.id: new_deal})),
        ("an event removed", replace(ds, events={k: e for k, e in ds.events.items() if k != gone.id})),
        ("deals in another order", replace(ds, deals=swapped)),
    ]


@pytest.mark.parametrize("with_docs", [False, True])
def test_with_changes_only_reached_pages_are_built_and_the_site_equals_a_clean_write(tmp_path, with_docs):
    from graph.pipeline.changes import diff

    docs = source_documents() if with_docs else None
    shipped = _with_bystander(load_seeds(SEEDS))
    base = tmp_path / "base"
    write_site(shipped, base, docs=docs)
    total = None
    for i, (what, ds) in enumerate(_shipped_edits(_with_bystander(load_seeds(SEEDS)))):
        changes = diff(shipped, ds)
        assert changes or what == "deals in another order", what      # same records, same lines: no change
        new, clean = tmp_path / f"new{i}", tmp_path / f"clean{i}"
        result = write_site(ds, new, docs=docs, previous=base, changes=changes)
        write_site(ds, clean, docs=docs)
        fa, fb = _files(new), _files(clean)
        assert sorted(fa) == sorted(fb), what
        assert [k for k in fa if fa[k] != fb[k]] == [], what      # byte for byte, sidecars included
        total = sum(result.pages.values())
        if what == "a deal's note":
            assert (result.rendered, result.reused) == (1, total - 1)
        elif what == "deals in another order":                   # order shows in lists: every page is checked
            assert result.rendered + result.reused == total
        else:
            assert 0 < result.rendered < total / 2, what
        shutil.rmtree(new)
        shutil.rmtree(clean)


def test_random_edits_of_a_synthetic_set_equal_clean_writes(tmp_path):
    import random

    from graph.ingest.synth import synthetic_dataset
    from graph.pipeline.changes import diff

    rng = random.Random(2)
    ds = synthetic_dataset(60, seed=2)
    prev = tmp_path / "site0"
    write_site(ds, prev, docs=None)
    for step in range(1, 16):
        kind = rng.choice(["deals", "organizations", "assets", "events", "statistics"])
        rid = rng.choice(list(ds.table(kind)))
        rec = ds.table(kind)[rid]
        orgs, assets, deals = list(ds.organizations), list(ds.assets), list(ds.deals)
        choices = [{"note": f"changed {step}"}]
        if kind in ("organizations", "assets"):
            choices.append({"name": f"Renamed {step}"})
        if kind == "deals":
            choices += [{"title": rng.choice([None, f"Title {step}"])}, {"assets": [rng.choice(assets)]},
                        {"parties": {r: [rng.choice(orgs)] for r in rec.parties}}, {"status": "terminated"}]
        if kind == "events":
            choices += [{"orgs": [rng.choice(orgs)]}, {"deal": rng.choice(deals)}, {"assets": [rng.choice(assets)]}]
        if kind == "assets":
            choices.append({"originator": rng.choice(orgs)})
        if kind == "organizations":
            choices += [{"subsidiary_of": rng.choice(orgs)}, {"formed_by": [rng.choice(orgs)]}]
        if kind == "statistics":
            choices.append({"provider": rng.choice(orgs)})
        new = _edit(ds, kind, rid, **rng.choice(choices))
        if step % 5 == 0:                     # now and then a record removed, or one added
            gone = rng.choice(list(new.events))
            new = replace(new, events={k: e for k, e in new.events.items() if k != gone})
        if step % 7 == 0:
            copy = new.deals[rng.choice(list(new.deals))].model_copy(update={"id": f"zz-added-{step}"})
            new = replace(new, deals={**new.deals, copy.id: copy})
        site, clean = tmp_path / f"site{step}", tmp_path / f"clean{step}"
        result = write_site(new, site, docs=None, previous=prev, changes=diff(ds, new))
        write_site(new, clean, docs=None)
        fa, fb = _files(site), _files(clean)
        assert sorted(fa) == sorted(fb) and [k for k in fa if fa[k] != fb[k]] == [], (step, kind, rid)
        assert result.reused > 0
        shutil.rmtree(clean)
        shutil.rmtree(prev)
        ds, prev = new, site
