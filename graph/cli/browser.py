"""``dealgraph neo4j-style`` and ``dealgraph neo4j-guide``: Neo4j Browser conventions."""
from __future__ import annotations

from pathlib import Path

import click

from .group import main

OUT = click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
                   help="Write to this file instead of printing.")


def _emit_text(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)


@main.command("neo4j-style")
@OUT
def neo4j_style(out: Path | None) -> None:
    """Print the Neo4j Browser style sheet (GraSS) for dealgraph's graph.

    Each node label gets the caption, colour and size dealgraph's maps use;
    PARTY_TO shows the role, HAS_TERM the term kind. Apply it by dragging the
    file onto Neo4j Browser, or run `:style` there and paste it.

    \b
    Examples:
      dealgraph neo4j-style --out dealgraph.grass
    """
    from ..query.neo4j_browser import grass

    _emit_text(grass(), out)


@main.command("neo4j-guide")
@OUT
def neo4j_guide(out: Path | None) -> None:
    """Print a Neo4j Browser guide with every library query ready to run.

    One slide per query: its question, a `:params` line with example values and
    the query. Serve the file over HTTP and open it with `:play URL` in the
    Browser (whitelist the host in browser.remote_content_hostname_whitelist).

    \b
    Examples:
      dealgraph neo4j-guide --out guide.html && python -m http.server 8001
      # then in Neo4j Browser:  :play http://localhost:8001/guide.html
    """
    from ..query.neo4j_browser import guide

    _emit_text(guide(), out)
