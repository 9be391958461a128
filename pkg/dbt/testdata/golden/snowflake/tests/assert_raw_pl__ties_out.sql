-- The acme_pl statement ties out to raw.gl_transactions: its leaves plus the unmapped rows equal the source, per group; returns the groups that differ.
SELECT
  t.period,
  t.entity,
  SUM(t.amount) AS "amount_DIFFERENCE"
FROM (
  SELECT
    s.period AS period,
    s.entity AS entity,
    s.amount AS amount
  FROM {{ ref('stg_raw__gl_transactions') }} AS s
  UNION ALL
  SELECT
    f.period AS period,
    f.entity AS entity,
    -f.amount AS amount
  FROM {{ ref('dt_3_raw_pl') }} AS f
  WHERE f.NODE_TYPE = 'leaf'
  UNION ALL
  SELECT
    a.period AS period,
    a.entity AS entity,
    -a.amount AS amount
  FROM {{ ref('dt_3a_raw_pl') }} AS a
  WHERE a.LEAF_CODE IS NULL
) AS t
GROUP BY t.period, t.entity
HAVING ABS(SUM(t.amount)) > 0.005
