// name: company_partners
// question: Which organizations are within N deal-steps of this company (1 = a party to one of its deals, 2 = a party to a deal of one of those, …), and how near is each?
// param: name = "Hengrui"  an id, name, alias or former name
// param: hops = 2  how many deal-steps to follow, 1 to 4 (the query expands at most 4 rings)
// names: name=organization
WITH toLower($name) AS key
MATCH (o:Organization)
WHERE toLower(o.id) = key OR toLower(o.name) = key
   OR any(a IN o.aliases WHERE toLower(a) = key)
   OR any(f IN o.former_names WHERE toLower(f) = key)
OPTIONAL MATCH (o)-[:PARTY_TO]->(:Deal)<-[:PARTY_TO]-(p1:Organization)
WHERE p1.id <> o.id AND $hops >= 1
WITH o, collect(DISTINCT p1.id) AS ring1
OPTIONAL MATCH (x2:Organization)-[:PARTY_TO]->(:Deal)<-[:PARTY_TO]-(p2:Organization)
WHERE $hops >= 2 AND x2.id IN ring1 AND p2.id <> o.id AND NOT p2.id IN ring1
WITH o, ring1, collect(DISTINCT p2.id) AS ring2
OPTIONAL MATCH (x3:Organization)-[:PARTY_TO]->(:Deal)<-[:PARTY_TO]-(p3:Organization)
WHERE $hops >= 3 AND x3.id IN ring2 AND p3.id <> o.id AND NOT p3.id IN ring1 AND NOT p3.id IN ring2
WITH o, ring1, ring2, collect(DISTINCT p3.id) AS ring3
OPTIONAL MATCH (x4:Organization)-[:PARTY_TO]->(:Deal)<-[:PARTY_TO]-(p4:Organization)
WHERE $hops >= 4 AND x4.id IN ring3 AND p4.id <> o.id
  AND NOT p4.id IN ring1 AND NOT p4.id IN ring2 AND NOT p4.id IN ring3
WITH o, ring1, ring2, ring3, collect(DISTINCT p4.id) AS ring4
MATCH (partner:Organization)
WHERE partner.id IN ring1 OR partner.id IN ring2 OR partner.id IN ring3 OR partner.id IN ring4
RETURN partner.id AS id, partner.name AS partner, partner.country AS country, partner.kind AS kind,
       CASE WHEN partner.id IN ring1 THEN 1 WHEN partner.id IN ring2 THEN 2 WHEN partner.id IN ring3 THEN 3
            ELSE 4 END AS hops
ORDER BY hops, id
