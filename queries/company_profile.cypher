// name: company_profile
// question: Who is this company? Its record, found by id, name, alias or former name in any letter case, with how many deals it is party to and how many assets it originated.
// param: name = "Jiangsu Hengrui"  an id, name, alias or former name
// names: name=organization
MATCH (o:Organization)
WHERE o.id = $name
OPTIONAL MATCH (o)-[:PARTY_TO]->(d:Deal)
WITH o, count(DISTINCT d) AS deals
OPTIONAL MATCH (a:Asset)-[:ORIGINATED_BY]->(o)
WITH o, deals, count(DISTINCT a) AS assets
OPTIONAL MATCH (o)-[:HEADQUARTERED_IN]->(hq:Place)
RETURN o.id AS id, o.name AS name, o.kind AS kind, o.multinational AS multinational,
       o.country AS country, hq.name AS headquarters, o.aliases AS aliases, o.former_names AS former_names,
       deals, assets, o.note AS note
