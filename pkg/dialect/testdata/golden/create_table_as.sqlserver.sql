DROP TABLE IF EXISTS [dx_gl_copy];
WITH [open_entries] AS (
  SELECT
    *
  FROM [dx_gl]
  WHERE [is_open] = 1
)
SELECT
  [id] AS [id],
  [account] AS [account],
  [Amount] AS [amount],
  CAST(1 AS BIT) AS [copied]
INTO [dx_gl_copy]
FROM [open_entries]
