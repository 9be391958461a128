SELECT
  [v].[code] AS [code],
  CASE WHEN [v].[code] COLLATE Latin1_General_BIN2 BETWEEN N'A' AND N'Z' THEN N'upper' ELSE N'other' END AS [band],
  CASE WHEN [v].[code] LIKE N'a!_b!%%' ESCAPE '!' THEN 1 ELSE 0 END AS [like_escaped],
  CASE WHEN [v].[code] LIKE N'%\_%' ESCAPE '\' THEN 1 ELSE 0 END AS [has_underscore],
  CASE WHEN [v].[code] LIKE N'[[]%' THEN 1 ELSE 0 END AS [bracket]
FROM (
  VALUES
    (CAST(N'a' AS NVARCHAR(10))),
    (N'B'),
    (N'b'),
    (N'Z'),
    (N'a_b%c'),
    (N'axb%c'),
    (N'[x]')
) AS [v] ([code])
WHERE DATALENGTH(CAST([v].[code] AS NVARCHAR(MAX))) / 2 NOT BETWEEN -1 AND 0
