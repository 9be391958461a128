WITH `cur_f1` AS (
  SELECT
    `j2`.`region_name` AS `g1`,
    CAST(SUM(`t`.`freight`) AS DECIMAL(38, 10)) AS `f1_b1`,
    COUNT(*) AS `f1_b2`
  FROM `fin`.`orders` AS `t`
    LEFT JOIN `fin`.`customer` AS `j1`
      ON `t`.`customer_id` = `j1`.`customer_id` AND `j1`.`is_current` = 1
    LEFT JOIN `fin`.`region` AS `j2`
      ON `j1`.`region_code` = `j2`.`region_code`
  GROUP BY `j2`.`region_name`
),
`cur_f2` AS (
  SELECT
    `j5`.`region_name` AS `g1`,
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f2_b1`
  FROM `fin`.`order_lines` AS `t`
    LEFT JOIN `fin`.`customer` AS `j2`
      ON `t`.`customer_id` = `j2`.`customer_id` AND `j2`.`is_current` = 1
    LEFT JOIN `fin`.`region` AS `j5`
      ON `j2`.`region_code` = `j5`.`region_code`
  GROUP BY `j5`.`region_name`
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
    `cur_f1`.`f1_b2` AS `f1_b2`,
    `cur_f2`.`f2_b1` AS `f2_b1`
  FROM `cur_keys` AS `k`
    LEFT JOIN `cur_f1` AS `cur_f1`
      ON `k`.`g1` <=> `cur_f1`.`g1`
    LEFT JOIN `cur_f2` AS `cur_f2`
      ON `k`.`g1` <=> `cur_f2`.`g1`
),
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    (CAST(`r`.`f1_b1` AS DOUBLE) / NULLIF(CAST(`r`.`f2_b1` AS DOUBLE), 0)) * 100 AS `m1`,
    CASE WHEN `r`.`f2_b1` IS NOT NULL OR `r`.`f1_b2` IS NOT NULL THEN (COALESCE(CAST(`r`.`f2_b1` AS DOUBLE), 0) / NULLIF(COALESCE(CAST(`r`.`f1_b2` AS DOUBLE), 0), 0)) END AS `m2`
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
