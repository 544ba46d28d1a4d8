"""The graph in formats other tools read: Turtle, JSON-LD, GraphML, CSV tables, neo4j-admin CSV.

Everything but the RDF is built from ``property_graph.to_property_graph(ds)`` and its
``schema()``, so labels, relationship types and property names are the project's one
vocabulary. ``export_files(ds, fmt)`` returns {relative path: text}; ``write_export`` writes
them through a staging folder, so a failed export leaves earlier files as they were.

Formats
-------
``ttl`` / ``jsonld``: ``graph.ttl`` / ``graph.jsonld``, the RDF of ``graph.rdf.triples.to_rdf`` under the
ontology (the same files ``dealgraph build`` writes).

``graphml``: ``graph.graphml`` for Gephi and Cytoscape. Node ids are ``<Label>:<id>``; each node
has ``labels`` (its label) and its properties, each edge ``label`` (its relationship type) and its
properties (the conventions of Neo4j's APOC GraphML export). Lists are joined with ``'; '``;
missing values and empty lists are left out.

``csv``: ``csv/nodes/<Label>.csv`` (one column per property, first ``id``) and
``csv/relationships/<TYPE>.csv`` (``from``, ``from_label``, ``to``, ``to_label``, then properties).
Lists are joined with ``'; '``, booleans are ``true``/``false``, missing values are empty.

``neo4j-admin``: ``neo4j-admin/nodes/<Label>.csv`` and
``neo4j-admin/relationships/<TYPE>-<FromLabel>-<ToLabel>.csv`` in the header format of
``neo4j-admin database import full``: ``id:ID(<Label>)`` (one id space per label, since ids are
unique per label only; the id is kept as the ``id`` property), ``:LABEL``, ``:START_ID(<Label>)``,
``:END_ID(<Label>)``, ``:TYPE``, and typed properties: ``year:long``, ``usd:double``,
``multinational:boolean``, ``aliases:string[]`` (plain ``name`` is a string). INT64 and DOUBLE
properties are written ``long`` and ``double`` rather than ``int`` and ``float``: the importer's
``float`` is 32-bit and would round large USD amounts. Array elements are separated by ``|``
(``ARRAY_DELIMITER``; passed as ``--array-delimiter``); an empty field is a missing property.
``import.sh`` runs the exact command; ``README.md`` repeats it.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from ..models.dataset import Dataset
from ..core.errors import DealgraphError
from ..pipeline.outputs import Staging
from ..stores.property_graph import BOOL, FLOAT, INT, STRING, STRINGS, PropertyGraph, schema, to_property_graph
from ..core.csvsafe import writer as csv_writer

FORMATS = ("ttl", "jsonld", "graphml", "csv", "neo4j-admin")
LIST_JOIN = "; "
ARRAY_DELIMITER = "|"
NEO4J_TYPES = {STRING: "", INT: "long", FLOAT: "double", BOOL: "boolean", STRINGS: "string[]"}
REL_ENDS = ("from", "to", "from_label", "to_label")


# --------------------------------------------------------------------------- shared helpers
def node_key(label: str, node_id: str) -> str:
    """GraphML node id of a property-graph node."""
    return f"{label}:{node_id}"


def rel_props(rel_type: str) -> list[tuple[str, str]]:
    """(property, type) of a relationship type, as the schema gives them."""
    return list(schema().rels[rel_type].props)


def rel_file(rel_type: str, src: str, dst: str) -> str:
    return f"{rel_type}-{src}-{dst}.csv"


def flat(value: Any) -> Any:
    """A property value for GraphML: lists joined with '; ', None and empty lists dropped (None)."""
    if isinstance(value, list):
        return LIST_JOIN.join(map(str, value)) if value else None
    return value


def _text(value: Any, join: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return join.join(map(str, value))
    return str(value)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv_writer(buf, lineterminator="\n")  # spreadsheet-safe
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


# --------------------------------------------------------------------------- formats
def to_networkx(pg: PropertyGraph) -> nx.MultiDiGraph:
    """The property graph as a NetworkX multigraph with flat (GraphML-storable) attributes."""
    g = nx.MultiDiGraph()
    for label, rows in pg.nodes.items():
        for r in rows:
            attrs = {k: flat(v) for k, v in r.items()}
            g.add_node(node_key(label, r["id"]), labels=label, **{k: v for k, v in attrs.items() if v is not None})
    for rel_type, r in pg.iter_rels():
        props = {k: flat(v) for k, v in r.items() if k not in REL_ENDS}
        g.add_edge(node_key(r["from_label"], r["from"]), node_key(r["to_label"], r["to"]), label=rel_type,
                   **{k: v for k, v in props.items() if v is not None})
    return g


def graphml(pg: PropertyGraph) -> dict[str, str]:
    buf = io.BytesIO()
    nx.write_graphml(to_networkx(pg), buf, encoding="utf-8", prettyprint=True)
    return {"graph.graphml": buf.getvalue().decode("utf-8")}


def csv_tables(pg: PropertyGraph) -> dict[str, str]:
    sch = schema()
    out = {}
    for label, props in sch.nodes.items():
        cols = [p for p, _ in props]
        out[f"csv/nodes/{label}.csv"] = _csv(cols, [[_text(r.get(c), LIST_JOIN) for c in cols]
                                                     for r in pg.nodes.get(label, [])])
    for rel_type in sch.rels:
        cols = ["from", "from_label", "to", "to_label"] + [p for p, _ in rel_props(rel_type)]
        out[f"csv/relationships/{rel_type}.csv"] = _csv(cols, [[_text(r.get(c), LIST_JOIN) for c in cols]
                                                               for r in pg.rels.get(rel_type, [])])
    return out


def _array(value: list[Any], where: str) -> str:
    for x in value:
        if ARRAY_DELIMITER in str(x):
            raise DealgraphError(f"{where}: array element '{x}' contains the array delimiter "
                                 f"'{ARRAY_DELIMITER}'; neo4j-admin would split it")
    return ARRAY_DELIMITER.join(map(str, value))


def _admin_value(value: Any, typ: str, where: str) -> str:
    if typ == STRINGS:
        return _array(value or [], where)
    return _text(value, ARRAY_DELIMITER)


def _typed(name: str, typ: str) -> str:
    t = NEO4J_TYPES[typ]
    return f"{name}:{t}" if t else name


def neo4j_admin(pg: PropertyGraph) -> dict[str, str]:
    sch = schema()
    out = {}
    node_args, rel_args = [], []
    for label, props in sch.nodes.items():
        header = [f"id:ID({label})"] + [_typed(p, t) for p, t in props[1:]] + [":LABEL"]
        rows = [[r["id"]] + [_admin_value(r.get(p), t, f"{label} {r['id']}.{p}") for p, t in props[1:]] + [label]
                for r in pg.nodes.get(label, [])]
        path = f"nodes/{label}.csv"
        out[f"neo4j-admin/{path}"] = _csv(header, rows)
        node_args.append(path)
    for rel_type, rs in sch.rels.items():
        props = rel_props(rel_type)
        for src, dst in rs.ends:
            header = [f":START_ID({src})", f":END_ID({dst})", ":TYPE"] + [_typed(p, t) for p, t in props]
            rows = [[r["from"], r["to"], rel_type]
                    + [_admin_value(r.get(p), t, f"{rel_type} {r['from']}->{r['to']}.{p}") for p, t in props]
                    for r in pg.rels.get(rel_type, []) if (r["from_label"], r["to_label"]) == (src, dst)]
            path = f"relationships/{rel_file(rel_type, src, dst)}"
            out[f"neo4j-admin/{path}"] = _csv(header, rows)
            rel_args.append(path)
    command = admin_command(node_args, rel_args)
    out["neo4j-admin/import.sh"] = (
        "#!/bin/sh\n"
        "# Load this folder into a new, empty Neo4j 5 database with the offline bulk importer.\n"
        "# Usage: ./import.sh [DATABASE]   (default: neo4j). Stop the DBMS first; neo4j-admin must be on PATH\n"
        "# (or set NEO4J_ADMIN=/path/to/neo4j-admin). Then CREATE DATABASE (or restart) to serve it.\n"
        "set -e\n"
        'cd "$(dirname "$0")"\n'
        + command.replace("neo4j-admin ", '"${NEO4J_ADMIN:-neo4j-admin}" ', 1).replace(" DATABASE", ' "${1:-neo4j}"')
        + "\n")
    out["neo4j-admin/README.md"] = (
        "# dealgraph for neo4j-admin\n\n"
        "CSV files in the header format of `neo4j-admin database import full` (Neo4j 5), written by\n"
        "`dealgraph export --format neo4j-admin`. One file per node label (`nodes/`) and per relationship\n"
        "type and pair of end labels (`relationships/`). Each label is its own id space (`id:ID(Label)`);\n"
        "the id is also stored as the `id` property. Array properties (`:string[]`) separate their\n"
        f"elements with `{ARRAY_DELIMITER}`; an empty field is a missing property. Numbers are `long` and `double`.\n\n"
        "From this folder, with the DBMS stopped:\n\n```sh\n" + command.replace(" \\\n  ", " ")
        .replace(" DATABASE", " neo4j") + "\n```\n\n(`./import.sh` runs the same command; add "
        "`--overwrite-destination=true` to replace an existing database.)\n")
    return out


def admin_command(node_files: list[str], rel_files: list[str]) -> str:
    """The ``neo4j-admin database import full`` command line for these files (DATABASE names the database).

    The database name comes right after ``full``: ``--nodes`` and ``--relationships`` take any number
    of files, so a name at the end would be read as one more file.
    """
    args = ["neo4j-admin database import full DATABASE", f"--array-delimiter='{ARRAY_DELIMITER}'",
            "--multiline-fields=true"]
    args += [f"--nodes={p}" for p in node_files] + [f"--relationships={p}" for p in rel_files]
    return " \\\n  ".join(args)


def rdf_files(ds: Dataset, fmt: str) -> dict[str, str]:
    from ..rdf.triples import rdf_triples
    from ..rdf.serialize import jsonld, turtle

    triples = rdf_triples(ds)
    if fmt == "ttl":
        return {"graph.ttl": turtle(triples)}
    return {"graph.jsonld": jsonld(triples)}


_PG_FORMATS: dict[str, Callable[[PropertyGraph], dict[str, str]]] = {
    "graphml": graphml, "csv": csv_tables, "neo4j-admin": neo4j_admin}


def export_files(ds: Dataset, fmt: str, pg: PropertyGraph | None = None) -> dict[str, str]:
    """{path relative to the output folder: text} of one export format."""
    if fmt not in FORMATS:
        raise DealgraphError(f"unknown export format '{fmt}': expected one of {', '.join(FORMATS)}")
    if fmt in ("ttl", "jsonld"):
        return rdf_files(ds, fmt)
    return _PG_FORMATS[fmt](pg if pg is not None else to_property_graph(ds))


def write_export(ds: Dataset, formats: list[str], out: Path | str) -> list[Path]:
    """Write every format's files under ``out`` (all or nothing); returns the paths written."""
    pg = to_property_graph(ds)
    files: dict[str, str] = {}
    for fmt in formats:
        files.update(export_files(ds, fmt, pg))
    with Staging(Path(out)) as stage:
        for rel, text in sorted(files.items()):
            stage.write_text(rel, text)
        script = stage.dir / "neo4j-admin" / "import.sh"
        if script.exists():
            script.chmod(0o755)
        return stage.commit()
