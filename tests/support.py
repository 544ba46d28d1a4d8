"""Helpers shared by the tests (plain functions; fixtures live in conftest.py)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURE = ROOT / "tests" / "fixtures" / "minimal"
FIXTURE_DOCS = ROOT / "tests" / "fixtures" / "docs"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def source_documents() -> Path:
    """The five source documents (../shared/seeds or $DEALGRAPH_DOCS).

    Missing: a failure under CI=true (they are always beside the project there), a skip elsewhere.
    """
    docs = Path(os.environ.get("DEALGRAPH_DOCS", ROOT.parent / "shared" / "seeds"))
    if not docs.is_dir():
        msg = f"source documents not found at {docs}; set DEALGRAPH_DOCS to the folder of the five documents"
        if in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    return docs


def copy_fixture(dest: Path) -> Path:
    """A writable copy of the minimal valid seed set in ``dest/seeds``."""
    seeds = dest / "seeds"
    shutil.copytree(FIXTURE, seeds)
    return seeds


def tree_digest(out: Path) -> dict[str, str]:
    """``{path: sha256}`` of every file under ``out``; the LadybugDB file (whose bytes differ between two
    loads of the same graph) by a digest of every node and relationship read back from it, and the pickled
    dataset (whose object sharing differs between runs) by the digest of its content."""
    import hashlib
    import json

    if not out.is_dir():
        return {}
    digest = {}
    for p in sorted(out.rglob("*")):
        if p.is_file() and p.name == "dataset.pickle":
            from graph.current import dataset_digest, read_dataset

            digest[p.relative_to(out).as_posix()] = dataset_digest(read_dataset(p))
        elif p.is_file() and p.name != "graph.lbdb":
            digest[p.relative_to(out).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    if (out / "graph.lbdb").is_file():
        from graph.property_graph import schema
        from graph.stores.ladybug import LadybugStore

        with LadybugStore(out / "graph.lbdb") as store:
            rows = [sorted(json.dumps(r, sort_keys=True, default=str) for r in store.query(f"MATCH (n:{lbl}) RETURN n"))
                    for lbl in schema().nodes]
            rows += [sorted(json.dumps(r, sort_keys=True, default=str)
                            for r in store.query(f"MATCH (a)-[r:{t}]->(b) RETURN a.id, r, b.id"))
                     for t in schema().rels]
        digest["graph.lbdb"] = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    return digest


CHROMIUM = Path(os.environ.get("DEALGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = ROOT / "test-artifacts"


def missing_component(msg: str) -> None:
    """A real component the tests need is absent: a failure under CI=true, a skip elsewhere."""
    if in_ci():
        pytest.fail(msg)
    pytest.skip(msg)

