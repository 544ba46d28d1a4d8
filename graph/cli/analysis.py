"""Commands over the analyses: centrality of organizations and China exposure of multinationals."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from . import main
from .build import FORMAT, SEEDS, emit
from ..errors import DealgraphError

TABLE_METRICS = ("deals", "degree", "weighted_degree", "value_degree", "betweenness", "closeness", "pagerank",
                 "community")


def _json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


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
@click.option("--relation", "relations", type=click.Choice(["subsidiary_of", "formed_by", "stake"]), multiple=True,
              help="Also link organizations by this relation (repeatable); by default only deals link them.")
def centrality(seeds: Path, fmt: str, top: int, metric: str, exact_limit: int | None, k: int | None,
               seed: int | None, relations: tuple[str, ...]) -> None:
    """Rank organizations in the partner network.

    Two organizations are linked by every deal they share (a three-party deal
    links all three pairs). Measures: deals, degree (distinct partners),
    weighted degree (by deals, and by disclosed headline value), betweenness,
    closeness, PageRank and Louvain community. JSON output also says how
    betweenness and closeness were computed (exact, or the sample size and seed).
    """
    from ..analysis import centrality as C
    from ..analysis.partners import partner_graph
    from ..current import current_centrality, load_current as load_seeds  # the last build's dataset when current

    G = partner_graph(load_seeds(seeds), relations=relations)
    kw = {k2: v for k2, v in (("exact_limit", exact_limit), ("k", k), ("seed", seed)) if v is not None}
    table = (not relations and not kw and current_centrality(seeds)) or C.centrality_table(G, **kw)
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


def _summary_rows(results: list[Any]) -> list[dict[str, Any]]:
    rows = [e.row() for e in results]
    return sorted(rows, key=lambda r: (-r["china_deals"], -r["china_value_usd"], r["id"]))


def _money(v: float | None) -> str:
    """USD with every digit the sources gave ('USD 1.825 billion'); '' when unknown."""
    from ..values import format_money

    return format_money(v, "USD")


def _pct(v: float | None) -> str:
    from ..values import format_percent

    return format_percent(v)


def _num(v: float | None, missing: str = "n/a") -> str:
    """A measure such as an HHI, rounded to 4 places for reading; ``missing`` instead of None."""
    from ..values import plain_number

    return missing if v is None else plain_number(round(v, 4))


def _show_one(e: Any, multinational: bool) -> None:
    d, i = e.direct, e.indirect
    span = f"{e.period['from'] or '…'}–{e.period['to'] or '…'}" if any(e.period.values()) else "all years"
    click.echo(f"{e.name} ({e.org}{', ' + e.country if e.country else ''}) — China = {', '.join(e.china)}, {span}"
               + ("" if multinational else "  [not marked multinational]"))
    if len(e.group) > 1:
        click.echo(f"group: {', '.join(e.group)}")
    quals = ", ".join(f"{q}: {b['deals']}" for q, b in d["by_qualifier"].items()) or "none"
    click.echo(f"\ndirect: {d['deals']} of {d['all_deals']} deals with a Chinese counterparty ({_pct(d['share'])}); "
               f"headline value {_money(d['value_usd'])} of {_money(d['all_value_usd'])} ({_pct(d['value_share'])})")
    click.echo(f"  values by qualifier: {quals}; without disclosed value: {d['undisclosed_deals']}"
               + (f" ({', '.join(f'{k} {n}' for k, n in d['no_value_reasons'].items())})" if d["no_value_reasons"]
                  else ""))
    click.echo(f"  upfront paid {_money(d['upfront_usd'])}, equity bought {_money(d['equity_usd'])}; "
               f"HHI over partners: deals {_num(d['hhi_deals'])}, value {_num(d['hhi_value'], 'n/a (no disclosed value)')}")
    if d["partners"]:
        click.echo("\nChinese partners")
        emit([{**p, "value_usd": _money(p["value_usd"]), "upfront_usd": _money(p["upfront_usd"]),
               "deal_share": _pct(p["deal_share"])} for p in d["partners"]], "table",
             ["id", "name", "country", "deals", "value_usd", "upfront_usd", "deal_share"])
    for key, title in (("by_family", "by modality family"), ("by_type", "by deal type"), ("by_year", "by year")):
        if d[key]:
            click.echo(f"\n{title}")
            emit([{"": k, "deals": b["deals"], "value": _money(b["value_usd"]), "partners": b["partners"]}
                  for k, b in d[key].items()], "table", ["", "deals", "value", "partners"])
    if d["terminated"]:
        click.echo("\nterminated")
        emit([{"deal": t["deal"], "partners": t["partners"], "retained": _money(t["retained_usd"]),
               "returned": t["returned"]} for t in d["terminated"]], "table", ["deal", "partners", "retained",
                                                                               "returned"])
    click.echo(f"\nindirect: {i['assets']} China-originated assets"
               + (f" and {i['unnamed']} unnamed rights" if i["unnamed"] else "") + " reached through a chain")
    for c in i["chain_list"]:
        what = c["asset_name"] or f"rights in {c['rights']}"
        click.echo(f"  {what} ({c['modality']}, from {c['originator']}): {' → '.join(c['chain'])}"
                   + (" [terminated]" if c["terminated"] else ""))


@main.command()
@click.argument("multinational", required=False)
@SEEDS
@FORMAT
@click.option("--from", "from_year", type=int, default=None, help="First year counted (deals by signing year).")
@click.option("--to", "to_year", type=int, default=None, help="Last year counted.")
@click.option("--greater-china", is_flag=True, help="Count Hong Kong, Macau and Taiwan as China too.")
def exposure(multinational: str | None, seeds: Path, fmt: str, from_year: int | None, to_year: int | None,
             greater_china: bool) -> None:
    """China exposure of MULTINATIONAL (any name or alias), or a table of every multinational.

    Direct: deals with a counterparty headquartered in China (number, share,
    headline value and share, upfront paid, equity bought, partners,
    concentration, modality mix, terminations). "Up to", "over" and "about"
    amounts count in full and are labelled; undisclosed amounts count as deals
    without value. Indirect: China-originated assets reached through a NewCo,
    an acquisition or a sublicence rather than a direct deal with the originator.
    Undated deals count only when no --from/--to is given.
    """
    from ..analysis.exposure import china_places, exposure as one, exposures
    from ..resolve import resolve_in_dataset
    from ..analysis.run import EXPOSURE_COLUMNS, to_csv
    from ..current import load_current as load_seeds  # the last build's dataset when current

    if from_year is not None and to_year is not None and from_year > to_year:
        raise DealgraphError(f"--from {from_year} is after --to {to_year}")
    ds = load_seeds(seeds)
    china = china_places(greater_china)
    if multinational is None:
        results = exposures(ds, from_year, to_year, china)
        if fmt == "json":
            _json([e.row() for e in results])
            return
        rows = _summary_rows(results)
        if fmt == "table":
            rows = [{**r, "china_share": _pct(r["china_share"]), "china_value_share": _pct(r["china_value_share"]),
                     "china_value_usd": _money(r["china_value_usd"])} for r in rows]
            emit(rows, fmt, ["id", "name", "china_deals", "all_deals", "china_share", "china_value_usd",
                             "china_value_share", "undisclosed_deals", "indirect_assets", "partners"])
        else:
            click.echo(to_csv(rows, EXPOSURE_COLUMNS), nl=False)
        return
    res = resolve_in_dataset(ds, multinational, "organization")
    if res.note:
        click.echo(f"note: {res.note}", err=True)
    org = ds.organizations[res.id]
    e = one(ds, org.id, from_year, to_year, china)
    if fmt == "json":
        _json(e.to_dict())
    elif fmt == "csv":
        click.echo(to_csv([e.row()], EXPOSURE_COLUMNS), nl=False)
    else:
        _show_one(e, org.multinational)
