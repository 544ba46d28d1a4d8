// name: statistics_search
// question: Which market statistics mention these words (in the measure, period, note, id or publisher's name, any letter case, hyphens read as spaces)? For typos and accents use `dealgraph search --kind statistic`.
// param: text = "out-licensing"  words to look for, e.g. upfront, deal count, 2025
MATCH (s:Statistic)
OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(p0:Organization)
WITH s, replace(toLower($text), '-', ' ') AS key,
     replace(toLower(s.measure + ' ' + s.period + ' ' + s.id + ' ' + coalesce(s.note, '') + ' ' + coalesce(p0.name, '')),
             '-', ' ') AS hay
WHERE hay CONTAINS key
OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(p:Organization)
RETURN s.measure AS measure, s.period AS period, s.value AS value, s.unit AS unit, s.currency AS currency,
       s.qualifier AS qualifier, p.name AS publisher, s.note AS note, s.id AS statistic, s.sources AS sources
ORDER BY measure, period, statistic
