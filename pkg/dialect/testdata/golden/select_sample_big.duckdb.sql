WITH "s" AS (
  SELECT *
  FROM "mart"."dx_gl" USING SAMPLE 2.5000 PERCENT (system, 7)
)
SELECT
  COUNT(*) AS "n"
FROM "s"
