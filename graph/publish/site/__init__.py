"""The static, offline site: a page and a JSON twin for every organization, asset, deal, event and source document.

``write_site(dataset, out_dir)`` writes it beside the report (``out/index.html``)
and the maps; ``graph.publish.site.context`` defines what each page shows,
``graph.publish.site.pages`` and ``graph.publish.site.lists`` build the contexts,
``graph.publish.site.text`` writes values (exact money, citations with their lines),
``graph.publish.site.write`` renders them through one Jinja environment.

    >>> from graph.publish.site import page_path
    >>> page_path("deal", "2025-05-3sbio-pfizer")
    'deal/2025-05-3sbio-pfizer.html'
"""
from .pages import SiteIndex, page_path
from .write import SITE_CSP, SiteResult, write_site

__all__ = ["SITE_CSP", "SiteIndex", "SiteResult", "page_path", "write_site"]
