"""The dataset as the last build left it: what read commands answer from, without validating the seeds again.

``dealgraph build`` pickles the validated dataset to ``out/.cache/dataset.pickle`` (``save_dataset``)
and records the seeds' hashes in ``out/manifest.json``. ``load_current(seeds, out)`` then gives:

* the pickled dataset, when the build in ``out`` was made from ``seeds`` and neither the seed
  files nor dealgraph changed since (a few hashes and one unpickle: well under a second at 10,000 deals);
* a ``DealgraphError`` saying what changed and how to rebuild, when the build in ``out`` was made
  from ``seeds`` but they changed since: a read command never answers from stale data;
* the seeds validated afresh (``load_seeds``), when ``out`` holds no build of ``seeds`` at all.

Example::

    >>> from pathlib import Path
    >>> ds = load_current(Path("tests/fixtures/minimal"), Path("/nonexistent"))   # no build there: validates
    >>> ds.counts()["deals"]
    1
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .dataset import Dataset
from .errors import DealgraphError
from .gcpause import paused_gc
from .manifest import read_manifest, require_current, seeds_id

DATASET_CACHE = ".cache/dataset.pickle"


def default_out() -> Path:
    """The build folder read commands use: ``$DEALGRAPH_OUT``, else ``out``."""
    return Path(os.environ.get("DEALGRAPH_OUT") or "out")


def _model(cls: type, state: dict[str, Any], fields_set: list[str]) -> Any:
    obj = cls.__new__(cls)
    state["__pydantic_fields_set__"] = set(fields_set)
    obj.__setstate__(state)
    return obj


class _StablePickler(pickle.Pickler):
    """Pickles pydantic models with their set of given fields sorted, so that the bytes depend on the
    dataset only, not on the process's string hash seed (pickle saves a set in iteration order)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            state = obj.__getstate__()
            fields_set = sorted(state.pop("__pydantic_fields_set__", ()))
            return _model, (type(obj), state, fields_set)
        return NotImplemented


class _Digest:
    """A file-like sink that only hashes what is written to it."""

    def __init__(self) -> None:
        self.h = hashlib.sha256()

    def write(self, b: bytes) -> int:
        self.h.update(b)
        return len(b)


def dataset_digest(ds: Dataset) -> str:
    """SHA-256 of the dataset's content: a pickle without the memo (so two equal strings are written the same
    whether or not they are one object) and with each model's given fields sorted. Equal datasets, equal digests."""
    sink = _Digest()
    p = _StablePickler(sink, protocol=5)
    p.fast = True  # no memo: object sharing, which differs between runs, does not show in the bytes
    p.dump(ds)
    return sink.h.hexdigest()


def save_dataset(ds: Dataset, path: Path) -> str:
    """Write ``ds`` to ``path`` as a pickle (loaded by ``read_dataset``); returns ``dataset_digest(ds)``.

    The file's bytes may differ between two builds of the same seeds (pickle shares repeated objects,
    and which strings are shared objects varies); the digest does not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        pickle.Pickler(f, protocol=5).dump(ds)
    return dataset_digest(ds)


def read_dataset(path: Path) -> Dataset | None:
    """The dataset pickled at ``path``, or None if it is missing or unreadable."""
    try:
        with open(path, "rb") as f, paused_gc():  # 80k models at 10k deals: collections would double the time
            ds = pickle.load(f)
    except Exception:  # a missing, truncated or foreign cache only means validating again
        return None
    return ds if isinstance(ds, Dataset) else None


def load_current(seeds: Path | str = "seeds", out: Path | str | None = None) -> Dataset:
    """The validated dataset of ``seeds``: from the last build in ``out`` when it is current (see module doc).

    Raises ``DealgraphError`` when ``out`` holds a build of ``seeds`` that the seeds have since outgrown.
    """
    from .loading import load_seeds

    out = Path(out) if out is not None else default_out()
    manifest = read_manifest(out)
    if manifest is None or manifest.seeds_dir != seeds_id(seeds, out):
        return load_seeds(seeds)
    require_current(out, seeds)
    ds = read_dataset(out / DATASET_CACHE)
    if ds is None:
        raise DealgraphError(f"the build in {out}/ has no readable dataset cache ({out / DATASET_CACHE}): run "
                             f"`dealgraph build --seeds {seeds} --out {out}`")
    return ds


def require_current_store(db_path: Path | str | None = None) -> None:
    """Refuse to query the database of a stale build: when ``db_path`` is the build's ``graph.lbdb``
    (default ``out/graph.lbdb``) and the seeds of that build changed since, raise ``DealgraphError``."""
    db = Path(db_path) if db_path is not None else Path("out/graph.lbdb")  # the query command's default
    out = db.parent
    if db.name == "graph.lbdb":
        require_current(out, what="the graph database of the last build")


def current_centrality(seeds: Path | str = "seeds", out: Path | str | None = None) -> Any:
    """The ``CentralityTable`` the last build wrote (``out/centrality.json``) when that build is a current
    build of ``seeds`` with analyses; None when there is none (then compute it). Stale: ``DealgraphError``.

    Exact betweenness over thousands of organizations takes minutes; reading the table takes milliseconds.
    """
    import json

    from .analysis.centrality import CentralityTable

    out = Path(out) if out is not None else default_out()
    manifest = read_manifest(out)
    if manifest is None or manifest.seeds_dir != seeds_id(seeds, out) or not manifest.options.get("analyses"):
        return None
    require_current(out, seeds)
    try:
        data = json.loads((out / "centrality.json").read_text(encoding="utf-8"))
        return CentralityTable(data["organizations"], data["meta"])
    except (OSError, ValueError, KeyError):
        return None
