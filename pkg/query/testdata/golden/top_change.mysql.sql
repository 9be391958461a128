WITH `cur_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) AS `g1`,
    EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f1_b1`
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
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    `r`.`g1_2` AS `g1_2`,
    `r`.`f1_b1` AS `m1`
  FROM `cur_r` AS `r`
),
`cmp_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) AS `g1`,
    EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)), EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE))
),
`cmp_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `k`.`f1_b1` AS `f1_b1`
  FROM `cmp_f1` AS `k`
),
`cmp` AS (
  SELECT
    `r`.`g1` + 1 AS `g1`,
    `r`.`g1_2` AS `g1_2`,
    `r`.`f1_b1` AS `m1`
  FROM `cmp_r` AS `r`
),
`res` AS (
  SELECT
    `c`.`g1` AS `g1`,
    `c`.`g1_2` AS `g1_2`,
    `c`.`m1` AS `m1`,
    `p`.`m1` AS `m1_cmp`,
    `c`.`m1` - `p`.`m1` AS `m1_chg`,
    CASE WHEN `p`.`m1` = 0 THEN NULL ELSE CAST((`c`.`m1` - `p`.`m1`) AS DOUBLE) * 100 / ABS(CAST(`p`.`m1` AS DOUBLE)) END AS `m1_pct`
  FROM `cur` AS `c`
    LEFT JOIN `cmp` AS `p`
      ON `c`.`g1` <=> `p`.`g1` AND `c`.`g1_2` <=> `p`.`g1_2`
)
SELECT
  `x`.`g1` AS `g1`,
  `x`.`g1_2` AS `g1_2`,
  `x`.`m1` AS `m1`,
  `x`.`m1_cmp` AS `m1_cmp`,
  `x`.`m1_chg` AS `m1_chg`,
  `x`.`m1_pct` AS `m1_pct`
FROM `res` AS `x`
ORDER BY CASE WHEN `x`.`m1_chg` IS NULL THEN 0 ELSE 1 END DESC, `x`.`m1_chg` DESC, `x`.`g1`, `x`.`g1_2`
LIMIT 3
