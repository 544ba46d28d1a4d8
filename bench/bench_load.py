"""Load benchmark: dealgraph's store loaders against the engines' own fastest paths, on synthetic deals.

Run from the repository root:

    .venv/bin/python bench/bench_load.py                 # 10k and 100k deals, both stores
    .venv/bin/python bench/bench_load.py --quick         # 2k deals, a smaller per-row sample
    .venv/bin/python bench/bench_load.py --sizes 10000 --stores ladybug

For each size it builds one synthetic property graph (``graph.ingest.synth``) and measures, in the same run:

* LadybugDB: ``LadybugStore.load`` (checks, Arrow tables from rows, COPY, atomic swap) against
  LadybugDB's own ``COPY … FROM`` of the same Arrow tables into a fresh database (tables built
  before the clock starts). Target: ours ≥ 0.5 of its throughput.
* Neo4j: ``Neo4jStore.load`` (constraints, batched ``UNWIND … MERGE`` in managed transactions)
  against one big ``UNWIND … CREATE`` per label / relationship pair of the same rows (no MERGE;
  target: ours ≥ 1/3 of its throughput) and against one transaction per row (the same MERGE
  statements, measured on a sample of rows and extrapolated; target: ours ≥ 20× faster).
  Each Neo4j measurement gets a fresh server (``tests/neo4j_server.Neo4jServer``), or uses
  ``$NEO4J_URI`` (then the database is emptied between measurements); before the clock starts,
  each loader loads a small graph (2,000 deals) that is then deleted, so no one is timed on a
  cold JVM. The per-row sample runs on the server our loader has just filled.
* Peak memory of each load: the peak resident size (``VmHWM`` in ``/proc/self/status``) of a
  subprocess that unpickles the graph and loads it, so it includes the graph itself (shown
  separately: the resident size right after unpickling).

Only ratios are compared with targets: absolute times depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.stores.property_graph import PropertyGraph, schema, to_property_graph  # noqa: E402
from graph.stores.tables import ENDPOINT_KEYS, node_table, rel_keys, rel_tables  # noqa: E402
from graph.core.gcpause import paused_gc  # noqa: E402
from graph.ingest.synth import synthetic_dataset  # noqa: E402

MB = 1024 * 1024
WARM_DEALS = 2000


# ---------------------------------------------------------------------------------------------- workers
def _rss_now() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak() -> int:
    """Peak resident memory of this process: the kernel's high-water mark ``VmHWM``.

    (``ru_maxrss`` would do, but Linux carries it across fork/exec, so a worker started by a
    parent holding a 2 GB graph would report the parent's size.)
    """
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # not Linux: KiB there too


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _neo4j_auth() -> Any:
    from tests.neo4j_server import neo4j_auth_from_env

    return neo4j_auth_from_env() if os.environ.get("NEO4J_URI") else None


def _clear(uri: str) -> None:
    from graph.stores.neo4j import Neo4jStore

    auth = _neo4j_auth()
    store = Neo4jStore(uri, user=auth[0] if auth else None, password=auth[1] if auth else None)
    store.clear()
    store.close()


def worker(kind: str, graph_file: str, target: str, chunk: int, warm_file: str | None) -> dict[str, Any]:
    """One measurement in this (fresh) process; returns seconds, rows and memory figures.

    With ``warm_file`` (Neo4j), the same loader first loads that small graph and the database is
    emptied again, so that neither loader is timed on a cold JVM.
    """
    warm: PropertyGraph | None = None
    with open(graph_file, "rb") as fh, paused_gc():
        pg: PropertyGraph = pickle.load(fh)
        if warm_file:
            with open(warm_file, "rb") as wf:
                warm = pickle.load(wf)
    gc.collect()
    base = _rss_now()
    rows = pg.node_count() + pg.rel_count()
    out: dict[str, Any] = {"kind": kind, "rows": rows, "graph_rss_mb": base / MB}
    if kind == "ladybug-ours":
        from graph.stores.ladybug import LadybugStore

        t = time.perf_counter()
        LadybugStore(target).load(pg)
        out["seconds"] = time.perf_counter() - t
    elif kind == "ladybug-direct":
        import ladybug

        from graph.stores.ladybug import schema_ddl

        nodes = [(lbl, node_table(lbl, pg.nodes[lbl])) for lbl in schema().nodes if pg.nodes.get(lbl)]
        rels = [(t, pair, tab) for t in schema().rels for pair, tab in rel_tables(t, pg.rels.get(t, []))]
        t0 = time.perf_counter()
        db = ladybug.Database(target)
        conn = ladybug.Connection(db)
        for stmt in schema_ddl():
            conn.execute(stmt)
        for lbl, tab in nodes:
            conn.execute(f"COPY {_q(lbl)} FROM $rows", {"rows": tab})
        for rtype, (a, b), tab in rels:
            conn.execute(f"COPY {_q(rtype)} FROM $rows (from='{a}', to='{b}')", {"rows": tab})
        conn.execute("CHECKPOINT")
        conn.close()
        db.close()
        out["seconds"] = time.perf_counter() - t0
    elif kind == "neo4j-ours":
        from graph.stores.neo4j import Neo4jStore

        auth = _neo4j_auth()
        store = Neo4jStore(target, user=auth[0] if auth else None, password=auth[1] if auth else None)
        if warm is not None:
            store.load(warm)
            store.clear()
        t = time.perf_counter()
        store.load(pg)
        out["seconds"] = time.perf_counter() - t
        store.close()
    elif kind == "neo4j-create":
        if warm is not None:
            neo4j_create(warm, target, chunk)
            _clear(target)
        out.update(neo4j_create(pg, target, chunk))
    else:
        raise SystemExit(f"unknown worker kind {kind}")
    out["peak_rss_mb"] = _peak() / MB
    return out


def _rel_rows(rtype: str, rows: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Relationship rows as both Neo4j loaders send them: ends, key, properties; by label pair."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r, k in zip(rows, rel_keys(rtype, rows)):
        props = {p: v for p, v in r.items() if p not in ENDPOINT_KEYS and v is not None}
        props["rid"] = k
        out.setdefault((r["from_label"], r["to_label"]), []).append({"from": r["from"], "to": r["to"], "rid": k,
                                                                     "props": props})
    return out


def neo4j_create(pg: PropertyGraph, uri: str, chunk: int) -> dict[str, Any]:
    """The baseline: constraints, then one ``UNWIND $rows … CREATE`` per label and per relationship pair."""
    import neo4j

    from graph.stores.neo4j import Neo4jStore

    node_rows = {lbl: [{k: v for k, v in r.items() if v is not None} for r in pg.nodes.get(lbl, [])]
                 for lbl in schema().nodes}
    rel_rows = {t: _rel_rows(t, pg.rels.get(t, [])) for t in schema().rels}
    driver = neo4j.GraphDatabase.driver(uri, auth=_neo4j_auth(), notifications_min_severity="OFF")
    statements = 0

    def run(session: Any, stmt: str, rows: list[dict[str, Any]]) -> None:
        nonlocal statements
        step = chunk or len(rows)
        for i in range(0, len(rows), step):
            part = rows[i:i + step]
            session.execute_write(lambda tx: tx.run(stmt, rows=part).consume())
            statements += 1

    auth = _neo4j_auth()
    store = Neo4jStore(uri, user=auth[0] if auth else None, password=auth[1] if auth else None)
    with store._session() as s:   # the same constraints (relationships are matched through them), not timed
        store.ensure_schema(s)
    store.close()
    t = time.perf_counter()
    with driver.session() as s:
        for lbl, rows in node_rows.items():
            if rows:
                run(s, f"UNWIND $rows AS r CREATE (n:{_q(lbl)}) SET n = r", rows)
        for rtype, pairs in rel_rows.items():
            for (a, b), rows in pairs.items():
                run(s, f"UNWIND $rows AS r MATCH (a:{_q(a)} {{id: r.from}}) MATCH (b:{_q(b)} {{id: r.to}}) "
                       f"CREATE (a)-[x:{_q(rtype)}]->(b) SET x = r.props", rows)
    secs = time.perf_counter() - t
    driver.close()
    return {"seconds": secs, "statements": statements}


def per_row_rates(pg: PropertyGraph, uri: str, sample: int, seed: int = 0) -> dict[str, Any]:
    """Rows per second writing one row per transaction with dealgraph's MERGE statements.

    Relationships: on the fully loaded graph, ``sample/2`` relationships (spread over the types in
    proportion) are deleted and written back one per transaction. Nodes: ``sample/2`` node rows
    are deleted (with their relationships) and merged back one per transaction.
    """
    import neo4j

    rng = random.Random(seed)
    driver = neo4j.GraphDatabase.driver(uri, auth=_neo4j_auth(), notifications_min_severity="OFF")
    rel_pool = [(t, pair, row) for t in schema().rels for pair, rows in _rel_rows(t, pg.rels.get(t, [])).items()
                for row in rows]
    node_pool = [(lbl, {k: v for k, v in r.items() if v is not None}) for lbl in schema().nodes
                 for r in pg.nodes.get(lbl, [])]
    rels = rng.sample(rel_pool, min(sample // 2, len(rel_pool)))
    nodes = rng.sample(node_pool, min(sample - len(rels), len(node_pool)))
    out: dict[str, Any] = {}
    with driver.session() as s:
        for t, (a, b), row in rels:
            s.execute_write(lambda tx: tx.run(f"MATCH (:{_q(a)} {{id: $f}})-[r:{_q(t)} {{rid: $k}}]->(:{_q(b)} {{id: $t}}) "
                                              "DELETE r", f=row["from"], t=row["to"], k=row["rid"]).consume())
        t0 = time.perf_counter()
        for t, (a, b), row in rels:
            stmt = (f"UNWIND $rows AS r MATCH (a:{_q(a)} {{id: r.from}}) MATCH (b:{_q(b)} {{id: r.to}}) "
                    f"MERGE (a)-[x:{_q(t)} {{rid: r.rid}}]->(b) SET x = r.props")
            s.execute_write(lambda tx: tx.run(stmt, rows=[row]).consume())
        out["rel_rate"] = len(rels) / (time.perf_counter() - t0)
        for lbl, row in nodes:
            s.execute_write(lambda tx: tx.run(f"MATCH (n:{_q(lbl)} {{id: $id}}) DETACH DELETE n",
                                              id=row["id"]).consume())
        t0 = time.perf_counter()
        for lbl, row in nodes:
            stmt = f"UNWIND $rows AS r MERGE (n:{_q(lbl)} {{id: r.id}}) SET n = r"
            s.execute_write(lambda tx: tx.run(stmt, rows=[row]).consume())
        out["node_rate"] = len(nodes) / (time.perf_counter() - t0)
    driver.close()
    out["sampled"] = len(rels) + len(nodes)
    out["extrapolated_seconds"] = pg.node_count() / out["node_rate"] + pg.rel_count() / out["rel_rate"]
    return out


# ---------------------------------------------------------------------------------------------- driver
def run_worker(kind: str, graph_file: Path, target: str, chunk: int = 0, warm: Path | None = None) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--graph", str(graph_file),
           "--target", target, "--chunk", str(chunk)] + (["--warm", str(warm)] if warm else [])
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"worker {kind} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


class Neo4jTarget:
    """A fresh Neo4j per measurement (or ``$NEO4J_URI``, emptied before each)."""

    def __init__(self, heap: str, pagecache: str):
        self.heap, self.pagecache = heap, pagecache
        self.server: Any = None

    def __enter__(self) -> str:
        if os.environ.get("NEO4J_URI"):
            from graph.stores.neo4j import Neo4jStore

            auth = _neo4j_auth()
            st = Neo4jStore(os.environ["NEO4J_URI"], user=auth[0] if auth else None,
                            password=auth[1] if auth else None)
            st.clear()
            st.close()
            return os.environ["NEO4J_URI"]
        from tests.neo4j_server import Neo4jServer

        self.server = Neo4jServer(heap=self.heap, pagecache=self.pagecache, quiet=True).start()
        return self.server.uri

    def __exit__(self, *exc: Any) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def fmt_rate(rows: int, secs: float) -> str:
    return f"{rows / secs:,.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="deal counts, comma-separated (default 10000,100000)")
    ap.add_argument("--quick", action="store_true", help="one small size (2000 deals) and a 400-row per-row sample")
    ap.add_argument("--stores", default="ladybug,neo4j", help="which stores to measure (default both)")
    ap.add_argument("--sample", type=int, default=2000, help="rows written one per transaction (default 2000)")
    ap.add_argument("--create-chunk", type=int, default=0,
                    help="rows per UNWIND CREATE statement in the Neo4j baseline (0 = all rows of a table at once)")
    ap.add_argument("--neo4j-heap", default="2g", help="heap of each Neo4j test server (default 2g)")
    ap.add_argument("--neo4j-pagecache", default="1g", help="page cache of each Neo4j test server (default 1g)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--graph", help=argparse.SUPPRESS)
    ap.add_argument("--target", help=argparse.SUPPRESS)
    ap.add_argument("--chunk", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--warm", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.graph, args.target, args.chunk, args.warm)))
        return 0
    sizes = [2000] if args.quick else [int(x) for x in args.sizes.split(",") if x.strip()]
    sample = min(args.sample, 400) if args.quick else args.sample
    stores = {s.strip() for s in args.stores.split(",")}
    lines: list[str] = []
    checks: list[tuple[str, bool]] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"dealgraph load benchmark  (python {sys.version.split()[0]}, {os.cpu_count()} cpus; one run, "
        "ratios measured side by side)")
    with tempfile.TemporaryDirectory(prefix="dealgraph-bench-") as tmp:
        tmpd = Path(tmp)
        warm_file = tmpd / "warm.pkl"   # a small graph each Neo4j loader loads once before it is timed
        with paused_gc(), open(warm_file, "wb") as fh:
            pickle.dump(to_property_graph(synthetic_dataset(WARM_DEALS, seed=args.seed + 1)), fh)
        for n in sizes:
            t = time.perf_counter()
            with paused_gc():
                pg = to_property_graph(synthetic_dataset(n, seed=args.seed))
            gen = time.perf_counter() - t
            graph_file = tmpd / f"graph-{n}.pkl"
            with open(graph_file, "wb") as fh:
                pickle.dump(pg, fh, protocol=pickle.HIGHEST_PROTOCOL)
            rows = pg.node_count() + pg.rel_count()
            say("")
            say(f"== {n:,} deals: {pg.node_count():,} nodes + {pg.rel_count():,} relationships = {rows:,} rows "
                f"(synthetic graph built in {gen:.1f} s)")
            say(f"{'store':8} {'loader':52} {'seconds':>9} {'rows/s':>10} {'peak RSS':>9}")
            mem: list[tuple[str, dict[str, Any]]] = []
            if "ladybug" in stores:
                ours = run_worker("ladybug-ours", graph_file, str(tmpd / f"ours-{n}.lbdb"))
                direct = run_worker("ladybug-direct", graph_file, str(tmpd / f"direct-{n}.lbdb"))
                for label, r in (("dealgraph LadybugStore.load (COPY, atomic swap)", ours),
                                 ("LadybugDB COPY FROM prebuilt Arrow tables (direct)", direct)):
                    say(f"{'ladybug':8} {label:52} {r['seconds']:9.2f} {fmt_rate(rows, r['seconds']):>10} "
                        f"{r['peak_rss_mb']:7.0f}MB")
                ratio = direct["seconds"] / ours["seconds"]
                checks.append((f"ladybug {n}: ours / direct COPY throughput = {ratio:.2f} (target >= 0.50)",
                               ratio >= 0.5))
                mem.append(("ladybug", ours))
            if "neo4j" in stores:
                with Neo4jTarget(args.neo4j_heap, args.neo4j_pagecache) as uri:
                    ours = run_worker("neo4j-ours", graph_file, uri, warm=warm_file)
                    per_row = per_row_rates(pg, uri, sample, args.seed)
                with Neo4jTarget(args.neo4j_heap, args.neo4j_pagecache) as uri:
                    create = run_worker("neo4j-create", graph_file, uri, args.create_chunk, warm=warm_file)
                unit = "all rows of a table" if not args.create_chunk else f"{args.create_chunk:,} rows"
                for label, secs, peak in (
                        ("dealgraph Neo4jStore.load (batched MERGE)", ours["seconds"], ours["peak_rss_mb"]),
                        (f"UNWIND CREATE, {unit} per statement", create["seconds"], create["peak_rss_mb"]),
                        (f"1 tx per row (MERGE; {per_row['sampled']} rows sampled, extrapolated)",
                         per_row["extrapolated_seconds"], None)):
                    peak_s = f"{peak:7.0f}MB" if peak is not None else f"{'-':>9}"
                    say(f"{'neo4j':8} {label:52} {secs:9.2f} {fmt_rate(rows, secs):>10} {peak_s}")
                r1 = create["seconds"] / ours["seconds"]
                r2 = per_row["extrapolated_seconds"] / ours["seconds"]
                checks.append((f"neo4j {n}: ours / UNWIND CREATE throughput = {r1:.2f} (target >= 0.33)", r1 >= 1 / 3))
                checks.append((f"neo4j {n}: ours vs one tx per row = {r2:.1f}x faster (target >= 20x)", r2 >= 20))
                mem.append(("neo4j", ours))
            for store, r in mem:
                ok = r["peak_rss_mb"] < 2048
                checks.append((f"{store} {n}: peak RSS of the loading process {r['peak_rss_mb']:.0f} MB, of which the "
                               f"graph held in memory {r['graph_rss_mb']:.0f} MB (target < 2048 MB)", ok))
            graph_file.unlink()
            del pg
    say("")
    say("memory: peak RSS (VmHWM) of a subprocess that unpickles the graph, then loads it (Python + driver or "
        "embedded engine; not the Neo4j server JVM)")
    say("checks:")
    for text, ok in checks:
        say(f"  [{'ok' if ok else 'MISS'}] {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
