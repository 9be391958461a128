WITH cur_f1 AS (
  SELECT
    j3.category AS g1,
    CAST(SUM(t.amount) AS NUMBER(38, 10)) AS f1_b1
  FROM fin.order_lines AS t
    LEFT JOIN fin.product AS j3
      ON t.product_id = j3.product_id
  GROUP BY j3.category
),
cur_f2 AS (
  SELECT
    j4.category AS g1,
    CAST(SUM(t.refund) AS NUMBER(38, 10)) AS f2_b1
  FROM fin.line_returns AS t
    LEFT JOIN fin.order_lines AS j1
      ON t.order_id = j1.order_id AND t.line_no = j1.line_no
    LEFT JOIN fin.product AS j4
      ON j1.product_id = j4.product_id
  GROUP BY j4.category
),
cur_keys AS (
  SELECT DISTINCT
    u.g1 AS g1
  FROM (
    SELECT
      g1 AS g1
    FROM cur_f1
    UNION ALL
    SELECT
      g1 AS g1
    FROM cur_f2
  ) AS u
),
cur_r AS (
  SELECT
    k.g1 AS g1,
    cur_f1.f1_b1 AS f1_b1,
    cur_f2.f2_b1 AS f2_b1
  FROM cur_keys AS k
    LEFT JOIN cur_f1 AS cur_f1
      ON k.g1 IS NOT DISTINCT FROM cur_f1.g1
    LEFT JOIN cur_f2 AS cur_f2
      ON k.g1 IS NOT DISTINCT FROM cur_f2.g1
),
cur AS (
  SELECT
    r.g1 AS g1,
    CASE WHEN r.f1_b1 IS NOT NULL OR r.f2_b1 IS NOT NULL THEN (COALESCE(CAST(r.f1_b1 AS NUMBER(38, 10)), 0) - COALESCE(CAST(r.f2_b1 AS NUMBER(38, 10)), 0)) END AS m1
  FROM cur_r AS r
),
res AS (
  SELECT
    c.g1 AS g1,
    c.m1 AS m1
  FROM cur AS c
)
SELECT
  x.g1 AS g1,
  x.m1 AS m1
FROM res AS x
ORDER BY x.g1
