// name: conflicting_statistics
// question: Where do sources disagree on a market figure: statistics with the same measure and period but different values, each with its publisher and citations?
MATCH (s:Statistic)
WITH s.measure AS measure, s.period AS period, min(s.value) AS low, max(s.value) AS high
WHERE low < high
MATCH (s2:Statistic)
WHERE s2.measure = measure AND s2.period = period
OPTIONAL MATCH (s2)-[:PUBLISHED_BY]->(p:Organization)
RETURN measure, period, s2.id AS statistic, s2.value AS value, s2.unit AS unit, p.name AS publisher,
       s2.note AS note, s2.sources AS sources
ORDER BY measure, period, statistic
