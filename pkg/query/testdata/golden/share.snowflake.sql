WITH cur_f1 AS (
  SELECT
    j5.region_name AS g1,
    CAST(SUM(t.amount) AS NUMBER(38, 10)) AS f1_b1
  FROM fin.order_lines AS t
    LEFT JOIN fin.customer AS j2
      ON t.customer_id = j2.customer_id AND j2.is_current = 1
    LEFT JOIN fin.region AS j5
      ON j2.region_code = j5.region_code
  GROUP BY j5.region_name
),
cur_r AS (
  SELECT
    k.g1 AS g1,
    k.f1_b1 AS f1_b1
  FROM cur_f1 AS k
),
cur AS (
  SELECT
    r.g1 AS g1,
    r.f1_b1 AS m1
  FROM cur_r AS r
),
res AS (
  SELECT
    c.g1 AS g1,
    c.m1 AS m1,
    CAST(c.m1 AS FLOAT) * 100 / NULLIF(SUM(CAST(c.m1 AS FLOAT)) OVER (), 0) AS m1_share
  FROM cur AS c
)
SELECT
  x.g1 AS g1,
  x.m1 AS m1,
  x.m1_share AS m1_share
FROM res AS x
ORDER BY x.g1
