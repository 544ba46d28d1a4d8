"""``dealgraph init``: start a working folder."""
from __future__ import annotations

from pathlib import Path

import click

from .group import main


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--with-shipped-seeds", is_flag=True,
              help="Start from the dataset that ships with dealgraph instead of one example record of each kind.")
def init(folder: Path, with_shipped_seeds: bool) -> None:
    """Create a working folder FOLDER where `dealgraph build` works at once.

    It holds seeds/ (one fictional example record of each kind, or the shipped
    dataset), documents/ (the document the examples cite), import/ (an example
    mapping for `dealgraph import`) and a README of the everyday commands. FOLDER
    must be new or empty; nothing is overwritten.

    \b
    Examples:
      dealgraph init my-deals && cd my-deals && dealgraph build
      dealgraph init china-deals --with-shipped-seeds
    """
    from ..pipeline.workspace import init_workspace

    files = init_workspace(folder, with_shipped_seeds=with_shipped_seeds)
    click.echo(f"created {folder} ({len(files)} files). Next:\n  cd {folder}\n  dealgraph build")
