// name: asset_deals
// question: Which deals cover an asset (found by id, name, code name or alias), between whom, on what terms (as the sources write them), over which territory, at what stage, and what do the notes say?
// param: asset = "SSGJ-707"  an asset id, name, code name or alias
// names: asset=asset
// unordered: parties, terms, territory_include, territory_exclude
WITH toLower($asset) AS key
MATCH (a:Asset)
WHERE toLower(a.id) = key OR toLower(a.name) = key
   OR any(x IN a.codes WHERE toLower(x) = key)
   OR any(x IN a.aliases WHERE toLower(x) = key)
MATCH (d:Deal)-[:COVERS]->(a)
OPTIONAL MATCH (o:Organization)-[r:PARTY_TO]->(d)
WITH a, d, collect(DISTINCT CASE WHEN o.id IS NULL THEN null ELSE o.name + ' (' + r.role + ')' END) AS parties
OPTIONAL MATCH (d)-[h:HAS_TERM]->(t:Term)
RETURN a.name AS asset, a.indication AS indication, a.stage AS stage, d.id AS deal, d.date AS date,
       d.type AS type, d.title AS title, parties, collect(DISTINCT CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END) AS terms,
       d.upfront_usd AS upfront_usd, d.milestones_usd AS milestones_usd, d.total_usd AS total_usd,
       d.status AS status, d.stage_at_signing AS stage_at_signing, d.territory_include AS territory_include,
       d.territory_exclude AS territory_exclude, d.note AS note
ORDER BY date, deal
