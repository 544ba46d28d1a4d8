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
