"""``dealgraph map``: write an interactive network map (one self-contained HTML file)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from .group import main
from ..core.errors import DealgraphError
from ..publish.maps import style
from ..publish.maps.flows import DIRECTIONS

SCALES = {"": 1, "k": 10 ** 3, "thousand": 10 ** 3, "m": 10 ** 6, "mn": 10 ** 6, "million": 10 ** 6,
          "b": 10 ** 9, "bn": 10 ** 9, "billion": 10 ** 9}
USD_RE = re.compile(r"^(?:usd|us\$|\$)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([a-z]*)$")


def parse_usd(text: str) -> Decimal:
    """'250000000', '250m', '1.5 billion', 'USD 300 million' → US dollars, exactly (``Decimal``)."""
    m = USD_RE.match(text.strip().lower())
    if not m or m[2] not in SCALES:
        raise DealgraphError(f"--min-value '{text}' is not an amount in USD: write e.g. 100000000, 100m, 1.5b "
                             "or 'USD 250 million'")
    try:
        return Decimal(m[1].replace(",", "")) * SCALES[m[2]]
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise DealgraphError(f"--min-value '{text}' is not a number") from None


def _resolved(cur, text: str | None, kind: str) -> str | None:
    """The id ``text`` names (graph.find.resolve, in the names of ``cur``, a ``current.Current``), said on stderr
    when the match was not exact."""
    from ..find.resolve import resolve

    if text is None:
        return None
    res = resolve(cur.entries([kind]), text, kind)
    if res.note:
        click.echo(f"note: {res.note}", err=True)
    return res.id


def _drawn_by_build(cur, focus: str | None, exposure: str | None, hops: int, flt, out: Path | None,
                    options: tuple) -> tuple[Path, str] | None:
    """(path, what it shows) of the map the last build drew that this command would write, with every
    option at its default and the default file: the command then has nothing to draw (the build's maps
    are keyed on what they show, so a current build's map is the one this command would draw)."""
    from ..publish.maps import DealFilter, MapOptions
    from ..publish.maps.site import map_path

    defaults = (MapOptions.colour_by, MapOptions.size_by, False)
    if out is not None or hops != 1 or flt != DealFilter().checked() or options != defaults or not cur.built \
            or cur.out.resolve() != Path("out").resolve():
        return None
    path = map_path("ego", focus) if focus else map_path("exposure", exposure) if exposure else map_path("overview")
    row = cur.built_map(path)
    if row is None:
        return None
    return cur.out / path, f"Organizations: {row['nodes']}, Lines: {row['edges']}"


@main.command("map")
@click.option("--overview", "overview", is_flag=True, help="Every organization in the selected deals (default).")
@click.option("--focus", metavar="NAME", help="An organization (id, name or any alias, any case) and its partners.")
@click.option("--hops", type=int, default=1, show_default=True, help="With --focus: how many links out to go.")
@click.option("--exposure", metavar="MULTINATIONAL",
              help="China exposure of an organization: originator → asset → multinational, with NewCo and "
                   "acquisition chains.")
@click.option("--from", "year_from", type=int, metavar="YEAR", help="Only deals signed in or after YEAR.")
@click.option("--to", "year_to", type=int, metavar="YEAR", help="Only deals signed in or before YEAR.")
@click.option("--undated/--no-undated", "undated", default=None,
              help="Keep (or drop) undated deals. Default: dropped only when --from or --to is given.")
@click.option("--modality", metavar="M",
              help="Only deals covering an asset of modality M or a narrower one (key or label, any case: "
                   "antibody takes ADCs).")
@click.option("--deal-type", "deal_type", metavar="T", help="Only deals of type T or a narrower type (any case).")
@click.option("--family", metavar="F", help=f"Only deals of one family: {', '.join(k for k, *_ in style.FAMILIES)}.")
@click.option("--direction", metavar="D", help=f"Only deals running one way relative to China: {', '.join(DIRECTIONS)}.")
@click.option("--min-value", "min_value", metavar="USD",
              help="Only deals whose headline value is at least this, e.g. 500m or 1.5b.")
@click.option("--greater-china", "greater_china", is_flag=True,
              help="Count Hong Kong, Macau and Taiwan as China (colours and --direction).")
@click.option("--colour-by", "colour_by", type=click.Choice(style.COLOUR_BY), default="side", show_default=True,
              help="Node colour the page opens with: side (China / multinational / other), headquarters, kind "
                   "or partner community.")
@click.option("--size-by", "size_by", type=click.Choice(list(style.SIZE_MEASURES)), default="value_degree",
              show_default=True, help="Measure for node size.")
@click.option("--seeds", "seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
              help="Folder with the seed YAML files.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="HTML file to write. Default: out/maps/overview.html, out/maps/ego-<id>.html or "
                   "out/maps/exposure-<id>.html.")
def map_cmd(overview: bool, focus: str | None, hops: int, exposure: str | None, year_from: int | None,
            year_to: int | None, undated: bool | None, modality: str | None, deal_type: str | None,
            family: str | None, direction: str | None, min_value: str | None, greater_china: bool, colour_by: str,
            size_by: str, seeds: Path, out: Path | None) -> None:
    """Write an interactive map of deals as one HTML file that works offline.

    Arrows run from the party giving rights to the party taking them, line
    width follows the money, colour the deal family; nodes are coloured by
    side (China-headquartered, multinational, other). The page filters by
    year, family, type, direction, value and modality, finds any name, alias
    or asset code, and exports the visible deals as CSV. Every filter given
    here says how many deals it removed; one that leaves nothing is an error.

    \b
    Examples:
      dealgraph map --overview --from 2023 --modality adc
      dealgraph map --focus "Jiangsu Hengrui" --hops 2
      dealgraph map --exposure Pfizer --out pfizer.html
      dealgraph map --direction out --min-value 1b --undated
    """
    from ..pipeline.current import Current
    from ..publish.maps import DealFilter, MapOptions, ego_map, exposure_map, overview_map, write_map
    from ..publish.maps.network import resolve_org
    from ..publish.maps.site import map_path

    if sum(bool(x) for x in (overview, focus, exposure)) > 1:
        raise DealgraphError("choose one of --overview, --focus NAME and --exposure MULTINATIONAL")
    if hops != 1 and not focus:
        raise DealgraphError("--hops goes with --focus NAME")
    cur = Current(seeds)  # the last build when current
    focus, exposure, modality = (_resolved(cur, text, kind) for text, kind in
                                 ((focus, "organization"), (exposure, "organization"), (modality, "modality")))
    flt = DealFilter(year_from, year_to, modality, deal_type,
                     parse_usd(min_value) if min_value is not None else None, family, direction, undated,
                     greater_china).checked()
    drawn = _drawn_by_build(cur, focus, exposure, hops, flt, out, (colour_by, size_by, greater_china))
    if drawn is not None:  # the build drew this very map, into this very file, from the same data
        click.echo(f"{drawn[0]} is current: the last build drew it ({drawn[1]}); any filter, option or --out "
                   "draws it afresh")
        return
    ds = cur.dataset
    opts = MapOptions(colour_by=colour_by, size_by=size_by, greater_china=greater_china,
                      centrality=cur.centrality())  # the last build's table, when current
    if focus:
        mg = ego_map(ds, focus, hops, flt, opts)
        default = map_path("ego", resolve_org(ds, focus))
    elif exposure:
        mg = exposure_map(ds, exposure, flt, opts)
        default = map_path("exposure", resolve_org(ds, exposure))
    else:
        mg = overview_map(ds, flt, opts)
        default = map_path("overview")
    for line in flt.explain(ds):
        click.echo(f"filter {line}")
    path = write_map(mg, out or Path("out") / default)
    facts = ", ".join(f"{k}: {v}" for k, v in mg.summary)
    click.echo(f"wrote {path} ({facts})")
