"""Commands that move data in and out: import (analysts' deal lists) and export (standard formats)."""
from __future__ import annotations

from pathlib import Path

import click

from .group import main
from .build import FORMAT, SEEDS, emit


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--mapping", "mapping", type=click.Path(path_type=Path), required=True,
              help="YAML file saying which column holds what (see examples/import/example-mapping.yaml).")
@click.option("--dry-run", is_flag=True, help="Show what would be added, updated and matched; write nothing.")
@SEEDS
@click.option("--docs", type=click.Path(path_type=Path), default=None,
              help="Documents folder (e.g. ../shared/seeds): the cited file (for .xlsx, a CSV rendition of the "
                   "sheet) is written there so `dealgraph validate --docs` can check the new citations.")
@FORMAT
def import_(file: Path, mapping: Path, dry_run: bool, seeds: Path, docs: Path | None, fmt: str) -> None:
    """Merge a deal list (FILE.csv, FILE.xlsx or FILE.json) into the seeds.

    Organizations and assets are matched by id, name or alias; near misses are
    reported as suggestions and never merged. Every row is checked with the
    seeds' own rules; with any problem (named by row, column and value) nothing
    is written. Imported records cite SOURCE-ID:ROW, the file being registered in
    sources.yaml as a source of type 'import'. Importing the same file again adds
    nothing.
    """
    from ..interchange.importer import import_deals

    result = import_deals(file, mapping, seeds, docs=docs, dry_run=dry_run)
    emit(result.rows(), fmt, ["action", "kind", "id", "rows", "detail"])
    verb = {"added": "would add" if dry_run else "added", "updated": "would update" if dry_run else "updated"}
    parts = []
    for action in ("added", "updated", "unchanged", "matched"):
        counts = {k: n for k, n in result.summary()[action].items() if n}
        total = sum(counts.values())
        detail = f" ({', '.join(f'{n} {k}' for k, n in counts.items())})" if counts else ""
        parts.append(f"{verb.get(action, action)} {total}{detail}")
    line = f"{file.name} as source {result.source_id}: " + "; ".join(parts)
    line += " — dry run, nothing written" if dry_run else (
        f" — wrote {', '.join(str(p) for p in result.files)}" if result.files else " — nothing to write")
    if result.document is not None and not dry_run:
        line += f"; document {result.document}"
    click.echo(line, err=fmt != "table")
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)


@main.command()
@click.option("--format", "formats", type=click.Choice(["ttl", "jsonld", "graphml", "csv", "neo4j-admin"]),
              multiple=True, required=True,
              help="ttl / jsonld: RDF under the ontology; graphml: for Gephi and Cytoscape; csv: one table per "
                   "node label and relationship type; neo4j-admin: CSV for `neo4j-admin database import full`, "
                   "with import.sh. Repeat to write several.")
@SEEDS
@click.option("--out", type=click.Path(path_type=Path), default=Path("out/export"), show_default=True,
              help="Output folder.")
def export(formats: tuple[str, ...], seeds: Path, out: Path) -> None:
    """Write the graph in formats other tools read.

    Files are written all at once: a failure leaves earlier exports intact.
    """
    from ..interchange.export import write_export
    from ..ingest.loading import load_seeds

    paths = write_export(load_seeds(seeds), list(dict.fromkeys(formats)), out)
    click.echo(f"wrote {len(paths)} files under {out}/")
    for p in paths:
        click.echo(f"  {p.relative_to(out)}")
