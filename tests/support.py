"""Helpers shared by the tests (plain functions; fixtures live in conftest.py)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
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
    dataset (whose object sharing differs between runs) by the digest of its content; ``.cache/records.pickle``
    (what validation may reuse, keyed on the seeds' text) is left out."""
    import hashlib
    import json

    if not out.is_dir():
        return {}
    digest = {}
    for p in sorted(out.rglob("*")):
        if p.is_file() and p.name == "dataset.pickle":
            from graph.pipeline.current import dataset_digest, read_dataset

            digest[p.relative_to(out).as_posix()] = dataset_digest(read_dataset(p))
        elif p.is_file() and p.name not in ("graph.lbdb", "records.pickle"):  # records.pickle: the seeds' item
            # digests, a cache of their text that a comment changes (tests/test_validation_reuse.py checks it)
            digest[p.relative_to(out).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    if (out / "graph.lbdb").is_file():
        from graph.stores.property_graph import schema
        from graph.stores.ladybug import LadybugStore

        with LadybugStore(out / "graph.lbdb") as store:
            rows = [sorted(json.dumps(r, sort_keys=True, default=str) for r in store.query(f"MATCH (n:{lbl}) RETURN n"))
                    for lbl in schema().nodes]
            rows += [sorted(json.dumps(r, sort_keys=True, default=str)
                            for r in store.query(f"MATCH (a)-[r:{t}]->(b) RETURN a.id, r, b.id"))
                     for t in schema().rels]
        digest["graph.lbdb"] = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    return digest


def assert_equals_clean_build(tmp_path: Path, seeds: Path, out: Path, name: str) -> None:
    """Build a copy of ``seeds`` from scratch (``--full``) under ``tmp_path/name`` and assert that ``out``, a
    rebuild of the same seeds, holds the same files (``tree_digest``)."""
    from graph.pipeline.build import build

    clean = tmp_path / name / "seeds"
    shutil.copytree(seeds, clean)
    build(clean, clean.parent / "out", quiet=True, full=True)
    assert tree_digest(out) == tree_digest(clean.parent / "out")


CHROMIUM = Path(os.environ.get("DEALGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = ROOT / "test-artifacts"


def missing_component(msg: str) -> None:
    """A real component the tests need is absent: a failure under CI=true, a skip elsewhere."""
    if in_ci():
        pytest.fail(msg)
    pytest.skip(msg)


class BrowserPage:
    """A local HTML file opened in Chromium, offline: every request and console error is recorded, and
    anything not from the file system is refused (and still recorded)."""

    def __init__(self, browser, path: Path, bypass_csp: bool = False, viewport: tuple[int, int] = (1440, 900)):
        import re

        self.path = path.resolve()
        self.url = self.path.as_uri()
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                           bypass_csp=bypass_csp, accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.context.route(re.compile(r"^(?!file:|data:).*"), lambda route: route.abort())
        self.page.goto(self.url)

    def eval(self, js: str, arg=None):
        return self.page.evaluate(js, arg)

    def shot(self, name: str, full_page: bool = False) -> Path:
        """A screenshot saved as a test artefact, ``test-artifacts/<name>.png``."""
        ARTIFACTS.mkdir(exist_ok=True)
        p = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(p), full_page=full_page)
        return p

    def close(self) -> None:
        self.context.close()


def all_pairs_separate(pos: np.ndarray, radii: np.ndarray, gap: float = 8.0, iterations: int = 60) -> np.ndarray:
    """The overlap rule over all n² pairs (what ``layout.separate`` computed before its spatial hash):
    the reference that tests/test_layout.py and bench/bench_map_layout.py compare it with."""
    pos = pos.astype(float).copy()
    pos += np.random.default_rng(1).uniform(-0.5, 0.5, pos.shape)
    need = radii[:, None] + radii[None, :] + gap
    np.fill_diagonal(need, 0.0)
    for _ in range(iterations):
        d = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((d ** 2).sum(axis=2))
        over = np.where((dist < need) & (need > 0), need - dist, 0.0)
        if not over.any():
            break
        unit = d / np.where(dist > 1e-9, dist, 1.0)[:, :, None]
        step = (unit * (over / 2)[:, :, None]).sum(axis=1) * 0.5
        length = np.linalg.norm(step, axis=1, keepdims=True)
        pos += step * np.minimum(1.0, 20.0 / np.maximum(length, 1e-9))
    return pos
