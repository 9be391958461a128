WITH `cur_f1` AS (
  SELECT
    CAST(SUM(`t`.`freight`) AS DECIMAL(38, 10)) AS `f1_b1`,
    COUNT(*) AS `f1_b2`
  FROM `fin`.`orders` AS `t`
  WHERE `t`.`expedited` = 1
),
`cur_r` AS (
  SELECT
    `k`.`f1_b1` AS `f1_b1`,
    `k`.`f1_b2` AS `f1_b2`
  FROM `cur_f1` AS `k`
),
`cur` AS (
  SELECT
    `r`.`f1_b1` AS `m1`,
    `r`.`f1_b2` AS `m2`
  FROM `cur_r` AS `r`
),
`res` AS (
  SELECT
    `c`.`m1` AS `m1`,
    `c`.`m2` AS `m2`
  FROM `cur` AS `c`
)
SELECT
  `x`.`m1` AS `m1`,
  `x`.`m2` AS `m2`
FROM `res` AS `x`
