// name: statistics_by_publisher
// question: Which market statistics did this data provider publish (value, period, note, citations)?
// param: publisher = "PharmCube"  the publishing organization: id, name, alias or former name
// names: publisher=organization
WITH toLower($publisher) AS key
MATCH (s:Statistic)-[:PUBLISHED_BY]->(p0:Organization)
WHERE toLower(p0.id) = key OR toLower(p0.name) = key
   OR any(a IN p0.aliases WHERE toLower(a) = key)
   OR any(f IN p0.former_names WHERE toLower(f) = key)
WITH s
OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(p:Organization)
RETURN s.measure AS measure, s.period AS period, s.value AS value, s.unit AS unit, s.currency AS currency,
       s.qualifier AS qualifier, p.name AS publisher, s.note AS note, s.id AS statistic, s.sources AS sources
ORDER BY measure, period, statistic
