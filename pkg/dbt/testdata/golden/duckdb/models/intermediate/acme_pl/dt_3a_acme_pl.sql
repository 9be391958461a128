{{ config(materialized='table') }}

-- FACT_GL_LINES summed by leaf, period for acme_pl (LEAF_CODE NULL = unmapped)
SELECT
  "j"."LEAF_CODE",
  "j"."period",
  SUM("j"."AMOUNT") AS "AMOUNT",
  COUNT(*) AS "ROW_COUNT"
FROM {{ ref('dt_2_acme_pl') }} AS "j"
GROUP BY "j"."LEAF_CODE", "j"."period"
