"""Interactive network maps (pyvis / vis-network) and the browsable report.

``overview_map``, ``ego_map`` and ``exposure_map`` build a ``MapGraph``;
``write_map`` renders one as a self-contained offline HTML file;
``write_maps`` writes the standard set under ``out/maps/`` and
``write_report`` the report ``out/index.html`` that links to them.

The build calls, with its output (or staging) folder after the analyses ran::

    maps = write_maps(dataset, out_dir)         # out_dir/maps/*.html
    write_report(dataset, out_dir, maps)        # out_dir/index.html
"""
from .filters import DealFilter
from .exposure_view import exposure_map
from .network import MapGraph, MapOptions, ego_map, overview_map
from .render import render_html, write_map
from .report import write_report
from .site import MapFile, write_maps

__all__ = ["DealFilter", "MapFile", "MapGraph", "MapOptions", "ego_map", "exposure_map", "overview_map",
           "render_html", "write_map", "write_maps", "write_report"]
