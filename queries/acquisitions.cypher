// name: acquisitions
// question: Which companies were acquired, by whom, when, in which deal and at what price (USD, when disclosed)?
MATCH (t:Organization)-[a:ACQUIRED_BY]->(b:Organization)
RETURN t.name AS target, t.country AS target_country, b.name AS acquirer, b.country AS acquirer_country,
       a.date AS date, a.deal AS deal, a.price_usd AS price_usd
ORDER BY date, target, acquirer
