-- Every account_code of FACT_GL_LINES maps to a leaf of acme_pl: returns the unmapped codes.
SELECT
  "j"."SOURCE_CODE",
  COUNT(*) AS "ROW_COUNT"
FROM {{ ref('dt_2_acme_pl') }} AS "j"
WHERE "j"."LEAF_CODE" IS NULL AND "j"."SOURCE_CODE" IS NOT NULL
GROUP BY "j"."SOURCE_CODE"
