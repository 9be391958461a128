CREATE OR REPLACE TABLE dx_gl_copy AS
WITH open_entries AS (
  SELECT
    *
  FROM dx_gl
  WHERE is_open
)
SELECT
  id AS id,
  "account" AS "account",
  "Amount" AS amount,
  TRUE AS copied
FROM open_entries
