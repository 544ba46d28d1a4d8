// name: events_with_money
// question: Which events carried money (a milestone paid, proceeds on a NewCo's sale, payments kept at a termination), how much as the source wrote it, for which deal, asset and organizations?
// unordered: assets, organizations
MATCH (e:Event)-[h:HAS_TERM]->(t:Term)
OPTIONAL MATCH (e)-[:CONCERNS]->(d:Deal)
OPTIONAL MATCH (e)-[:CONCERNS_ASSET]->(a:Asset)
WITH e, h, t, d, collect(DISTINCT a.name) AS assets
OPTIONAL MATCH (e)-[:INVOLVES]->(o:Organization)
RETURN e.id AS event, e.date AS date, e.type AS type, e.title AS title, h.kind AS kind, t.text AS money,
       t.amount AS amount, t.currency AS currency, t.usd AS usd, t.qualifier AS qualifier, d.id AS deal, assets,
       collect(DISTINCT o.name) AS organizations, e.note AS note, t.sources AS sources
ORDER BY date, event, kind, money
