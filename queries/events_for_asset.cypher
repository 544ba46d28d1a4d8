// name: events_for_asset
// question: What happened to an asset after its deals were signed: approvals, trial starts, milestone payments, terminations…, whether recorded on the asset itself or on a deal covering it, with any money as the source wrote it and the notes?
// param: asset = "SSGJ-707"  an asset id, name, code name or alias
// names: asset=asset
// unordered: money
WITH toLower($asset) AS key
MATCH (a:Asset)
WHERE toLower(a.id) = key OR toLower(a.name) = key
   OR any(x IN a.codes WHERE toLower(x) = key)
   OR any(x IN a.aliases WHERE toLower(x) = key)
MATCH (e:Event)-[:CONCERNS_ASSET]->(a)
OPTIONAL MATCH (e)-[:CONCERNS]->(d:Deal)
OPTIONAL MATCH (e)-[h:HAS_TERM]->(t:Term)
RETURN a.name AS asset, e.id AS event, e.type AS type, e.date AS date, e.title AS title, d.id AS deal,
       'asset' AS via, e.indication AS indication, collect(DISTINCT CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END) AS money,
       e.returned AS returned, e.note AS note
UNION
WITH toLower($asset) AS key
MATCH (a:Asset)
WHERE toLower(a.id) = key OR toLower(a.name) = key
   OR any(x IN a.codes WHERE toLower(x) = key)
   OR any(x IN a.aliases WHERE toLower(x) = key)
MATCH (e:Event)-[:CONCERNS]->(d:Deal)-[:COVERS]->(a)
WHERE NOT EXISTS { MATCH (e)-[:CONCERNS_ASSET]->(a) }
OPTIONAL MATCH (e)-[h:HAS_TERM]->(t:Term)
RETURN a.name AS asset, e.id AS event, e.type AS type, e.date AS date, e.title AS title, d.id AS deal,
       'deal' AS via, e.indication AS indication, collect(DISTINCT CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END) AS money,
       e.returned AS returned, e.note AS note
