"""The small interface both stores implement (LadybugDB embedded, Neo4j server)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable

from ..core.errors import DealgraphError
from .property_graph import PropertyGraph, schema
from .tables import quote_name

Progress = Callable[[str], None]


@dataclass
class LoadReport:
    store: str
    nodes: int
    relationships: int
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)


class ReadOnlyViolation(DealgraphError):
    """A query tried to write through the read-only query runner."""


class QueryError(DealgraphError):
    """The database refused a query (syntax error, unknown label or property, bad parameter…)."""


class Store(ABC):
    """A graph database holding the property graph.

    ``load`` replaces the graph with ``pg``; ``query`` runs one parameterised
    Cypher statement read-only and returns rows as dicts (column -> value);
    ``set_node_properties`` writes analysis results onto existing nodes.
    """

    name: str

    @abstractmethod
    def load(self, pg: PropertyGraph, progress: Progress | None = None) -> LoadReport: ...

    @abstractmethod
    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...

    @abstractmethod
    def set_node_properties(self, label: str, rows: list[dict[str, Any]], types: dict[str, str]) -> None:
        """For each row ({'id': …, prop: value…}) set the properties on the node of ``label`` with that id.

        ``types`` maps each property to a schema type (DOUBLE, INT64, STRING, BOOLEAN) so that
        stores with a fixed schema can add the columns first.
        """

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, counted in the database."""
        out = {}
        for lbl in schema().nodes:
            out[lbl] = self.query(f"MATCH (n:{quote_name(lbl)}) RETURN count(n) AS n")[0]["n"]
        for rtype in schema().rels:
            out[rtype] = self.query(f"MATCH ()-[r:{quote_name(rtype)}]->() RETURN count(r) AS n")[0]["n"]
        return out

    def close(self) -> None:  # pragma: no cover - trivial
        pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
