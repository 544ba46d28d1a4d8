"""Commands over the query library: ``dealgraph queries`` lists it, ``dealgraph query`` runs one read-only."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from . import main
from ..errors import DealgraphError

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                      show_default=True, help="Output format: an aligned table, CSV or JSON.")


def _csv_ready(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with list values written as JSON arrays, so a CSV cell holds one parseable value."""
    return [{k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in r.items()}
            for r in rows]


def _print(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None) -> None:
    from .build import emit

    emit(_csv_ready(rows) if fmt == "csv" else rows, fmt, columns)


@main.command("query")
@click.argument("name_or_file")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter, e.g. --param name=Hengrui (repeat for each). Values are typed as the "
                   "query's example is: numbers, true/false, or text.")
@FORMAT
@click.option("--neo4j", "neo4j_uri", default=None, metavar="URI",
              help="Run on the Neo4j server at URI (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE from the "
                   "environment). Default: $NEO4J_URI, else LadybugDB.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="LadybugDB database to query (default out/graph.lbdb, as `dealgraph build` writes it).")
def query_command(name_or_file: str, params: tuple[str, ...], fmt: str, neo4j_uri: str | None,
                  db_path: Path | None) -> None:
    """Run a library query (see `dealgraph queries`) or any .cypher file, read-only.

    NAME_OR_FILE is a query name such as company_deals, or a path to a .cypher
    file. Parameters are passed to the database as Cypher parameters, never
    pasted into the text. Statements that would write are refused.

    Example: dealgraph query company_partners -p name=Hengrui -p hops=2
    """
    from ..queries import parse_assignment, prepare_query, run_query
    from ..current import require_current_store
    from ..stores import DEFAULT_DB_PATH, open_store

    given: dict[str, str] = {}
    for text in params:
        key, value = parse_assignment(text)
        if key in given:
            raise DealgraphError(f"parameter '{key}' is given twice")
        given[key] = value
    info, _ = prepare_query(name_or_file, given)  # fail on a bad query or parameter before opening a database
    uri = neo4j_uri or os.environ.get("NEO4J_URI") or None
    if not uri:  # never answer from the store of a build whose seeds have changed since
        require_current_store(db_path)
    try:
        with open_store(neo4j_uri=uri, path=db_path or DEFAULT_DB_PATH) as store:
            rows = run_query(store, info.path, given)
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
    from ..queries import list_queries, render_readme

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
