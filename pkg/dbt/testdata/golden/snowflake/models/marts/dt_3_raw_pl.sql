{{ config(materialized='dynamic_table', target_lag='1 hour', snowflake_warehouse='TRANSFORM_WH', refresh_mode='AUTO') }}

-- the acme_pl statement (Acme P&L) from raw.gl_transactions: every node and group, natural and presentation signs
WITH grp AS (
  SELECT DISTINCT
    a.period,
    a.entity
  FROM {{ ref('dt_3a_raw_pl') }} AS a
),
lines AS (
  SELECT
    n.LEVEL_1 AS NODE_CODE,
    a.period,
    a.entity,
    CAST(SUM(a.amount * n.SIGN_TO_LEVEL_1) AS NUMBER(38, 10)) AS amount
  FROM {{ ref('dt_3a_raw_pl') }} AS a
    INNER JOIN {{ ref('tbl_0_raw_pl') }} AS n
      ON n.NODE_CODE = a.LEAF_CODE
  WHERE n.SIGN_TO_LEVEL_1 IS NOT NULL
  GROUP BY n.LEVEL_1, a.period, a.entity
  UNION ALL
  SELECT
    n.LEVEL_2 AS NODE_CODE,
    a.period,
    a.entity,
    CAST(SUM(a.amount * n.SIGN_TO_LEVEL_2) AS NUMBER(38, 10)) AS amount
  FROM {{ ref('dt_3a_raw_pl') }} AS a
    INNER JOIN {{ ref('tbl_0_raw_pl') }} AS n
      ON n.NODE_CODE = a.LEAF_CODE
  WHERE n.SIGN_TO_LEVEL_2 IS NOT NULL
  GROUP BY n.LEVEL_2, a.period, a.entity
  UNION ALL
  SELECT
    n.LEVEL_3 AS NODE_CODE,
    a.period,
    a.entity,
    CAST(SUM(a.amount * n.SIGN_TO_LEVEL_3) AS NUMBER(38, 10)) AS amount
  FROM {{ ref('dt_3a_raw_pl') }} AS a
    INNER JOIN {{ ref('tbl_0_raw_pl') }} AS n
      ON n.NODE_CODE = a.LEAF_CODE
  WHERE n.SIGN_TO_LEVEL_3 IS NOT NULL
  GROUP BY n.LEVEL_3, a.period, a.entity
),
f0 AS (
  SELECT
    g.period,
    g.entity,
    MAX(CASE WHEN l.NODE_CODE = 'REV' THEN l.amount END) AS N2_V1,
    MAX(CASE WHEN l.NODE_CODE = 'COGS' THEN l.amount END) AS N5_V1,
    MAX(CASE WHEN l.NODE_CODE = 'OPEX' THEN l.amount END) AS N8_V1,
    MAX(CASE WHEN l.NODE_CODE = 'RECHARGES' THEN l.amount END) AS N9_V1
  FROM grp AS g
    LEFT JOIN lines AS l
      ON l.period IS NOT DISTINCT FROM g.period AND l.entity IS NOT DISTINCT FROM g.entity
  GROUP BY g.period, g.entity
),
f1 AS (
  SELECT
    f.*,
    (COALESCE(CAST(f.N2_V1 AS NUMBER(38, 10)), 0) + COALESCE(CAST(f.N5_V1 AS NUMBER(38, 10)), 0)) AS N6_V1
  FROM f0 AS f
),
f2 AS (
  SELECT
    f.*,
    ((COALESCE(CAST(f.N6_V1 AS NUMBER(38, 10)), 0) + COALESCE(CAST(f.N8_V1 AS NUMBER(38, 10)), 0)) - COALESCE(CAST(f.N9_V1 AS NUMBER(38, 10)), 0)) AS N10_V1
  FROM f1 AS f
),
f3 AS (
  SELECT
    f.*,
    ROUND(((CAST(f.N6_V1 AS FLOAT) / NULLIF(CAST(f.N2_V1 AS FLOAT), 0)) * CAST(100 AS FLOAT)), 1) AS N11_V1
  FROM f2 AS f
),
vals AS (
  SELECT
    *
  FROM lines
  UNION ALL
  SELECT
    'GP' AS NODE_CODE,
    f.period,
    f.entity,
    CAST(f.N6_V1 AS NUMBER(38, 10)) AS amount
  FROM f3 AS f
  UNION ALL
  SELECT
    'NET' AS NODE_CODE,
    f.period,
    f.entity,
    CAST(f.N10_V1 AS NUMBER(38, 10)) AS amount
  FROM f3 AS f
  UNION ALL
  SELECT
    'GM_PCT' AS NODE_CODE,
    f.period,
    f.entity,
    CAST(f.N11_V1 AS NUMBER(38, 10)) AS amount
  FROM f3 AS f
)
SELECT
  n.NODE_CODE,
  n.NODE_NAME,
  n.NODE_TYPE,
  n.PARENT_CODE,
  n.NODE_LEVEL,
  n.SORT_ORDER,
  n.FLIP_SIGN,
  g.period,
  g.entity,
  x.amount,
  CASE WHEN n.FLIP_SIGN = 1 THEN -x.amount ELSE x.amount END AS "amount_PRESENTATION"
FROM {{ ref('tbl_0_raw_pl') }} AS n
  CROSS JOIN grp AS g
  LEFT JOIN vals AS x
    ON x.NODE_CODE = n.NODE_CODE AND x.period IS NOT DISTINCT FROM g.period AND x.entity IS NOT DISTINCT FROM g.entity
