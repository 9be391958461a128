CREATE OR REPLACE VIEW dx_account_totals AS
SELECT
  a.code AS code,
  a.name AS name,
  COALESCE(SUM(g."Amount"), 0.00) AS total,
  COUNT(g.id) AS entries
FROM dx_accounts AS a
  LEFT JOIN dx_gl AS g
    ON g.account = a.code
GROUP BY a.code, a.name;
COMMENT ON VIEW dx_account_totals IS 'Totals per account; don''t edit'
