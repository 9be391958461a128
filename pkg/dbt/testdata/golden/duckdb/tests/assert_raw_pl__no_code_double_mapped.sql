-- No account_code of raw.gl_transactions is taken by two leaves of acme_pl in the same precedence group: returns the tied codes.
WITH "codes" AS (
  SELECT DISTINCT
    CAST("s"."account_code" AS VARCHAR(400)) AS "SOURCE_CODE"
  FROM {{ ref('stg_raw__gl_transactions') }} AS "s"
  WHERE "s"."account_code" IS NOT NULL
),
"matched" AS (
  SELECT
    "c"."SOURCE_CODE" AS "SOURCE_CODE",
    "v"."NODE_CODE" AS "NODE_CODE",
    "v"."PRECEDENCE" AS "PRECEDENCE",
    "v"."IS_EXCLUDE" AS "IS_EXCLUDE",
    "v"."SORT_ORDER" AS "SORT_ORDER"
  FROM "codes" AS "c"
    INNER JOIN {{ ref('vw_1_raw_pl') }} AS "v"
      ON "v"."SOURCE_COLUMN" = 'account' AND "v"."MATCH_TYPE" = 'exact' AND "c"."SOURCE_CODE" = "v"."MATCH_VALUE"
  UNION ALL
  SELECT
    "c"."SOURCE_CODE" AS "SOURCE_CODE",
    "v"."NODE_CODE" AS "NODE_CODE",
    "v"."PRECEDENCE" AS "PRECEDENCE",
    "v"."IS_EXCLUDE" AS "IS_EXCLUDE",
    "v"."SORT_ORDER" AS "SORT_ORDER"
  FROM "codes" AS "c"
    INNER JOIN {{ ref('vw_1_raw_pl') }} AS "v"
      ON "v"."SOURCE_COLUMN" = 'account' AND "v"."MATCH_TYPE" = 'range' AND LENGTH("c"."SOURCE_CODE") = LENGTH("v"."RANGE_FROM") AND "c"."SOURCE_CODE" BETWEEN "v"."RANGE_FROM" AND "v"."RANGE_TO"
  UNION ALL
  SELECT
    "c"."SOURCE_CODE" AS "SOURCE_CODE",
    "v"."NODE_CODE" AS "NODE_CODE",
    "v"."PRECEDENCE" AS "PRECEDENCE",
    "v"."IS_EXCLUDE" AS "IS_EXCLUDE",
    "v"."SORT_ORDER" AS "SORT_ORDER"
  FROM "codes" AS "c"
    INNER JOIN {{ ref('vw_1_raw_pl') }} AS "v"
      ON "v"."SOURCE_COLUMN" = 'account' AND "v"."MATCH_TYPE" = 'prefix' AND LEFT("c"."SOURCE_CODE", LENGTH("v"."MATCH_VALUE")) = "v"."MATCH_VALUE"
  UNION ALL
  SELECT
    "c"."SOURCE_CODE" AS "SOURCE_CODE",
    "v"."NODE_CODE" AS "NODE_CODE",
    "v"."PRECEDENCE" AS "PRECEDENCE",
    "v"."IS_EXCLUDE" AS "IS_EXCLUDE",
    "v"."SORT_ORDER" AS "SORT_ORDER"
  FROM "codes" AS "c"
    INNER JOIN {{ ref('vw_1_raw_pl') }} AS "v"
      ON "v"."SOURCE_COLUMN" = 'account' AND "v"."MATCH_TYPE" = 'pattern' AND "c"."SOURCE_CODE" LIKE "v"."MATCH_VALUE" ESCAPE '!'
),
"included" AS (
  SELECT
    "i"."SOURCE_CODE",
    "i"."NODE_CODE",
    "i"."SORT_ORDER",
    MIN("i"."PRECEDENCE") AS "PRECEDENCE"
  FROM "matched" AS "i"
  WHERE "i"."IS_EXCLUDE" = 0 AND NOT EXISTS (
    SELECT
      1
    FROM "matched" AS "x"
    WHERE "x"."IS_EXCLUDE" = 1 AND "x"."SOURCE_CODE" = "i"."SOURCE_CODE" AND "x"."NODE_CODE" = "i"."NODE_CODE"
  )
  GROUP BY "i"."SOURCE_CODE", "i"."NODE_CODE", "i"."SORT_ORDER"
),
"best" AS (
  SELECT
    "i"."SOURCE_CODE",
    MIN("i"."PRECEDENCE") AS "PRECEDENCE"
  FROM "included" AS "i"
  GROUP BY "i"."SOURCE_CODE"
)
SELECT
  "i"."SOURCE_CODE",
  COUNT(*) AS "LEAVES",
  MIN("i"."NODE_CODE") AS "FIRST_LEAF",
  MAX("i"."NODE_CODE") AS "LAST_LEAF"
FROM "included" AS "i"
  INNER JOIN "best" AS "b"
    ON "b"."SOURCE_CODE" = "i"."SOURCE_CODE" AND "b"."PRECEDENCE" = "i"."PRECEDENCE"
GROUP BY "i"."SOURCE_CODE"
HAVING COUNT(*) > 1
