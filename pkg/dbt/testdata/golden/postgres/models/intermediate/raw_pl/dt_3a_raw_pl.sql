{{ config(materialized='materialized_view') }}

-- raw.gl_transactions summed by leaf, period, entity for acme_pl (LEAF_CODE NULL = unmapped)
SELECT
  j.LEAF_CODE,
  j.period,
  j.entity,
  SUM(j.amount) AS amount,
  COUNT(*) AS ROW_COUNT
FROM {{ ref('dt_2_raw_pl') }} AS j
GROUP BY j.LEAF_CODE, j.period, j.entity
