SELECT
  g.id AS id,
  LENGTH(g."Memo ""quoted""") AS memo_len,
  LEFT(g."account", 2) AS acct2,
  SUBSTR(g."account", 2, 2) AS acct_mid,
  SUBSTR(g."account", 3) AS acct_tail,
  g."account" || '-' || UPPER(g."Memo ""quoted""") AS label,
  COALESCE(g."Memo ""quoted""", 'none') AS memo_or_none,
  CASE WHEN g."Amount" > 0 THEN 'credit' WHEN g."Amount" < 0 THEN 'debit' WHEN g."Amount" IS NULL THEN NULL ELSE 'zero' END AS side,
  g.id * 10 - -(g.id + 1) AS arith,
  10 - (g.id - -1) AS nested_minus,
  GREATEST(g.id, 2) AS hi,
  LEAST(g.id, 2) AS lo,
  NULLIF(g."account", '4000') AS not_4000,
  ROUND(g.rate, 1) AS rate_1,
  CAST(ABS(g."Amount") AS NUMBER(20, 3)) AS abs_amount,
  g.id > 2 AS is_late,
  CAST(g.id AS VARCHAR(10)) AS id_text
FROM dx_gl AS g
WHERE g."account" IN ('4000', '4100', '5000') AND g.id NOT IN (99, 100) AND NOT (g.id = 0) AND (g.rate IS NULL OR g.rate IS NOT NULL)
ORDER BY g.id
