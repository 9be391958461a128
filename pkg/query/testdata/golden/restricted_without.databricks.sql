WITH `cur_f1` AS (
  SELECT
    `j4`.`category` AS `g1`,
    COUNT(CASE WHEN `j1`.`k1` IS NULL THEN 1 END) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
    LEFT JOIN (
      SELECT DISTINCT
        `order_id` AS `k1`,
        `line_no` AS `k2`
      FROM `fin`.`line_returns`
      WHERE `order_id` IS NOT NULL
    ) AS `j1`
      ON `j1`.`k1` = `t`.`order_id` AND `j1`.`k2` = `t`.`line_no`
    LEFT JOIN `fin`.`product` AS `j4`
      ON `t`.`product_id` = `j4`.`product_id`
  GROUP BY `j4`.`category`
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
)
SELECT
  `x`.`g1` AS `g1`,
  `x`.`m1` AS `m1`
FROM `res` AS `x`
ORDER BY `x`.`g1`
