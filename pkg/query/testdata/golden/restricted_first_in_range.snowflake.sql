WITH cur_f1 AS (
  SELECT
    COUNT(DISTINCT CASE WHEN CAST(t.line_date AS DATE) = j1.first_day THEN t.customer_id END) AS f1_b1
  FROM fin.order_lines AS t
    LEFT JOIN (
      SELECT
        customer_id AS k1,
        MIN(CAST(line_date AS DATE)) AS first_day
      FROM fin.order_lines
      GROUP BY customer_id
    ) AS j1
      ON j1.k1 = t.customer_id
  WHERE CAST(t.line_date AS DATE) >= CAST('2024-01-01' AS DATE) AND CAST(t.line_date AS DATE) < CAST('2024-07-01' AS DATE)
),
cur_r AS (
  SELECT
    k.f1_b1 AS f1_b1
  FROM cur_f1 AS k
),
cur AS (
  SELECT
    r.f1_b1 AS m1
  FROM cur_r AS r
),
res AS (
  SELECT
    c.m1 AS m1
  FROM cur AS c
)
SELECT
  x.m1 AS m1
FROM res AS x
