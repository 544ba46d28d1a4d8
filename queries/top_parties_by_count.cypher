// name: top_parties_by_count
// question: League table: which organizations take part in the most deals in a given role (licensor, licensee, co-developer, acquirer…), in a range of signing years, with their disclosed upfront money? A deal counts in a period by its signing year, or when its dates span years that lie wholly inside the period; deals without such a year are left out of a period and counted in undated_left_out, unless include_undated is true or no period is given.
// param: role = "licensor"  a role from the ontology: licensor, licensee, co-developer, acquirer, investor…
// param: limit = 10  how many organizations to list
// param: from_year = 2024  first signing year (0: no lower bound)
// param: to_year = 2025  last signing year (9999: no upper bound)
// param: include_undated = false  also count deals with no known year
// optional: limit = 10, from_year = 0, to_year = 9999, include_undated = false
MATCH (o:Organization)-[r:PARTY_TO]->(d:Deal)
WHERE r.role = $role
WITH DISTINCT o, d,
     CASE WHEN d.year IS NOT NULL THEN d.year >= $from_year AND d.year <= $to_year
          WHEN d.year_from >= $from_year AND d.year_to <= $to_year THEN true
          ELSE ($include_undated OR ($from_year <= 0 AND $to_year >= 9999)) END AS counted
WITH o, sum(CASE WHEN counted THEN 1 ELSE 0 END) AS deals,
     sum(CASE WHEN counted THEN coalesce(d.upfront_usd, 0.0) ELSE 0.0 END) AS upfront_usd,
     sum(CASE WHEN counted THEN 0 ELSE (CASE WHEN d.year IS NULL THEN 1 ELSE 0 END) END) AS undated_left_out
WHERE deals > 0
RETURN o.id AS id, o.name AS organization, o.country AS country, deals, upfront_usd, undated_left_out
ORDER BY deals DESC, id
LIMIT $limit
