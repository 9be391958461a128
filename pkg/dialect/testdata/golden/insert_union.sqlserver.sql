INSERT INTO [dx_gl] ([id], [account], [Amount], [Memo "quoted"], [posted], [is_open], [rate], [created_at])
SELECT
  1 AS [id],
  N'4000' AS [account],
  CAST(1234.50 AS DECIMAL(18, 2)) AS [Amount],
  CAST(N'O''Brien \ "Sales" \''x\''' AS NVARCHAR(MAX)) AS [Memo "quoted"],
  CAST(N'2024-01-31' AS DATE) AS [posted],
  CAST(CAST(1 AS BIT) AS BIT) AS [is_open],
  CAST(0.5 AS FLOAT) AS [rate],
  CAST(N'2024-01-31 10:00:00' AS DATETIME2) AS [created_at]
UNION ALL
SELECT
  2 AS [id],
  N'4100' AS [account],
  CAST(-20.05 AS DECIMAL(18, 2)) AS [Amount],
  CAST(N'ab  ' AS NVARCHAR(MAX)) AS [Memo "quoted"],
  CAST(N'2024-02-29' AS DATE) AS [posted],
  CAST(CAST(0 AS BIT) AS BIT) AS [is_open],
  CAST(1E6 AS FLOAT) AS [rate],
  CAST(N'2024-02-29 23:59:59' AS DATETIME2) AS [created_at]
UNION ALL
SELECT
  3 AS [id],
  N'5000' AS [account],
  CAST(NULL AS DECIMAL(18, 2)) AS [Amount],
  CAST(N'Coût ✓ 北' AS NVARCHAR(MAX)) AS [Memo "quoted"],
  CAST(N'2024-03-01' AS DATE) AS [posted],
  CAST(NULL AS BIT) AS [is_open],
  CAST(NULL AS FLOAT) AS [rate],
  CAST(N'2024-03-01 00:00:00' AS DATETIME2) AS [created_at]
UNION ALL
SELECT
  4 AS [id],
  N'5100' AS [account],
  CAST(0.00 AS DECIMAL(18, 2)) AS [Amount],
  CAST(NULL AS NVARCHAR(MAX)) AS [Memo "quoted"],
  CAST(N'2024-03-31' AS DATE) AS [posted],
  CAST(CAST(1 AS BIT) AS BIT) AS [is_open],
  CAST(-2.25 AS FLOAT) AS [rate],
  CAST(N'2024-03-31 12:30:00' AS DATETIME2) AS [created_at]
