WITH "cur_f1" AS (
  SELECT
    EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) >= 7 THEN 1 ELSE 0 END AS "g1",
    EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) >= 7 THEN 1 ELSE 0 END AS "g2",
    CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (10, 11, 12) THEN 2 END AS "g2_2",
    CAST(SUM("t"."amount") AS DECIMAL(38, 10)) AS "f1_b1"
  FROM "fin"."order_lines" AS "t"
  WHERE CAST("t"."line_date" AS DATE) >= CAST('2024-07-01' AS DATE) AND CAST("t"."line_date" AS DATE) < CAST('2024-10-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) >= 7 THEN 1 ELSE 0 END, EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) >= 7 THEN 1 ELSE 0 END, CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (10, 11, 12) THEN 2 END
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
    "r"."f1_b1" AS "m1"
  FROM "cur_r" AS "r"
),
"cmp_f1" AS (
  SELECT
    EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) >= 7 THEN 1 ELSE 0 END AS "g1",
    EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) >= 7 THEN 1 ELSE 0 END AS "g2",
    CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (10, 11, 12) THEN 2 END AS "g2_2",
    CAST(SUM("t"."amount") AS DECIMAL(38, 10)) AS "f1_b1"
  FROM "fin"."order_lines" AS "t"
  WHERE CAST("t"."line_date" AS DATE) >= CAST('2024-04-01' AS DATE) AND CAST("t"."line_date" AS DATE) < CAST('2024-07-01' AS DATE)
  GROUP BY EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) >= 7 THEN 1 ELSE 0 END, EXTRACT(YEAR FROM CAST("t"."line_date" AS DATE)) + CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) >= 7 THEN 1 ELSE 0 END, CASE WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (1, 2, 3) THEN 3 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (4, 5, 6) THEN 4 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (7, 8, 9) THEN 1 WHEN EXTRACT(MONTH FROM CAST("t"."line_date" AS DATE)) IN (10, 11, 12) THEN 2 END
),
"cmp_r" AS (
  SELECT
    "k"."g1" AS "g1",
    "k"."g2" AS "g2",
    "k"."g2_2" AS "g2_2",
    "k"."f1_b1" AS "f1_b1"
  FROM "cmp_f1" AS "k"
),
"cmp" AS (
  SELECT
    CASE WHEN "r"."g2_2" + 1 > 4 THEN "r"."g2" + 1 ELSE "r"."g2" + 0 END AS "g1",
    CASE WHEN "r"."g2_2" + 1 > 4 THEN "r"."g2" + 1 ELSE "r"."g2" + 0 END AS "g2",
    CASE WHEN "r"."g2_2" + 1 > 4 THEN "r"."g2_2" - 3 ELSE "r"."g2_2" + 1 END AS "g2_2",
    "r"."f1_b1" AS "m1"
  FROM "cmp_r" AS "r"
),
"res" AS (
  SELECT
    "c"."g1" AS "g1",
    "c"."g2" AS "g2",
    "c"."g2_2" AS "g2_2",
    "c"."m1" AS "m1",
    "p"."m1" AS "m1_cmp",
    "c"."m1" - "p"."m1" AS "m1_chg",
    CASE WHEN "p"."m1" = 0 THEN NULL ELSE CAST(("c"."m1" - "p"."m1") AS DOUBLE) * 100 / ABS(CAST("p"."m1" AS DOUBLE)) END AS "m1_pct"
  FROM "cur" AS "c"
    LEFT JOIN "cmp" AS "p"
      ON "c"."g1" IS NOT DISTINCT FROM "p"."g1" AND "c"."g2" IS NOT DISTINCT FROM "p"."g2" AND "c"."g2_2" IS NOT DISTINCT FROM "p"."g2_2"
)
SELECT
  "x"."g1" AS "g1",
  "x"."g2" AS "g2",
  "x"."g2_2" AS "g2_2",
  "x"."m1" AS "m1",
  "x"."m1_cmp" AS "m1_cmp",
  "x"."m1_chg" AS "m1_chg",
  "x"."m1_pct" AS "m1_pct"
FROM "res" AS "x"
ORDER BY "x"."g1", "x"."g2", "x"."g2_2"
