WITH "s" AS (
  SELECT *
  FROM "dx_gl" USING SAMPLE 100.0000 PERCENT (bernoulli, 42)
)
SELECT
  COUNT(*) AS "n"
FROM "s"
