-- Every account_code of raw.gl_transactions maps to a leaf of acme_pl: returns the unmapped codes.
SELECT
  j.SOURCE_CODE,
  COUNT(*) AS ROW_COUNT
FROM {{ ref('dt_2_raw_pl') }} AS j
WHERE j.LEAF_CODE IS NULL AND j.SOURCE_CODE IS NOT NULL
GROUP BY j.SOURCE_CODE
