-- The acme_pl statement ties out to FACT_GL_LINES: its leaves plus the unmapped rows equal the source, per group; returns the groups that differ.
SELECT
  t.period,
  SUM(t.AMOUNT) AS AMOUNT_DIFFERENCE
FROM (
  SELECT
    s.period AS period,
    s.AMOUNT AS AMOUNT
  FROM {{ ref('fct_gl_lines') }} AS s
  UNION ALL
  SELECT
    f.period AS period,
    -f.AMOUNT AS AMOUNT
  FROM {{ ref('dt_3_acme_pl') }} AS f
  WHERE f.NODE_TYPE = 'leaf'
  UNION ALL
  SELECT
    a.period AS period,
    -a.AMOUNT AS AMOUNT
  FROM {{ ref('dt_3a_acme_pl') }} AS a
  WHERE a.LEAF_CODE IS NULL
) AS t
GROUP BY t.period
HAVING ABS(SUM(t.AMOUNT)) > 0.005
