// name: acquisitions
// question: Which companies were acquired, by whom, when, in which deal and at what price (USD, when disclosed)?
// unordered: price
MATCH (t:Organization)-[a:ACQUIRED_BY]->(b:Organization)
MATCH (d:Deal)
WHERE d.id = a.deal
OPTIONAL MATCH (d)-[h:HAS_TERM]->(p:Term)
WHERE h.kind = 'total'
RETURN t.name AS target, t.country AS target_country, b.name AS acquirer, b.country AS acquirer_country,
       a.date AS date, a.deal AS deal, a.price_usd AS price_usd,
       collect(DISTINCT CASE WHEN p.id IS NULL THEN null ELSE p.text END) AS price, d.title AS title, d.note AS note
ORDER BY date, target, acquirer
