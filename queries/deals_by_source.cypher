// name: deals_by_source
// question: Which deals does a source document report, on which of its lines, between whom and on what terms (as the sources write them)?
// param: document = "ciie-2025"  a source document: id, title or file name
// names: document=source
// unordered: lines, parties, terms
MATCH (d:Deal)-[c:SOURCED_FROM]->(src:Source)
WHERE src.id = $document OR src.file = $document OR toLower(src.title) = toLower($document)
WITH d, collect(DISTINCT c.line) AS lines
OPTIONAL MATCH (o:Organization)-[r:PARTY_TO]->(d)
WITH d, lines, collect(DISTINCT CASE WHEN o.id IS NULL THEN null ELSE o.name + ' (' + r.role + ')' END) AS parties
OPTIONAL MATCH (d)-[h:HAS_TERM]->(t:Term)
RETURN d.id AS deal, d.date AS date, d.type AS type, d.title AS title, parties,
       collect(DISTINCT CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END) AS terms, d.status AS status, d.note AS note, lines
ORDER BY date, deal
