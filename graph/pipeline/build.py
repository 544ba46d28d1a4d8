"""``dealgraph build``: seeds → validated models → RDF (SHACL-checked) and property graph → store → analyses → outputs.

Each step is a library call; this module orders them, reports progress, decides what is stale
and writes everything through ``outputs.Staging``:

* **All or nothing.** The lock beside ``out/`` is taken before the seeds are read, so a second
  build fails at once. Every output, the LadybugDB database included, is written into a staging
  folder that replaces ``out/`` in one atomic exchange when the build is complete. A failure
  anywhere (bad seeds, a kill, a full disk, a read-only folder, a plot that cannot be drawn)
  leaves the previous ``out/`` untouched and ends with a one-line reason.
* **Incremental.** ``out/manifest.json`` (``graph.pipeline.manifest``) records a key per stage, the hash of
  the inputs that stage reads. A stage whose key equals the previous build's is not redone: its
  files are hard-linked from the previous ``out/`` after their hashes are checked. The result is
  byte-identical to a clean build.
* **Read commands** load the validated dataset this build pickles under ``out/.cache/``
  (``graph.pipeline.current.load_current``) instead of validating the seeds again.
"""
from __future__ import annotations

import os
import pickle
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .changes import RECORDS_CACHE, Changes, diff, previous_dataset, previous_validation, save_validation
from .current import DATASET_CACHE, SEARCH_INDEX, dump_dataset, read_dataset, save_search_index
from ..models.dataset import Dataset
from ..core.errors import DealgraphError, SeedError
from ..ingest.items import Reuse
from ..ingest.loading import load_seeds, validate_seeds
from ..ingest.rules import check_documents
from .manifest import MANIFEST, Manifest, code_version, content_digests, digest, ontology_version, \
    read_manifest, record_digests, seed_hashes, seeds_id
from .outputs import Staging, link_tree, os_reason, pause_point
from .parallel import Forked, Inline, parallel_ok
from .stages import Stages, summary_stage, under, write_manifest
from ..core.progress import Steps
from ..stores.property_graph import to_property_graph
from ..rdf.incremental import FILES as RDF_FILES, prepare_rdf, write_rdf
from ..rdf.serialize import JSONLD_CONTEXT  # noqa: F401 (its old home)

#: What a build writes at the top of out/ (used to tell our files from others' when there is no manifest yet).
BUILD_NAMES = {"graph.ttl", "graph.jsonld", "summary.json", "graph.lbdb", "graph.lbdb.lock", "centrality.csv",
               "centrality.json", "exposure.csv", "exposure.json", "exposure", "plots", "maps", "index.html",
               MANIFEST, ".cache", "org", "asset", "deal", "event", "source", "assets"}


@dataclass
class BuildResult:
    dataset: Dataset
    summary: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    store: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)


_ANALYSIS_FILES = under("centrality.csv", "centrality.json", "exposure.csv", "exposure.json", "exposure", "plots")
_OTHER_STAGES = under(*RDF_FILES, "graph.lbdb", "summary.json", MANIFEST, DATASET_CACHE, RECORDS_CACHE,
                      SEARCH_INDEX)


_MAP_FILES = under("maps", ".cache/maps.json")


def _site_files(path: str) -> bool:
    """The site stage's files: every page and list, i.e. whatever no other stage writes (the report, ``index.html``,
    is written afresh by every build: it lists the maps)."""
    return not _OTHER_STAGES(path) and not _ANALYSIS_FILES(path) and not _MAP_FILES(path) and path != "index.html"


def build(seeds: Path | str = "seeds", out: Path | str = "out", *, store: str | None = "ladybug",
          neo4j_uri: str | None = None, db_path: Path | str | None = None, analyses: bool = True,
          quiet: bool = False, full: bool = False) -> BuildResult:
    """Validate the seeds and write the graph and its products under ``out``, all at once or not at all.

    ``store``: 'ladybug' (default, embedded, ``out/graph.lbdb`` or ``db_path``), 'neo4j' (needs
    ``neo4j_uri`` or NEO4J_URI), or None to skip the database. Stages whose inputs did not change
    since the build in ``out`` are reused unless ``full``. Expected failures raise
    ``DealgraphError`` (or ``SeedError`` for invalid seeds) and leave ``out`` as it was.

    Example: ``build("seeds", "out").summary["records"]["deals"]`` counts the deals written.
    """
    out, seeds = Path(out), Path(seeds)
    if store == "neo4j" and not (neo4j_uri or os.environ.get("NEO4J_URI")):
        raise DealgraphError("--store neo4j needs a URI: pass --neo4j URI or set NEO4J_URI")
    steps = Steps(total=5 + 2 * (store is not None) + 4 * analyses, quiet=quiet)
    previous = read_manifest(out)
    keep = previous.top_level() | BUILD_NAMES if previous else BUILD_NAMES
    with Staging(out, keep=keep) as stage:  # lock first: a second build fails before reading anything
        try:
            result = _build(seeds, out, stage, Stages(previous, out, stage, full), steps, store=store,
                            neo4j_uri=neo4j_uri, db_path=db_path, analyses=analyses)
        except SeedError:
            raise
        except DealgraphError as exc:
            if "\n" in str(exc) or not stage.dir.exists():
                raise
            raise DealgraphError(f"{exc}; {out}/ was left as it was") from None
        except OSError as exc:
            raise DealgraphError(f"{os_reason(exc)} (while {steps.current}); {out}/ was left as it was") from None
        except Exception as exc:  # a bug or a library failing on odd data: one line, the old out/ kept
            first = (str(exc).strip().splitlines() or [""])[0][:300]
            raise DealgraphError(f"{steps.current} failed: {type(exc).__name__}: {first}; {out}/ was left as "
                                 "it was") from exc
    result.timings = steps.timings
    return result


def _build(seeds: Path, out: Path, stage: Staging, stages: Stages, steps: Steps, *, store: str | None,
           neo4j_uri: str | None, db_path: Path | str | None, analyses: bool) -> BuildResult:
    code, onto = code_version(), ontology_version()
    hashes = seed_hashes(seeds)
    data_key = digest("dataset", code, hashes)
    with steps.step(f"validating seeds in {seeds}"):
        ds, reuse = _cached_dataset(stages, data_key), None
        if ds is None or not stages.prev.projection:
            cache = stage.path(DATASET_CACHE)
            cache.unlink(missing_ok=True)  # it may be linked from the previous build: never write through
            if ds is None and _validate_apart(hashes, seeds):
                with Forked(lambda: _validated(seeds, None, cache), where=lambda: steps.current) as child:
                    projection, content = child.join()
                ds = read_dataset(cache)
                if ds is None:
                    raise DealgraphError(f"the validated dataset could not be read back from {cache}")
            else:
                items = None
                if ds is None:  # records whose seed text is unchanged are taken from the last build
                    reuse = None if stages.full else previous_validation(out, stages.prev)
                    ds, items = validate_seeds(seeds, reuse)
                projection, content = _validated(seeds, ds, cache, items, reuse)
        else:
            content, projection = stages.prev.dataset, stages.prev.projection
            steps.detail("seeds unchanged: the last build's validated dataset is reused")
        stages.changes = _changes(stages, ds, content, out, reuse)
        reuse = None  # the previous dataset and its records' bytes: not held through the later stages
        if stages.changes is not None:
            steps.detail(f"since the last build: {stages.changes}")
        save_search_index(ds, content, stage.path(SEARCH_INDEX), out / SEARCH_INDEX,  # what read commands search
                          stages.changes, stages.prev.dataset if stages.prev else None)
        steps.detail(", ".join(f"{n} {k}" for k, n in ds.counts().items()))
        steps.detail(check_documents(ds))  # the same citation check as `validate`, or a plain word that it was not
    pause_point("after-validate")
    parallel = parallel_ok(sum(ds.counts().values()))
    # Later stages are keyed on the validated dataset's content, not on the seed files: an edit that leaves
    # the dataset as it was (a comment, quoting, key order) redoes nothing after this. The analyses and the
    # shape of the maps are keyed on its projection without notes (``manifest.projection_digest``).
    with ExitStack() as children:
        rdf_part = None
        if not stages.reuse("rdf", digest("rdf", code, onto, content), under(*RDF_FILES)):
            same_code = stages.prev is not None and stages.prev.stages.get("rdf") == digest(
                "rdf", code, onto, stages.prev.dataset)  # the last RDF came from this code and ontology
            since = (out, stages.changes, stages.usable) if same_code and stages.changes is not None else None
            rdf_part = children.enter_context(_start(lambda: _rdf_chain(ds, stage, steps, since), parallel, steps,
                                                     3, "building RDF, checking the SHACL shapes, writing RDF"))
        else:
            steps.skip("RDF, SHACL check and RDF files: inputs unchanged, reused", 3)
        result = BuildResult(ds, summary_stage(ds, stages, digest("summary", code, projection)))
        st, figures_kept = _store_stage(ds, out, stage, stages, steps, result,
                                        lambda c: digest("store", code, onto, c, store, analyses), content,
                                        store=store, neo4j_uri=neo4j_uri, db_path=db_path)
        pause_point("after-store")
        try:
            exposures = None  # the analyses' Exposure objects, when they ran in this build
            if analyses:
                if not stages.reuse("analyses", digest("analyses", code, onto, projection), _ANALYSIS_FILES):
                    from ..analysis import run_analyses

                    with steps.step("running analyses (centrality, China exposure)"):
                        exposures = run_analyses(ds, stage.dir, store=st)["exposures"]
                elif st is not None and figures_kept:
                    steps.skip("analyses: inputs unchanged, reused; their figures stayed in the updated store")
                elif st is not None:
                    from ..analysis.run import write_back

                    with steps.step("analyses: inputs unchanged, their figures written into the store"):
                        write_back(st, stage.dir)
                else:
                    steps.skip("analyses: inputs unchanged, reused")
            pause_point("after-analyses")
        finally:
            if st is not None:
                st.close()  # before forking the site: no database threads in a child
        if analyses:
            _maps_and_site(ds, out, stage, stages, steps, digest("maps", code, onto, projection),
                           digest("site", code, onto, content), exposures, parallel)
        if rdf_part is not None:
            _joined(rdf_part, steps)
    (stage.dir / "graph.lbdb.lock").unlink(missing_ok=True)  # the store's own write lock; the build lock covers it
    names = write_manifest(stages, lambda outputs: Manifest(  # and the stat record beside out/ (``stages``)
        seeds_dir=seeds_id(seeds, stage.out_dir), seeds=hashes, code=code, ontology=onto, outputs=outputs,
        options={"store": store, "analyses": analyses}, stages=dict(sorted(stages.keys.items())), dataset=content,
        projection=projection))
    result.reused = stages.reused
    with steps.step(f"swapping the new outputs into {out}/"):
        result.files = stage.commit(names)
    return result


def _start(fn: Callable[[], Any], parallel: bool, steps: Steps, count: int, what: str) -> Forked | Inline:
    """``fn`` in a forked child or, without ``parallel``, inline at once. In a child, its ``count`` progress
    steps are told in one line now (``what``) and one when joined (``_joined``), not as they run."""
    if not parallel:
        return Inline(fn)

    def quiet() -> Any:
        steps.quiet = True  # the child's copy: its lines would interleave with the parent's
        return fn()

    first = steps.n + 1
    steps.n += count
    numbers = f"{first}-{steps.n}" if count > 1 else f"{first}"
    steps.say(f"[{numbers}/{max(steps.total, steps.n)}] {what}, in a parallel process …")
    return Forked(quiet, where=lambda: steps.current)


def _joined(part: Forked | Inline, steps: Steps) -> None:
    """Wait for a part started by ``_start``; in a child, add its step times to ``steps`` and tell them."""
    before = set(steps.timings)
    try:
        done = part.join()
    except BaseException:
        steps.current = part.where or steps.current  # a failure names the child's step, as it would inline
        raise
    if isinstance(part, Forked):
        mine = {k: v for k, v in done.items() if k not in before}
        steps.timings.update(mine)
        steps.detail("parallel part done: " + "; ".join(f"{k} {v:.1f} s" for k, v in mine.items()))


def _rdf_chain(ds: Dataset, stage: Staging, steps: Steps, since: tuple | None = None) -> dict[str, float]:
    """RDF triples, the SHACL check and the Turtle and JSON-LD files; the seconds of each step.

    ``since``: (previous out/, changes, usable) when the last RDF came from the same code: only the changed
    records are redone (``graph.rdf.incremental``) unless that cannot be sure, then everything."""
    with steps.step("building RDF under the ontology"):
        rdf = prepare_rdf(ds, since)
        steps.detail(str(rdf))
    with steps.step("checking the SHACL shapes"):
        rdf.check(ds)
    with steps.step("writing RDF"):
        write_rdf(rdf, stage.dir)
    return steps.timings


def _store_stage(ds: Dataset, out: Path, stage: Staging, stages: Stages, steps: Steps, result: BuildResult,
                 key_of: Callable[[str], str], content: str, *, store: str | None, neo4j_uri: str | None,
                 db_path: Path | str | None) -> tuple[Any, bool]:
    """Build the property graph and load the store (or reuse the last build's database, or update a copy of it
    where only some records changed: ``graph.stores.patch``); the open store or None, and whether the
    analyses' figures in it are already those of this dataset (``Patch.figures_kept``)."""
    db_in_out = store == "ladybug" and (db_path is None or Path(db_path).resolve() == (out / "graph.lbdb").resolve())
    if db_in_out and stages.reuse("store", key_of(content), under("graph.lbdb")):
        steps.skip("property graph and LadybugDB store: inputs unchanged, reused", 2)
        result.store = f"LadybugDB at {out / 'graph.lbdb'}"
        return None, False
    if store is None:
        return None, False
    if db_in_out and stages.changes is not None and stages.prev is not None \
            and stages.prev.stages.get("store") == key_of(stages.prev.dataset):
        from ..stores.ladybug import LadybugStore
        from ..stores.patch import patch_copy

        with steps.step("updating a copy of the last build's LadybugDB store (the changed records only)"):
            done = patch_copy(out / "graph.lbdb", stage.dir / "graph.lbdb", ds, stages.changes)
            steps.detail(str(done) if done else "cannot be sure of an update in place: the whole graph is loaded")
        if done is not None:
            steps.skip("property graph: only the changed records' part was built")
            result.store = f"LadybugDB at {out / 'graph.lbdb'}"
            return LadybugStore(stage.dir / "graph.lbdb"), done.figures_kept
    with steps.step("building the property graph"):
        pg = to_property_graph(ds)
        steps.detail(f"{pg.node_count()} nodes, {pg.rel_count()} relationships")
    st = _open(store, neo4j_uri, stage.dir / "graph.lbdb" if db_in_out else Path(db_path or out / "graph.lbdb"))
    try:
        with steps.step(f"loading the {store} store"):
            report = st.load(pg, progress=steps.detail)
            steps.detail(f"{report.nodes} nodes, {report.relationships} relationships in {report.store}")
    except BaseException:
        st.close()
        raise
    result.store = f"LadybugDB at {out / 'graph.lbdb' if db_in_out else db_path}" if store == "ladybug" \
        else report.store
    return st, False  # the property graph is dropped here: at 100k deals it would hold memory the maps need


def _maps_and_site(ds: Dataset, out: Path, stage: Staging, stages: Stages, steps: Steps, maps_key: str,
                   site_key: str, exposures: Any, parallel: bool) -> None:
    """The maps (each redrawn only when what it shows changed, ``mapcache``), the site (in a child while the
    maps are drawn) and the report."""
    from .mapcache import MapCache
    from ..publish.maps.report import write_report

    cache = MapCache(ds, maps_key, stages, exposures)
    stale = cache.stale()
    site_part = None
    if not stages.reuse("site", site_key, _site_files):
        for rel in stale:  # the site reads which maps exist; the parent draws them meanwhile
            stage.path(rel).touch()
        site_part = _start(lambda: _site(ds, stage, steps, None if stages.full or stages.prev is None else out,
                                         stages.changes),
                           parallel, steps, 1, "writing the site")
    else:
        steps.skip("site pages: inputs unchanged, reused")
    with site_part or ExitStack():
        if stale:
            with steps.step(f"drawing maps ({cache.counted()})"):
                steps.detail(cache.write(stage))
        else:
            steps.skip("maps: what they show is unchanged, reused")
        maps = cache.save(stage)
        if site_part is not None:
            _joined(site_part, steps)
    # the report shows figures, tables and the list of maps, no notes: keyed like the maps (vars: asdict deep-copies)
    if not stages.reuse("report", digest("report", maps_key, [vars(m) for m in maps]), under("index.html")):
        with steps.step("writing the report"):
            write_report(ds, stage.dir, maps)
            steps.detail(f"{len(maps)} maps; open {out / 'index.html'}")
    else:
        steps.skip(f"report: unchanged, reused; open {out / 'index.html'}")


def _site(ds: Dataset, stage: Staging, steps: Steps, previous: Path | None, changes: Changes | None
          ) -> dict[str, float]:
    """The static site (``graph.publish.site``): a page per organization, asset, deal, event and source; pages whose
    content did not change since the build in ``previous`` are linked from there (``write_site(previous=)``),
    and with ``changes`` only the pages those records reach are built (``write_site(changes=)``)."""
    from ..publish.site import write_site

    with steps.step("writing the site"):
        site = write_site(ds, stage.dir, previous=previous, changes=changes)
        steps.detail(f"site: {sum(site.pages.values())} pages ({site.rendered} built, {site.reused} linked) in "
                     f"{site.seconds:.1f} s, {sum(site.cpu.values()):.1f} s CPU")
    return steps.timings


#: Seeds larger than this (bytes of YAML; about 25,000 deals) are validated in a forked child, which pickles
#: the dataset for the parent to read: a dataset built by validation holds about twice the memory of the
#: same dataset read back from its pickle (2.6 GB against 1.35 GB at 100,000 deals), and the build's later
#: stages then start from the smaller one.
VALIDATE_APART_BYTES = 16 * 2**20


def _validate_apart(hashes: dict[str, str], seeds: Path) -> bool:
    if not hasattr(os, "fork"):
        return False
    return sum((seeds / name).stat().st_size for name in hashes if (seeds / name).is_file()) > VALIDATE_APART_BYTES


def _validated(seeds: Path, ds: Dataset | None, cache: Path, items: dict[str, dict[str, str]] | None = None,
               reuse: Reuse | None = None) -> tuple[str, str]:
    """Validate the seeds (unless ``ds`` is given), pickle the dataset to ``cache`` and give its
    ``(projection, content)`` digests. With ``items`` (``validate_seeds``), also record what the next build
    may reuse (``changes.save_validation``, beside ``cache``); the digests of records taken from ``reuse``
    are not computed again."""
    ds = ds or load_seeds(seeds)
    if items is None:
        with open(cache, "wb") as f:  # read by ``current.read_dataset``
            pickle.Pickler(f, protocol=5).dump(ds)
        return content_digests(ds)
    pickled = dump_dataset(ds, reuse.blobs if reuse is not None else None)
    cache.write_bytes(pickled)
    records = record_digests(ds, reuse.known_digests(ds) if reuse is not None else None)
    projection, content = content_digests(ds, records)
    save_validation(cache.parent.parent, pickled, content, items, records)
    return projection, content


#: Above this many records the previous dataset is not read back to find what changed (its copy would
#: hold too much memory beside the new one): every stage redoes its work, as in a first build.
MAX_DIFF_RECORDS = 80_000


def _changes(stages: Stages, ds: Dataset, content: str, out: Path, reuse: Reuse | None) -> Changes | None:
    """The records changed since the previous build (``graph.pipeline.changes``), or None to redo everything.
    ``reuse``: the previous build's dataset when validation already read it."""
    if stages.full or stages.prev is None:
        return None
    if content == stages.prev.dataset:
        return Changes()
    if sum(ds.counts().values()) > MAX_DIFF_RECORDS:
        return None
    old = reuse.dataset if reuse is not None else previous_dataset(out, stages.prev)
    return None if old is None else diff(old, ds)


def _cached_dataset(stages: Stages, key: str) -> Dataset | None:
    """The previous build's validated dataset when the seeds and code are unchanged (hash-checked), else None."""
    if not stages.reuse("dataset", key, under(DATASET_CACHE)):
        return None
    if (stages.out / RECORDS_CACHE).is_file():  # what it recorded for reuse (none when validated apart) goes along
        link_tree(stages.out / RECORDS_CACHE, stages.stage.dir / RECORDS_CACHE)
    ds = read_dataset(stages.stage.dir / DATASET_CACHE)
    if ds is None:  # unreadable although its hash matched (another Python, a changed class): validate again
        (stages.stage.dir / DATASET_CACHE).unlink()
        (stages.stage.dir / RECORDS_CACHE).unlink(missing_ok=True)
        stages.reused.remove("dataset")
    return ds


def _open(store: str, neo4j_uri: str | None, db_path: Path) -> Any:
    """The store the user chose; Neo4j only when asked for (never picked up from the environment silently)."""
    if store == "neo4j":
        uri = neo4j_uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise DealgraphError("--store neo4j needs a URI: pass --neo4j URI or set NEO4J_URI")
        from ..stores.neo4j import Neo4jStore

        return Neo4jStore(uri)
    if store == "ladybug":
        from ..stores.ladybug import LadybugStore

        return LadybugStore(db_path)
    raise DealgraphError(f"unknown store '{store}': use ladybug, neo4j or none")
