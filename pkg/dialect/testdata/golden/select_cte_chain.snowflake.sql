WITH posted AS (
  SELECT
    "account" AS "account",
    "Amount" AS amount
  FROM dx_gl
  WHERE "Amount" IS NOT NULL
),
by_account ("account", total, n) AS (
  SELECT
    "account",
    SUM(amount),
    COUNT(DISTINCT "account")
  FROM posted
  GROUP BY "account"
)
SELECT DISTINCT
  b."account" AS "account",
  b.n AS n
FROM by_account AS b
WHERE b.total <> 0.00
GROUP BY b."account", b.n
HAVING COUNT(*) >= 1
ORDER BY b."account" DESC
LIMIT 2
