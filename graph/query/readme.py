"""The text of ``queries/README.md``, generated from the query headers (``dealgraph queries --readme``)."""
from __future__ import annotations

import json

from .library import QueryInfo, list_queries


def render_readme(queries: list[QueryInfo] | None = None) -> str:
    """``queries/README.md``: how to run the library and a table of every query (the whole library by default),
    made from the headers."""
    if queries is None:
        queries = list_queries()

    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    out = [
        "# Query library",
        "",
        "Cypher queries that answer analysts' questions about the deal graph. Every query runs",
        "unchanged on LadybugDB (embedded, the default) and on Neo4j 5, read-only, with its",
        "values passed as parameters.",
        "",
        "```sh",
        "dealgraph queries                                   # list them",
        "dealgraph query company_deals --param name=Hengrui  # run one on out/graph.lbdb",
        "dealgraph query company_partners -p name=Hengrui -p hops=2 --format json --neo4j bolt://localhost:7687",
        "dealgraph query my_question.cypher -p year=2025     # any read-only .cypher file",
        "```",
        "",
        "Each file starts with a header: `// name:` (the file name), `// question:` (what it answers),",
        "one `// param: NAME = EXAMPLE  meaning` line per parameter (the example is JSON; its type is",
        "the parameter's type) and optionally `// unordered: COLUMNS` for list columns whose order",
        "means nothing (the runner sorts them; it also sorts the rows of a query without `ORDER BY`,",
        "so output never depends on the engine), `// names: PARAM=KIND` for parameters that name a record",
        "(organization, asset, deal, modality, place, measure or source) and `// optional: PARAM = DEFAULT`",
        "for parameters that may be left out.",
        "",
        "A name parameter is resolved before the query runs, against the names the store holds, by the",
        "same matching as `dealgraph search` (case, accents, punctuation and small typos do not matter):",
        "a unique match is used, and said on stderr when it was not exact; an unknown or ambiguous name",
        "fails with the closest names, never with an empty answer. The query receives the record's id.",
        "",
        "Period filters (`from_year`, `to_year`) count a deal by its signing year. Undated deals are left",
        "out of a period and counted in the `undated_left_out` column; `include_undated=true` (or",
        "`dealgraph query … --include-undated`) counts them, and with no period given every deal counts.",
        "",
        "The table below is generated from the headers by",
        "`graph.query.run.render_readme()` (`dealgraph queries --readme > queries/README.md`); a test",
        "checks that it is current.",
        "",
        "## Writing a query that both engines answer alike",
        "",
        "The test suite runs every query on LadybugDB 0.22 and Neo4j 5.26 (on the seeds and on a",
        "synthetic graph) and requires identical rows. What that has taught:",
        "",
        "- No list comprehensions, `reduce`, `head`, `toInteger`/`toString`, `CALL { }` subqueries or",
        "  `shortestPath`: LadybugDB lacks them. `any()/all()/none()`, `EXISTS { MATCH … }`, `COUNT { }`,",
        "  `UNION`, `coalesce`, `CASE`, `toLower`, `left` work on both.",
        "- List indexes and `substring` are 1-based in LadybugDB, 0-based in Neo4j: avoid them.",
        "- A `$parameter` inside a list predicate (`any(a IN o.aliases WHERE a = $name)`) crashes",
        "  LadybugDB: bind it first, `WITH toLower($name) AS key … any(a IN o.aliases WHERE toLower(a) = key)`.",
        "- Variable-length bounds cannot be parameters, and LadybugDB follows walks (repeated",
        "  relationships allowed) where Neo4j follows trails. Use a fixed maximum and filter on a",
        "  parameter, aggregate (`min(length(p))`), or expand level by level as `company_partners` does.",
        "- LadybugDB can return rows that fail a `WHERE` combining a relationship property and a node",
        "  property when the `MATCH` joins a further pattern; filter first, then `WITH`, then join.",
        "- Fixed patterns in LadybugDB may bind the same node twice (no relationship uniqueness):",
        "  say `a.id <> b.id` where it matters.",
        "- Order ties explicitly (`ORDER BY deals DESC, id`) so `LIMIT` picks the same rows on both.",
        "- LadybugDB reads a null in string `+` as empty text (`null + ': '` is `': '`), Neo4j as null.",
        "  After an `OPTIONAL MATCH`, guard: `collect(CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END)`.",
        "",
        "| query | question | parameters (example) |",
        "| --- | --- | --- |",
    ]
    for q in queries:
        defaults, kinds = dict(q.defaults), dict(q.names)
        params = "<br>".join(f"`{p.cli()}`" + (f" {cell(p.description)}" if p.description else "")
                             + (f" (names a {kinds[p.name]})" if p.name in kinds else "")
                             + (f" (optional, default {json.dumps(defaults[p.name])})" if p.name in defaults else "")
                             for p in q.params) or "none"
        out.append(f"| `{q.name}` | {cell(q.question)} | {params} |")
    return "\n".join(out) + "\n"
