WITH `cur_f1` AS (
  SELECT
    `j2`.`customer_name` AS `g1`,
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
    LEFT JOIN `fin`.`customer` AS `j2`
      ON `t`.`customer_id` = `j2`.`customer_id` AND `j2`.`is_current` = 1
  GROUP BY `j2`.`customer_name`
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`f1_b1` AS `f1_b1`
  FROM `cur_f1` AS `k`
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
),
`met` AS (
  SELECT
    `x`.`g1` AS `g1`,
    `x`.`m1` AS `m1`
  FROM `res` AS `x`
  WHERE `x`.`m1` > 31000.5
)
SELECT
  COUNT(*) AS `n`
FROM `met` AS `x`
