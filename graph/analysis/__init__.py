"""Analyses of the deal graph on NetworkX: the partner network, centrality, and each multinational's China exposure.

* ``partners.partner_graph(ds)``: organizations linked by the deals they made with each other (directed);
* ``centrality.centrality_table(G)``: degree, weighted degree, betweenness, closeness, PageRank, Louvain community;
* ``exposure.exposures(ds, …)``: sourcing, market and capital exposure of each multinational, with bounds;
* ``run_analyses(ds, out_dir, store=None)``: all of it, written as CSV, JSON and PNG (and node properties).
"""
from .centrality import CentralityTable, centrality_table
from .exposure import CHINA, DIRECTIONS, GREATER_CHINA, Exposure, ExposureIndex, exposure, exposures
from .partners import deal_links, partner_graph, undirected
from .run import run_analyses

__all__ = ["CHINA", "DIRECTIONS", "GREATER_CHINA", "CentralityTable", "Exposure", "ExposureIndex", "centrality_table",
           "deal_links", "exposure", "exposures", "partner_graph", "run_analyses", "undirected"]
