"""The embedded store: a LadybugDB database file (``out/graph.lbdb``), no server, no configuration.

``load`` builds a new database beside the old one with the schema generated from
``property_graph.schema()`` and bulk ``COPY … FROM`` Arrow tables, then swaps it
in with one rename, so a crash or Ctrl-C leaves the previous database as it was.
A lock file (``<db>.lock``, ``fcntl.flock``) makes a second writer fail at once.
``query`` admits only read statements (``graph.query.readonly``) and runs them on a private copy of the
database file opened read-only, so a statement the check missed cannot change the store or leave
files (write-ahead log, shadow pages) beside it; the copy is removed on ``close``.
"""
from __future__ import annotations

import fcntl
import importlib.metadata
import os
import re
import shutil
import tempfile
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

from ..core.errors import DealgraphError
from .property_graph import PropertyGraph, schema
from ..query.readonly import check_read_statement
from .base import LoadReport, Progress, QueryError, ReadOnlyViolation, Store
from ..core.gcpause import frozen_gc
from .tables import quote_name as _q, SETTABLE_TYPES, check_graph, node_table, rel_tables, safe_name

#: The LadybugDB release this code is written and tested against (pinned in pyproject.toml).
LADYBUG_VERSION = "0.22.0"
_INSTALL = f"pip install ladybug=={LADYBUG_VERSION}"
_READ_ONLY_WORDS = ("read-only database", "read only database", "read-only mode")


def ladybug_module() -> ModuleType:
    """The ``ladybug`` module, checked to be LadybugDB (the graph database) at the pinned minor version.

    Another PyPI distribution (ladybug-core, a climate-analysis library) installs a
    module with the same name; importing it by mistake fails here with what to install.
    """
    try:
        import ladybug
    except ImportError as exc:
        raise DealgraphError(f"LadybugDB is not installed (import ladybug failed: {exc}); run: {_INSTALL}") from None
    try:
        version = importlib.metadata.version("ladybug")
    except importlib.metadata.PackageNotFoundError:
        version = None
    if version is None or not callable(getattr(ladybug, "Database", None)) \
            or not callable(getattr(ladybug, "Connection", None)):
        owners = importlib.metadata.packages_distributions().get("ladybug", [])
        who = f" (it comes from {', '.join(owners)})" if owners else ""
        raise DealgraphError(f"the installed 'ladybug' module is not LadybugDB{who}; "
                             f"uninstall it and run: {_INSTALL}")
    if version.split(".")[:2] != LADYBUG_VERSION.split(".")[:2]:
        raise DealgraphError(f"LadybugDB {version} is installed but dealgraph needs {LADYBUG_VERSION}; "
                             f"run: {_INSTALL}")
    return ladybug



def _lb_type(t: str) -> str:
    return "BOOL" if t == "BOOLEAN" else t


def schema_ddl() -> list[str]:
    """``CREATE NODE TABLE`` / ``CREATE REL TABLE`` statements for ``property_graph.schema()``."""
    sch = schema()
    out = []
    for lbl, props in sch.nodes.items():
        cols = ", ".join(f"{_q(p)} {_lb_type(t)}" for p, t in props)
        out.append(f"CREATE NODE TABLE {_q(lbl)}({cols}, PRIMARY KEY({_q(props[0][0])}))")
    for rtype, rs in sch.rels.items():
        ends = ", ".join(f"FROM {_q(a)} TO {_q(b)}" for a, b in rs.ends)
        cols = "".join(f", {_q(p)} {_lb_type(t)}" for p, t in rs.props)
        out.append(f"CREATE REL TABLE {_q(rtype)}({ends}{cols})")
    return out


def plain(value: Any) -> Any:
    """A LadybugDB result value as plain Python: nodes and relationships as dicts of their
    (non-null) properties, paths as ``{'nodes': […], 'relationships': […]}``."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            return {"nodes": [plain(n) for n in value["_NODES"]],
                    "relationships": [plain(r) for r in value["_RELS"]]}
        if "_LABEL" in value and "_ID" in value:
            return {k: plain(v) for k, v in value.items() if not k.startswith("_") and v is not None}
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class LadybugStore(Store):
    """The property graph in a LadybugDB database file at ``path``."""

    name = "ladybug"

    def __init__(self, path: Path | str = "out/graph.lbdb", *, threads: int = 0):
        self.path = Path(path)
        self.threads = threads
        self._lb = ladybug_module()
        self._reader: tuple[Any, Any, Any] | None = None  # (Database, Connection, cleanup) on a private copy

    def __repr__(self) -> str:
        return f"LadybugStore({str(self.path)!r})"

    # ------------------------------------------------------------------ locking and files
    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Hold ``<db>.lock`` exclusively, or fail at once if another process writes this database."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
                raise DealgraphError(f"{self.path} is being written by {holder} (lock {self.lock_path} is held); "
                                     "wait for that build to finish") from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _sidecars(self, db: Path) -> list[Path]:
        """Files LadybugDB keeps next to a database file (write-ahead log, shadow pages)."""
        return [p for p in (db.with_name(db.name + s) for s in (".wal", ".shadow", ".tmp")) if p.exists()]

    def _remove_db(self, db: Path) -> None:
        for p in [db, *self._sidecars(db)]:
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()

    def _close_reader(self) -> None:
        if self._reader is not None:
            db, conn, finalizer = self._reader
            self._reader = None
            conn.close()
            db.close()
            finalizer()

    # ------------------------------------------------------------------ load
    def load(self, pg: PropertyGraph, progress: Progress | None = None) -> LoadReport:
        """Replace the database with ``pg``: build ``<db>.building-<pid>``, then rename it over ``<db>``."""
        with frozen_gc():  # the graph's millions of row dicts stay alive: collections need not walk them
            return self._load(pg, progress)

    def _load(self, pg: PropertyGraph, progress: Progress | None) -> LoadReport:
        say = progress or (lambda _msg: None)
        check_graph(pg)
        if self.path.is_dir():
            raise DealgraphError(f"{self.path} is a folder, not a LadybugDB database file: remove it or give "
                                 "another path")
        t0 = time.perf_counter()
        with self._write_lock():
            self._close_reader()
            for stale in self.path.parent.glob(self.path.name + ".building-*"):
                self._remove_db(stale)  # left by a build that was killed; we hold the lock, so none runs
            tmp = self.path.with_name(f"{self.path.name}.building-{os.getpid()}")
            details: dict[str, Any] = {}
            try:
                self._build(tmp, pg, say, details)
                leftovers = self._sidecars(tmp)
                if leftovers:
                    raise DealgraphError(f"LadybugDB left {leftovers[0]} after closing {tmp}; the new database "
                                         "was not swapped in")
                # The old database's write-ahead log must not be replayed into the new file.
                for side in self._sidecars(self.path):
                    side.unlink()
                os.replace(tmp, self.path)
            finally:
                if tmp.exists():
                    self._remove_db(tmp)
        secs = time.perf_counter() - t0
        return LoadReport(self.name, pg.node_count(), pg.rel_count(), secs, {"path": str(self.path), **details})

    def _build(self, target: Path, pg: PropertyGraph, say: Progress, details: dict[str, Any]) -> None:
        db = self._lb.Database(str(target), max_num_threads=self.threads)

        def run(stmt: str, params: dict[str, Any] | None = None) -> None:
            # A connection per statement: a connection keeps each prepared COPY, and with it the
            # Arrow table it read, until it is closed (≈250 MB more at 100k deals otherwise).
            conn = self._lb.Connection(db)
            try:
                conn.execute(stmt, params or {}).close()
            except RuntimeError as exc:
                raise DealgraphError(_load_failure(target, str(exc))) from None
            finally:
                conn.close()

        try:
            for stmt in schema_ddl():
                run(stmt)
            t = time.perf_counter()
            for lbl in schema().nodes:
                rows = pg.nodes.get(lbl, [])
                if rows:
                    run(f"COPY {_q(lbl)} FROM $rows", {"rows": node_table(lbl, rows)})
                say(f"{lbl}: {len(rows)} nodes")
            details["node_seconds"] = round(time.perf_counter() - t, 3)
            t = time.perf_counter()
            for rtype in schema().rels:
                rows = pg.rels.get(rtype, [])
                for (a, b), table in rel_tables(rtype, rows):
                    run(f"COPY {_q(rtype)} FROM $rows (from={_str(a)}, to={_str(b)})", {"rows": table})
                say(f"{rtype}: {len(rows)} relationships")
            details["rel_seconds"] = round(time.perf_counter() - t, 3)
            run("CHECKPOINT")
        finally:
            db.close()

    # ------------------------------------------------------------------ read
    def _connection(self) -> Any:
        """A read-only connection to a private copy of the database (made on first use)."""
        if self._reader is None:
            if not self.path.is_file():
                raise DealgraphError(f"no graph database at {self.path}: run `dealgraph build` first")
            private = Path(tempfile.mkdtemp(prefix="dealgraph-read-"))
            finalizer = weakref.finalize(self, shutil.rmtree, private, True)
            copy = private / self.path.name
            try:
                shutil.copyfile(self.path, copy)
                for side in self._sidecars(self.path):
                    shutil.copyfile(side, private / side.name)
                db = self._lb.Database(str(copy), read_only=True, max_num_threads=self.threads)
                conn = self._lb.Connection(db)
            except (RuntimeError, OSError) as exc:
                finalizer()
                raise DealgraphError(f"cannot open {self.path} with LadybugDB: {exc}") from None
            self._reader = (db, conn, finalizer)
        return self._reader[1]

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read statement; rows as dicts (column -> plain Python value).

        The text must pass ``readonly.check_read_statement``; it then runs on the private read-only
        copy (``_execute_read``), so the store file and its folder stay as they were.
        """
        check_read_statement(cypher)
        return self._execute_read(cypher, params)

    def _execute_read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The second guard alone: the statement runs on the private read-only copy (tests call it directly)."""
        conn = self._connection()
        try:
            res = conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            msg = str(exc)
            if any(w in msg for w in _READ_ONLY_WORDS):
                raise ReadOnlyViolation(f"queries are read-only; this one tries to write ({msg})") from None
            raise QueryError(f"LadybugDB refused the query: {msg}") from None
        if isinstance(res, list):
            for r in res:
                r.close()
            raise QueryError("run one Cypher statement at a time (this text holds several)")
        try:
            cols = res.get_column_names()
            return [dict(zip(cols, (plain(v) for v in row))) for row in res.get_all()]
        finally:
            res.close()

    # ------------------------------------------------------------------ write analysis results
    def set_node_properties(self, label: str, rows: list[dict[str, Any]], types: dict[str, str]) -> None:
        """Add the columns ``types`` names to ``label`` if missing, then set them on the nodes with the rows' ids.

        Unknown ids are ignored; a column that exists with another type is an error.
        """
        if label not in schema().nodes:
            raise DealgraphError(f"unknown label '{label}': expected one of {', '.join(schema().nodes)}")
        for p, t in types.items():
            safe_name(p)
            if t not in SETTABLE_TYPES:
                raise DealgraphError(f"property {label}.{p}: type '{t}' is not one of {', '.join(SETTABLE_TYPES)}")
        if p_id := [p for p in types if p == "id"]:
            raise DealgraphError(f"{label}.{p_id[0]} is the key and cannot be set")
        with self._write_connection() as conn:
            try:
                res = conn.execute(f"CALL table_info({_str(label)}) RETURN *")
                have = {row[1]: row[2] for row in res.get_all()}
                for p, t in types.items():
                    want = _lb_type(t)
                    if p not in have:
                        conn.execute(f"ALTER TABLE {_q(label)} ADD {_q(p)} {want}")
                    elif have[p] != want:
                        raise DealgraphError(f"{label}.{p} already holds {have[p]} values, not {t}")
                sets = ", ".join(f"n.{_q(p)} = CAST(r.{_q(p)} AS {_lb_type(t)})" for p, t in types.items())
                stmt = f"UNWIND $rows AS r MATCH (n:{_q(label)} {{id: r.id}}) SET {sets}"
                cols = ["id", *types]
                for i in range(0, len(rows), 20_000):
                    batch = [{c: _cast(r.get(c), types.get(c, "STRING")) for c in cols} for r in rows[i:i + 20_000]]
                    conn.execute(stmt, {"rows": batch})
                conn.execute("CHECKPOINT")
            except RuntimeError as exc:
                raise DealgraphError(f"LadybugDB refused to set {label} properties: {exc}") from None

    @contextmanager
    def _write_connection(self) -> Iterator[Any]:
        """A write connection to the database file, under its lock, closed (with the database) on the way out."""
        if not self.path.is_file():
            raise DealgraphError(f"no graph database at {self.path}: run `dealgraph build` first")
        with self._write_lock():
            self._close_reader()
            db = self._lb.Database(str(self.path), max_num_threads=self.threads)
            conn = self._lb.Connection(db)
            try:
                yield conn
            finally:
                conn.close()
                db.close()

    @contextmanager
    def writer(self) -> Iterator[Callable[..., list[list[Any]]]]:
        """Write access to the database file, under its lock: yields ``run(statement, params=None)``, which runs
        one parameterised statement and gives its rows; a statement LadybugDB refuses raises DealgraphError.
        Leaving the block without an error checkpoints the database (no write-ahead log is left beside it).

        Example: ``with store.writer() as run: run("MATCH (d:Deal {id: $id}) SET d.note = $note", {...})``.
        """
        with self._write_connection() as conn:

            def run(stmt: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
                try:
                    res = conn.execute(stmt, params or {})
                except RuntimeError as exc:
                    raise DealgraphError(f"LadybugDB refused an update of {self.path}: {exc}") from None
                try:
                    return res.get_all()
                finally:
                    res.close()

            yield run
            run("CHECKPOINT")

    def close(self) -> None:
        self._close_reader()


def _load_failure(target: Path, msg: str) -> str:
    """One line for a failed load: the file-system error when LadybugDB could not write (disk full, size limit)."""
    io = re.search(r"IO exception:.*Error: ([^\n]+)", msg, re.S)
    if io:
        return f"cannot write {target}: {io.group(1).strip()} (LadybugDB could not write its database file)"
    return f"LadybugDB refused the load into {target}: {msg.strip().splitlines()[0] if msg.strip() else msg}"


def name_literal(name: str) -> str:
    """A schema name (a label or type from ``schema()``, never a user's value) as a Cypher string literal, for
    ``CALL`` arguments and ``COPY`` options, which take no parameters: ``name_literal("Deal") == "'Deal'"``."""
    return _str(name)


def _str(s: str) -> str:
    """A Cypher string literal (for table names in options and CALL arguments, which take no parameters)."""
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _cast(v: Any, t: str) -> Any:
    """A value converted to the column type, so a batch never mixes ints and floats in one column."""
    if v is None:
        return None
    if t == "DOUBLE":
        return float(v)
    if t == "INT64":
        return int(v)
    if t == "BOOLEAN":
        return bool(v)
    return str(v)
