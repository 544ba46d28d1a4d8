// name: terminated_deals
// question: Which deals were terminated, when, what did the licensor keep (retained payments, as HAS_TERM retained on the termination event) and which rights went back?
// unordered: licensors, counterparties
MATCH (d:Deal)
WHERE d.status = 'terminated' OR EXISTS { MATCH (e:Event)-[:CONCERNS]->(d) WHERE e.type = 'termination' }
OPTIONAL MATCH (l:Organization)-[:PARTY_TO {role: 'licensor'}]->(d)
WITH d, collect(DISTINCT l.name) AS licensors
OPTIONAL MATCH (c:Organization)-[r:PARTY_TO]->(d)
WHERE r.role <> 'licensor'
WITH d, licensors, collect(DISTINCT c.name) AS counterparties
OPTIONAL MATCH (e:Event)-[:CONCERNS]->(d)
WHERE e.type = 'termination'
OPTIONAL MATCH (e)-[h:HAS_TERM]->(t:Term)
WHERE h.kind = 'retained'
RETURN d.id AS deal, d.type AS type, d.title AS title, licensors, counterparties, d.territory_include AS territory_include,
       d.territory_exclude AS territory_exclude, e.id AS event,
       e.date AS terminated, t.text AS retained, t.usd AS retained_usd, e.returned AS returned, e.note AS event_note,
       d.note AS note
ORDER BY deal, event, retained
