// name: company_assets
// question: Which assets did this company originate, of what modality and stage, and in how many deals were they licensed or sold?
// param: name = "3SBio"  an id, name, alias or former name
// names: name=organization
WITH toLower($name) AS key
MATCH (o:Organization)
WHERE toLower(o.id) = key OR toLower(o.name) = key
   OR any(a IN o.aliases WHERE toLower(a) = key)
   OR any(f IN o.former_names WHERE toLower(f) = key)
MATCH (a:Asset)-[:ORIGINATED_BY]->(o)
OPTIONAL MATCH (d:Deal)-[:COVERS]->(a)
RETURN a.id AS asset, a.name AS name, a.modality AS modality, a.modality_family AS family, a.target AS target,
       a.indication AS indication, a.stage AS stage, a.note AS note, count(DISTINCT d) AS deals
ORDER BY asset
