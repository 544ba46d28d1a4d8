// name: multinationals_licensing_from
// question: Which multinationals took rights from companies headquartered in a place (a country such as CN, or a region containing it) in a range of years, in which deals and for how much?
// param: place = "CN"  a country (ISO code) or region id such as GREATER-CHINA
// param: from_year = 2024  first signing year
// param: to_year = 2025  last signing year
// names: place=place
MATCH (lic:Organization)-[:PARTY_TO {role: 'licensor'}]->(d:Deal)<-[r:PARTY_TO]-(mnc:Organization)
WHERE mnc.multinational = true AND r.role <> 'licensor'
  AND d.year >= $from_year AND d.year <= $to_year
  AND EXISTS { MATCH (lic)-[:HEADQUARTERED_IN]->(:Place)-[:PART_OF*0..6]->(:Place {id: $place}) }
RETURN DISTINCT mnc.name AS multinational, lic.name AS licensor, d.id AS deal, d.year AS year, d.type AS type,
       r.role AS role, d.upfront_usd AS upfront_usd,
       coalesce(d.total_usd, d.upfront_usd + d.milestones_usd, d.upfront_usd, d.milestones_usd) AS headline_usd
ORDER BY year, multinational, deal
