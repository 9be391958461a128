SELECT
  [id] AS [id]
FROM [dx_gl]
WHERE [account] LIKE N'[0-9][0-9][0-9][0-9]' AND NOT ([account] COLLATE Latin1_General_BIN2 LIKE N'%[^0-9]%')
