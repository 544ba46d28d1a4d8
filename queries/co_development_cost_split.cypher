// name: co_development_cost_split
// question: How are development costs split in co-developments and other deals that state a cost share (percent borne by each party)?
// unordered: territory_include, territory_exclude
MATCH (o:Organization)-[r:PARTY_TO]->(d:Deal)
WHERE d.type = 'co-development'
   OR EXISTS { MATCH (:Organization)-[s:PARTY_TO]->(d) WHERE s.cost_share IS NOT NULL }
RETURN d.id AS deal, d.type AS type, d.date AS date, d.title AS title, o.name AS organization, r.role AS role,
       r.cost_share AS cost_share_percent, d.territory_include AS territory_include,
       d.territory_exclude AS territory_exclude, d.note AS note
ORDER BY deal, organization, role
