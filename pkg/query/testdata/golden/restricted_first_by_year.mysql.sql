WITH `cur_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) >= 7 THEN 1 ELSE 0 END AS `g1`,
    COUNT(DISTINCT CASE WHEN CAST(`t`.`line_date` AS DATE) = `j1`.`first_day` THEN `t`.`customer_id` END) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
    LEFT JOIN (
      SELECT
        `customer_id` AS `k1`,
        MIN(CAST(`line_date` AS DATE)) AS `first_day`
      FROM `fin`.`order_lines`
      GROUP BY `customer_id`
    ) AS `j1`
      ON `j1`.`k1` = `t`.`customer_id`
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) >= 7 THEN 1 ELSE 0 END
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
