SELECT
  *
FROM (
  SELECT
    'first' AS kind,
    code AS code
  FROM dx_accounts
  ORDER BY code
  LIMIT 1
) AS u1
UNION ALL
SELECT
  'with_entries' AS kind,
  a.code AS code
FROM dx_accounts AS a
WHERE EXISTS (
  SELECT
    1
  FROM dx_gl AS g
  WHERE g."account" = a.code AND g.is_open = TRUE
)
UNION ALL
SELECT
  'no_entries' AS kind,
  s.code AS code
FROM (
  SELECT
    code
  FROM dx_accounts AS a
  WHERE NOT EXISTS (
    SELECT
      1
    FROM dx_gl AS g
    WHERE g."account" = a.code
  )
) AS s
