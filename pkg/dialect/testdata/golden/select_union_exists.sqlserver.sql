SELECT
  *
FROM (
  SELECT TOP 1
    N'first' AS [kind],
    [code] AS [code]
  FROM [dx_accounts]
  ORDER BY [code]
) AS [u1]
UNION ALL
SELECT
  N'with_entries' AS [kind],
  [a].[code] AS [code]
FROM [dx_accounts] AS [a]
WHERE EXISTS (
  SELECT
    1
  FROM [dx_gl] AS [g]
  WHERE [g].[account] = [a].[code] AND [g].[is_open] = CAST(1 AS BIT)
)
UNION ALL
SELECT
  N'no_entries' AS [kind],
  [s].[code] AS [code]
FROM (
  SELECT
    [code]
  FROM [dx_accounts] AS [a]
  WHERE NOT EXISTS (
    SELECT
      1
    FROM [dx_gl] AS [g]
    WHERE [g].[account] = [a].[code]
  )
) AS [s]
