"""The committed data card matches the seeds."""
from graph.describe.datacard import render_datacard
from graph.ingest.loading import load_seeds

from .support import SEEDS


def test_datacard_is_up_to_date():
    committed = (SEEDS / "DATACARD.md").read_text(encoding="utf-8")
    assert committed == render_datacard(load_seeds(SEEDS)), "run: dealgraph datacard --write"


def test_datacard_lists_conflicts_with_sources():
    card = render_datacard(load_seeds(SEEDS))
    assert "| deal 2025-07-hengrui-gsk | total |" in card
    assert "caixin-2026:52" in card and "pharmcube-2026:445" in card
