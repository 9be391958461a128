WITH cur_f1 AS (
  SELECT
    j12.channel AS g1,
    CAST(SUM(t.amount) AS NUMERIC(38, 10)) AS f1_b1,
    CAST(SUM(t.quantity) AS NUMERIC(38, 10)) AS f1_b2
  FROM fin.order_lines AS t
    LEFT JOIN fin.product AS j3
      ON t.product_id = j3.product_id
    LEFT JOIN fin.customer AS j5
      ON t.customer_id = j5.customer_id AND j5.is_current = 1
    LEFT JOIN fin.region AS j11
      ON j5.region_code = j11.region_code
    LEFT JOIN fin.orders AS j12
      ON t.order_id = j12.order_id
  WHERE j3.category IN ('Hardware', 'Software') AND j5.segment <> 'Public' AND CAST(j11.region_name AS VARCHAR(500)) IN ('North', 'South')
  GROUP BY j12.channel
),
cur_r AS (
  SELECT
    k.g1 AS g1,
    k.f1_b1 AS f1_b1,
    k.f1_b2 AS f1_b2
  FROM cur_f1 AS k
),
cur AS (
  SELECT
    r.g1 AS g1,
    r.f1_b1 AS m1,
    r.f1_b2 AS m2
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
ORDER BY x.g1
