"""``dealgraph build``: seeds → validated models → RDF (SHACL-checked) and property graph → store → analyses → outputs.

Each step is a library call; this module orders them, reports progress, decides what is stale
and writes everything through ``outputs.Staging``:

* **All or nothing.** The lock beside ``out/`` is taken before the seeds are read, so a second
  build fails at once. Every output, the LadybugDB database included, is written into a staging
  folder that replaces ``out/`` in one atomic exchange when the build is complete. A failure
  anywhere (bad seeds, a kill, a full disk, a read-only folder, a plot that cannot be drawn)
  leaves the previous ``out/`` untouched and ends with a one-line reason.
* **Incremental.** ``out/manifest.json`` (``graph.manifest``) records a key per stage, the hash of
  the inputs that stage reads. A stage whose key equals the previous build's is not redone: its
  files are hard-linked from the previous ``out/`` after their hashes are checked. The result is
  byte-identical to a clean build.
* **Read commands** load the validated dataset this build pickles under ``out/.cache/``
  (``graph.current.load_current``) instead of validating the seeds again.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .current import DATASET_CACHE, SEARCH_INDEX, read_dataset, save_dataset, save_search_index
from .dataset import Dataset
from .errors import DealgraphError, SeedError
from .loading import load_seeds
from .rules import check_documents
from .manifest import MANIFEST, Manifest, code_version, digest, file_hash, ontology_version, read_manifest, \
    seed_hashes, seeds_id
from .outputs import Staging, link_tree, os_reason, pause_point
from .progress import Steps
from .property_graph import PropertyGraph, to_property_graph
from .rdf import rdf_triples
from .rdfio import JSONLD_CONTEXT, write_rdf  # noqa: F401 (JSONLD_CONTEXT: its old home)
from .shacl import check_shapes
from .summary import summarize

#: Files whose bytes differ between two builds of the same data (LadybugDB stamps each database; pickle
#: shares repeated objects differently): not hashed in the manifest, compared by content in the tests
#: (the dataset by ``Manifest.dataset``, its content digest).
VOLATILE = {"graph.lbdb", DATASET_CACHE}
#: What a build writes at the top of out/ (used to tell our files from others' when there is no manifest yet).
BUILD_NAMES = {"graph.ttl", "graph.jsonld", "summary.json", "graph.lbdb", "graph.lbdb.lock", "centrality.csv",
               "centrality.json", "exposure.csv", "exposure.json", "exposure", "plots", "maps", "index.html",
               MANIFEST, ".cache", "org", "asset", "deal", "event", "source", "assets"}


@dataclass
class BuildResult:
    dataset: Dataset
    graph: PropertyGraph | None
    summary: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    store: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)


class _Stages:
    """Stage keys of this build and reuse of the previous build's files when a key is unchanged."""

    def __init__(self, previous: Manifest | None, out: Path, stage: Staging, full: bool):
        self.prev, self.out, self.stage = previous, out, stage
        self.full = full
        self.keys: dict[str, str] = {}
        self.reused: list[str] = []

    def reuse(self, name: str, key: str, files: Callable[[str], bool]) -> bool:
        """Link the previous build's files of stage ``name`` (those ``files(path)`` accepts) if its key is unchanged.

        Every file is checked against its hash in the previous manifest; any difference means redo.
        """
        self.keys[name] = key
        if self.full or self.prev is None or self.prev.stages.get(name) != key:
            return False
        mine = sorted(p for p in [*self.prev.outputs, *VOLATILE] if files(p))
        if not mine:
            return False
        for rel in mine:
            src = self.out / rel
            if not src.is_file() or (rel not in VOLATILE and file_hash(src) != self.prev.outputs.get(rel)):
                return False
        for rel in mine:
            dst = self.stage.dir / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            link_tree(self.out / rel, dst)
        self.reused.append(name)
        return True


def _under(*prefixes: str) -> Callable[[str], bool]:
    return lambda p: any(p == x or p.startswith(x.rstrip("/") + "/") for x in prefixes)


_ANALYSIS_FILES = _under("centrality.csv", "centrality.json", "exposure.csv", "exposure.json", "exposure", "plots")
_OTHER_STAGES = _under("graph.ttl", "graph.jsonld", "graph.lbdb", "summary.json", MANIFEST, ".cache")


def _pages(path: str) -> bool:
    """The maps stage's files: maps, the report and every page, i.e. whatever no other stage writes."""
    return not _OTHER_STAGES(path) and not _ANALYSIS_FILES(path)


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
    steps = Steps(total=5 + 2 * (store is not None) + 2 * analyses, quiet=quiet)
    previous = read_manifest(out)
    keep = previous.top_level() | BUILD_NAMES if previous else BUILD_NAMES
    with Staging(out, keep=keep) as stage:  # lock first: a second build fails before reading anything
        try:
            result = _build(seeds, out, stage, _Stages(previous, out, stage, full), steps, store=store,
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


def _build(seeds: Path, out: Path, stage: Staging, stages: _Stages, steps: Steps, *, store: str | None,
           neo4j_uri: str | None, db_path: Path | str | None, analyses: bool) -> BuildResult:
    code, onto = code_version(), ontology_version()
    hashes = seed_hashes(seeds)
    data_key = digest("dataset", code, hashes)
    with steps.step(f"validating seeds in {seeds}"):
        ds = _cached_dataset(stages, data_key)
        if ds is None:
            ds = load_seeds(seeds)
            content = save_dataset(ds, stage.path(DATASET_CACHE))
        else:
            content = stages.prev.dataset
            steps.detail("seeds unchanged: the last build's validated dataset is reused")
        save_search_index(ds, content, stage.path(SEARCH_INDEX), out / SEARCH_INDEX)  # what read commands search
        steps.detail(", ".join(f"{n} {k}" for k, n in ds.counts().items()))
        steps.detail(check_documents(ds))  # the same citation check as `validate`, or a plain word that it was not
    pause_point("after-validate")
    # Later stages are keyed on the validated dataset's content, not on the seed files: an edit that leaves
    # the dataset as it was (a comment, quoting, key order) redoes nothing after this.
    rdf_key = digest("rdf", code, onto, content)
    pg = None
    if not stages.reuse("rdf", rdf_key, _under("graph.ttl", "graph.jsonld")):
        with steps.step("building RDF under the ontology"):
            rdf = rdf_triples(ds)
            steps.detail(f"{len(rdf)} triples")
        with steps.step("checking the SHACL shapes"):
            check_shapes(rdf, ds)
        with steps.step("writing RDF"):
            write_rdf(rdf, stage.path("graph.ttl"), stage.path("graph.jsonld"))
        del rdf
    else:
        steps.skip("RDF, SHACL check and RDF files: inputs unchanged, reused", 3)
    summary = summarize(ds)
    stage.write_json("summary.json", summary)
    result = BuildResult(ds, None, summary)
    db_in_out = store == "ladybug" and (db_path is None or Path(db_path).resolve() == (out / "graph.lbdb").resolve())
    store_key = digest("store", code, onto, content, store, analyses)
    if db_in_out and stages.reuse("store", store_key, _under("graph.lbdb")):
        steps.skip("property graph and LadybugDB store: inputs unchanged, reused", 2)
        result.store = f"LadybugDB at {out / 'graph.lbdb'}"
        st = None
    elif store is not None:
        with steps.step("building the property graph"):
            pg = to_property_graph(ds)
            steps.detail(f"{pg.node_count()} nodes, {pg.rel_count()} relationships")
        st = _open(store, neo4j_uri, stage.dir / "graph.lbdb" if db_in_out else Path(db_path or out / "graph.lbdb"))
        with steps.step(f"loading the {store} store"):
            report = st.load(pg, progress=steps.detail)
            steps.detail(f"{report.nodes} nodes, {report.relationships} relationships in {report.store}")
        result.store = f"LadybugDB at {out / 'graph.lbdb' if db_in_out else db_path}" if store == "ladybug" \
            else report.store
    else:
        st = None
    result.graph = pg
    pause_point("after-store")
    try:
        if analyses:
            exposures = None  # the analyses' Exposure objects, when they ran in this build
            an_key = digest("analyses", code, onto, content)
            if st is not None or not stages.reuse("analyses", an_key, _ANALYSIS_FILES):
                stages.keys["analyses"] = an_key
                from .analysis import run_analyses

                with steps.step("running analyses (centrality, China exposure)"):
                    exposures = run_analyses(ds, stage.dir, store=st)["exposures"]
            else:
                steps.skip("analyses: inputs unchanged, reused")
            pause_point("after-analyses")
            if not stages.reuse("maps", digest("maps", code, onto, content), _pages):
                with steps.step("drawing maps and the report"):
                    from .maps.report import write_report
                    from .maps.site import write_maps

                    maps = write_maps(ds, stage.dir, exposures=exposures)
                    # -- the static site (graph.site): a page per organization, asset and deal; the report links in
                    from .site import write_site
                    site = write_site(ds, stage.dir)
                    steps.detail(f"site: {sum(site.pages.values())} pages in {site.seconds:.1f} s")
                    # --
                    write_report(ds, stage.dir, maps)
                    steps.detail(f"{len(maps)} maps; open {out / 'index.html'}")
            else:
                steps.skip("maps, report and pages: inputs unchanged, reused")
    finally:
        if st is not None:
            st.close()
    (stage.dir / "graph.lbdb.lock").unlink(missing_ok=True)  # the store's own write lock; the build lock covers it
    _write_manifest(stage, seeds, hashes, code, onto, stages.keys,
                    {"store": store if store != "neo4j" else "neo4j", "analyses": analyses}, content)
    result.reused = stages.reused
    with steps.step(f"swapping the new outputs into {out}/"):
        result.files = stage.commit()
    return result


def _cached_dataset(stages: _Stages, key: str) -> Dataset | None:
    """The previous build's validated dataset when the seeds and code are unchanged (hash-checked), else None."""
    if not stages.reuse("dataset", key, _under(DATASET_CACHE)):
        return None
    ds = read_dataset(stages.stage.dir / DATASET_CACHE)
    if ds is None:  # unreadable although its hash matched (another Python, a changed class): validate again
        (stages.stage.dir / DATASET_CACHE).unlink()
        stages.reused.remove("dataset")
    return ds


def _write_manifest(stage: Staging, seeds: Path, hashes: dict[str, str], code: str, onto: str,
                    keys: dict[str, str], options: dict[str, Any], content: str) -> None:
    outputs = {p.as_posix(): file_hash(stage.dir / p) for p in stage.files()
               if p.as_posix() != MANIFEST and p.as_posix() not in VOLATILE}
    m = Manifest(seeds_dir=seeds_id(seeds, stage.out_dir), seeds=hashes, code=code, ontology=onto, options=options,
                 stages=dict(sorted(keys.items())), outputs=outputs, dataset=content)
    stage.write_text(MANIFEST, m.to_json())


def _open(store: str, neo4j_uri: str | None, db_path: Path) -> Any:
    """The store the user chose; Neo4j only when asked for (never picked up from the environment silently)."""
    if store == "neo4j":
        uri = neo4j_uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise DealgraphError("--store neo4j needs a URI: pass --neo4j URI or set NEO4J_URI")
        from .stores.neo4j import Neo4jStore

        return Neo4jStore(uri)
    if store == "ladybug":
        from .stores.ladybug import LadybugStore

        return LadybugStore(db_path)
    raise DealgraphError(f"unknown store '{store}': use ladybug, neo4j or none")
