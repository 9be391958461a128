WITH [cur_f1] AS (
  SELECT
    DATEPART(YEAR, CAST([t].[ship_date] AS DATE)) AS [g1],
    DATEPART(MONTH, CAST([t].[ship_date] AS DATE)) AS [g1_2],
    CAST(SUM([t].[freight]) AS DECIMAL(38, 10)) AS [f1_b1]
  FROM [fin].[orders] AS [t]
  WHERE CAST([t].[ship_date] AS DATE) >= CAST(N'2024-01-01' AS DATE) AND CAST([t].[ship_date] AS DATE) < CAST(N'2024-07-01' AS DATE)
  GROUP BY DATEPART(YEAR, CAST([t].[ship_date] AS DATE)), DATEPART(MONTH, CAST([t].[ship_date] AS DATE))
),
[cur_keys] AS (
  SELECT
    [s].[g1] AS [g1],
    [s].[g1_2] AS [g1_2]
  FROM (
    VALUES
      (2024, 1),
      (2024, 2),
      (2024, 3),
      (2024, 4),
      (2024, 5),
      (2024, 6)
  ) AS [s] ([g1], [g1_2])
),
[cur_r] AS (
  SELECT
    [k].[g1] AS [g1],
    [k].[g1_2] AS [g1_2],
    [cur_f1].[f1_b1] AS [f1_b1]
  FROM [cur_keys] AS [k]
    LEFT JOIN [cur_f1] AS [cur_f1]
      ON [k].[g1] IS NOT DISTINCT FROM [cur_f1].[g1] AND [k].[g1_2] IS NOT DISTINCT FROM [cur_f1].[g1_2]
),
[cur] AS (
  SELECT
    [r].[g1] AS [g1],
    [r].[g1_2] AS [g1_2],
    [r].[f1_b1] AS [m1]
  FROM [cur_r] AS [r]
),
[res] AS (
  SELECT
    [c].[g1] AS [g1],
    [c].[g1_2] AS [g1_2],
    [c].[m1] AS [m1]
  FROM [cur] AS [c]
)
SELECT
  [x].[g1] AS [g1],
  [x].[g1_2] AS [g1_2],
  [x].[m1] AS [m1]
FROM [res] AS [x]
ORDER BY [x].[g1], [x].[g1_2]
