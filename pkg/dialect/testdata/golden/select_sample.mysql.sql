WITH `s` AS (
  SELECT *
  FROM `dx_gl`
  WHERE RAND(42) < 1.000000
)
SELECT
  COUNT(*) AS `n`
FROM `s`
