WITH [cur_f1] AS (
  SELECT
    [t].[category] AS [g1],
    CAST(SUM(CAST([t].[unit_cost] AS DECIMAL(38, 10))) AS DECIMAL(38, 10)) AS [f1_b1],
    COUNT(*) AS [f1_b2]
  FROM [fin].[product] AS [t]
  GROUP BY [t].[category]
),
[cur_r] AS (
  SELECT
    [k].[g1] AS [g1],
    [k].[f1_b1] AS [f1_b1],
    [k].[f1_b2] AS [f1_b2]
  FROM [cur_f1] AS [k]
),
[cur] AS (
  SELECT
    [r].[g1] AS [g1],
    CASE WHEN [r].[f1_b1] IS NOT NULL OR [r].[f1_b2] IS NOT NULL THEN (COALESCE(CAST([r].[f1_b1] AS FLOAT), 0) / NULLIF(COALESCE(CAST([r].[f1_b2] AS FLOAT), 0), 0)) END AS [m1]
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
