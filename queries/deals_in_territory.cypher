// name: deals_in_territory
// question: Which deals grant rights in a place: its territory includes the place or a region containing it (PART_OF hierarchy), and does not exclude it?
// param: place = "US"  a country (ISO code) or region id present in the graph
// unordered: parties
// names: place=place
// unordered: territory_include, territory_exclude
MATCH (p:Place {id: $place})
MATCH (d:Deal)-[:INCLUDES_TERRITORY]->(inc:Place)
WHERE EXISTS { MATCH (p)-[:PART_OF*0..6]->(inc) }
  AND NOT EXISTS { MATCH (d)-[:EXCLUDES_TERRITORY]->(ex:Place) WHERE EXISTS { MATCH (p)-[:PART_OF*0..6]->(ex) } }
WITH DISTINCT p, d
OPTIONAL MATCH (o:Organization)-[r:PARTY_TO]->(d)
RETURN p.id AS place, d.id AS deal, d.date AS date, d.type AS type, d.title AS title,
       collect(DISTINCT CASE WHEN o.id IS NULL THEN null ELSE o.name + ' (' + r.role + ')' END) AS parties, d.territory_include AS territory_include,
       d.territory_exclude AS territory_exclude, d.status AS status, d.note AS note
ORDER BY date, deal
