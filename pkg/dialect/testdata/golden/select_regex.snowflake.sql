SELECT
  id AS id,
  SUM(CASE WHEN REGEXP_INSTR("account", '^[45][01]') > 0 THEN 1 ELSE 0 END) AS n
FROM dx_gl
WHERE REGEXP_INSTR(CAST("Memo ""quoted""" AS VARCHAR), '^O''Brien .*Sales') > 0 AND NOT (REGEXP_INSTR("Memo ""quoted""", '^o''brien') > 0)
GROUP BY id
