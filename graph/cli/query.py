"""Commands over the query library: ``dealgraph queries`` lists it, ``dealgraph query`` runs one read-only."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from .group import main
from ..core.errors import DealgraphError

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                      show_default=True, help="Output format: an aligned table, CSV or JSON.")


def _print(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None) -> None:
    from .build import emit

    emit(rows, fmt, columns)


def _note(text: str) -> None:
    click.echo(f"note: {text}", err=True)


@main.command("query")
@click.argument("name_or_file")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter, e.g. --param name=Hengrui (repeat for each). Values are typed as the "
                   "query's example is: numbers, true/false, or text.")
@click.option("--include-undated", is_flag=True,
              help="For a query with a period (from_year/to_year): also count records with no known year "
                   "(same as -p include_undated=true).")
@FORMAT
@click.option("--neo4j", "neo4j_uri", default=None, metavar="URI",
              help="Run on the Neo4j server at URI (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE from the "
                   "environment). Default: $NEO4J_URI, else LadybugDB.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="LadybugDB database to query (default out/graph.lbdb, as `dealgraph build` writes it).")
def query_command(name_or_file: str, params: tuple[str, ...], include_undated: bool, fmt: str,
                  neo4j_uri: str | None, db_path: Path | None) -> None:
    """Run a library query (see `dealgraph queries`) or any .cypher file, read-only.

    NAME_OR_FILE is a query name such as company_deals, or a path to a .cypher
    file. Parameters are passed to the database as Cypher parameters, never
    pasted into the text. Statements that would write are refused.

    A parameter that names a company, asset, deal, modality, place or measure
    is resolved as `dealgraph search` matches (case, accents, punctuation and
    small typos do not matter): a close match is used and said on stderr; an
    unknown or ambiguous name fails with the closest names. CSV list columns
    are plain text joined with "; ".

    \b
    Examples:
      dealgraph query company_partners -p name=Hengrui -p hops=2
      dealgraph query company_deals -p name="Merck & Co" --format csv
      dealgraph query statistic_series -p measure="china out-licensing deal count"
      dealgraph query top_parties_by_value -p role=licensee -p from_year=2025 -p to_year=2025 --include-undated
    """
    from ..query.run import parse_assignment, prepare_query, run_query
    from ..pipeline.current import require_current_store
    from ..stores import DEFAULT_DB_PATH, open_store

    given: dict[str, str] = {}
    for text in params:
        key, value = parse_assignment(text)
        if key in given:
            raise DealgraphError(f"parameter '{key}' is given twice")
        given[key] = value
    if include_undated:
        if "include_undated" in given:
            raise DealgraphError("give --include-undated or -p include_undated=…, not both")
        given["include_undated"] = "true"
    info, _ = prepare_query(name_or_file, given)  # fail on a bad query or parameter before opening a database
    uri = neo4j_uri or os.environ.get("NEO4J_URI") or None
    if not uri:  # never answer from the store of a build whose seeds have changed since
        require_current_store(db_path)
    try:
        with open_store(neo4j_uri=uri, path=db_path or DEFAULT_DB_PATH) as store:
            rows = run_query(store, info.path, given, notify=_note)
    except DealgraphError as exc:
        # a database's message may run over several lines (LadybugDB underlines the bad token): keep the first
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DealgraphError(first) from exc
    _print(rows, fmt)


@main.command("queries")
@FORMAT
@click.option("--readme", is_flag=True, help="Print the library's README (queries/README.md) generated from the "
                                             "query headers, instead of the list.")
def queries_command(fmt: str, readme: bool) -> None:
    """List the query library: each query's name, parameters (with examples) and the question it answers."""
    from ..query.run import list_queries, render_readme

    queries = list_queries()
    if readme:
        click.echo(render_readme(queries), nl=False)
        return
    rows = [{"query": q.name, "params": " ".join(p.cli() for p in q.params), "question": q.question}
            for q in queries]
    if fmt == "json":
        rows = [{"query": q.name, "question": q.question,
                 "params": [{"name": p.name, "example": p.example, "description": p.description} for p in q.params]}
                for q in queries]
    _print(rows, fmt, ["query", "params", "question"] if fmt != "json" else None)
