"""The property graph as the stores write it: checked, as column tables, with relationship keys.

Both stores load the same ``PropertyGraph``. ``check_graph`` refuses a graph a
database would reject half-way (unknown label, duplicate or missing id,
relationship to a node that does not exist); ``node_table`` / ``rel_tables``
turn rows into typed Arrow tables for LadybugDB's ``COPY``; ``rel_keys`` gives
every relationship the identity Neo4j merges on.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any, Iterable

import pyarrow as pa

from ..core.errors import DealgraphError
from .property_graph import PropertyGraph, schema

ARROW_TYPES: dict[str, pa.DataType] = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "STRING[]": pa.list_(pa.string()),
}
#: Relationship row keys that are not properties.
ENDPOINT_KEYS = ("from", "to", "from_label", "to_label")
#: Property names accepted by ``set_node_properties`` (they are spliced into DDL/Cypher, so checked).
SETTABLE_TYPES = ("DOUBLE", "INT64", "STRING", "BOOLEAN")


def arrow_type(t: str) -> pa.DataType:
    try:
        return ARROW_TYPES[t]
    except KeyError:
        raise DealgraphError(f"unknown property type '{t}': expected one of {', '.join(ARROW_TYPES)}") from None


def _table(rows: list[dict[str, Any]], columns: Iterable[tuple[str, str]]) -> pa.Table:
    """Rows (dicts) as an Arrow table with exactly ``columns`` (name, schema type), in that order.

    A key a row lacks is null; keys not in ``columns`` are ignored. (Arrow converts the list of
    dicts in C++: 20× faster than building each column in Python.)
    """
    struct = pa.struct([(name, arrow_type(t)) for name, t in columns])
    return pa.Table.from_struct_array(pa.array(rows, type=struct))


def node_table(label: str, rows: list[dict[str, Any]]) -> pa.Table:
    """The rows of ``label`` as an Arrow table with the schema's columns, in schema order."""
    return _table(rows, schema().nodes[label])


def rel_props(rtype: str) -> tuple[tuple[str, str], ...]:
    return schema().rels[rtype].props


def rel_tables(rtype: str, rows: list[dict[str, Any]]) -> list[tuple[tuple[str, str], pa.Table]]:
    """Rows of ``rtype`` split by (from label, to label), each as a table: ``from``, ``to``, properties."""
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_pair[(r["from_label"], r["to_label"])].append(r)
    columns = (("from", "STRING"), ("to", "STRING"), *rel_props(rtype))
    return [(pair, _table(by_pair[pair], columns)) for pair in schema().rels[rtype].ends if by_pair.get(pair)]


def check_graph(pg: PropertyGraph) -> None:
    """Raise DealgraphError naming the first problems if ``pg`` does not fit the schema.

    Checks: every label and relationship type is in ``schema()``; every node has a
    non-empty ``id``, unique within its label; every relationship joins a pair of
    labels its type allows, between nodes that exist.
    """
    if _fits(pg):
        return
    sch = schema()
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for lbl, rows in pg.nodes.items():
        if lbl not in sch.nodes:
            problems.append(f"label '{lbl}' is not in the schema (expected one of {', '.join(sch.nodes)})")
            continue
        seen: set[str] = set()
        for r in rows:
            i = r.get("id")
            if not isinstance(i, str) or not i:
                problems.append(f"a {lbl} node has no id: {_short(r)}")
            elif i in seen:
                problems.append(f"{lbl} id '{i}' appears twice")
            seen.add(i)
        ids[lbl] = seen
    for rtype, rows in pg.rels.items():
        rs = sch.rels.get(rtype)
        if rs is None:
            problems.append(f"relationship type '{rtype}' is not in the schema")
            continue
        for r in rows:
            pair = (r.get("from_label"), r.get("to_label"))
            if pair not in rs.ends:
                problems.append(f"{rtype} cannot join {pair[0]} to {pair[1]} (allowed: "
                                f"{', '.join(f'{a}->{b}' for a, b in rs.ends)})")
            elif r.get("from") not in ids.get(pair[0], ()):
                problems.append(f"{rtype} starts at {pair[0]} '{r.get('from')}', which is not a node")
            elif r.get("to") not in ids.get(pair[1], ()):
                problems.append(f"{rtype} from {pair[0]} '{r.get('from')}' ends at {pair[1]} '{r.get('to')}', "
                                "which is not a node")
            if len(problems) > 20:
                break
    if problems:
        shown = problems[:10]
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise DealgraphError("the property graph cannot be loaded:\n  " + "\n  ".join(shown) + more)


def _fits(pg: PropertyGraph) -> bool:
    """The checks of ``check_graph`` with set operations only (no messages): fast when all is well."""
    sch = schema()
    ids: dict[str, set[str]] = {}
    for lbl, rows in pg.nodes.items():
        found = {r.get("id") for r in rows}
        if lbl not in sch.nodes or len(found) != len(rows) or not all(isinstance(i, str) and i for i in found):
            return False
        ids[lbl] = found
    for rtype, rows in pg.rels.items():
        rs = sch.rels.get(rtype)
        if rs is None:
            return False
        pairs = {(r.get("from_label"), r.get("to_label")) for r in rows}
        if not pairs <= set(rs.ends):
            return False
        for a, b in pairs:
            part = rows if len(pairs) == 1 else [r for r in rows if (r["from_label"], r["to_label"]) == (a, b)]
            if not {r.get("from") for r in part} <= ids.get(a, set()):
                return False
            if not {r.get("to") for r in part} <= ids.get(b, set()):
                return False
    return True


def _short(r: dict[str, Any]) -> str:
    text = repr(r)
    return text if len(text) < 120 else text[:117] + "…"


def rel_keys(rtype: str, rows: Iterable[dict[str, Any]]) -> list[str]:
    """A key per relationship, the same every load: a hash of type, ends and properties other than ``sources``.

    Rows identical in all of these (a relationship listed twice) are numbered so each
    keeps its own key and a store holds as many relationships as the graph has rows.
    """
    names = [p for p, _ in rel_props(rtype) if p != "sources"]
    seen: dict[str, int] = defaultdict(int)
    out = []
    for r in rows:
        ident = "\x1f".join([rtype, r["from_label"], r["from"], r["to_label"], r["to"],
                             *(repr(r.get(p)) for p in names)])
        n = seen[ident]
        seen[ident] += 1
        out.append(hashlib.blake2b(f"{ident}\x1e{n}".encode(), digest_size=12).hexdigest())
    return out


def safe_name(name: str, what: str = "property") -> str:
    """``name`` if it can be written into a query as an identifier, else DealgraphError."""
    if not name or not (name[0].isalpha() or name[0] == "_") or not all(c.isalnum() or c == "_" for c in name):
        raise DealgraphError(f"'{name}' cannot be a {what} name: use letters, digits and '_'")
    return name


def quote_name(name: str) -> str:
    """A schema name quoted as a Cypher identifier (labels and types come from the schema, never from users)."""
    return "`" + name.replace("`", "``") + "`"
