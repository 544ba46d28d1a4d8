// name: equity_stakes
// question: Which organizations hold equity stakes in which others, and how large (percent)?
MATCH (h:Organization)-[s:HOLDS_STAKE]->(c:Organization)
RETURN h.name AS holder, h.kind AS holder_kind, c.name AS company, c.country AS company_country,
       s.percent AS percent, s.sources AS sources
ORDER BY holder, company
