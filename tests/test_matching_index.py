"""The import's name index suggests exactly what comparing a name with every record would (the definition in
``matching.similarity``), on variants of every organization name in the shipped seeds."""
from __future__ import annotations

from graph.interchange.matching import NameIndex, similarity
from graph.ingest.loading import load_seeds

from .support import SEEDS


def _exhaustive(records: dict[str, list[str]], name: str, cutoff: float) -> list[tuple[str, float]]:
    out = []
    for rec_id, names in records.items():
        best = max(similarity(name, n) for n in [*names, rec_id])
        if best >= cutoff:
            out.append((rec_id, round(best, 2)))
    return sorted(out, key=lambda x: (-x[1], x[0]))[:3]


def test_index_suggestions_equal_an_exhaustive_scan():
    ds = load_seeds(SEEDS)
    records = {o.id: o.names() for o in ds.organizations.values()}
    index = NameIndex(records.items())
    variants = []
    for names in list(records.values())[::5]:  # a sample: the exhaustive scan is what the index avoids
        n = names[0]
        variants += [n[:-1], n.replace("a", "e", 1), n.split()[0] + " Pharma"]
    for name in variants:
        assert [(s.id, s.score) for s in index.suggest(name, 0.75)] == _exhaustive(records, name, 0.75), name
    assert index.get("ＪＩＡＮＧＳＵ ＨＥＮＧＲＵＩ ＰＨＡＲＭＡＣＥＵＴＩＣＡＬＳ") is None  # get is exact; suggest folds
    assert index.suggest("ＪＩＡＮＧＳＵ ＨＥＮＧＲＵＩ", 0.75)[0].id == "hengrui"
