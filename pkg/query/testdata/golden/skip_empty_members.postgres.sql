WITH cur_f1 AS (
  SELECT
    j2.segment AS g1,
    CAST(SUM(t.amount) AS NUMERIC(38, 10)) AS f1_b1
  FROM fin.order_lines AS t
    LEFT JOIN fin.customer AS j2
      ON t.customer_id = j2.customer_id AND j2.is_current = 1
  WHERE j2.customer_sk IS NOT NULL
  GROUP BY j2.segment
),
cur_f2 AS (
  SELECT
    j1.segment AS g1,
    CAST(SUM(t.freight) AS NUMERIC(38, 10)) AS f2_b1
  FROM fin.orders AS t
    LEFT JOIN fin.customer AS j1
      ON t.customer_id = j1.customer_id AND j1.is_current = 1
  WHERE j1.customer_sk IS NOT NULL
  GROUP BY j1.segment
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
    r.f1_b1 AS m1,
    r.f2_b1 AS m2
  FROM cur_r AS r
),
res AS (
  SELECT
    c.g1 AS g1,
    c.m1 AS m1,
    c.m2 AS m2
  FROM cur AS c
)
SELECT
  x.g1 AS g1,
  x.m1 AS m1,
  x.m2 AS m2
FROM res AS x
WHERE (x.m1 IS NOT NULL OR x.m2 IS NOT NULL)
ORDER BY x.g1
