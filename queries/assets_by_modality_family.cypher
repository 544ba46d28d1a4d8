// name: assets_by_modality_family
// question: Which assets fall under a modality family, following the SKOS broader hierarchy downwards (antibody takes in bispecifics, ADCs, bispecific ADCs…)?
// param: family = "antibody"  a modality key or name at any level of the hierarchy
// names: family=modality
MATCH (f:Modality)
WHERE f.id = $family OR toLower(f.name) = toLower($family)
MATCH (m:Modality)-[:BROADER*0..10]->(f)
MATCH (a:Asset)-[:HAS_MODALITY]->(m)
OPTIONAL MATCH (a)-[:ORIGINATED_BY]->(o:Organization)
RETURN DISTINCT a.id AS asset, a.name AS name, m.id AS modality, f.id AS family, o.name AS originator,
       a.target AS target, a.indication AS indication, a.stage AS stage, a.note AS note
ORDER BY modality, asset
