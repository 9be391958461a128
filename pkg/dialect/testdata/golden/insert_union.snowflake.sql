INSERT INTO dx_gl (id, "account", "Amount", "Memo ""quoted""", posted, is_open, rate, created_at)
SELECT
  1 AS id,
  '4000' AS "account",
  CAST(1234.50 AS NUMBER(18, 2)) AS "Amount",
  CAST('O''Brien \\ "Sales" \\''x\\''' AS VARCHAR) AS "Memo ""quoted""",
  CAST('2024-01-31' AS DATE) AS posted,
  CAST(TRUE AS BOOLEAN) AS is_open,
  CAST(0.5 AS FLOAT) AS rate,
  CAST('2024-01-31 10:00:00' AS TIMESTAMP_NTZ) AS created_at
UNION ALL
SELECT
  2 AS id,
  '4100' AS "account",
  CAST(-20.05 AS NUMBER(18, 2)) AS "Amount",
  CAST('ab  ' AS VARCHAR) AS "Memo ""quoted""",
  CAST('2024-02-29' AS DATE) AS posted,
  CAST(FALSE AS BOOLEAN) AS is_open,
  CAST(1E6 AS FLOAT) AS rate,
  CAST('2024-02-29 23:59:59' AS TIMESTAMP_NTZ) AS created_at
UNION ALL
SELECT
  3 AS id,
  '5000' AS "account",
  CAST(NULL AS NUMBER(18, 2)) AS "Amount",
  CAST('Coût ✓ 北' AS VARCHAR) AS "Memo ""quoted""",
  CAST('2024-03-01' AS DATE) AS posted,
  CAST(NULL AS BOOLEAN) AS is_open,
  CAST(NULL AS FLOAT) AS rate,
  CAST('2024-03-01 00:00:00' AS TIMESTAMP_NTZ) AS created_at
UNION ALL
SELECT
  4 AS id,
  '5100' AS "account",
  CAST(0.00 AS NUMBER(18, 2)) AS "Amount",
  CAST(NULL AS VARCHAR) AS "Memo ""quoted""",
  CAST('2024-03-31' AS DATE) AS posted,
  CAST(TRUE AS BOOLEAN) AS is_open,
  CAST(-2.25 AS FLOAT) AS rate,
  CAST('2024-03-31 12:30:00' AS TIMESTAMP_NTZ) AS created_at
