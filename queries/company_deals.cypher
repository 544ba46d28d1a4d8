// name: company_deals
// question: Which deals is this company party to, in which role, with whom, and for how much?
// param: name = "Hengrui"  an id, name, alias or former name
// unordered: counterparties, assets
// names: name=organization
WITH toLower($name) AS key
MATCH (o:Organization)
WHERE toLower(o.id) = key OR toLower(o.name) = key
   OR any(a IN o.aliases WHERE toLower(a) = key)
   OR any(f IN o.former_names WHERE toLower(f) = key)
MATCH (o)-[r:PARTY_TO]->(d:Deal)
OPTIONAL MATCH (c:Organization)-[cr:PARTY_TO]->(d)
WHERE c.id <> o.id
WITH o, r, d, collect(DISTINCT c.name + ' (' + cr.role + ')') AS counterparties
OPTIONAL MATCH (d)-[:COVERS]->(a:Asset)
RETURN d.id AS deal, d.date AS date, d.type AS type, r.role AS role, counterparties,
       collect(DISTINCT a.name) AS assets, d.status AS status,
       d.upfront_usd AS upfront_usd, d.milestones_usd AS milestones_usd, d.total_usd AS total_usd
ORDER BY date, deal, role
