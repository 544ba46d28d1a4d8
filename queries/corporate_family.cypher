// name: corporate_family
// question: What is this company's corporate family: the parents it belongs to and the subsidiaries it owns (SUBSIDIARY_OF, up to three levels either way)?
// param: name = "Pfizer"  an id, name, alias or former name
// names: name=organization
WITH toLower($name) AS key
MATCH (o:Organization)
WHERE toLower(o.id) = key OR toLower(o.name) = key
   OR any(a IN o.aliases WHERE toLower(a) = key)
   OR any(f IN o.former_names WHERE toLower(f) = key)
MATCH p = (o)-[:SUBSIDIARY_OF*1..3]->(parent:Organization)
RETURN o.name AS company, 'parent' AS relation, parent.name AS organization, parent.country AS country,
       length(p) AS levels
UNION
WITH toLower($name) AS key
MATCH (o:Organization)
WHERE toLower(o.id) = key OR toLower(o.name) = key
   OR any(a IN o.aliases WHERE toLower(a) = key)
   OR any(f IN o.former_names WHERE toLower(f) = key)
MATCH p = (child:Organization)-[:SUBSIDIARY_OF*1..3]->(o)
RETURN o.name AS company, 'subsidiary' AS relation, child.name AS organization, child.country AS country,
       length(p) AS levels
