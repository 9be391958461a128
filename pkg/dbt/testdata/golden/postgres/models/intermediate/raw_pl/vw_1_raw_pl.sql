-- mapping rules of acme_pl resolved against node levels
SELECT
  m.NODE_CODE,
  m.RULE_NO,
  m.SOURCE_COLUMN,
  m.MATCH_TYPE,
  m.MATCH_VALUE,
  m.RANGE_FROM,
  m.RANGE_TO,
  m.CODE_WIDTH,
  m.IS_EXCLUDE,
  m.PRECEDENCE,
  m.RULE_TEXT,
  n.NODE_NAME,
  n.NODE_LEVEL,
  n.SORT_ORDER,
  n.LEVEL_1,
  n.LEVEL_2,
  n.LEVEL_3
FROM {{ ref('tbl_0_raw_pl_mapping') }} AS m
  INNER JOIN {{ ref('tbl_0_raw_pl') }} AS n
    ON n.NODE_CODE = m.NODE_CODE
WHERE n.NODE_TYPE = 'leaf'
