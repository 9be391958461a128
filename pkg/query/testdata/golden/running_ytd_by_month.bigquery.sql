WITH `cur_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) AS `g1`,
    EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS BIGNUMERIC(38, 10)) AS `f1_b1`,
    COUNT(*) AS `f1_b2`
  FROM `fin`.`order_lines` AS `t`
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)), EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE))
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `k`.`f1_b1` AS `f1_b1`,
    `k`.`f1_b2` AS `f1_b2`
  FROM `cur_f1` AS `k`
),
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    `r`.`g1_2` AS `g1_2`,
    SUM(`r`.`f1_b1`) OVER (PARTITION BY `r`.`g1` + CASE WHEN `r`.`g1_2` >= 7 THEN 1 ELSE 0 END ORDER BY `r`.`g1`, `r`.`g1_2`) AS `m1`,
    SUM(`r`.`f1_b2`) OVER (PARTITION BY `r`.`g1` + CASE WHEN `r`.`g1_2` >= 7 THEN 1 ELSE 0 END ORDER BY `r`.`g1`, `r`.`g1_2`) AS `m2`
  FROM `cur_r` AS `r`
),
`res` AS (
  SELECT
    `c`.`g1` AS `g1`,
    `c`.`g1_2` AS `g1_2`,
    `c`.`m1` AS `m1`,
    `c`.`m2` AS `m2`
  FROM `cur` AS `c`
)
SELECT
  `x`.`g1` AS `g1`,
  `x`.`g1_2` AS `g1_2`,
  `x`.`m1` AS `m1`,
  `x`.`m2` AS `m2`
FROM `res` AS `x`
ORDER BY `x`.`g1`, `x`.`g1_2`
