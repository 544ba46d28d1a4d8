// name: licensors_by_place
// question: Out-licensing by headquarters country: for each country, how many deals did companies based there sign as licensor in a range of years, and with how much disclosed upfront money?
// param: from_year = 2020  first signing year
// param: to_year = 2026  last signing year
MATCH (o:Organization)-[r:PARTY_TO]->(d:Deal)
WHERE r.role = 'licensor' AND d.year >= $from_year AND d.year <= $to_year
WITH DISTINCT o, d
MATCH (o)-[:HEADQUARTERED_IN]->(p:Place)
WITH DISTINCT p, d
RETURN p.id AS country, p.name AS name, count(d) AS deals, count(d.upfront_usd) AS with_upfront,
       sum(coalesce(d.upfront_usd, 0.0)) AS upfront_usd
ORDER BY deals DESC, country
