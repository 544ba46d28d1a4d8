// name: modality_trend_by_year
// question: How many deals per signing year covered assets of each modality (with the modality's top family)? Undated deals that count appear with no year. A deal counts in a period by its signing year; undated deals are left out of a period and counted in undated_left_out, unless include_undated is true or no period is given.
// param: from_year = 2024  first signing year (0: no lower bound)
// param: to_year = 2025  last signing year (9999: no upper bound)
// param: include_undated = false  also count deals with no known year
// optional: from_year = 0, to_year = 9999, include_undated = false
MATCH (u:Deal)-[:COVERS]->(:Asset)
WITH count(DISTINCT CASE WHEN u.year IS NULL THEN u.id END) AS undated
MATCH (d:Deal)-[:COVERS]->(a:Asset)-[:HAS_MODALITY]->(m:Modality)
WITH undated, d, a, m, CASE WHEN d.year IS NULL THEN ($include_undated OR ($from_year <= 0 AND $to_year >= 9999))
          ELSE d.year >= $from_year AND d.year <= $to_year END AS counted
WHERE counted
RETURN d.year AS year, m.id AS modality, m.family AS family, count(DISTINCT d) AS deals,
       count(DISTINCT a) AS assets, CASE WHEN ($include_undated OR ($from_year <= 0 AND $to_year >= 9999)) THEN 0 ELSE undated END AS undated_left_out
ORDER BY coalesce(year, 9999), modality
