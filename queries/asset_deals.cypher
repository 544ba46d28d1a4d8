// name: asset_deals
// question: Which deals cover an asset (found by id, name, code name or alias), between whom, and on what terms?
// param: asset = "SSGJ-707"  an asset id, name, code name or alias
// unordered: parties
// names: asset=asset
WITH toLower($asset) AS key
MATCH (a:Asset)
WHERE toLower(a.id) = key OR toLower(a.name) = key
   OR any(x IN a.codes WHERE toLower(x) = key)
   OR any(x IN a.aliases WHERE toLower(x) = key)
MATCH (d:Deal)-[:COVERS]->(a)
OPTIONAL MATCH (o:Organization)-[r:PARTY_TO]->(d)
RETURN a.name AS asset, d.id AS deal, d.date AS date, d.type AS type,
       collect(DISTINCT o.name + ' (' + r.role + ')') AS parties, d.upfront_usd AS upfront_usd,
       d.milestones_usd AS milestones_usd, d.total_usd AS total_usd, d.status AS status
ORDER BY date, deal
