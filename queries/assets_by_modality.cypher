// name: assets_by_modality
// question: Which assets have exactly this modality (by key or name, e.g. bispecific-antibody), who originated them and how far along are they?
// param: modality = "bispecific-antibody"  a modality key or its name
// names: modality=modality
MATCH (a:Asset)-[:HAS_MODALITY]->(m:Modality)
WHERE m.id = $modality OR toLower(m.name) = toLower($modality)
OPTIONAL MATCH (a)-[:ORIGINATED_BY]->(o:Organization)
RETURN a.id AS asset, a.name AS name, m.id AS modality, o.name AS originator, a.target AS target,
       a.indication AS indication, a.stage AS stage, a.note AS note
ORDER BY asset
