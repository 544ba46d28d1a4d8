"""Commands over the analyses: centrality of organizations and China exposure of multinationals."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .group import main
from .build import FORMAT, SEEDS, emit
from ..core.errors import DealgraphError

from ..analysis.centrality import METRICS as TABLE_METRICS
from ..analysis.partners import RELATIONS


def _json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> None:
    from ..analysis.run import to_csv  # here, not at the top: graph.analysis.run loads matplotlib for its plots

    click.echo(to_csv(rows, columns), nl=False)


@main.command()
@SEEDS
@FORMAT
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many organizations to show.")
@click.option("--by", "metric", type=click.Choice(TABLE_METRICS), default="weighted_degree", show_default=True,
              help="Measure to rank by (largest first; community: members of the largest community, 0, "
                   "first): weighted_degree counts deals shared with partners, value_degree their disclosed "
                   "headline USD value.")
@click.option("--exact-limit", type=click.IntRange(min=1), default=None,
              help="Largest graph for exact betweenness and closeness (default 5000); above it they are sampled.")
@click.option("--sample", "k", type=click.IntRange(min=1), default=None,
              help="Sources (betweenness) and pivots (closeness) sampled above the limit (default 64).")
@click.option("--seed", type=int, default=None, help="Random seed for sampling and Louvain (default 0).")
@click.option("--relation", "relations", type=click.Choice(RELATIONS), multiple=True,
              help="Also link organizations by this relation (repeatable); by default only deals link them.")
@click.option("--co-parties", is_flag=True,
              help="Also link co-parties of a deal (co-licensees, co-investors), who did not deal with each other.")
@click.option("--keep-subsidiaries", is_flag=True,
              help="Keep subsidiaries of multinationals apart (by default they are merged into their group).")
def centrality(seeds: Path, fmt: str, top: int, metric: str, exact_limit: int | None, k: int | None,
               seed: int | None, relations: tuple[str, ...], co_parties: bool, keep_subsidiaries: bool) -> None:
    """Rank organizations in the partner network.

    A deal links the party that gives (licensor, seller, target, investor) to
    the party that takes (licensee, buyer, acquirer, investee), and peers
    (co-developers, collaboration partners) to each other; co-parties on the
    same side are not linked unless --co-parties. Subsidiaries of a
    multinational count as the multinational. Measures: deals, degree
    (distinct partners), weighted degree (by deals, and by disclosed headline
    value), betweenness, closeness, PageRank and Louvain community, on the
    network with direction folded. JSON output also says how betweenness and
    closeness were computed (exact, or the sample size and seed).

    \b
    Examples:
      dealgraph centrality --top 10 --by betweenness
      dealgraph centrality --by pagerank --format csv
      dealgraph centrality --co-parties --keep-subsidiaries --relation formed_by
    """
    from ..analysis import centrality as C
    from ..analysis.partners import partner_graph
    from ..pipeline.current import Current

    cur = Current(seeds)  # the last build when current
    kw = {k2: v for k2, v in (("exact_limit", exact_limit), ("k", k), ("seed", seed)) if v is not None}
    table = (not (relations or kw or co_parties or keep_subsidiaries) and cur.centrality()) \
        or C.centrality_table(partner_graph(cur.dataset, relations=relations, co_parties=co_parties,
                                            roll_up=not keep_subsidiaries), **kw)  # the build's, for its options
    rows = table.sorted(metric, descending=metric != "community")[:top]
    if fmt == "json":
        _json({"meta": table.meta, "by": metric, "organizations": rows})
        return
    emit(rows, fmt, ["id", "name", "country", *TABLE_METRICS])
    if fmt == "table":
        b = table.meta["betweenness"]
        how = "exact" if b["method"] == "exact" else f"sampled from {b['k']} sources, seed {b['seed']}"
        click.echo(f"\n{table.meta['nodes']} organizations, {table.meta['edges']} partner links, "
                   f"{table.meta['communities']} communities; betweenness and closeness {how}")


@main.command()
@click.argument("multinational", required=False)
@SEEDS
@FORMAT
@click.option("--from", "from_year", type=int, default=None, help="First year counted (deals by signing year).")
@click.option("--to", "to_year", type=int, default=None, help="Last year counted.")
@click.option("--greater-china", is_flag=True, help="Count Hong Kong, Macau and Taiwan as China too.")
@click.option("--readme", is_flag=True, help="Print the README's generated exposure block (definitions and the "
              "table of every multinational) instead.")
@click.option("--update-readme", "update_readme", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Rewrite the generated exposure block of this README file in place.")
def exposure(multinational: str | None, seeds: Path, fmt: str, from_year: int | None, to_year: int | None,
             greater_china: bool, readme: bool, update_readme: Path | None) -> None:
    """China exposure of MULTINATIONAL (any name or alias), or a table of every multinational.

    Three measures, each with a lower and an upper bound (the upper one adds
    deals whose counterparty has no recorded country: possibly China):
    sourcing (China-originated assets and rights flowing to the multinational,
    including NewCo and acquisition chains; the headline China exposure),
    market (selling, distributing, localising or licensing into China) and
    capital (equity, funds, incubators and stakes in Chinese organizations).
    Definitions: graph/analysis/exposure.py and the README. Undated deals
    count only when no --from/--to is given.

    \b
    Examples:
      dealgraph exposure                       # table of every multinational
      dealgraph exposure Bayer                 # one multinational, with partners and chains
      dealgraph exposure "J&J" --from 2024 --to 2025 --format json
      dealgraph exposure --greater-china --format csv > exposure.csv
      dealgraph exposure --update-readme README.md
    """
    from ..analysis.chains import china_places
    from ..analysis.exposure import ROW_COLUMNS, exposure as one, exposures
    from ..analysis.exposure_text import TABLE_COLUMNS, describe, readme_block, table_rows, write_readme
    from ..find.resolve import resolve
    from ..pipeline.current import Current

    if from_year is not None and to_year is not None and from_year > to_year:
        raise DealgraphError(f"--from {from_year} is after --to {to_year}")
    china = china_places(greater_china)
    cur = Current(seeds)  # the last build when current: its names, and its exposures for its options
    if readme or update_readme:
        if multinational or from_year is not None or to_year is not None or greater_china:
            raise DealgraphError("--readme and --update-readme show every multinational over all years, mainland "
                                 "China: drop the name, --from/--to and --greater-china")
        block = readme_block(cur.exposures() or exposures(cur.dataset))
        if update_readme is None:
            click.echo(block, nl=False)
            return
        try:
            changed = write_readme(update_readme, block)
        except (OSError, ValueError) as err:
            raise DealgraphError(f"{update_readme}: {err}") from None
        click.echo(f"{update_readme}: exposure table {'updated' if changed else 'already current'}")
        return
    if multinational is None:
        results = cur.exposures(from_year, to_year, china) or exposures(cur.dataset, from_year, to_year, china)
        if fmt == "json":
            _json([e.row() for e in results])
        elif fmt == "csv":
            _csv([e.row() for e in results], ROW_COLUMNS)
        else:
            emit(table_rows(results), "table", TABLE_COLUMNS)
            click.echo("\na–b: lower and upper bound (the upper adds deals whose party has no recorded country)")
        return
    res = resolve(cur.entries(["organization"]), multinational, "organization")
    if res.note:
        click.echo(f"note: {res.note}", err=True)
    saved = cur.exposures(from_year, to_year, china, [res.id])  # saved for multinationals only
    if saved:
        e, is_multinational = saved[0], True
    else:
        e = one(cur.dataset, res.id, from_year, to_year, china)
        is_multinational = cur.dataset.organizations[res.id].multinational
    if fmt == "json":
        _json(e.to_dict())
    elif fmt == "csv":
        _csv([e.row()], ROW_COLUMNS)
    else:
        click.echo(describe(e, is_multinational), nl=False)
