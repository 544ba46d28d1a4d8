// name: multinationals_licensing_from
// question: Which multinationals took rights from companies headquartered in a place (a country such as CN, or a region containing it) in a range of years, in which deals, for how much (terms as the sources write them) and over which territory? A deal counts in a period by its signing year, or when its dates span years that lie wholly inside the period; deals without such a year are left out of a period and counted in undated_left_out, unless include_undated is true or no period is given.
// param: place = "CN"  a country (ISO code) or region id such as GREATER-CHINA
// param: from_year = 2024  first signing year (0: no lower bound)
// param: to_year = 2025  last signing year (9999: no upper bound)
// param: include_undated = false  also count deals with no known year
// optional: from_year = 0, to_year = 9999, include_undated = false
// names: place=place
// unordered: terms, territory_include, territory_exclude
MATCH (here:Place {id: $place})
OPTIONAL MATCH (lic0:Organization)-[:PARTY_TO {role: 'licensor'}]->(u:Deal)<-[r0:PARTY_TO]-(mnc0:Organization)
WHERE u.year IS NULL AND NOT coalesce(u.year_from >= $from_year AND u.year_to <= $to_year, false)
  AND mnc0.multinational = true AND r0.role <> 'licensor'
  AND EXISTS { MATCH (lic0)-[:HEADQUARTERED_IN]->(:Place)-[:PART_OF*0..6]->(here) }
WITH here, count(DISTINCT u.id) AS undated
MATCH (lic:Organization)-[:PARTY_TO {role: 'licensor'}]->(d:Deal)<-[r:PARTY_TO]-(mnc:Organization)
WHERE mnc.multinational = true AND r.role <> 'licensor'
  AND EXISTS { MATCH (lic)-[:HEADQUARTERED_IN]->(:Place)-[:PART_OF*0..6]->(here) }
  AND (CASE WHEN d.year IS NOT NULL THEN d.year >= $from_year AND d.year <= $to_year
            WHEN d.year_from >= $from_year AND d.year_to <= $to_year THEN true
            ELSE ($include_undated OR ($from_year <= 0 AND $to_year >= 9999)) END)
WITH DISTINCT undated, mnc, lic, d, r.role AS role
OPTIONAL MATCH (d)-[h:HAS_TERM]->(t:Term)
RETURN mnc.name AS multinational, lic.name AS licensor, d.id AS deal, d.year AS year, d.type AS type,
       d.title AS title, role, collect(DISTINCT CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END) AS terms, d.upfront_usd AS upfront_usd,
       coalesce(d.total_usd, d.upfront_usd + d.milestones_usd, d.upfront_usd, d.milestones_usd) AS headline_usd,
       d.territory_include AS territory_include, d.territory_exclude AS territory_exclude, d.note AS note,
       CASE WHEN ($include_undated OR ($from_year <= 0 AND $to_year >= 9999)) THEN 0 ELSE undated END AS undated_left_out
ORDER BY coalesce(year, 9999), multinational, deal, role
