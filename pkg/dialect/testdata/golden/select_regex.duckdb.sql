SELECT
  "id" AS "id",
  SUM(CASE WHEN regexp_matches("account", '^[45][01]') THEN 1 ELSE 0 END) AS "n"
FROM "dx_gl"
WHERE regexp_matches(CAST("Memo ""quoted""" AS VARCHAR), '^O''Brien .*Sales') AND NOT (regexp_matches("Memo ""quoted""", '^o''brien'))
GROUP BY "id"
