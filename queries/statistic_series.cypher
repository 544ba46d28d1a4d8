// name: statistic_series
// question: How does a reported market measure develop over periods, as each source reports it (value, unit, publisher, citations)?
// param: measure = "china-out-licensing-total-value"  a measure key, e.g. china-out-licensing-deal-count
// names: measure=measure
MATCH (s:Statistic)
WHERE s.measure = $measure
OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(p:Organization)
RETURN s.period AS period, s.value AS value, s.unit AS unit, s.currency AS currency, s.qualifier AS qualifier,
       p.name AS publisher, s.note AS note, s.id AS statistic, s.sources AS sources
ORDER BY period, statistic
