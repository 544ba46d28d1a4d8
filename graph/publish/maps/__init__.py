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
from importlib import import_module

# Names load on first use (PEP 562), so that the command line can read ``style`` without the analyses.
_WHERE = {"DealFilter": "filters", "exposure_map": "exposure_view", "MapGraph": "network", "MapOptions": "network",
          "ego_map": "network", "overview_map": "network", "render_html": "render", "write_map": "render",
          "write_report": "report", "MapFile": "site", "write_maps": "site"}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
