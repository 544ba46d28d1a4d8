// name: path_between_companies
// question: How are two companies connected through shared deals? Every chain of at most max_hops deals (1 to 3) leading from one to the other, with the companies and deals along it.
// param: from = "Merck"  the first company: id, name, alias or former name
// param: to = "GSK"  the second company
// param: max_hops = 2  longest chain to report, 1 to 3 deals
// names: from=organization, to=organization
WITH toLower($from) AS k1, toLower($to) AS k2
MATCH (a:Organization)
WHERE toLower(a.id) = k1 OR toLower(a.name) = k1
   OR any(x IN a.aliases WHERE toLower(x) = k1) OR any(x IN a.former_names WHERE toLower(x) = k1)
WITH a, k2
MATCH (b:Organization)
WHERE (toLower(b.id) = k2 OR toLower(b.name) = k2
       OR any(x IN b.aliases WHERE toLower(x) = k2) OR any(x IN b.former_names WHERE toLower(x) = k2))
  AND a.id <> b.id AND $max_hops >= 1
MATCH (a)-[:PARTY_TO]->(d1:Deal)<-[:PARTY_TO]-(b)
RETURN 1 AS hops, [a.name, b.name] AS companies, [d1.id] AS deals
UNION
WITH toLower($from) AS k1, toLower($to) AS k2
MATCH (a:Organization)
WHERE toLower(a.id) = k1 OR toLower(a.name) = k1
   OR any(x IN a.aliases WHERE toLower(x) = k1) OR any(x IN a.former_names WHERE toLower(x) = k1)
WITH a, k2
MATCH (b:Organization)
WHERE (toLower(b.id) = k2 OR toLower(b.name) = k2
       OR any(x IN b.aliases WHERE toLower(x) = k2) OR any(x IN b.former_names WHERE toLower(x) = k2))
  AND a.id <> b.id AND $max_hops >= 2
MATCH (a)-[:PARTY_TO]->(d1:Deal)<-[:PARTY_TO]-(m:Organization)
WHERE m.id <> a.id AND m.id <> b.id
WITH DISTINCT a, b, d1, m
MATCH (m)-[:PARTY_TO]->(d2:Deal)<-[:PARTY_TO]-(b)
WHERE d2.id <> d1.id
RETURN 2 AS hops, [a.name, m.name, b.name] AS companies, [d1.id, d2.id] AS deals
UNION
WITH toLower($from) AS k1, toLower($to) AS k2
MATCH (a:Organization)
WHERE toLower(a.id) = k1 OR toLower(a.name) = k1
   OR any(x IN a.aliases WHERE toLower(x) = k1) OR any(x IN a.former_names WHERE toLower(x) = k1)
WITH a, k2
MATCH (b:Organization)
WHERE (toLower(b.id) = k2 OR toLower(b.name) = k2
       OR any(x IN b.aliases WHERE toLower(x) = k2) OR any(x IN b.former_names WHERE toLower(x) = k2))
  AND a.id <> b.id AND $max_hops >= 3
MATCH (a)-[:PARTY_TO]->(d1:Deal)<-[:PARTY_TO]-(m:Organization)
WHERE m.id <> a.id AND m.id <> b.id
WITH DISTINCT a, b, d1, m
MATCH (b)-[:PARTY_TO]->(d3:Deal)<-[:PARTY_TO]-(n:Organization)
WHERE n.id <> a.id AND n.id <> b.id AND n.id <> m.id AND d3.id <> d1.id
WITH DISTINCT a, b, d1, m, d3, n
MATCH (m)-[:PARTY_TO]->(d2:Deal)<-[:PARTY_TO]-(n)
WHERE d2.id <> d1.id AND d2.id <> d3.id
RETURN 3 AS hops, [a.name, m.name, n.name, b.name] AS companies, [d1.id, d2.id, d3.id] AS deals
