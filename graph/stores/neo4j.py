"""The server store: the property graph in Neo4j, through the official driver.

``load`` makes the database hold exactly ``pg``. It creates a uniqueness
constraint on ``id`` for every label; deletes the relationships, then the
nodes, that the new graph no longer has; and merges nodes, then relationships,
in batches (``UNWIND $rows … MERGE``), each batch one managed write transaction
(``session.execute_write`` retries transient errors). A relationship is merged
on its key ``rid`` (``tables.rel_keys``: type, ends and properties). Loading
twice gives the same graph; a load killed half-way and run again converges to
it, without duplicates. ``query`` admits only read statements (``graph.query.readonly``) and runs them in a
READ_ACCESS session with ``execute_read``, so the server refuses writes too. Credentials never leave this object: not in ``repr``, messages
or logs.
"""
from __future__ import annotations

import os
import time
from collections import defaultdict
from typing import Any, Iterator
from urllib.parse import urlsplit, urlunsplit

from ..core.errors import DealgraphError
from .property_graph import PropertyGraph, schema
from ..query.readonly import check_read_statement
from .base import LoadReport, Progress, QueryError, ReadOnlyViolation, Store
from ..core.gcpause import frozen_gc
from .tables import quote_name as _q, ENDPOINT_KEYS, SETTABLE_TYPES, check_graph, rel_keys, safe_name

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
BATCH = 10_000
_CONSTRAINT = "dealgraph_{label}_id"



def plain(value: Any) -> Any:
    """A Neo4j result value as plain Python: nodes and relationships as dicts of their properties
    (without the load key ``rid``), paths as ``{'nodes': […], 'relationships': […]}``,
    temporal values as ``datetime`` objects."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Relationship):
        return {k: plain(v) for k, v in value.items() if k != "rid"}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


class Neo4jStore(Store):
    """The property graph in the Neo4j database at ``uri``.

    ``user``/``password``/``database`` default to ``$NEO4J_USER`` (or ``$NEO4J_USERNAME``),
    ``$NEO4J_PASSWORD`` and ``$NEO4J_DATABASE``; credentials written into the URI
    (``neo4j://user:pass@host``) are taken out of it and used the same way.
    """

    name = "neo4j"

    def __init__(self, uri: str, *, user: str | None = None, password: str | None = None,
                 database: str | None = None, batch_size: int = BATCH):
        parts = urlsplit(uri.strip())
        if parts.scheme not in SCHEMES or not parts.hostname:
            shown = parts.scheme or "no scheme"
            raise DealgraphError(f"not a Neo4j URI ({shown}): write e.g. neo4j://localhost:7687 or "
                                 f"bolt+s://host:7687 (schemes: {', '.join(SCHEMES)})")
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc = host + (f":{parts.port}" if parts.port else "")
        self.uri = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))  # no credentials in it
        user = user or parts.username or os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME")
        password = password or parts.password or os.environ.get("NEO4J_PASSWORD")
        self._secrets = [s for s in (password, parts.password) if s]
        self._auth = (user or "neo4j", password or "") if (user or password) else None
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        self.batch_size = batch_size
        self._driver: Any = None

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    # ------------------------------------------------------------------ connection and errors
    def _scrub(self, text: str) -> str:
        for s in self._secrets:
            text = text.replace(s, "***")
        return text

    def _fail(self, exc: BaseException, doing: str) -> DealgraphError:
        """A DealgraphError for a driver exception, with credentials removed."""
        from neo4j import exceptions as ne

        where = f"Neo4j at {self.uri}" + (f" (database {self.database})" if self.database else "")
        if isinstance(exc, ne.AuthError):
            return DealgraphError(f"{where} refused the credentials while {doing}: check NEO4J_USER and "
                                  "NEO4J_PASSWORD")
        if isinstance(exc, ne.ServiceUnavailable):
            return DealgraphError(f"cannot reach {where} while {doing}: {self._scrub(str(exc))}")
        msg = getattr(exc, "message", None) or str(exc)
        return DealgraphError(f"{where} failed while {doing}: {self._scrub(msg)}")

    def driver(self) -> Any:
        """The driver, connected and checked on first use."""
        if self._driver is None:
            import neo4j
            from neo4j import exceptions as ne

            try:
                drv = neo4j.GraphDatabase.driver(self.uri, auth=self._auth, notifications_min_severity="OFF",
                                                 user_agent="dealgraph")
            except (ne.ConfigurationError, ValueError) as exc:
                raise DealgraphError(f"bad Neo4j settings for {self.uri}: {self._scrub(str(exc))}") from None
            try:
                drv.verify_connectivity()
            except (ne.Neo4jError, ne.DriverError) as exc:
                drv.close()
                raise self._fail(exc, "connecting") from None
            self._driver = drv
        return self._driver

    def _session(self, read: bool = False) -> Any:
        import neo4j

        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver().session(database=self.database, default_access_mode=mode)

    def _write(self, session: Any, cypher: str, doing: str, **params: Any) -> Any:
        """Run one statement in a managed write transaction (retried on transient errors)."""
        from neo4j import exceptions as ne

        def work(tx: Any) -> Any:
            return tx.run(cypher, params).consume()

        try:
            return session.execute_write(work)
        except (ne.Neo4jError, ne.DriverError) as exc:
            raise self._fail(exc, doing) from None

    def _read_rows(self, session: Any, cypher: str, doing: str) -> list[tuple[Any, ...]]:
        from neo4j import exceptions as ne

        def work(tx: Any) -> list[tuple[Any, ...]]:
            return [tuple(rec.values()) for rec in tx.run(cypher)]

        try:
            return session.execute_read(work)
        except (ne.Neo4jError, ne.DriverError) as exc:
            raise self._fail(exc, doing) from None

    # ------------------------------------------------------------------ load
    def ensure_schema(self, session: Any) -> None:
        """A uniqueness constraint (and so an index) on ``id`` for every label.

        Relationships need no index of their own: ``MERGE`` finds one by expanding
        from its two (indexed) end nodes, and stale ones are deleted by element id.
        (With an index on ``rid`` Neo4j 5.26 stalled for 10-45 s on some batches that
        follow a large one; 10k synthetic deals took 117 s to load with it, 54 s without.)
        """
        for lbl in schema().nodes:
            self._write(session, f"CREATE CONSTRAINT {_q(_CONSTRAINT.format(label=lbl))} IF NOT EXISTS "
                                 f"FOR (n:{_q(lbl)}) REQUIRE n.id IS UNIQUE", f"creating the {lbl} constraint")
        self._write(session, "CALL db.awaitIndexes(300)", "waiting for indexes")

    def load(self, pg: PropertyGraph, progress: Progress | None = None) -> LoadReport:
        """Make the database hold exactly ``pg`` (for the schema's labels and types); see the module doc."""
        with frozen_gc():  # the graph's millions of row dicts stay alive: collections need not walk them
            return self._load(pg, progress)

    def _load(self, pg: PropertyGraph, progress: Progress | None) -> LoadReport:
        say = progress or (lambda _msg: None)
        check_graph(pg)
        t0 = time.perf_counter()
        sch = schema()
        details: dict[str, Any] = {"removed_nodes": 0, "removed_relationships": 0, "batches": 0}
        with self._session() as s:
            self.ensure_schema(s)
            # 1. relationships the new graph does not have (first, so no node deletion drags many along)
            for rtype in sch.rels:
                keep = set(rel_keys(rtype, pg.rels.get(rtype, [])))
                have = self._read_rows(s, f"MATCH ()-[r:{_q(rtype)}]->() RETURN r.rid, elementId(r)",
                                       f"reading {rtype} keys")
                seen: set[str] = set()
                stale = []
                for k, eid in have:   # not in the new graph, or a second copy of a key
                    if k not in keep or k in seen:
                        stale.append(eid)
                    seen.add(k)
                for batch in _chunks(stale, self.batch_size):
                    self._write(s, "UNWIND $eids AS e MATCH ()-[r]->() WHERE elementId(r) = e DELETE r",
                                f"removing old {rtype} relationships", eids=batch)
                details["removed_relationships"] += len(stale)
            # 2. nodes: remove the ones that are gone, merge the rest
            for lbl in sch.nodes:
                rows = pg.nodes.get(lbl, [])
                have = self._read_rows(s, f"MATCH (n:{_q(lbl)}) RETURN n.id", f"reading {lbl} ids")
                ids = {r["id"] for r in rows}
                stale = [i for (i,) in have if i not in ids]
                for batch in _chunks(stale, self.batch_size):
                    self._write(s, f"UNWIND $ids AS id MATCH (n:{_q(lbl)} {{id: id}}) DETACH DELETE n",
                                f"removing old {lbl} nodes", ids=batch)
                details["removed_nodes"] += len(stale)
                stmt = f"UNWIND $rows AS r MERGE (n:{_q(lbl)} {{id: r.id}}) SET n = r"
                done = 0
                for batch in _chunks(rows, self.batch_size):
                    batch = [{k: v for k, v in r.items() if v is not None} for r in batch]  # null = no property
                    self._write(s, stmt, f"writing {lbl} nodes", rows=batch)
                    details["batches"] += 1
                    done += len(batch)
                    if done < len(rows):
                        say(f"{lbl}: {done}/{len(rows)} nodes")
                say(f"{lbl}: {len(rows)} nodes")
            # 3. relationships: merge on their keys
            for rtype in sch.rels:
                rows = pg.rels.get(rtype, [])
                keys = rel_keys(rtype, rows)
                by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
                for i, r in enumerate(rows):
                    by_pair[(r["from_label"], r["to_label"])].append(i)
                done = 0
                for (a, b), idx in by_pair.items():
                    stmt = (f"UNWIND $rows AS r MATCH (a:{_q(a)} {{id: r.from}}) MATCH (b:{_q(b)} {{id: r.to}}) "
                            f"MERGE (a)-[x:{_q(rtype)} {{rid: r.rid}}]->(b) SET x = r.props, x.rid = r.rid")
                    for part in _chunks(idx, self.batch_size):
                        batch = [_rel_row(rows[i], keys[i]) for i in part]
                        self._write(s, stmt, f"writing {rtype} relationships", rows=batch)
                        details["batches"] += 1
                        done += len(batch)
                        if done < len(rows):
                            say(f"{rtype}: {done}/{len(rows)} relationships")
                say(f"{rtype}: {len(rows)} relationships")
        secs = time.perf_counter() - t0
        return LoadReport(self.name, pg.node_count(), pg.rel_count(), secs,
                          {"uri": self.uri, "database": self.database, **details})

    # ------------------------------------------------------------------ read
    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read statement; rows as dicts (column -> plain Python value).

        The text must pass ``readonly.check_read_statement`` (so ``LOAD CSV``, ``CALL`` and the rest are
        refused before they reach the server), and it runs in a READ_ACCESS session through
        ``execute_read``, so the server refuses any write the check might miss.
        """
        check_read_statement(cypher)
        return self._execute_read(cypher, params)

    def _execute_read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The second guard alone: a READ_ACCESS session and ``execute_read`` (tests call it directly)."""
        from neo4j import exceptions as ne

        def work(tx: Any) -> list[dict[str, Any]]:
            res = tx.run(cypher, dict(params or {}))
            return [{k: plain(v) for k, v in rec.items()} for rec in res]

        with self._session(read=True) as s:
            try:
                return s.execute_read(work)
            except ne.ClientError as exc:
                code = exc.code or ""
                if code.endswith("AccessMode") or "read access mode" in (exc.message or ""):
                    raise ReadOnlyViolation(f"queries are read-only; this one tries to write "
                                            f"({self._scrub(exc.message or code)})") from None
                if code.startswith("Neo.ClientError.Statement") or code.startswith("Neo.ClientError.Schema"):
                    raise QueryError(f"Neo4j refused the query: {self._scrub(exc.message or code)}") from None
                raise self._fail(exc, "running a query") from None
            except (ne.Neo4jError, ne.DriverError) as exc:
                raise self._fail(exc, "running a query") from None

    # ------------------------------------------------------------------ write analysis results
    def set_node_properties(self, label: str, rows: list[dict[str, Any]], types: dict[str, str]) -> None:
        """Set the properties ``types`` names on the ``label`` nodes with the rows' ids (unknown ids ignored)."""
        if label not in schema().nodes:
            raise DealgraphError(f"unknown label '{label}': expected one of {', '.join(schema().nodes)}")
        for p, t in types.items():
            safe_name(p)
            if t not in SETTABLE_TYPES:
                raise DealgraphError(f"property {label}.{p}: type '{t}' is not one of {', '.join(SETTABLE_TYPES)}")
        if "id" in types:
            raise DealgraphError(f"{label}.id is the key and cannot be set")
        sets = ", ".join(f"n.{_q(p)} = r.{_q(p)}" for p in types)
        stmt = f"UNWIND $rows AS r MATCH (n:{_q(label)} {{id: r.id}}) SET {sets}"
        with self._session() as s:
            for batch in _chunks(rows, self.batch_size):
                data = [{"id": r["id"], **{p: _cast(r.get(p), t) for p, t in types.items()}} for r in batch]
                self._write(s, stmt, f"setting {label} properties", rows=data)

    def clear(self) -> None:
        """Delete every node of the schema's labels (and their relationships); constraints stay."""
        with self._session() as s:   # relationships first: a batch of hubs could hold millions of them
            for rtype in schema().rels:
                while self._write(s, f"MATCH ()-[r:{_q(rtype)}]->() WITH r LIMIT $n DELETE r", f"clearing {rtype}",
                                  n=self.batch_size).counters.relationships_deleted:
                    pass
            for lbl in schema().nodes:
                while self._write(s, f"MATCH (n:{_q(lbl)}) WITH n LIMIT $n DETACH DELETE n", f"clearing {lbl}",
                                  n=self.batch_size).counters.nodes_deleted:
                    pass

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None


def _rel_row(r: dict[str, Any], rid: str) -> dict[str, Any]:
    props = {k: v for k, v in r.items() if k not in ENDPOINT_KEYS and v is not None}
    return {"from": r["from"], "to": r["to"], "rid": rid, "props": props}


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _cast(v: Any, t: str) -> Any:
    if v is None:
        return None
    return {"DOUBLE": float, "INT64": int, "BOOLEAN": bool, "STRING": str}[t](v)
