WITH "cur_f1" AS (
  SELECT
    "j1"."channel" AS "g1",
    EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) AS "g2",
    EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) AS "g2_2",
    CAST(SUM("t"."amount") AS DECIMAL(38, 10)) AS "f1_b1"
  FROM "fin"."order_lines" AS "t"
    LEFT JOIN "fin"."orders" AS "j1"
      ON "t"."order_id" = "j1"."order_id"
  WHERE CAST("t"."line_date" AS DATE) >= CAST('2024-01-01' AS DATE) AND CAST("t"."line_date" AS DATE) < CAST('2024-07-01' AS DATE)
  GROUP BY "j1"."channel", EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)), EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE))
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
