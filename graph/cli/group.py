"""The ``dealgraph`` command group: every command module registers on ``main`` (``from .group import main``).

It lives apart from ``graph/cli/__init__.py``, which imports the command modules, so that no module
imports back the package that imports it.
"""
from __future__ import annotations

import sys

import click

from ..core.errors import DealgraphError, SeedError


class _Group(click.Group):
    """Turns expected failures into a one-line reason and a non-zero exit."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except SeedError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
        except DealgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="dealgraph")
def main() -> None:
    """dealgraph: a knowledge graph of cross-border biopharma and medtech deals.

    Typical use: `dealgraph build` validates the seeds, builds the graph and writes
    everything under out/. Run `dealgraph COMMAND --help` for each command.
    """
