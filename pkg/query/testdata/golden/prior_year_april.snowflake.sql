WITH cur_f1 AS (
  SELECT
    EXTRACT(YEAR FROM CAST(t.line_date AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) >= 4 THEN 0 ELSE -1 END AS g1,
    CASE WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (1, 2, 3) THEN 4 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (4, 5, 6) THEN 1 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (7, 8, 9) THEN 2 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (10, 11, 12) THEN 3 END AS g1_2,
    CAST(SUM(t.amount) AS NUMBER(38, 10)) AS f1_b1
  FROM fin.order_lines AS t
  WHERE CAST(t.line_date AS DATE) >= CAST('2024-04-01' AS DATE) AND CAST(t.line_date AS DATE) < CAST('2025-04-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(t.line_date AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) >= 4 THEN 0 ELSE -1 END, CASE WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (1, 2, 3) THEN 4 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (4, 5, 6) THEN 1 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (7, 8, 9) THEN 2 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (10, 11, 12) THEN 3 END
),
cur_keys AS (
  SELECT
    s.g1 AS g1,
    s.g1_2 AS g1_2
  FROM (
    VALUES
      (2024, 1),
      (2024, 2),
      (2024, 3),
      (2024, 4)
  ) AS s (g1, g1_2)
),
cur_r AS (
  SELECT
    k.g1 AS g1,
    k.g1_2 AS g1_2,
    cur_f1.f1_b1 AS f1_b1
  FROM cur_keys AS k
    LEFT JOIN cur_f1 AS cur_f1
      ON k.g1 IS NOT DISTINCT FROM cur_f1.g1 AND k.g1_2 IS NOT DISTINCT FROM cur_f1.g1_2
),
cur AS (
  SELECT
    r.g1 AS g1,
    r.g1_2 AS g1_2,
    r.f1_b1 AS m1
  FROM cur_r AS r
),
cmp_f1 AS (
  SELECT
    EXTRACT(YEAR FROM CAST(t.line_date AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) >= 4 THEN 0 ELSE -1 END AS g1,
    CASE WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (1, 2, 3) THEN 4 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (4, 5, 6) THEN 1 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (7, 8, 9) THEN 2 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (10, 11, 12) THEN 3 END AS g1_2,
    CAST(SUM(t.amount) AS NUMBER(38, 10)) AS f1_b1
  FROM fin.order_lines AS t
  WHERE CAST(t.line_date AS DATE) >= CAST('2023-04-01' AS DATE) AND CAST(t.line_date AS DATE) < CAST('2024-04-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST(t.line_date AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) >= 4 THEN 0 ELSE -1 END, CASE WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (1, 2, 3) THEN 4 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (4, 5, 6) THEN 1 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (7, 8, 9) THEN 2 WHEN EXTRACT(MONTH FROM CAST(t.line_date AS DATE)) IN (10, 11, 12) THEN 3 END
),
cmp_keys AS (
  SELECT
    s.g1 AS g1,
    s.g1_2 AS g1_2
  FROM (
    VALUES
      (2023, 1),
      (2023, 2),
      (2023, 3),
      (2023, 4)
  ) AS s (g1, g1_2)
),
cmp_r AS (
  SELECT
    k.g1 AS g1,
    k.g1_2 AS g1_2,
    cmp_f1.f1_b1 AS f1_b1
  FROM cmp_keys AS k
    LEFT JOIN cmp_f1 AS cmp_f1
      ON k.g1 IS NOT DISTINCT FROM cmp_f1.g1 AND k.g1_2 IS NOT DISTINCT FROM cmp_f1.g1_2
),
cmp AS (
  SELECT
    r.g1 + 1 AS g1,
    r.g1_2 AS g1_2,
    r.f1_b1 AS m1
  FROM cmp_r AS r
),
res AS (
  SELECT
    c.g1 AS g1,
    c.g1_2 AS g1_2,
    c.m1 AS m1,
    p.m1 AS m1_cmp,
    c.m1 - p.m1 AS m1_chg,
    CASE WHEN p.m1 = 0 THEN NULL ELSE CAST((c.m1 - p.m1) AS FLOAT) * 100 / ABS(CAST(p.m1 AS FLOAT)) END AS m1_pct
  FROM cur AS c
    LEFT JOIN cmp AS p
      ON c.g1 IS NOT DISTINCT FROM p.g1 AND c.g1_2 IS NOT DISTINCT FROM p.g1_2
)
SELECT
  x.g1 AS g1,
  x.g1_2 AS g1_2,
  x.m1 AS m1,
  x.m1_cmp AS m1_cmp,
  x.m1_chg AS m1_chg,
  x.m1_pct AS m1_pct
FROM res AS x
ORDER BY x.g1, x.g1_2
