"""Commands about graph stores and test data: ``dealgraph synth``."""
from __future__ import annotations

from pathlib import Path

import click

from .group import main
from ..core.errors import DealgraphError
from .build import FORMAT, emit


@main.command()
@click.option("--deals", type=click.IntRange(min=1), required=True, help="Number of deals to make.")
@click.option("--orgs", type=click.IntRange(min=1), default=None,
              help="About how many organizations (default: a third of the deals, at least 40).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same files.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the seed YAML files into (created if missing; existing seed files are replaced).")
@FORMAT
def synth(deals: int, orgs: int | None, seed: int, out: Path, fmt: str) -> None:
    """Write a synthetic dataset as seed YAML, for load tests and benchmarks.

    The records are made up but shaped like the real ones: a few hundred multinationals
    licensing from many small, mostly Chinese, companies with power-law partner counts;
    assets with modalities; money terms as phrases (some undisclosed, some in RMB);
    terminated deals; NewCos. Load them with `dealgraph build --seeds OUT`.

    Example: dealgraph synth --deals 10000 --out /tmp/synth-10k
    """
    from ..core.gcpause import paused_gc
    from ..ingest.synth import synthetic_seeds, write_seeds

    if out.exists() and not out.is_dir():
        raise DealgraphError(f"--out {out} is a file, not a folder")
    with paused_gc():
        seeds = synthetic_seeds(deals, seed=seed, orgs=orgs)
        files = write_seeds(seeds, out)
    rows = [{"file": str(f), "records": len(seeds[f.stem])} for f in files]
    emit(rows, fmt, ["file", "records"])
