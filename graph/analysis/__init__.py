"""Analyses of the deal graph on NetworkX: the partner network, centrality, and each multinational's China exposure.

* ``partners.partner_graph(ds)``: organizations linked by the deals they share;
* ``centrality.centrality_table(G)``: degree, weighted degree, betweenness, closeness, PageRank, Louvain community;
* ``exposure.exposures(ds, …)``: direct and indirect China exposure of each multinational;
* ``run_analyses(ds, out_dir, store=None)``: all of it, written as CSV, JSON and PNG (and node properties).
"""
from .centrality import CentralityTable, centrality_table
from .exposure import CHINA, GREATER_CHINA, Exposure, ExposureIndex, exposure, exposures
from .partners import partner_graph
from .run import run_analyses

__all__ = ["CHINA", "GREATER_CHINA", "CentralityTable", "Exposure", "ExposureIndex", "centrality_table", "exposure",
           "exposures", "partner_graph", "run_analyses"]
