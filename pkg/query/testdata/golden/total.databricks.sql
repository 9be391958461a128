WITH `cur_f1` AS (
  SELECT
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f1_b1`,
    CAST(SUM(`t`.`quantity`) AS DECIMAL(38, 10)) AS `f1_b2`
  FROM `fin`.`order_lines` AS `t`
),
`cur_f2` AS (
  SELECT
    COUNT(*) AS `f2_b1`
  FROM `fin`.`orders` AS `t`
),
`cur_r` AS (
  SELECT
    `k`.`f1_b1` AS `f1_b1`,
    `k`.`f1_b2` AS `f1_b2`,
    `cur_f2`.`f2_b1` AS `f2_b1`
  FROM `cur_f1` AS `k`
    CROSS JOIN `cur_f2` AS `cur_f2`
),
`cur` AS (
  SELECT
    `r`.`f1_b1` AS `m1`,
    `r`.`f1_b2` AS `m2`,
    `r`.`f2_b1` AS `m3`
  FROM `cur_r` AS `r`
),
`res` AS (
  SELECT
    `c`.`m1` AS `m1`,
    `c`.`m2` AS `m2`,
    `c`.`m3` AS `m3`
  FROM `cur` AS `c`
)
SELECT
  `x`.`m1` AS `m1`,
  `x`.`m2` AS `m2`,
  `x`.`m3` AS `m3`
FROM `res` AS `x`
