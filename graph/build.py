"""``dealgraph build``: seeds → validated models → RDF (SHACL-checked) and property graph → store → analyses → outputs.

Each step is a library call; this module only orders them, reports progress
and writes outputs through a staging folder so a failed build changes nothing.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .errors import DealgraphError, SeedError
from .loading import load_seeds
from .rules import check_documents
from .ontology import DG, ID, PLACE, PROV, SCHEMA, SKOS
from .outputs import Staging
from .progress import Steps
from .property_graph import PropertyGraph, to_property_graph
from .rdf import rdf_triples
from .rdfio import JSONLD_CONTEXT, write_rdf  # noqa: F401 (JSONLD_CONTEXT: its old home)
from .shacl import check_shapes
from .summary import summarize


@dataclass
class BuildResult:
    dataset: Dataset
    graph: PropertyGraph
    summary: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    store: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


def build(seeds: Path | str = "seeds", out: Path | str = "out", *, store: str | None = "ladybug",
          neo4j_uri: str | None = None, db_path: Path | str | None = None, analyses: bool = True,
          quiet: bool = False) -> BuildResult:
    """Validate the seeds and write the graph and its products under ``out``.

    ``store``: 'ladybug' (default, embedded, at ``db_path`` or ``out/graph.lbdb``), 'neo4j' (needs
    ``neo4j_uri`` or NEO4J_URI), or None to skip the database.
    """
    out = Path(out)
    steps = Steps(total=5 + (store is not None) + 2 * analyses, quiet=quiet)
    with steps.step(f"validating seeds in {seeds}"):
        ds = load_seeds(seeds)
        steps.detail(", ".join(f"{n} {k}" for k, n in ds.counts().items()))
        steps.detail(check_documents(ds))  # the same citation check as `validate`, or a plain word that it was not
    with steps.step("building RDF under the ontology"):
        rdf = rdf_triples(ds)
        steps.detail(f"{len(rdf)} triples")
    with steps.step("checking the SHACL shapes"):
        check_shapes(rdf, ds)  # violations reported at the seed file, line and field of each record
    with steps.step("building the property graph"):
        pg = to_property_graph(ds)
        steps.detail(f"{pg.node_count()} nodes, {pg.rel_count()} relationships")
    summary = summarize(ds)
    result = BuildResult(ds, pg, summary)
    with Staging(out) as stage:
        with steps.step("writing RDF and summary"):
            write_rdf(rdf, stage.path("graph.ttl"), stage.path("graph.jsonld"))
            del rdf  # nothing later needs the triples (1.5 GB at 100k deals)
            stage.write_json("summary.json", summary)
        if store is not None:
            st = _open(store, neo4j_uri, Path(db_path) if db_path else out / "graph.lbdb")
            try:
                with steps.step(f"loading the {store} store"):
                    report = st.load(pg, progress=steps.detail)
                    steps.detail(f"{report.nodes} nodes, {report.relationships} relationships in {report.store}")
                    result.store = report.store
                if analyses:
                    _analyses(ds, stage, st, steps)
            finally:
                st.close()
        elif analyses:
            _analyses(ds, stage, None, steps)
        if analyses:
            with steps.step("drawing maps and the report"):
                from .maps.report import write_report
                from .maps.site import write_maps

                maps = write_maps(ds, stage.dir)
                # -- the static site (graph.site): a page per organization, asset and deal; the report links into it
                from .site import write_site
                site = write_site(ds, stage.dir)
                steps.detail(f"site: {sum(site.pages.values())} pages in {site.seconds:.1f} s")
                # --
                write_report(ds, stage.dir, maps)
                steps.detail(f"{len(maps)} maps; open {out / 'index.html'}")
        result.files = stage.commit()
    result.timings = steps.timings
    return result


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


def _analyses(ds: Dataset, stage: Staging, store: Any, steps: Steps) -> None:
    from .analysis import run_analyses

    with steps.step("running analyses (centrality, China exposure)"):
        run_analyses(ds, stage.dir, store=store)
