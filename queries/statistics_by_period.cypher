// name: statistics_by_period
// question: Which market statistics cover a period: the period given (2025), or one inside it (2025-H1, 2025-04) or a range starting with it?
// param: period = "2025"  a year, half (2025-H1), month (2025-04) or range (2021/2025)
MATCH (s:Statistic)
WHERE s.period STARTS WITH $period
OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(p:Organization)
RETURN s.measure AS measure, s.period AS period, s.value AS value, s.unit AS unit, s.currency AS currency,
       s.qualifier AS qualifier, p.name AS publisher, s.note AS note, s.id AS statistic, s.sources AS sources
ORDER BY measure, period, statistic
