WITH `cur_f1` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)) AS `g1`,
    EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE)) AS `g1_2`,
    CAST(SUM(`t`.`amount`) AS DECIMAL(38, 10)) AS `f1_b1`
  FROM `fin`.`order_lines` AS `t`
  WHERE CAST(`t`.`line_date` AS DATE) >= CAST('2025-05-01' AS DATE) AND CAST(`t`.`line_date` AS DATE) < CAST('2025-09-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`line_date` AS DATE)), EXTRACT(MONTH FROM CAST(`t`.`line_date` AS DATE))
),
`cur_f2` AS (
  SELECT
    EXTRACT(YEAR FROM CAST(`t`.`order_date` AS DATE)) AS `g1`,
    EXTRACT(MONTH FROM CAST(`t`.`order_date` AS DATE)) AS `g1_2`,
    COUNT(*) AS `f2_b1`
  FROM `fin`.`orders` AS `t`
  WHERE CAST(`t`.`order_date` AS DATE) >= CAST('2025-05-01' AS DATE) AND CAST(`t`.`order_date` AS DATE) < CAST('2025-09-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(`t`.`order_date` AS DATE)), EXTRACT(MONTH FROM CAST(`t`.`order_date` AS DATE))
),
`cur_keys` AS (
  SELECT
    `s`.`g1` AS `g1`,
    `s`.`g1_2` AS `g1_2`
  FROM (
    VALUES
      (2025, 5),
      (2025, 6),
      (2025, 7),
      (2025, 8)
  ) AS `s` (`g1`, `g1_2`)
),
`cur_r` AS (
  SELECT
    `k`.`g1` AS `g1`,
    `k`.`g1_2` AS `g1_2`,
    `cur_f1`.`f1_b1` AS `f1_b1`,
    `cur_f2`.`f2_b1` AS `f2_b1`
  FROM `cur_keys` AS `k`
    LEFT JOIN `cur_f1` AS `cur_f1`
      ON `k`.`g1` <=> `cur_f1`.`g1` AND `k`.`g1_2` <=> `cur_f1`.`g1_2`
    LEFT JOIN `cur_f2` AS `cur_f2`
      ON `k`.`g1` <=> `cur_f2`.`g1` AND `k`.`g1_2` <=> `cur_f2`.`g1_2`
),
`cur` AS (
  SELECT
    `r`.`g1` AS `g1`,
    `r`.`g1_2` AS `g1_2`,
    `r`.`f1_b1` AS `m1`,
    `r`.`f2_b1` AS `m2`
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
