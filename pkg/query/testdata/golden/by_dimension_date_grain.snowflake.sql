WITH cur_f1 AS (
  SELECT
    EXTRACT(YEAR FROM CAST(j1.order_date AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) >= 7 THEN 1 ELSE 0 END AS g1,
    CASE WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) IN (10, 11, 12) THEN 2 END AS g1_2,
    CAST(SUM(t.amount) AS NUMBER(38, 10)) AS f1_b1
  FROM fin.order_lines AS t
    LEFT JOIN fin.orders AS j1
      ON t.order_id = j1.order_id
  GROUP BY EXTRACT(YEAR FROM CAST(j1.order_date AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) >= 7 THEN 1 ELSE 0 END, CASE WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST(j1.order_date AS DATE)) IN (10, 11, 12) THEN 2 END
),
cur_r AS (
  SELECT
    k.g1 AS g1,
    k.g1_2 AS g1_2,
    k.f1_b1 AS f1_b1
  FROM cur_f1 AS k
),
cur AS (
  SELECT
    r.g1 AS g1,
    r.g1_2 AS g1_2,
    r.f1_b1 AS m1
  FROM cur_r AS r
),
res AS (
  SELECT
    c.g1 AS g1,
    c.g1_2 AS g1_2,
    c.m1 AS m1
  FROM cur AS c
)
SELECT
  x.g1 AS g1,
  x.g1_2 AS g1_2,
  x.m1 AS m1
FROM res AS x
ORDER BY x.g1, x.g1_2
