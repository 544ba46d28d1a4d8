// name: deal_record
// question: What is a deal's full record, in one row? Type, title, date, status, parties with roles, assets, every term as each source states it, royalties, territories included and excluded, the events that followed, the note and the citations.
// param: deal = "2025-05-3sbio-pfizer"  a deal id or title
// names: deal=deal
// unordered: parties, assets, terms, events, territory_include, territory_exclude, sources
MATCH (d:Deal)
WHERE d.id = $deal OR toLower(d.title) = toLower($deal)
OPTIONAL MATCH (o:Organization)-[r:PARTY_TO]->(d)
WITH d, collect(DISTINCT CASE WHEN o.id IS NULL THEN null ELSE o.name + ' (' + r.role + ')' END) AS parties
OPTIONAL MATCH (d)-[:COVERS]->(a:Asset)
WITH d, parties, collect(DISTINCT a.name) AS assets
OPTIONAL MATCH (d)-[h:HAS_TERM]->(t:Term)
WITH d, parties, assets, collect(DISTINCT CASE WHEN t.id IS NULL THEN null ELSE h.kind + ': ' + t.text END) AS terms
OPTIONAL MATCH (e:Event)-[:CONCERNS]->(d)
RETURN d.id AS deal, d.type AS type, d.title AS title, d.date AS date, d.status AS status,
       d.stage_at_signing AS stage_at_signing, parties, assets, terms, d.royalties AS royalties,
       d.territory_include AS territory_include, d.territory_exclude AS territory_exclude,
       collect(DISTINCT CASE WHEN e.id IS NULL THEN null
                         ELSE coalesce(e.date, 'undated') + ' ' + e.type + ': ' + coalesce(e.title, e.id) END) AS events,
       d.note AS note, d.sources AS sources
