// name: deals_above_upfront
// question: Which deals carried an upfront payment of at least a given amount in USD?
// param: min_upfront_usd = 500000000.0  threshold in US dollars
// unordered: parties
// unordered: terms, territory_include, territory_exclude
MATCH (d:Deal)
WHERE d.upfront_usd >= $min_upfront_usd
MATCH (o:Organization)-[r:PARTY_TO]->(d)
WITH d, collect(DISTINCT CASE WHEN o.id IS NULL THEN null ELSE o.name + ' (' + r.role + ')' END) AS parties
OPTIONAL MATCH (d)-[h:HAS_TERM]->(t:Term)
RETURN d.id AS deal, d.date AS date, d.type AS type, d.title AS title, parties,
       d.upfront_usd AS upfront_usd, d.upfront_qualifier AS qualifier, collect(DISTINCT CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END) AS terms,
       d.territory_include AS territory_include, d.territory_exclude AS territory_exclude, d.note AS note
ORDER BY upfront_usd DESC, deal
