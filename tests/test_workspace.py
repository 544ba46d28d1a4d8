"""`dealgraph init` and the packaged resources: a working folder builds at once, outside the checkout.

The wheel itself (built, installed into a fresh virtual environment, `init` + `build` + a library
query in an empty folder) is exercised by `.ci/run`; these tests run the same steps through the
library and the command.
"""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.ingest.loading import load_seeds
from graph.query.run import QUERY_DIR, list_queries, run_query
from graph.core.resources import PACKAGED, resource_dir
from graph.stores.ladybug import LadybugStore
from tests.support import ROOT


def invoke(*args, **kw):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)


def test_resources_resolve_to_the_checkout_folders():
    # in a checkout the packaged folders are the top-level ones (a wheel carries copies in graph/_data)
    for name in PACKAGED:
        assert resource_dir(name) == ROOT / name
    assert QUERY_DIR == ROOT / "queries"
    with pytest.raises(ValueError, match="unknown resource folder 'docs'"):
        resource_dir("docs")


def test_init_makes_a_folder_that_builds_and_answers_queries(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    res = invoke("init", str(ws))
    assert res.exit_code == 0, res.output
    assert "dealgraph build" in res.output
    assert sorted(p.name for p in (ws / "seeds").iterdir()) == [
        "assets.yaml", "deals.yaml", "events.yaml", "organizations.yaml", "sources.yaml", "statistics.yaml"]
    ds = load_seeds(ws / "seeds")
    assert ds.counts() == {"sources": 1, "organizations": 2, "assets": 1, "deals": 1, "events": 1, "statistics": 1}
    assert (ws / "import" / "example-mapping.yaml").is_file() and (ws / "README.md").is_file()

    monkeypatch.chdir(ws)
    monkeypatch.delenv("DEALGRAPH_DOCS", raising=False)
    res = invoke("validate")  # finds ./documents and checks every citation against it
    assert res.exit_code == 0, res.output
    assert "provenance: every citation checked against documents" in res.output
    res = invoke("build", "-q")
    assert res.exit_code == 0, res.output
    store = LadybugStore(ws / "out" / "graph.lbdb")
    try:
        rows = run_query(store, "company_deals", {"name": "Example Pharma"})
    finally:
        store.close()
    assert [(r["deal"], r["role"]) for r in rows] == [("2026-03-example-bio-example-pharma", "licensee")]


def test_init_with_shipped_seeds_copies_the_dataset(tmp_path):
    res = invoke("init", str(tmp_path / "ws"), "--with-shipped-seeds")
    assert res.exit_code == 0, res.output
    assert load_seeds(tmp_path / "ws" / "seeds").counts() == load_seeds(ROOT / "seeds").counts()
    assert not (tmp_path / "ws" / "documents").exists()  # the source documents are not ours to ship


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "notes.txt").write_text("mine")
    res = CliRunner().invoke(main, ["init", str(tmp_path / "ws")])
    assert res.exit_code == 1
    assert "exists and is not empty" in res.output
    assert [p.name for p in (tmp_path / "ws").iterdir()] == ["notes.txt"]
    assert not list(tmp_path.glob(".*init-tmp"))


def test_build_without_seeds_says_how_to_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["build", "-q"])
    assert res.exit_code == 2
    assert "seed folder not found; start one with `dealgraph init DIR`" in res.output
    assert not (tmp_path / "out").exists()


def test_grass_styles_every_label_and_names_only_existing_ones():
    from graph.query.neo4j_browser import grass
    from graph.models.vocabulary import node_labels, relationship_types

    res = invoke("neo4j-style")
    assert res.exit_code == 0 and res.output == grass()
    styled_nodes = re.findall(r"^node\.(\w+) \{", res.output, re.M)
    styled_rels = re.findall(r"^relationship\.(\w+) \{", res.output, re.M)
    assert sorted(styled_nodes) == node_labels()
    assert sorted(styled_rels) == relationship_types()
    # every label block has a caption, a colour and a size
    for block in re.findall(r"^node\.\w+ \{(.*?)^\}", res.output, re.M | re.S):
        assert re.search(r"color: #[0-9a-f]{6};", block) and "diameter:" in block and "caption:" in block


def test_guide_has_a_runnable_slide_for_every_library_query(tmp_path):
    res = invoke("neo4j-guide", "--out", str(tmp_path / "guide.html"))
    assert res.exit_code == 0
    text = (tmp_path / "guide.html").read_text()
    names = re.findall(r"<h3>(\w+)</h3>", text)
    assert names[0] == "dealgraph"
    assert names[1:] == [q.name for q in list_queries()]
    company = next(q for q in list_queries() if q.name == "company_deals")
    assert ":params {name: &quot;" in text  # parameters ready to edit, escaped
    assert text.count('class="pre-scrollable code runnable"') >= len(names[1:]) + 1
    assert "<script" not in text.lower()
    assert company.question in text.replace("&#x27;", "'")
