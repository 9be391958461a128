WITH `cur_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) AS `g1`,
    EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS BIGNUMERIC(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)), EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE))
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `k`.`f1_b1` AS `f1_b1`
  FROM `cur_f1` AS `k`
),
`cur_o1_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) AS `g1`,
    EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS BIGNUMERIC(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)), EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE))
),
`cur_o1_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `k`.`f1_b1` AS `f1_b1`
  FROM `cur_o1_f1` AS `k`
),
`cur_o1` AS (
  SELECT
    CASE WHEN `r`.`g1_2` + 1 > 12 THEN `r`.`g1` + 1 ELSE `r`.`g1` + 0 END AS `g1`,
    CASE WHEN `r`.`g1_2` + 1 > 12 THEN `r`.`g1_2` - 11 ELSE `r`.`g1_2` + 1 END AS `g1_2`,
    `r`.`f1_b1` AS `m1`
  FROM `cur_o1_r` AS `r`
),
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    `r`.`g1_2` AS `g1_2`,
    CASE WHEN `r`.`f1_b1` IS NOT NULL OR `o1`.`m1` IS NOT NULL THEN (COALESCE(CAST(`r`.`f1_b1` AS BIGNUMERIC(38, 10)), 0) - COALESCE(CAST(`o1`.`m1` AS BIGNUMERIC(38, 10)), 0)) END AS `m1`
  FROM `cur_r` AS `r`
    LEFT JOIN `cur_o1` AS `o1`
      ON `r`.`g1` IS NOT DISTINCT FROM `o1`.`g1` AND `r`.`g1_2` IS NOT DISTINCT FROM `o1`.`g1_2`
),
`res` AS (
  SELECT
    `c`.`g1` AS `g1`,
    `c`.`g1_2` AS `g1_2`,
    `c`.`m1` AS `m1`
  FROM `cur` AS `c`
)
SELECT
  `x`.`g1` AS `g1`,
  `x`.`g1_2` AS `g1_2`,
  `x`.`m1` AS `m1`
FROM `res` AS `x`
ORDER BY `x`.`g1`, `x`.`g1_2`
