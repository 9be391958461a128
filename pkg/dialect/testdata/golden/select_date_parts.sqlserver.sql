SELECT
  [g].[id] AS [id],
  DATEPART(YEAR, [g].[posted]) AS [y],
  DATEPART(MONTH, [g].[posted]) AS [m],
  DATEPART(DAY, [g].[posted]) AS [d],
  DATEPART(MONTH, [g].[created_at]) AS [created_m]
FROM [dx_gl] AS [g]
WHERE DATEPART(MONTH, [g].[posted]) > 1
ORDER BY [g].[id]
