WITH `cur_f1` AS (
  SELECT
    CAST(SUM(CASE WHEN CAST(`j1`.`line_date` AS DATE) >= CAST('2023-07-01' AS DATE) AND CAST(`j1`.`line_date` AS DATE) < CAST('2024-07-01' AS DATE) THEN `t`.`refund` END) AS DECIMAL(38, 10)) AS `f1_b1`
  FROM `fin`.`line_returns` AS `t`
    LEFT JOIN `fin`.`order_lines` AS `j1`
      ON `t`.`order_id` = `j1`.`order_id` AND `t`.`line_no` = `j1`.`line_no`
),
`cur_f2` AS (
  SELECT
    CAST(SUM(CASE WHEN CAST(`t`.`line_date` AS DATE) >= CAST('2023-07-01' AS DATE) AND CAST(`t`.`line_date` AS DATE) < CAST('2024-07-01' AS DATE) THEN `t`.`amount` END) AS DECIMAL(38, 10)) AS `f2_b1`
  FROM `fin`.`order_lines` AS `t`
),
`cur_r` AS (
  SELECT
    `k`.`f1_b1` AS `f1_b1`,
    `cur_f2`.`f2_b1` AS `f2_b1`
  FROM `cur_f1` AS `k`
    CROSS JOIN `cur_f2` AS `cur_f2`
),
`cur` AS (
  SELECT
    (CAST(`r`.`f1_b1` AS DOUBLE) / NULLIF(CAST(`r`.`f2_b1` AS DOUBLE), 0)) * 100 AS `m1`
  FROM `cur_r` AS `r`
),
`res` AS (
  SELECT
    `c`.`m1` AS `m1`
  FROM `cur` AS `c`
)
SELECT
  `x`.`m1` AS `m1`
FROM `res` AS `x`
