SELECT
  [g].[id] AS [id],
  DATALENGTH(CAST([g].[Memo "quoted"] AS NVARCHAR(MAX))) / 2 AS [memo_len],
  LEFT([g].[account], 2) AS [acct2],
  SUBSTRING([g].[account], 2, 2) AS [acct_mid],
  SUBSTRING([g].[account], 3, 2147483647) AS [acct_tail],
  [g].[account] + N'-' + UPPER([g].[Memo "quoted"]) AS [label],
  COALESCE([g].[Memo "quoted"], N'none') AS [memo_or_none],
  CASE WHEN [g].[Amount] > 0 THEN N'credit' WHEN [g].[Amount] < 0 THEN N'debit' WHEN [g].[Amount] IS NULL THEN NULL ELSE N'zero' END AS [side],
  [g].[id] * 10 - -([g].[id] + 1) AS [arith],
  10 - ([g].[id] - -1) AS [nested_minus],
  GREATEST([g].[id], 2) AS [hi],
  LEAST([g].[id], 2) AS [lo],
  NULLIF([g].[account], N'4000') AS [not_4000],
  ROUND([g].[rate], 1) AS [rate_1],
  CAST(ABS([g].[Amount]) AS DECIMAL(20, 3)) AS [abs_amount],
  CASE WHEN [g].[id] > 2 THEN CAST(1 AS BIT) WHEN NOT ([g].[id] > 2) THEN CAST(0 AS BIT) END AS [is_late],
  CAST([g].[id] AS NVARCHAR(10)) AS [id_text]
FROM [dx_gl] AS [g]
WHERE [g].[account] IN (N'4000', N'4100', N'5000') AND [g].[id] NOT IN (99, 100) AND NOT ([g].[id] = 0) AND ([g].[rate] IS NULL OR [g].[rate] IS NOT NULL)
ORDER BY [g].[id]
