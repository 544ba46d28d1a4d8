// name: company_profile
// question: Who is this company? Its record, found by id, name, alias or former name in any letter case, with how many deals it is party to and how many assets it originated.
// param: name = "Jiangsu Hengrui"  an id, name, alias or former name
// names: name=organization
WITH toLower($name) AS key
MATCH (o:Organization)
WHERE toLower(o.id) = key OR toLower(o.name) = key
   OR any(a IN o.aliases WHERE toLower(a) = key)
   OR any(f IN o.former_names WHERE toLower(f) = key)
OPTIONAL MATCH (o)-[:PARTY_TO]->(d:Deal)
WITH o, count(DISTINCT d) AS deals
OPTIONAL MATCH (a:Asset)-[:ORIGINATED_BY]->(o)
WITH o, deals, count(DISTINCT a) AS assets
OPTIONAL MATCH (o)-[:HEADQUARTERED_IN]->(hq:Place)
RETURN o.id AS id, o.name AS name, o.kind AS kind, o.multinational AS multinational,
       o.country AS country, hq.name AS headquarters, o.aliases AS aliases, o.former_names AS former_names,
       deals, assets, o.note AS note
