// name: deals_by_year
// question: How many deals of each type were signed per year in a range, and how much disclosed upfront money (USD) did they carry? Undated deals that count appear with no year. A deal counts in a period by its signing year; undated deals are left out of a period and counted in undated_left_out, unless include_undated is true or no period is given.
// param: from_year = 2024  first signing year (0: no lower bound)
// param: to_year = 2025  last signing year (9999: no upper bound)
// param: include_undated = false  also count deals with no known year
// optional: from_year = 0, to_year = 9999, include_undated = false
MATCH (u:Deal)
WITH sum(CASE WHEN u.year IS NULL THEN 1 ELSE 0 END) AS undated
MATCH (d:Deal)
WITH undated, d, CASE WHEN d.year IS NULL THEN ($include_undated OR ($from_year <= 0 AND $to_year >= 9999))
          ELSE d.year >= $from_year AND d.year <= $to_year END AS counted
WHERE counted
RETURN d.year AS year, d.type AS type, count(d) AS deals, count(d.upfront_usd) AS with_upfront,
       sum(coalesce(d.upfront_usd, 0.0)) AS upfront_usd,
       CASE WHEN ($include_undated OR ($from_year <= 0 AND $to_year >= 9999)) THEN 0 ELSE undated END AS undated_left_out
ORDER BY coalesce(year, 9999), type
