// name: modality_trend_by_year
// question: How many deals per signing year covered assets of each modality (with the modality's top family)?
// param: from_year = 2020  first signing year
// param: to_year = 2026  last signing year
MATCH (d:Deal)-[:COVERS]->(a:Asset)-[:HAS_MODALITY]->(m:Modality)
WHERE d.year >= $from_year AND d.year <= $to_year
RETURN d.year AS year, m.id AS modality, m.family AS family, count(DISTINCT d) AS deals,
       count(DISTINCT a) AS assets
ORDER BY year, modality
