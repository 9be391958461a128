WITH `cur_f1` AS (
  SELECT
    `j5`.`segment` AS `g1`,
    CAST(SUM(`t`.`amount`) AS BIGNUMERIC(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
    LEFT JOIN `fin`.`orders` AS `j1`
      ON `t`.`order_id` = `j1`.`order_id`
    LEFT JOIN `fin`.`customer` AS `j5`
      ON `t`.`customer_id` = `j5`.`customer_id` AND `j5`.`is_current` = 1
  WHERE CAST(`j1`.`order_date` AS DATE) >= '2024-07-01' AND (CAST(`j1`.`channel` AS STRING(500)) IS NULL OR CAST(`j1`.`channel` AS STRING(500)) NOT IN ('Partner'))
  GROUP BY `j5`.`segment`
),
`cur_f2` AS (
  SELECT
    `j1`.`segment` AS `g1`,
    CAST(SUM(`t`.`freight`) AS BIGNUMERIC(38, 10)) AS `f2_b1`
  FROM `fin`.`orders` AS `t`
    LEFT JOIN `fin`.`customer` AS `j1`
      ON `t`.`customer_id` = `j1`.`customer_id` AND `j1`.`is_current` = 1
  WHERE CAST(`t`.`order_date` AS DATE) >= '2024-07-01' AND (CAST(`t`.`channel` AS STRING(500)) IS NULL OR CAST(`t`.`channel` AS STRING(500)) NOT IN ('Partner'))
  GROUP BY `j1`.`segment`
),
`cur_keys` AS (
  SELECT DISTINCT
    `u`.`g1` AS `g1`
  FROM (
    SELECT
      `g1` AS `g1`
    FROM `cur_f1`
    UNION ALL
    SELECT
      `g1` AS `g1`
    FROM `cur_f2`
  ) AS `u`
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `cur_f1`.`f1_b1` AS `f1_b1`,
    `cur_f2`.`f2_b1` AS `f2_b1`
  FROM `cur_keys` AS `k`
    LEFT JOIN `cur_f1` AS `cur_f1`
      ON `k`.`g1` IS NOT DISTINCT FROM `cur_f1`.`g1`
    LEFT JOIN `cur_f2` AS `cur_f2`
      ON `k`.`g1` IS NOT DISTINCT FROM `cur_f2`.`g1`
),
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    `r`.`f1_b1` AS `m1`,
    `r`.`f2_b1` AS `m2`
  FROM `cur_r` AS `r`
),
`res` AS (
  SELECT
    `c`.`g1` AS `g1`,
    `c`.`m1` AS `m1`,
    `c`.`m2` AS `m2`
  FROM `cur` AS `c`
)
SELECT
  `x`.`g1` AS `g1`,
  `x`.`m1` AS `m1`,
  `x`.`m2` AS `m2`
FROM `res` AS `x`
ORDER BY `x`.`g1`
