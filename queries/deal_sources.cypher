// name: deal_sources
// question: Which source documents, at which lines, stand behind a deal (its SOURCED_FROM citations)?
// param: deal = "2025-07-hengrui-gsk"  a deal id or title
// names: deal=deal
MATCH (d:Deal)-[s:SOURCED_FROM]->(src:Source)
WHERE d.id = $deal OR toLower(d.title) = toLower($deal)
RETURN d.id AS deal, src.id AS source, s.line AS line, src.title AS title, src.publisher AS publisher,
       src.date AS published, src.file AS file
ORDER BY source, line
