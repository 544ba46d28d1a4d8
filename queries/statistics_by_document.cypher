// name: statistics_by_document
// question: Which market statistics does a source document report, and on which of its lines?
// param: document = "caixin-2026"  a source document: id, title or file name
// names: document=source
// unordered: lines
MATCH (s:Statistic)-[c:SOURCED_FROM]->(d:Source)
WHERE d.id = $document OR d.file = $document OR toLower(d.title) = toLower($document)
WITH s, collect(DISTINCT c.line) AS lines
OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(p:Organization)
RETURN s.measure AS measure, s.period AS period, s.value AS value, s.unit AS unit, s.currency AS currency,
       s.qualifier AS qualifier, p.name AS publisher, s.note AS note, s.id AS statistic, lines
ORDER BY measure, period, statistic
