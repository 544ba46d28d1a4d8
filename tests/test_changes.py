"""The record diff incremental stages go by (graph.pipeline.changes), on real datasets."""
from __future__ import annotations

from graph.ingest.curation import example
from graph.ingest.loading import load_seeds
from graph.models.dataset import Origin
from graph.pipeline.changes import Changes, diff

from tests.support import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def test_no_change_is_empty_and_false():
    c = diff(example(), example())
    assert c == Changes() and not c and str(c) == "no record changed"


def test_a_note_is_notes_only_and_a_status_is_not():
    old, new = example(), example()
    a, b = list(new.deals.values())[:1] + list(new.organizations.values())[:1]
    new.deals[a.id] = a.model_copy(update={"note": "edited"})
    new.organizations[b.id] = b.model_copy(update={"name": b.name + " Holdings"})
    c = diff(old, new)
    assert c.modified == {("deals", a.id), ("organizations", b.id)}
    assert c.notes_only == {("deals", a.id)}
    assert c.of("deals") == {a.id} and c.of("assets") == set()


def test_added_removed_and_moved():
    old, new = load_seeds(MINIMAL), load_seeds(MINIMAL)
    gone = next(iter(new.assets))
    del new.assets[gone]
    d = next(iter(new.deals.values()))
    new.deals["new-deal"] = d.model_copy(update={"id": "new-deal"})
    other = next(k for k in new.origins if k[0] == "organizations")
    o = new.origins[other]
    new.origins[other] = Origin(o.file, o.line + 3)
    c = diff(old, new)
    assert c.removed == {("assets", gone)} and c.added == {("deals", "new-deal")}
    assert c.moved == {other} and c.modified == frozenset()
    assert c.keys == {("assets", gone), ("deals", "new-deal"), other}
