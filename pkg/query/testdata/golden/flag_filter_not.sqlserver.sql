WITH [cur_f1] AS (
  SELECT
    [t].[channel] AS [g1],
    CAST(SUM([t].[freight]) AS DECIMAL(38, 10)) AS [f1_b1]
  FROM [fin].[orders] AS [t]
  WHERE ([t].[expedited] IS NULL OR [t].[expedited] = 0)
  GROUP BY [t].[channel]
),
[cur_r] AS (
  SELECT
    [k].[g1] AS [g1],
    [k].[f1_b1] AS [f1_b1]
  FROM [cur_f1] AS [k]
),
[cur] AS (
  SELECT
    [r].[g1] AS [g1],
    [r].[f1_b1] AS [m1]
  FROM [cur_r] AS [r]
),
[res] AS (
  SELECT
    [c].[g1] AS [g1],
    [c].[m1] AS [m1]
  FROM [cur] AS [c]
)
SELECT
  [x].[g1] AS [g1],
  [x].[m1] AS [m1]
FROM [res] AS [x]
ORDER BY [x].[g1]
