// name: top_parties_by_count
// question: Which organizations take part in the most deals in a given role (licensor, licensee, co-developer, acquirer…)?
// param: role = "licensor"  a role from the ontology: licensor, licensee, co-developer, acquirer, investor…
// param: limit = 10  how many organizations to list
MATCH (o:Organization)-[r:PARTY_TO]->(d:Deal)
WHERE r.role = $role
WITH o, count(DISTINCT d) AS deals
RETURN o.id AS id, o.name AS organization, o.country AS country, deals
ORDER BY deals DESC, id
LIMIT $limit
