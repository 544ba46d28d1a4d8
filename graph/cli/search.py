"""``dealgraph search``: find any record by its names or its text."""
from __future__ import annotations

from pathlib import Path

import click

from .group import main
from .build import FORMAT, SEEDS, emit
from ..find.search import KINDS


@main.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--kind", "kinds", type=click.Choice(KINDS), multiple=True,
              help="Only records of this kind (repeat for several).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many hits to show.")
@SEEDS
@FORMAT
def search_command(text: tuple[str, ...], kinds: tuple[str, ...], limit: int, seeds: Path, fmt: str) -> None:
    """Search every record by its names and its text, best matches first.

    Looks at names, aliases, former names, code names and titles, and at
    targets, indications, notes, event types, and each statistic's measure,
    period and publisher. Case, accents, punctuation and small typos do not
    matter. Each hit gives its kind, id, score (100 = one of its names), a
    one-line summary and its sources (document:line). Exits 1 when nothing
    matches.

    \b
    Examples:
      dealgraph search Hengrui
      dealgraph search "SSGJ 707"
      dealgraph search licensing deal count --kind statistic
      dealgraph search astrazeneka --format json
    """
    from ..core.errors import DealgraphError
    from ..pipeline.current import Current
    from ..find.search import search_entries

    query = " ".join(text)
    hits = search_entries(Current(seeds).entries(), query, list(kinds) or None, limit)  # the build's index
    if not hits:
        raise DealgraphError(f"nothing matches '{query}'" + (f" among {', '.join(kinds)} records" if kinds else ""))
    emit([h.row() for h in hits], fmt, ["kind", "id", "score", "summary", "sources"] if fmt != "json" else None)
