// name: deals_above_upfront
// question: Which deals carried an upfront payment of at least a given amount in USD?
// param: min_upfront_usd = 500000000.0  threshold in US dollars
// unordered: parties
MATCH (d:Deal)
WHERE d.upfront_usd >= $min_upfront_usd
MATCH (o:Organization)-[r:PARTY_TO]->(d)
RETURN d.id AS deal, d.date AS date, d.type AS type, collect(DISTINCT o.name + ' (' + r.role + ')') AS parties,
       d.upfront_usd AS upfront_usd, d.upfront_qualifier AS qualifier
ORDER BY upfront_usd DESC, deal
