MERGE INTO [dx_accounts] AS [t]
USING (
  VALUES
    (CAST(N'4000' AS NVARCHAR(20)), CAST(N'Revenue (total)' AS NVARCHAR(100)), CAST(NULL AS NVARCHAR(20))),
    (N'6000', N'Other \ ''income''', N'4000')
) AS [s] ([code], [name], [parent])
  ON [t].[code] = [s].[code]
WHEN MATCHED THEN
  UPDATE SET
    [name] = [s].[name],
    [parent] = [s].[parent]
WHEN NOT MATCHED THEN
  INSERT ([code], [name], [parent], [Sort Order])
  VALUES ([s].[code], [s].[name], [s].[parent], 9)
