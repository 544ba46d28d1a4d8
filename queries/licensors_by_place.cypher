// name: licensors_by_place
// question: Out-licensing by headquarters country: for each country, how many deals did companies based there sign as licensor in a range of years, and with how much disclosed upfront money? A deal counts in a period by its signing year, or when its dates span years that lie wholly inside the period; deals without such a year are left out of a period and counted in undated_left_out, unless include_undated is true or no period is given.
// param: from_year = 2024  first signing year (0: no lower bound)
// param: to_year = 2025  last signing year (9999: no upper bound)
// param: include_undated = false  also count deals with no known year
// optional: from_year = 0, to_year = 9999, include_undated = false
MATCH (o:Organization)-[r:PARTY_TO]->(d:Deal)
WHERE r.role = 'licensor'
WITH DISTINCT o, d
MATCH (o)-[:HEADQUARTERED_IN]->(p:Place)
WITH DISTINCT p, d, CASE WHEN d.year IS NOT NULL THEN d.year >= $from_year AND d.year <= $to_year
          WHEN d.year_from >= $from_year AND d.year_to <= $to_year THEN true
          ELSE ($include_undated OR ($from_year <= 0 AND $to_year >= 9999)) END AS counted
WITH p, sum(CASE WHEN counted THEN 1 ELSE 0 END) AS deals,
     sum(CASE WHEN counted AND d.upfront_usd IS NOT NULL THEN 1 ELSE 0 END) AS with_upfront,
     sum(CASE WHEN counted THEN coalesce(d.upfront_usd, 0.0) ELSE 0.0 END) AS upfront_usd,
     sum(CASE WHEN counted THEN 0 ELSE (CASE WHEN d.year IS NULL THEN 1 ELSE 0 END) END) AS undated_left_out
WHERE deals > 0
RETURN p.id AS country, p.name AS name, deals, with_upfront, upfront_usd, undated_left_out
ORDER BY deals DESC, country
