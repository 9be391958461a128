WITH `cur_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) >= 4 THEN 0 ELSE -1 END AS `g1`,
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  WHERE CAST(`t`.`line_date` AS DATE) >= CAST('2023-04-01' AS DATE) AND CAST(`t`.`line_date` AS DATE) < CAST('2025-04-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) >= 4 THEN 0 ELSE -1 END
),
`cur_keys` AS (
  SELECT
    `s`.`g1` AS `g1`
  FROM (
    SELECT 2023 AS `g1`
    UNION ALL
    SELECT 2024
  ) AS `s`
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `cur_f1`.`f1_b1` AS `f1_b1`
  FROM `cur_keys` AS `k`
    LEFT JOIN `cur_f1` AS `cur_f1`
      ON `k`.`g1` <=> `cur_f1`.`g1`
),
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    `r`.`f1_b1` AS `m1`
  FROM `cur_r` AS `r`
),
`res` AS (
  SELECT
    `c`.`g1` AS `g1`,
    `c`.`m1` AS `m1`
  FROM `cur` AS `c`
)
SELECT
  `x`.`g1` AS `g1`,
  `x`.`m1` AS `m1`
FROM `res` AS `x`
ORDER BY `x`.`g1`
