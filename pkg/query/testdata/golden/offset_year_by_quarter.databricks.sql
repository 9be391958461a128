WITH `cur_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) >= 7 THEN 1 ELSE 0 END AS `g1`,
    CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (10, 11, 12) THEN 2 END AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  WHERE CAST(`t`.`line_date` AS DATE) >= CAST('2024-07-01' AS DATE) AND CAST(`t`.`line_date` AS DATE) < CAST('2025-07-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) >= 7 THEN 1 ELSE 0 END, CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (10, 11, 12) THEN 2 END
),
`cur_keys` AS (
  SELECT
    `s`.`g1` AS `g1`,
    `s`.`g1_2` AS `g1_2`
  FROM (
    VALUES
      (2025, 1),
      (2025, 2),
      (2025, 3),
      (2025, 4)
  ) AS `s` (`g1`, `g1_2`)
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `cur_f1`.`f1_b1` AS `f1_b1`
  FROM `cur_keys` AS `k`
    LEFT JOIN `cur_f1` AS `cur_f1`
      ON `k`.`g1` <=> `cur_f1`.`g1` AND `k`.`g1_2` <=> `cur_f1`.`g1_2`
),
`cur_o12_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) >= 7 THEN 1 ELSE 0 END AS `g1`,
    CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (10, 11, 12) THEN 2 END AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  WHERE CAST(`t`.`line_date` AS DATE) >= CAST('2023-07-01' AS DATE) AND CAST(`t`.`line_date` AS DATE) < CAST('2024-07-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) >= 7 THEN 1 ELSE 0 END, CASE WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) IN (10, 11, 12) THEN 2 END
),
`cur_o12_keys` AS (
  SELECT
    `s`.`g1` AS `g1`,
    `s`.`g1_2` AS `g1_2`
  FROM (
    VALUES
      (2024, 1),
      (2024, 2),
      (2024, 3),
      (2024, 4)
  ) AS `s` (`g1`, `g1_2`)
),
`cur_o12_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `cur_o12_f1`.`f1_b1` AS `f1_b1`
  FROM `cur_o12_keys` AS `k`
    LEFT JOIN `cur_o12_f1` AS `cur_o12_f1`
      ON `k`.`g1` <=> `cur_o12_f1`.`g1` AND `k`.`g1_2` <=> `cur_o12_f1`.`g1_2`
),
`cur_o12` AS (
  SELECT
    `r`.`g1` + 1 AS `g1`,
    `r`.`g1_2` AS `g1_2`,
    `r`.`f1_b1` AS `m1`
  FROM `cur_o12_r` AS `r`
),
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    `r`.`g1_2` AS `g1_2`,
    `r`.`f1_b1` AS `m1`,
    CASE WHEN `r`.`f1_b1` IS NOT NULL OR `o12`.`m1` IS NOT NULL THEN (COALESCE(CAST(`r`.`f1_b1` AS DECIMAL(38, 10)), 0) - COALESCE(CAST(`o12`.`m1` AS DECIMAL(38, 10)), 0)) END AS `m2`
  FROM `cur_r` AS `r`
    LEFT JOIN `cur_o12` AS `o12`
      ON `r`.`g1` <=> `o12`.`g1` AND `r`.`g1_2` <=> `o12`.`g1_2`
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
