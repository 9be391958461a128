SELECT
  [id] AS [id],
  CAST([amount] AS NVARCHAR(30)) AS [amount]
FROM [dx_gl_copy]
WHERE [copied] = 1
ORDER BY [id]
