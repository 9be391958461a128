SELECT
  [id] AS [id],
  [Memo "quoted"] AS [memo],
  DATALENGTH(CAST([Memo "quoted"] AS NVARCHAR(MAX))) / 2 AS [len]
FROM [dx_gl]
ORDER BY [id]
