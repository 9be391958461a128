WITH `cur_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) AS `g1`,
    EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS BIGNUMERIC(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  WHERE CAST(`t`.`line_date` AS DATE) >= CAST('2024-01-01' AS DATE) AND CAST(`t`.`line_date` AS DATE) < CAST('2024-05-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)), EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE))
),
`cur_keys` AS (
  SELECT
    `s`.`g1` AS `g1`,
    `s`.`g1_2` AS `g1_2`
  FROM (
    SELECT 2024 AS `g1`, 1 AS `g1_2`
    UNION ALL
    SELECT 2024, 2
    UNION ALL
    SELECT 2024, 3
    UNION ALL
    SELECT 2024, 4
  ) AS `s`
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `cur_f1`.`f1_b1` AS `f1_b1`
  FROM `cur_keys` AS `k`
    LEFT JOIN `cur_f1` AS `cur_f1`
      ON `k`.`g1` IS NOT DISTINCT FROM `cur_f1`.`g1` AND `k`.`g1_2` IS NOT DISTINCT FROM `cur_f1`.`g1_2`
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
    CAST(SUM(`t`.`amount`) AS BIGNUMERIC(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  WHERE CAST(`t`.`line_date` AS DATE) >= CAST('2023-12-01' AS DATE) AND CAST(`t`.`line_date` AS DATE) < CAST('2024-04-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)), EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE))
),
`cmp_keys` AS (
  SELECT
    `s`.`g1` AS `g1`,
    `s`.`g1_2` AS `g1_2`
  FROM (
    SELECT 2023 AS `g1`, 12 AS `g1_2`
    UNION ALL
    SELECT 2024, 1
    UNION ALL
    SELECT 2024, 2
    UNION ALL
    SELECT 2024, 3
  ) AS `s`
),
`cmp_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `cmp_f1`.`f1_b1` AS `f1_b1`
  FROM `cmp_keys` AS `k`
    LEFT JOIN `cmp_f1` AS `cmp_f1`
      ON `k`.`g1` IS NOT DISTINCT FROM `cmp_f1`.`g1` AND `k`.`g1_2` IS NOT DISTINCT FROM `cmp_f1`.`g1_2`
),
`cmp` AS (
  SELECT
    CASE WHEN `r`.`g1_2` + 1 > 12 THEN `r`.`g1` + 1 ELSE `r`.`g1` + 0 END AS `g1`,
    CASE WHEN `r`.`g1_2` + 1 > 12 THEN `r`.`g1_2` - 11 ELSE `r`.`g1_2` + 1 END AS `g1_2`,
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
    CASE WHEN `p`.`m1` = 0 THEN NULL ELSE CAST((`c`.`m1` - `p`.`m1`) AS FLOAT64) * 100 / ABS(CAST(`p`.`m1` AS FLOAT64)) END AS `m1_pct`
  FROM `cur` AS `c`
    LEFT JOIN `cmp` AS `p`
      ON `c`.`g1` IS NOT DISTINCT FROM `p`.`g1` AND `c`.`g1_2` IS NOT DISTINCT FROM `p`.`g1_2`
)
SELECT
  `x`.`g1` AS `g1`,
  `x`.`g1_2` AS `g1_2`,
  `x`.`m1` AS `m1`,
  `x`.`m1_cmp` AS `m1_cmp`,
  `x`.`m1_chg` AS `m1_chg`,
  `x`.`m1_pct` AS `m1_pct`
FROM `res` AS `x`
ORDER BY `x`.`g1`, `x`.`g1_2`
