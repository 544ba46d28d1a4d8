"""Commands over the seeds: validate, build, conflicts, coverage."""
from __future__ import annotations

import io
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from .group import main
from ..core.csvsafe import SafeDictWriter

SEEDS = click.option("--seeds", "seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
                     help="Folder with the seed YAML files.")
FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                      show_default=True, help="Output format.")


def default_docs() -> Path | None:
    """The source documents folder (``rules.documents_folder``): $DEALGRAPH_DOCS, else ./documents (a
    `dealgraph init` folder), else ../shared/seeds beside the project if present."""
    from ..ingest.rules import documents_folder

    return documents_folder()


def emit(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None) -> None:
    """Print rows as an aligned table, CSV or JSON.

    Text and CSV never show ``None`` (an empty cell), write numbers exactly in plain
    digits, and join list values with '; '. JSON keeps lists as lists and writes
    Decimals as their digits.
    """
    columns = columns or (list(rows[0]) if rows else [])
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = SafeDictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows({k: _csv_cell(v) for k, v in r.items()} for r in rows)
        click.echo(buf.getvalue(), nl=False)
        return
    if not rows:
        click.echo("(no rows)")
        return
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


def _cell(v: Any) -> str:
    from ..models.values import display_cell

    return display_cell(v)


def _csv_cell(v: Any) -> Any:
    """A CSV cell: lists as plain text joined with '; ', numbers exact without grouping, None empty."""
    from ..models.values import display_cell, plain_number

    if isinstance(v, (float, Decimal)) and not isinstance(v, bool):
        return plain_number(v, grouping=False)
    if isinstance(v, (list, tuple, dict)):
        return display_cell(v)
    return v


@main.command()
@SEEDS
@click.option("--docs", type=click.Path(path_type=Path), default=None,
              help="Folder of the source documents; when given (or found at ../shared/seeds), every citation "
                   "is checked against the line it names.")
def validate(seeds: Path, docs: Path | None) -> None:
    """Check the seeds and print a summary table of what was read.

    Reports every problem with its file, line and field, and exits with 2 if
    there are any. With the source documents available, also checks that each
    cited line names the record and shows each figure.
    """
    from ..ingest.loading import load_seeds
    from ..ingest.rules import check_documents
    from ..describe.summary import render_summary, summarize

    from ..ingest.curation import country_warnings

    ds = load_seeds(seeds)
    click.echo(render_summary({"records": ds.counts()}))
    for w in country_warnings(ds):
        click.echo(f"warning: {w}", err=True)
    click.echo(check_documents(ds, docs))


@main.command()
@SEEDS
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Output folder.")
@click.option("--store", type=click.Choice(["ladybug", "neo4j", "none"]), default=None,
              help="Database to load: ladybug (embedded, default) or neo4j (default when --neo4j/NEO4J_URI is "
                   "given); none skips it.")
@click.option("--neo4j", "neo4j_uri", default=None, metavar="URI",
              help="Neo4j URI (neo4j://, bolt://, +s forms); NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE from "
                   "the environment. Default: $NEO4J_URI.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="LadybugDB path (default OUT/graph.lbdb).")
@click.option("--no-analyses", is_flag=True, help="Skip centrality and exposure analyses.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@click.option("--full", is_flag=True, help="Redo every stage, even those whose inputs did not change.")
def build(seeds: Path, out: Path, store: str | None, neo4j_uri: str | None, db_path: Path | None,
          no_analyses: bool, quiet: bool, full: bool) -> None:
    """Validate the seeds and build everything under OUT, all at once or not at all.

    Writes graph.ttl and graph.jsonld (RDF under the ontology, checked against
    the SHACL shapes), summary.json, the database (LadybugDB by default, or
    Neo4j), analyses, maps, the report and OUT/manifest.json. Stages whose
    inputs (seed files, ontology, dealgraph's code) did not change since the
    last build are reused, not redone. The new OUT replaces the old one in one
    step when complete: a failed or killed build leaves the old OUT intact, and
    a second build of the same OUT fails at once. With two CPUs or more, the
    RDF and the site are written by a second process (DEALGRAPH_JOBS=1: one).

    \b
    Examples:
      dealgraph build
      dealgraph build --seeds my-seeds --out my-out --no-analyses
      dealgraph build --full -q
    """
    from ..pipeline.build import build as run_build
    from ..describe.summary import render_summary

    neo4j_uri = neo4j_uri or os.environ.get("NEO4J_URI")
    if store is None:
        store = "neo4j" if neo4j_uri else "ladybug"
    result = run_build(seeds, out, store=None if store == "none" else store, neo4j_uri=neo4j_uri,
                       db_path=db_path, analyses=not no_analyses, quiet=quiet, full=full)
    click.echo(render_summary(result.summary))
    click.echo(f"\nwrote {len(result.files)} files under {out}/" + (f"; graph loaded into {result.store}" if result.store else ""))
    end_at_once()


def end_at_once() -> None:
    """End the process now, once a build has written and said everything: skip the interpreter's teardown, which
    frees the dataset and its indexes object by object (1–3 s after a 10k-deal build). Only in a process of its
    own (its output streams are the real ones): under a test's ``CliRunner``, captured output or a notebook the
    command returns as usual; ``DEALGRAPH_SLOW_EXIT=1`` keeps the teardown (coverage tools save at exit)."""
    if sys.stdout is not sys.__stdout__ or sys.stderr is not sys.__stderr__ or os.environ.get("DEALGRAPH_SLOW_EXIT"):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # a closed or broken stream: let the usual exit report it
    os._exit(0)


@main.command()
@SEEDS
@FORMAT
def conflicts(seeds: Path, fmt: str) -> None:
    """List figures and facts on which the sources disagree, side by side with their sources."""
    from ..describe.conflicts import find_conflicts
    from ..pipeline.current import load_current

    rows = []
    for c in find_conflicts(load_current(seeds)):
        spread = c.spread()
        for cl in c.claims:
            rows.append({"subject": c.subject, "what": c.what, "claim": cl.value, "sources": list(cl.sources),
                         "spread": f"{spread:.1%}" if spread is not None else ""})
    emit(rows, fmt, ["subject", "what", "claim", "sources", "spread"])


@main.command()
@SEEDS
@FORMAT
@click.option("--greater-china", is_flag=True, help="Count Hong Kong, Macau and Taiwan as China too.")
def coverage(seeds: Path, fmt: str, greater_china: bool) -> None:
    """Compare reported market totals with what the graph's own deals add up to.

    For each reported figure (Chinese out-licensing deal count, total value,
    upfront total for a year) shows the graph's own figure for the same year
    and the share of the reported total it accounts for.
    """
    from ..describe.coverage import coverage as cov
    from ..pipeline.current import load_current

    rows = [{"statistic": r.statistic, "measure": r.measure, "period": r.period, "reported": r.reported,
             "graph": r.graph, "share": f"{r.share:.1%}" if r.share is not None else "", "deals": r.deals,
             "undisclosed": r.undisclosed, "sources": list(r.sources)} for r in cov(load_current(seeds), greater_china)]
    emit(rows, fmt)


@main.command()
@SEEDS
@click.option("--write", is_flag=True, help="Write SEEDS/DATACARD.md instead of printing it.")
def datacard(seeds: Path, write: bool) -> None:
    """Print (or --write) the data card: counts per kind and per source document, and known conflicts."""
    from ..describe.datacard import render_datacard
    from ..ingest.loading import load_seeds

    text = render_datacard(load_seeds(seeds))
    if write:
        (seeds / "DATACARD.md").write_text(text, encoding="utf-8")
        click.echo(f"wrote {seeds / 'DATACARD.md'}")
    else:
        click.echo(text, nl=False)
