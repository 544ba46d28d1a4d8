// name: deal_terms
// question: What are every one of a deal's financial terms as each source states them (kind, wording, amount, currency, USD value, qualifier, disclosure, citations)?
// param: deal = "2025-05-3sbio-pfizer"  a deal id or title
// names: deal=deal
MATCH (d:Deal)-[h:HAS_TERM]->(t:Term)
WHERE d.id = $deal OR toLower(d.title) = toLower($deal)
RETURN d.id AS deal, h.kind AS kind, t.id AS term, t.text AS text, t.amount AS amount, t.currency AS currency,
       t.usd AS usd, t.qualifier AS qualifier, t.disclosure AS disclosure, t.sources AS sources
ORDER BY kind, term
