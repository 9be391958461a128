SELECT
  id AS id,
  SUM(CASE WHEN account ~ '^[45][01]' THEN 1 ELSE 0 END) AS n
FROM dx_gl
WHERE CAST("Memo ""quoted""" AS TEXT) ~ '^O''Brien .*Sales' AND NOT ("Memo ""quoted""" ~ '^o''brien')
GROUP BY id
