// name: top_parties_by_value
// question: Which organizations account for the most headline deal value in a given role? Headline value of a deal is its total when disclosed, else upfront plus milestones, else whichever of those is known (USD, preferred claim).
// param: role = "licensee"  a role from the ontology: licensor, licensee, co-developer, acquirer…
// param: limit = 10  how many organizations to list
MATCH (o:Organization)-[r:PARTY_TO]->(d:Deal)
WHERE r.role = $role
WITH DISTINCT o, d,
     coalesce(d.total_usd, d.upfront_usd + d.milestones_usd, d.upfront_usd, d.milestones_usd) AS headline
WHERE headline IS NOT NULL
WITH o, count(d) AS deals_with_value, sum(headline) AS headline_usd
RETURN o.id AS id, o.name AS organization, o.country AS country, deals_with_value, headline_usd
ORDER BY headline_usd DESC, id
LIMIT $limit
