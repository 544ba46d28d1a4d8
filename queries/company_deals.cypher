// name: company_deals
// question: Which deals is this company party to, in which role, with whom, on what terms (as the sources write them), over which territory, and what do the notes say?
// param: name = "Hengrui"  an id, name, alias or former name
// names: name=organization
// unordered: counterparties, assets, terms, territory_include, territory_exclude
WITH toLower($name) AS key
MATCH (o:Organization)
WHERE toLower(o.id) = key OR toLower(o.name) = key
   OR any(a IN o.aliases WHERE toLower(a) = key)
   OR any(f IN o.former_names WHERE toLower(f) = key)
MATCH (o)-[r:PARTY_TO]->(d:Deal)
OPTIONAL MATCH (c:Organization)-[cr:PARTY_TO]->(d)
WHERE c.id <> o.id
WITH o, r, d, collect(DISTINCT CASE WHEN c.id IS NULL THEN null ELSE c.name + ' (' + cr.role + ')' END) AS counterparties
OPTIONAL MATCH (d)-[:COVERS]->(a:Asset)
WITH o, r, d, counterparties, collect(DISTINCT a.name) AS assets
OPTIONAL MATCH (d)-[h:HAS_TERM]->(t:Term)
RETURN d.id AS deal, d.date AS date, d.type AS type, d.title AS title, r.role AS role, counterparties, assets,
       d.status AS status, collect(DISTINCT CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END) AS terms,
       d.upfront_usd AS upfront_usd, d.milestones_usd AS milestones_usd, d.total_usd AS total_usd,
       d.territory_include AS territory_include, d.territory_exclude AS territory_exclude, d.note AS note
ORDER BY date, deal, role
