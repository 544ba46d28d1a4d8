"""Interactive maps of who licenses what to whom, and for how much; and the browsable report.

``overview_map``, ``ego_map`` (``network``) and ``exposure_map`` (``exposure_view``) build a
``MapGraph``: deals drawn as deals (``flows``: from the party giving rights to the party taking
them), exact money (``cards``), positions (``layout``). ``write_map`` renders one as a
self-contained offline HTML page with in-page filters (``render``; the page follows
``filters`` and ``visible``);
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
