CREATE OR REPLACE MATERIALIZED VIEW dx_totals_mv
COMMENT = 'Materialised totals' AS
SELECT
  "account" AS "account",
  SUM("Amount") AS total
FROM dx_gl
GROUP BY "account"
