"""`dealgraph export`: every format read back holds the same nodes, relationships and properties as the graph."""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from graph.cli import main
from graph.core.errors import DealgraphError
from graph.interchange.export import ARRAY_DELIMITER, LIST_JOIN, export_files, node_key, write_export
from graph.ingest.loading import load_seeds
from graph.stores.property_graph import BOOL, FLOAT, INT, STRING, STRINGS, schema, to_property_graph
from graph.rdf.triples import to_rdf

from .support import SEEDS, copy_fixture, in_ci

REL_ENDS = ("from", "to", "from_label", "to_label")


@pytest.fixture(scope="module")
def dataset():
    return load_seeds(SEEDS)


@pytest.fixture(scope="module")
def pg(dataset):
    return to_property_graph(dataset)


@pytest.fixture(scope="module")
def exported(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    write_export(dataset, ["ttl", "jsonld", "graphml", "csv", "neo4j-admin"], out)
    return out


def present(props: dict) -> dict:
    """Properties that carry a value (None and empty lists are 'no property' in every flat format)."""
    return {k: v for k, v in props.items() if v is not None and v != []}


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


# --------------------------------------------------------------------------- RDF
@pytest.mark.parametrize("name,fmt", [("graph.ttl", "turtle"), ("graph.jsonld", "json-ld")])
def test_rdf_exports_hold_exactly_the_graph(exported, dataset, name, fmt):
    def value(term):  # a literal by its datatype and value: JSON-LD may write 35000000 as 35000000.0
        return (term.datatype, term.language, term.toPython()) if isinstance(term, Literal) else term

    expected = to_rdf(dataset)
    got = Graph().parse(exported / name, format=fmt)
    assert len(got) == len(expected) > 0
    assert {tuple(map(value, t)) for t in got} == {tuple(map(value, t)) for t in expected}


# --------------------------------------------------------------------------- GraphML
def test_graphml_holds_every_node_edge_and_property(exported, pg):
    g = nx.read_graphml(exported / "graph.graphml", force_multigraph=True)
    # all ids, per label
    for label, rows in pg.nodes.items():
        got = {n for n, d in g.nodes(data=True) if d["labels"] == label}
        assert got == {node_key(label, r["id"]) for r in rows}, label
    assert g.number_of_nodes() == pg.node_count()
    # every property of every node, flattened
    for label, rows in pg.nodes.items():
        for r in rows:
            want = {k: LIST_JOIN.join(v) if isinstance(v, list) else v for k, v in present(r).items()}
            got = dict(g.nodes[node_key(label, r["id"])])
            assert got.pop("labels") == label
            assert got == want, (label, r["id"])
    # every relationship with its properties
    assert g.number_of_edges() == pg.rel_count()
    got_edges = sorted((u, v, d["label"], repr(sorted((k, x) for k, x in d.items() if k != "label")))
                       for u, v, d in g.edges(data=True))
    want_edges = sorted((node_key(r["from_label"], r["from"]), node_key(r["to_label"], r["to"]), t,
                         repr(sorted((k, LIST_JOIN.join(x) if isinstance(x, list) else x)
                                     for k, x in present({k: x for k, x in r.items() if k not in REL_ENDS}).items())))
                        for t, r in pg.iter_rels())
    assert got_edges == want_edges
    # typed: numbers stay numbers, booleans booleans
    hengrui = g.nodes["Organization:hengrui"]
    assert hengrui["multinational"] is False and "Jiangsu Hengrui" in hengrui["aliases"].split(LIST_JOIN)
    deal = next(r for r in pg.nodes["Deal"] if r["upfront_usd"] == 1.25e9)
    assert g.nodes[node_key("Deal", deal["id"])]["upfront_usd"] == 1.25e9
    assert g.nodes[node_key("Deal", deal["id"])]["year"] == deal["year"]


# --------------------------------------------------------------------------- plain CSV
def _parse(text: str, typ: str):
    if text == "":
        return None
    return {INT: int, FLOAT: float, BOOL: lambda s: {"true": True, "false": False}[s],
            STRINGS: lambda s: s.split(LIST_JOIN), STRING: str}[typ](text)


def test_csv_tables_hold_every_node_and_relationship(exported, pg):
    sch = schema()
    folder = exported / "csv"
    assert {p.stem for p in (folder / "nodes").iterdir()} == set(sch.nodes)
    assert {p.stem for p in (folder / "relationships").iterdir()} == set(sch.rels)
    for label, props in sch.nodes.items():
        header, rows = read_csv(folder / "nodes" / f"{label}.csv")
        assert header == [p for p, _ in props]
        types = dict(props)
        got = [present({h: _parse(v, types[h]) for h, v in zip(header, row)}) for row in rows]
        assert got == [present(r) for r in pg.nodes[label]], label
    for rel_type, rs in sch.rels.items():
        header, rows = read_csv(folder / "relationships" / f"{rel_type}.csv")
        types = {"from": STRING, "to": STRING, "from_label": STRING, "to_label": STRING, **dict(rs.props)}
        assert header == ["from", "from_label", "to", "to_label"] + [p for p, _ in rs.props]
        got = [present({h: _parse(v, types[h]) for h, v in zip(header, row)}) for row in rows]
        assert got == [present(r) for r in pg.rels[rel_type]], rel_type


# --------------------------------------------------------------------------- neo4j-admin
FIELD_RE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?"
                      r"(?::(?P<kind>ID|START_ID|END_ID)\((?P<space>[A-Za-z]+)\)|:(?P<special>LABEL|TYPE)"
                      r"|:(?P<type>long|double|boolean|string)(?P<array>\[\])?)?$")
ADMIN_TYPES = {"long": INT, "double": FLOAT, "boolean": BOOL, "string": STRING, None: STRING}


def _admin_value(text: str, typ: str, array: bool):
    if text == "":
        return None
    if array:
        return text.split(ARRAY_DELIMITER)
    return _parse(text, ADMIN_TYPES[typ])


def _fields(header: list[str]) -> list[re.Match]:
    out = []
    for h in header:
        m = FIELD_RE.match(h)
        assert m is not None, f"not a neo4j-admin header field: {h!r}"
        assert m["name"] or m["kind"] or m["special"], h
        out.append(m)
    return out


def test_neo4j_admin_headers_follow_the_import_tool_grammar_and_hold_the_graph(exported, pg):
    sch = schema()
    folder = exported / "neo4j-admin"
    ids: dict[str, set[str]] = {}
    for label, props in sch.nodes.items():
        header, rows = read_csv(folder / "nodes" / f"{label}.csv")
        fields = _fields(header)
        assert [f.group(0) for f in fields if f["kind"] == "ID"] == [f"id:ID({label})"]
        assert [f["special"] for f in fields if f["special"]] == ["LABEL"]
        types = dict(props)
        for f in fields:   # every typed column carries the schema's type
            if f["name"] and not f["kind"]:
                want = types[f["name"]]
                assert (STRINGS if f["array"] else ADMIN_TYPES[f["type"]]) == want, f.group(0)
        got = []
        for row in rows:
            rec = {}
            for f, v in zip(fields, row):
                if f["special"] == "LABEL":
                    assert v == label
                elif f["kind"] == "ID":
                    rec["id"] = v
                else:
                    rec[f["name"]] = _admin_value(v, f["type"], bool(f["array"]))
            got.append(present(rec))
        assert got == [present(r) for r in pg.nodes[label]], label
        ids[label] = {r["id"] for r in got}
    seen_types: dict[str, int] = {}
    for rel_type, rs in sch.rels.items():
        for src, dst in rs.ends:
            path = folder / "relationships" / f"{rel_type}-{src}-{dst}.csv"
            header, rows = read_csv(path)
            fields = _fields(header)
            assert [f.group(0) for f in fields[:3]] == [f":START_ID({src})", f":END_ID({dst})", ":TYPE"]
            got = []
            for row in rows:
                assert row[2] == rel_type
                assert row[0] in ids[src] and row[1] in ids[dst], (rel_type, row[:2])  # no dangling ends
                rec = {"from": row[0], "to": row[1], "from_label": src, "to_label": dst}
                for f, v in zip(fields[3:], row[3:]):
                    rec[f["name"]] = _admin_value(v, f["type"], bool(f["array"]))
                got.append(present(rec))
            want = [present(r) for r in pg.rels[rel_type] if (r["from_label"], r["to_label"]) == (src, dst)]
            assert got == want, path.name
            seen_types[rel_type] = seen_types.get(rel_type, 0) + len(rows)
    assert seen_types == {t: len(rows) for t, rows in pg.rels.items()}
    # typed headers as the brief names them
    header, _ = read_csv(folder / "nodes" / "Deal.csv")
    assert {"year:long", "upfront_usd:double", "sources:string[]"} <= set(header)
    header, _ = read_csv(folder / "nodes" / "Organization.csv")
    assert {"aliases:string[]", "multinational:boolean"} <= set(header)


def test_neo4j_admin_script_names_every_file_once(exported):
    folder = exported / "neo4j-admin"
    script = (folder / "import.sh").read_text()
    assert (folder / "import.sh").stat().st_mode & 0o111
    assert '"${NEO4J_ADMIN:-neo4j-admin}" database import full "${1:-neo4j}" \\\n' in script
    assert f"--array-delimiter='{ARRAY_DELIMITER}'" in script and "--multiline-fields=true" in script
    args = re.findall(r"--(nodes|relationships)=(\S+)", script)
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.csv"))
    assert sorted(f for _, f in args) == files
    assert all(kind == f.split("/")[0] for kind, f in args)
    readme = (folder / "README.md").read_text()
    assert "neo4j-admin database import full neo4j --array-delimiter='|' --multiline-fields=true --nodes=" in readme


def test_the_real_neo4j_admin_import_full_loads_the_export(exported, pg, tmp_path):
    """Runs the generated import.sh with Neo4j 5.26's own import tool (from the test server's jars)."""
    from .neo4j_server import HarnessUnavailable, ensure_launcher, find_java

    try:
        java, classpath = find_java(), ensure_launcher(quiet=True)
    except HarnessUnavailable as exc:
        if in_ci():
            pytest.fail(f"neo4j-admin import tool unavailable: {exc}")
        pytest.skip(f"neo4j-admin import tool unavailable: {exc}")
    folder = tmp_path / "neo4j-admin"
    shutil.copytree(exported / "neo4j-admin", folder)   # the tool writes import.report beside the script
    home = tmp_path / "neo4j-home"
    (home / "conf").mkdir(parents=True)
    admin = tmp_path / "neo4j-admin-cli"
    admin.write_text(f'#!/bin/sh\nexec "{java}" -Xmx1g -cp "{classpath}" org.neo4j.cli.AdminTool "$@"\n')
    admin.chmod(0o755)
    env = {**os.environ, "NEO4J_ADMIN": str(admin), "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    proc = subprocess.run(["sh", str(folder / "import.sh"), "dealgraph"], env=env, capture_output=True, text=True,
                          timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    m = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships\s+(\d+) properties", out)
    assert m is not None, out[-4000:]
    properties = (sum(len(present(r)) for rows in pg.nodes.values() for r in rows)
                  + sum(len(present({k: v for k, v in r.items() if k not in REL_ENDS})) for _, r in pg.iter_rels()))
    assert tuple(map(int, m.groups())) == (pg.node_count(), pg.rel_count(), properties)
    assert (home / "data" / "databases" / "dealgraph").is_dir()
    report = folder / "import.report"
    assert not report.exists() or report.read_text().strip() == ""   # no bad entries


def test_an_array_element_holding_the_delimiter_is_refused(tmp_path):
    seeds = copy_fixture(tmp_path)
    text = (seeds / "organizations.yaml").read_text().replace("aliases: [Acme]", "aliases: [Acme|Bio]")
    (seeds / "organizations.yaml").write_text(text)
    with pytest.raises(DealgraphError, match=r"Organization acme.aliases: array element 'Acme\|Bio' contains the "
                                             r"array delimiter '\|'"):
        export_files(load_seeds(seeds), "neo4j-admin")


# --------------------------------------------------------------------------- command
def test_export_command_writes_the_same_files_twice(tmp_path):
    seeds = copy_fixture(tmp_path)
    runs = []
    for name in ("a", "b"):
        r = CliRunner().invoke(main, ["export", "--seeds", str(seeds), "--out", str(tmp_path / name), "--format",
                                      "graphml", "--format", "csv", "--format", "neo4j-admin", "--format", "ttl"])
        assert r.exit_code == 0, r.output
        runs.append({str(p.relative_to(tmp_path / name)): p.read_bytes()
                     for p in sorted((tmp_path / name).rglob("*")) if p.is_file()})
    assert runs[0] == runs[1]
    assert {"graph.graphml", "graph.ttl", "csv/nodes/Organization.csv", "neo4j-admin/import.sh",
            "neo4j-admin/relationships/PARTY_TO-Organization-Deal.csv"} <= set(runs[0])
    assert "wrote" in r.output and "neo4j-admin/import.sh" in r.output


def test_export_of_the_fixture_keeps_its_facts(tmp_path):
    seeds = copy_fixture(tmp_path)
    files = export_files(load_seeds(seeds), "csv")
    rows = list(csv.DictReader(files["csv/relationships/PARTY_TO.csv"].splitlines()))
    assert {(r["from"], r["to"], r["role"], r["cost_share"]) for r in rows} == {
        ("acme", "2025-03-acme-globex", "licensor", ""), ("globex", "2025-03-acme-globex", "licensee", "70.0")}
    deal = next(csv.DictReader(files["csv/nodes/Deal.csv"].splitlines()))
    assert (deal["upfront_usd"], deal["milestones_qualifier"], deal["territory_include"]) == ("50000000.0", "up-to",
                                                                                             "WORLD")
