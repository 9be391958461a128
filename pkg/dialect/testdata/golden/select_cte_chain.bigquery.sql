WITH `posted` AS (
  SELECT
    `account` AS `account`,
    `Amount` AS `amount`
  FROM `dx_gl`
  WHERE `Amount` IS NOT NULL
),
`by_account` AS (
  SELECT
    `account` AS `account`,
    SUM(`amount`) AS `total`,
    COUNT(DISTINCT `account`) AS `n`
  FROM `posted`
  GROUP BY `account`
)
SELECT DISTINCT
  `b`.`account` AS `account`,
  `b`.`n` AS `n`
FROM `by_account` AS `b`
WHERE `b`.`total` <> NUMERIC '0.00'
GROUP BY `b`.`account`, `b`.`n`
HAVING COUNT(*) >= 1
ORDER BY `b`.`account` DESC
LIMIT 2
