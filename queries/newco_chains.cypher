// name: newco_chains
// question: Which NewCos were set up around licensed assets: who founded each, who licensed assets into it (the originator), in which deals, and who acquired it (if anyone), when and for how much?
// unordered: founders, licensed_from, deals
MATCH (n:Organization)
WHERE n.kind = 'newco' OR EXISTS { MATCH (n)-[:FORMED_BY]->(:Organization) }
OPTIONAL MATCH (n)-[:FORMED_BY]->(f:Organization)
WITH n, collect(DISTINCT f.name) AS founders
OPTIONAL MATCH (orig:Organization)-[:PARTY_TO {role: 'licensor'}]->(d:Deal)<-[:PARTY_TO {role: 'licensee'}]-(n)
WITH n, founders, collect(DISTINCT orig.name) AS licensed_from, collect(DISTINCT d.id) AS deals
OPTIONAL MATCH (n)-[acq:ACQUIRED_BY]->(buyer:Organization)
RETURN n.id AS id, n.name AS newco, founders, licensed_from, deals, buyer.name AS acquirer,
       acq.date AS acquired, acq.price_usd AS price_usd
ORDER BY id, acquirer
