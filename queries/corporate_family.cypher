// name: corporate_family
// question: What is this company's corporate family: the parents it belongs to and the subsidiaries it owns (SUBSIDIARY_OF, up to three levels either way)?
// param: name = "Pfizer"  an id, name, alias or former name
// names: name=organization
MATCH (o:Organization)
WHERE o.id = $name
MATCH p = (o)-[:SUBSIDIARY_OF*1..3]->(parent:Organization)
RETURN o.name AS company, 'parent' AS relation, parent.name AS organization, parent.country AS country,
       length(p) AS levels
UNION
MATCH (o:Organization)
WHERE o.id = $name
MATCH p = (child:Organization)-[:SUBSIDIARY_OF*1..3]->(o)
RETURN o.name AS company, 'subsidiary' AS relation, child.name AS organization, child.country AS country,
       length(p) AS levels
