INSERT INTO [dx_accounts] ([code], [name], [parent], [Sort Order])
SELECT
  *
FROM (
  VALUES
    (CAST(N'4000' AS NVARCHAR(20)), CAST(N'Revenue' AS NVARCHAR(100)), CAST(NULL AS NVARCHAR(20)), CAST(1 AS INT)),
    (N'4100', N'O''Brien \ "Sales" \''x\''', N'4000', 2),
    (N'5000', N'Coût ✓ 北', NULL, 3),
    (N'5100', N'a_b%c', N'5000', 4)
) AS [v] ([code], [name], [parent], [sort_order])
