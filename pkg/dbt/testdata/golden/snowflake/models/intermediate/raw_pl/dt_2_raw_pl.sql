{{ config(materialized='dynamic_table', target_lag='downstream', snowflake_warehouse='TRANSFORM_WH', refresh_mode='AUTO') }}

-- rows of raw.gl_transactions joined to their acme_pl leaf (LEAF_CODE NULL = unmapped)
WITH codes AS (
  SELECT DISTINCT
    CAST(s.account_code AS VARCHAR(400)) AS SOURCE_CODE
  FROM {{ ref('stg_raw__gl_transactions') }} AS s
  WHERE s.account_code IS NOT NULL
),
matched AS (
  SELECT
    c.SOURCE_CODE AS SOURCE_CODE,
    v.NODE_CODE AS NODE_CODE,
    v.PRECEDENCE AS PRECEDENCE,
    v.IS_EXCLUDE AS IS_EXCLUDE,
    v.SORT_ORDER AS SORT_ORDER
  FROM codes AS c
    INNER JOIN {{ ref('vw_1_raw_pl') }} AS v
      ON v.SOURCE_COLUMN = 'account' AND v.MATCH_TYPE = 'exact' AND c.SOURCE_CODE = v.MATCH_VALUE
  UNION ALL
  SELECT
    c.SOURCE_CODE AS SOURCE_CODE,
    v.NODE_CODE AS NODE_CODE,
    v.PRECEDENCE AS PRECEDENCE,
    v.IS_EXCLUDE AS IS_EXCLUDE,
    v.SORT_ORDER AS SORT_ORDER
  FROM codes AS c
    INNER JOIN {{ ref('vw_1_raw_pl') }} AS v
      ON v.SOURCE_COLUMN = 'account' AND v.MATCH_TYPE = 'range' AND LENGTH(c.SOURCE_CODE) = LENGTH(v.RANGE_FROM) AND c.SOURCE_CODE BETWEEN v.RANGE_FROM AND v.RANGE_TO
  UNION ALL
  SELECT
    c.SOURCE_CODE AS SOURCE_CODE,
    v.NODE_CODE AS NODE_CODE,
    v.PRECEDENCE AS PRECEDENCE,
    v.IS_EXCLUDE AS IS_EXCLUDE,
    v.SORT_ORDER AS SORT_ORDER
  FROM codes AS c
    INNER JOIN {{ ref('vw_1_raw_pl') }} AS v
      ON v.SOURCE_COLUMN = 'account' AND v.MATCH_TYPE = 'prefix' AND LEFT(c.SOURCE_CODE, LENGTH(v.MATCH_VALUE)) = v.MATCH_VALUE
  UNION ALL
  SELECT
    c.SOURCE_CODE AS SOURCE_CODE,
    v.NODE_CODE AS NODE_CODE,
    v.PRECEDENCE AS PRECEDENCE,
    v.IS_EXCLUDE AS IS_EXCLUDE,
    v.SORT_ORDER AS SORT_ORDER
  FROM codes AS c
    INNER JOIN {{ ref('vw_1_raw_pl') }} AS v
      ON v.SOURCE_COLUMN = 'account' AND v.MATCH_TYPE = 'pattern' AND c.SOURCE_CODE LIKE v.MATCH_VALUE ESCAPE '!'
),
included AS (
  SELECT
    i.SOURCE_CODE,
    i.NODE_CODE,
    i.SORT_ORDER,
    MIN(i.PRECEDENCE) AS PRECEDENCE
  FROM matched AS i
  WHERE i.IS_EXCLUDE = 0 AND NOT EXISTS (
    SELECT
      1
    FROM matched AS x
    WHERE x.IS_EXCLUDE = 1 AND x.SOURCE_CODE = i.SOURCE_CODE AND x.NODE_CODE = i.NODE_CODE
  )
  GROUP BY i.SOURCE_CODE, i.NODE_CODE, i.SORT_ORDER
),
ranked AS (
  SELECT
    r.SOURCE_CODE,
    r.NODE_CODE,
    ROW_NUMBER() OVER (PARTITION BY r.SOURCE_CODE ORDER BY r.PRECEDENCE, r.SORT_ORDER) AS RN
  FROM included AS r
),
winner AS (
  SELECT
    w.SOURCE_CODE,
    w.NODE_CODE
  FROM ranked AS w
  WHERE w.RN = 1
)
SELECT
  s.period,
  s.entity,
  CAST(s.account_code AS VARCHAR(400)) AS SOURCE_CODE,
  w.NODE_CODE AS LEAF_CODE,
  CAST(s.amount AS NUMBER(38, 10)) AS amount
FROM {{ ref('stg_raw__gl_transactions') }} AS s
  LEFT JOIN winner AS w
    ON w.SOURCE_CODE = CAST(s.account_code AS VARCHAR(400))
