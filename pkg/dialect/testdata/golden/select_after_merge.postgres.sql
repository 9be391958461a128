SELECT
  code AS code,
  name AS name,
  COALESCE(parent, '-') AS parent,
  "Sort Order" AS sort_order
FROM dx_accounts
ORDER BY "Sort Order", code
