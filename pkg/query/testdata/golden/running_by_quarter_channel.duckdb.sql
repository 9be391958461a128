WITH "cur_f1" AS (
  SELECT
    "t"."channel" AS "g1",
    EXTRACT(YEAR FROM CAST("t"."order_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) >= 7 THEN 1 ELSE 0 END AS "g2",
    CASE WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) IN (10, 11, 12) THEN 2 END AS "g2_2",
    CAST(SUM("t"."freight") AS DECIMAL(38, 10)) AS "f1_b1"
  FROM "fin"."orders" AS "t"
  WHERE CAST("t"."order_date" AS DATE) >= CAST('2024-07-01' AS DATE) AND CAST("t"."order_date" AS DATE) < CAST('2025-07-01' AS DATE)
  GROUP BY "t"."channel", EXTRACT(YEAR FROM CAST("t"."order_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) >= 7 THEN 1 ELSE 0 END, CASE WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST("t"."order_date" AS DATE)) IN (10, 11, 12) THEN 2 END
),
"cur_r" AS (
  SELECT
    "k"."g1" AS "g1",
    "k"."g2" AS "g2",
    "k"."g2_2" AS "g2_2",
    "k"."f1_b1" AS "f1_b1"
  FROM "cur_f1" AS "k"
),
"cur" AS (
  SELECT
    "r"."g1" AS "g1",
    "r"."g2" AS "g2",
    "r"."g2_2" AS "g2_2",
    SUM("r"."f1_b1") OVER (PARTITION BY "r"."g1" ORDER BY "r"."g2", "r"."g2_2") AS "m1"
  FROM "cur_r" AS "r"
),
"res" AS (
  SELECT
    "c"."g1" AS "g1",
    "c"."g2" AS "g2",
    "c"."g2_2" AS "g2_2",
    "c"."m1" AS "m1"
  FROM "cur" AS "c"
)
SELECT
  "x"."g1" AS "g1",
  "x"."g2" AS "g2",
  "x"."g2_2" AS "g2_2",
  "x"."m1" AS "m1"
FROM "res" AS "x"
ORDER BY "x"."g1", "x"."g2", "x"."g2_2"
