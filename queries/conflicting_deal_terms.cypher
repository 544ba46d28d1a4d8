// name: conflicting_deal_terms
// question: Where do sources disagree on a deal's figures: deals with several claims of the same term kind whose USD values differ, each claim with its wording and citations?
MATCH (d:Deal)-[h:HAS_TERM]->(t:Term)
WHERE t.usd IS NOT NULL
WITH d, h.kind AS kind, min(t.usd) AS low, max(t.usd) AS high
WHERE low < high
MATCH (d)-[h2:HAS_TERM]->(t2:Term)
WHERE h2.kind = kind
RETURN d.id AS deal, kind, t2.id AS term, t2.text AS claim, t2.usd AS usd, t2.sources AS sources,
       high - low AS spread_usd
ORDER BY deal, kind, term
