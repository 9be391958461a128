DROP MATERIALIZED VIEW IF EXISTS dx_totals_mv;
CREATE MATERIALIZED VIEW dx_totals_mv AS
SELECT
  account AS account,
  SUM("Amount") AS total
FROM dx_gl
GROUP BY account;
COMMENT ON MATERIALIZED VIEW dx_totals_mv IS 'Materialised totals'
