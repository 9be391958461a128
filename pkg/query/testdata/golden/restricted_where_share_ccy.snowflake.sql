WITH cur_f1 AS (
  SELECT
    t.currency AS g_ccy,
    CAST(SUM(CASE WHEN j2.segment = 'Enterprise' THEN t.amount END) AS NUMBER(38, 10)) AS f1_b1,
    CAST(SUM(t.amount) AS NUMBER(38, 10)) AS f1_b2
  FROM fin.order_lines AS t
    LEFT JOIN fin.customer AS j2
      ON t.customer_id = j2.customer_id AND j2.is_current = 1
  GROUP BY t.currency
),
cur_r AS (
  SELECT
    k.g_ccy AS g_ccy,
    k.f1_b1 AS f1_b1,
    k.f1_b2 AS f1_b2
  FROM cur_f1 AS k
),
cur AS (
  SELECT
    r.g_ccy AS g_ccy,
    (CAST(r.f1_b1 AS FLOAT) / NULLIF(CAST(r.f1_b2 AS FLOAT), 0)) * 100 AS m1
  FROM cur_r AS r
),
res AS (
  SELECT
    c.g_ccy AS g_ccy,
    c.m1 AS m1
  FROM cur AS c
)
SELECT
  x.g_ccy AS g_ccy,
  x.m1 AS m1
FROM res AS x
ORDER BY x.g_ccy
