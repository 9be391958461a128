WITH `s` AS (
  SELECT *
  FROM `mart`.`dx_gl`
  WHERE RAND(7) < 0.025000
)
SELECT
  COUNT(*) AS `n`
FROM `s`
