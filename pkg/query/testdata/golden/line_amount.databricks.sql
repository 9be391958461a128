WITH `cur_f1` AS (
  SELECT
    `j3`.`category` AS `g1`,
    CAST(SUM(CAST(`t`.`quantity` AS DECIMAL(38, 10)) * CAST(`t`.`unit_price` AS DECIMAL(38, 10))) AS DECIMAL(38, 10)) AS `f1_b1`,
    CAST(SUM(CAST(`t`.`quantity` AS DECIMAL(38, 10)) * CAST(`t`.`unit_price` AS DECIMAL(38, 10)) * (1 - COALESCE(CAST(`t`.`discount_rate` AS DECIMAL(38, 10)), 0))) AS DECIMAL(38, 10)) AS `f1_b2`,
    CAST(SUM(`t`.`quantity`) AS DECIMAL(38, 10)) AS `f1_b3`
  FROM `fin`.`order_lines` AS `t`
    LEFT JOIN `fin`.`product` AS `j3`
      ON `t`.`product_id` = `j3`.`product_id`
  GROUP BY `j3`.`category`
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`f1_b1` AS `f1_b1`,
    `k`.`f1_b2` AS `f1_b2`,
    `k`.`f1_b3` AS `f1_b3`
  FROM `cur_f1` AS `k`
),
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    `r`.`f1_b1` AS `m1`,
    `r`.`f1_b2` AS `m2`,
    `r`.`f1_b3` AS `m3`
  FROM `cur_r` AS `r`
),
`res` AS (
  SELECT
    `c`.`g1` AS `g1`,
    `c`.`m1` AS `m1`,
    `c`.`m2` AS `m2`,
    `c`.`m3` AS `m3`
  FROM `cur` AS `c`
)
SELECT
  `x`.`g1` AS `g1`,
  `x`.`m1` AS `m1`,
  `x`.`m2` AS `m2`,
  `x`.`m3` AS `m3`
FROM `res` AS `x`
ORDER BY `x`.`g1`
