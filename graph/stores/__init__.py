"""Graph stores: LadybugDB embedded (the default, a file under out/) or a Neo4j server.

``open_store()`` picks Neo4j when given a URI (argument or ``NEO4J_URI``), else
LadybugDB at ``path``. The Neo4j driver is imported only when Neo4j is used.
"""
from __future__ import annotations

import os
from pathlib import Path

from .base import LoadReport, QueryError, ReadOnlyViolation, Store

__all__ = ["open_store", "Store", "LoadReport", "ReadOnlyViolation", "QueryError", "DEFAULT_DB_PATH"]

DEFAULT_DB_PATH = Path("out/graph.lbdb")


def open_store(neo4j_uri: str | None = None, path: Path | str = DEFAULT_DB_PATH, *,
               user: str | None = None, password: str | None = None, database: str | None = None) -> Store:
    """The store to use: Neo4j at ``neo4j_uri`` (or ``$NEO4J_URI``) if one is given, else LadybugDB at ``path``.

    Neo4j credentials default to ``$NEO4J_USER`` / ``$NEO4J_PASSWORD`` and the database to
    ``$NEO4J_DATABASE`` (the server's default when unset).
    """
    uri = neo4j_uri or os.environ.get("NEO4J_URI") or None
    if uri:
        from .neo4j import Neo4jStore

        return Neo4jStore(uri, user=user, password=password, database=database)
    from .ladybug import LadybugStore

    return LadybugStore(path)
