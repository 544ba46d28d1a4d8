// name: deals_by_year
// question: How many deals of each type were signed per year in a range, and how much disclosed upfront money (USD) did they carry?
// param: from_year = 2020  first signing year
// param: to_year = 2026  last signing year
MATCH (d:Deal)
WHERE d.year >= $from_year AND d.year <= $to_year
RETURN d.year AS year, d.type AS type, count(d) AS deals, count(d.upfront_usd) AS with_upfront,
       sum(coalesce(d.upfront_usd, 0.0)) AS upfront_usd
ORDER BY year, type
