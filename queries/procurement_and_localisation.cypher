// name: procurement_and_localisation
// question: Which procurement and localisation agreements are recorded (buying products, or moving research, production or supply into a market), between whom and where?
// unordered: parties, territory
MATCH (d:Deal)
WHERE d.type = 'procurement' OR d.type = 'localisation'
OPTIONAL MATCH (o:Organization)-[r:PARTY_TO]->(d)
WITH d, collect(DISTINCT CASE WHEN o.id IS NULL THEN null ELSE o.name + ' (' + r.role + ')' END) AS parties
OPTIONAL MATCH (d)-[:INCLUDES_TERRITORY]->(p:Place)
RETURN d.id AS deal, d.type AS type, d.date AS date, d.title AS title, parties, collect(DISTINCT p.id) AS territory,
       d.territory_exclude AS territory_exclude,
       d.status AS status, d.note AS note
ORDER BY type, date, deal
