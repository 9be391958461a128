SELECT
  g.id AS id,
  a.name AS account_name,
  p.name AS parent_name,
  ROW_NUMBER() OVER (PARTITION BY a.parent ORDER BY g.id DESC) AS rn,
  COUNT(*) OVER (PARTITION BY a.parent) AS n_siblings,
  ROW_NUMBER() OVER () AS any_rn,
  CURRENT_TIMESTAMP AS ts
FROM dx_gl AS g
  INNER JOIN dx_accounts AS a
    ON a.code = g."account"
  LEFT JOIN dx_accounts AS p
    ON p.code = a.parent
  CROSS JOIN (
    SELECT
      1 AS x
  ) AS one
WHERE one.x = 1
ORDER BY g.id
