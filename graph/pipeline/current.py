"""The dataset as the last build left it: what read commands answer from, without validating the seeds again.

``dealgraph build`` pickles the validated dataset to ``out/.cache/dataset.pickle`` (``save_dataset``)
and records the seeds' hashes in ``out/manifest.json``. ``load_current(seeds, out)`` then gives:

* the pickled dataset, when the build in ``out`` was made from ``seeds`` and neither the seed
  files nor dealgraph changed since (a few hashes and one unpickle: well under a second at 10,000 deals);
* a ``DealgraphError`` saying what changed and how to rebuild, when the build in ``out`` was made
  from ``seeds`` but they changed since: a read command never answers from stale data;
* the seeds validated afresh (``load_seeds``), when ``out`` holds no build of ``seeds`` at all.

Beside the dataset, the build leaves what read commands would otherwise compute, and ``Current`` reads it
when the build is current: the search index of every record's names and words (``.cache/search.json``,
``save_search_index``), each multinational's exposure (``exposure/<id>.json``) and the centrality table
(``centrality.json``). A command makes one ``Current`` and asks it for what it needs.

Example::

    >>> from pathlib import Path
    >>> ds = load_current(Path("tests/fixtures/minimal"), Path("/nonexistent"))   # no build there: validates
    >>> ds.counts()["deals"]
    1
"""
from __future__ import annotations

import gc
import io
import json
import os
import pickle
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from .changes import Changes
    from ..analysis.exposure import Exposure
    from ..models.dataset import Dataset
    from ..find.search import Entry
from ..core.errors import DealgraphError
from ..core.gcpause import paused_gc
from .manifest import HashSink, Manifest, file_hash, ontology_version, read_manifest, require_current, seeds_id

DATASET_CACHE = ".cache/dataset.pickle"
SEARCH_INDEX = ".cache/search.json"


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from pydantic import BaseModel

        super().__init__(*args, **kwargs)
        self._model_class = BaseModel

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, self._model_class):
            state = obj.__getstate__()
            fields_set = sorted(state.pop("__pydantic_fields_set__", ()))
            return _model, (type(obj), state, fields_set)
        return NotImplemented


def dataset_digest(ds: Dataset) -> str:
    """SHA-256 of the dataset's content: a pickle without the memo (so two equal strings are written the same
    whether or not they are one object) and with each model's given fields sorted. Equal datasets, equal digests."""
    sink = HashSink()
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
            return _frozen(pickle.load(f))
    except Exception:  # a missing, truncated or foreign cache only means validating again
        return None


def loads_dataset(data: bytes, blobs: dict[int, tuple[Any, bytes]] | None = None) -> Dataset | None:
    """``read_dataset`` of a pickle already read into memory. A pickle written by ``dump_dataset`` holds each
    record as its own pickle; with ``blobs`` (a dict to fill), those bytes are kept by record for the next
    ``dump_dataset``: ``id(record) -> (record, bytes)`` (the record held, so that its id is not reused)."""
    global _KEEP
    _KEEP = blobs
    try:
        with paused_gc():
            return _frozen(pickle.loads(data))
    except Exception:
        return None
    finally:
        _KEEP = None


_KEEP: dict[int, tuple[Any, bytes]] | None = None


def _record(blob: bytes) -> Any:
    """A record of a ``dump_dataset`` pickle, from its own pickle's bytes."""
    rec = pickle.loads(blob)
    if _KEEP is not None:
        _KEEP[id(rec)] = (rec, blob)
    return rec


def dump_dataset(ds: Dataset, blobs: dict[int, tuple[Any, bytes]] | None = None) -> bytes:
    """``ds`` as a pickle for ``read_dataset`` in which each record is a pickle of its own, so that a rebuild
    writes again only the records it did not reuse: a record that is one of ``blobs`` (``loads_dataset``) is
    written as the bytes it was read from."""
    from ..models.dataset import Dataset

    blobs = blobs or {}
    records = {id(rec) for _, rec in ds.records()}

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if id(obj) not in records:
                return NotImplemented
            known = blobs.get(id(obj))
            return _record, (known[1] if known is not None and known[0] is obj else pickle.dumps(obj, protocol=5),)

    assert isinstance(ds, Dataset)
    f = io.BytesIO()
    with paused_gc():
        Pickler(f, protocol=5).dump(ds)
    return f.getvalue()


def _frozen(ds: Any) -> Dataset | None:
    from ..models.dataset import Dataset

    if not isinstance(ds, Dataset):
        return None
    # the dataset lives as long as the process: later collections need not walk its objects. Frozen before the
    # collector runs again, which would otherwise walk every object made while it was paused, once
    gc.freeze()
    return ds


class Current:
    """What a read command answers from: the build in ``out`` (default ``default_out()``) when it is a build of
    ``seeds``, else the seeds themselves. Made once per command, it checks the build once and validates the
    seeds at most once, however many of these it is asked for.

    Creating it raises ``DealgraphError`` when ``out`` holds a build of ``seeds`` that is stale (see the module
    docstring). ``built`` says whether there is a (current) build to read.

    Example::

        >>> c = Current(Path("tests/fixtures/minimal"), Path("/nonexistent"))   # no build: seeds validated once
        >>> c.built, c.dataset.counts()["deals"], sorted({e.kind for e in c.entries(["organization"])})
        (False, 1, ['organization'])
    """

    def __init__(self, seeds: Path | str = "seeds", out: Path | str | None = None) -> None:
        self.seeds = Path(seeds)
        self.out = Path(out) if out is not None else default_out()
        manifest = read_manifest(self.out)
        if manifest is not None and manifest.seeds_dir == seeds_id(self.seeds, self.out):
            require_current(self.out, self.seeds)
        else:
            manifest = None
        self.manifest: Manifest | None = manifest
        self._dataset: Dataset | None = None
        self._entries: list[Entry] | None = None

    @property
    def built(self) -> bool:
        return self.manifest is not None

    def built_map(self, path: str) -> dict[str, Any] | None:
        """The last build's record of the map at ``path`` (e.g. ``maps/ego-pfizer.html``: its title, nodes and
        edges, from ``.cache/maps.json``) when that build drew it and the file is there, else None."""
        if self.manifest is None or not (self.out / path).is_file() \
                or file_hash(self.out / path) != self.manifest.outputs.get(path):  # e.g. redrawn with other options
            return None
        from .mapcache import CACHE

        try:
            rows = json.loads((self.out / CACHE).read_text(encoding="utf-8")).get("maps", [])
        except (OSError, ValueError):
            return None
        return next((r for r in rows if r.get("path") == path), None)

    @property
    def analysed(self) -> bool:
        """Whether the build ran the analyses (and so saved centrality and exposure)."""
        return self.manifest is not None and bool(self.manifest.options.get("analyses"))

    @property
    def dataset(self) -> Dataset:
        """The validated dataset: the build's pickle, or the seeds validated (``load_seeds``) when no build."""
        if self._dataset is None:
            if self.manifest is None:
                from ..ingest.loading import load_seeds

                self._dataset = load_seeds(self.seeds)
            else:
                self._dataset = read_dataset(self.out / DATASET_CACHE)
                if self._dataset is None:
                    raise DealgraphError(f"the build in {self.out}/ has no readable dataset cache "
                                         f"({self.out / DATASET_CACHE}): run `dealgraph build --seeds {self.seeds} "
                                         f"--out {self.out}`")
        return self._dataset

    def entries(self, kinds: Iterable[str] | None = None) -> list[Entry]:
        """The search entries (of ``kinds`` only, when given): the build's index (``SEARCH_INDEX``), else made
        from the dataset (``search.dataset_entries``). What ``dealgraph search`` searches and names resolve in."""
        from ..find.search import dataset_entries, read_index

        if self.manifest is not None:
            found = read_index(self.out / SEARCH_INDEX, index_key(self.manifest.dataset), kinds)
            if found is not None:
                return found
        if self._entries is None:
            self._entries = dataset_entries(self.dataset)
        wanted = set(kinds) if kinds is not None else None
        return [e for e in self._entries if wanted is None or e.kind in wanted]

    def centrality(self) -> Any:
        """The ``CentralityTable`` the build wrote (``centrality.json``, default options), or None (compute it).

        Exact betweenness over thousands of organizations takes minutes; reading the table takes milliseconds."""
        if not self.analysed:
            return None
        from ..analysis.centrality import CentralityTable

        try:
            data = json.loads((self.out / "centrality.json").read_text(encoding="utf-8"))
            return CentralityTable(data["organizations"], data["meta"])
        except (OSError, ValueError, KeyError):
            return None

    def exposures(self, from_year: int | None = None, to_year: int | None = None, china: Iterable[str] = ("CN",),
                  orgs: Iterable[str] | None = None) -> list[Exposure] | None:
        """The exposures the build wrote (``exposure/<id>.json``) of every multinational or of ``orgs``, sorted by
        id, when its analyses had this period and China; else None (compute them with ``exposure.exposures``),
        also when one of ``orgs`` has none saved (it is no multinational). They equal what
        ``exposures(self.dataset, from_year, to_year, china, orgs)`` computes (tests/test_current.py)."""
        if not self.analysed:
            return None
        from ..analysis.exposure import Exposure

        outputs = self.manifest.outputs  # type: ignore[union-attr]
        try:
            saved = json.loads((self.out / "exposure.json").read_text(encoding="utf-8"))
            if saved["meta"]["china"] != sorted(set(china)) or saved["meta"]["period"] != {"from": from_year,
                                                                                          "to": to_year}:
                return None
            found = []
            for i in sorted(set(orgs)) if orgs is not None else [r["id"] for r in saved["multinationals"]]:
                if f"exposure/{i}.json" not in outputs:  # only files the build wrote
                    return None
                d = json.loads((self.out / "exposure" / f"{i}.json").read_text(encoding="utf-8"))
                found.append(Exposure(d["id"], d["name"], d["country"], d["group"], d["period"], d["china"],
                                      d["sourcing"], d["market"], d["capital"], d["direct"], d["indirect"]))
            return found
        except (OSError, ValueError, KeyError, TypeError):
            return None


def load_current(seeds: Path | str = "seeds", out: Path | str | None = None) -> Dataset:
    """The validated dataset of ``seeds``: from the last build in ``out`` when it is current (see module doc).

    Raises ``DealgraphError`` when ``out`` holds a build of ``seeds`` that the seeds have since outgrown.
    """
    return Current(seeds, out).dataset


def current_centrality(seeds: Path | str = "seeds", out: Path | str | None = None) -> Any:
    """``Current(seeds, out).centrality()``: the last build's centrality table when current, else None."""
    return Current(seeds, out).centrality()


def require_current_store(db_path: Path | str | None = None) -> None:
    """Refuse to query the database of a stale build: when ``db_path`` is the build's ``graph.lbdb``
    (default ``out/graph.lbdb``) and the seeds of that build changed since, raise ``DealgraphError``."""
    db = Path(db_path) if db_path is not None else Path("out/graph.lbdb")  # the query command's default
    out = db.parent
    if db.name == "graph.lbdb":
        require_current(out, what="the graph database of the last build")


# --------------------------------------------------------------------------- the search index
def index_key(content: str) -> dict[str, str]:
    """What a search index is made from: the dataset (its ``dataset_digest``) and the ontology (whose labels
    name modalities and places). An index with another key is not read."""
    return {"dataset": content, "ontology": ontology_version()}


def save_search_index(ds: Dataset, content: str, path: Path, previous: Path | None = None,
                      changes: Changes | None = None, previous_content: str | None = None) -> None:
    """Write the search index of ``ds`` (``search.index_text`` of ``dataset_entries``) to ``path``; ``content``
    is the dataset's content digest. When ``previous`` holds the index of the same dataset and ontology, its bytes
    are copied instead (the index of a dataset is always the same text). When it holds the index of the
    dataset whose content digest is ``previous_content``, and ``changes`` (from that dataset to ``ds``) leave
    every other record's entry as it was (no organization or asset renamed, added or removed), only the
    changed records' entries are made again and the others' lines are kept: the same text either way."""
    from ..find.search import INDEX_FORMAT, dataset_entries, index_text

    key = index_key(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    if previous is not None:
        try:
            with open(previous, "rb") as f:
                head = json.loads(f.readline())
                if head == {"format": INDEX_FORMAT, **key}:
                    path.write_bytes(previous.read_bytes())
                    return
                if changes is not None and previous_content and head == {"format": INDEX_FORMAT,
                                                                         **index_key(previous_content)}:
                    text = _index_patched(ds, key, f.read().decode("utf-8"), changes)
                    if text is not None:
                        path.write_text(text, encoding="utf-8")
                        return
        except (OSError, ValueError):
            pass
    path.write_text(index_text(dataset_entries(ds), key), encoding="utf-8")


_ENTRY_KIND = {"organizations": "organization", "assets": "asset", "deals": "deal", "events": "event",
               "statistics": "statistic", "sources": "source"}
_ENTRY_HEAD = re.compile(r'\["([a-z]+)",("(?:[^"\\]|\\.)*")')


def _index_patched(ds: Dataset, key: dict[str, str], old: str, changes: Changes) -> str | None:
    """The index text of ``ds`` from the previous index's entry lines ``old`` and fresh entries of the records in
    ``changes``; None when other entries may have changed too (an organization's or asset's name)."""
    from ..find.search import dataset_entries, index_text

    redo = changes.added | changes.removed | changes.modified
    if any(k in ("organizations", "assets") for k, _ in redo - changes.notes_only):
        return None  # deals, assets and events show organizations' and assets' names
    lines: dict[tuple[str, str], str] = {}
    for line in old.split("\n")[:-1]:  # not splitlines: an entry may hold U+2028, which JSON leaves as it is
        m = _ENTRY_HEAD.match(line)
        if m is None:
            return None
        lines[(m.group(1), json.loads(m.group(2)))] = line
    fresh = index_text(dataset_entries(ds, only=redo), key).split("\n")
    head, fresh_rows = fresh[0], fresh[1:-1]
    made = {}
    for line in fresh_rows:
        m = _ENTRY_HEAD.match(line)
        made[(m.group(1), json.loads(m.group(2)))] = line
    rows = []
    for kind, entry_kind in _ENTRY_KIND.items():
        for i in ds.table(kind):
            row = made.pop((entry_kind, i), None) or lines.get((entry_kind, i))
            if row is None:
                return None
            rows.append(row)
    rows.extend(made.values())  # modalities, places and measures, always made afresh, in their order
    return head + "\n" + "\n".join(rows) + "\n"
