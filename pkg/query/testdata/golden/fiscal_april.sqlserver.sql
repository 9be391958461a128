WITH [cur_f1] AS (
  SELECT
    DATEPART(YEAR, CAST([t].[line_date] AS DATE)) + CASE WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) >= 4 THEN 0 ELSE -1 END AS [g1],
    DATEPART(YEAR, CAST([t].[line_date] AS DATE)) + CASE WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) >= 4 THEN 0 ELSE -1 END AS [g2],
    CASE WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) IN (1, 2, 3) THEN 4 WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) IN (4, 5, 6) THEN 1 WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) IN (7, 8, 9) THEN 2 WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) IN (10, 11, 12) THEN 3 END AS [g2_2],
    CAST(SUM([t].[amount]) AS DECIMAL(38, 10)) AS [f1_b1]
  FROM [fin].[order_lines] AS [t]
  GROUP BY DATEPART(YEAR, CAST([t].[line_date] AS DATE)) + CASE WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) >= 4 THEN 0 ELSE -1 END, DATEPART(YEAR, CAST([t].[line_date] AS DATE)) + CASE WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) >= 4 THEN 0 ELSE -1 END, CASE WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) IN (1, 2, 3) THEN 4 WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) IN (4, 5, 6) THEN 1 WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) IN (7, 8, 9) THEN 2 WHEN DATEPART(MONTH, CAST([t].[line_date] AS DATE)) IN (10, 11, 12) THEN 3 END
),
[cur_f2] AS (
  SELECT
    DATEPART(YEAR, CAST([t].[order_date] AS DATE)) + CASE WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) >= 4 THEN 0 ELSE -1 END AS [g1],
    DATEPART(YEAR, CAST([t].[order_date] AS DATE)) + CASE WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) >= 4 THEN 0 ELSE -1 END AS [g2],
    CASE WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) IN (1, 2, 3) THEN 4 WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) IN (4, 5, 6) THEN 1 WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) IN (7, 8, 9) THEN 2 WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) IN (10, 11, 12) THEN 3 END AS [g2_2],
    CAST(SUM([t].[freight]) AS DECIMAL(38, 10)) AS [f2_b1]
  FROM [fin].[orders] AS [t]
  GROUP BY DATEPART(YEAR, CAST([t].[order_date] AS DATE)) + CASE WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) >= 4 THEN 0 ELSE -1 END, DATEPART(YEAR, CAST([t].[order_date] AS DATE)) + CASE WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) >= 4 THEN 0 ELSE -1 END, CASE WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) IN (1, 2, 3) THEN 4 WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) IN (4, 5, 6) THEN 1 WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) IN (7, 8, 9) THEN 2 WHEN DATEPART(MONTH, CAST([t].[order_date] AS DATE)) IN (10, 11, 12) THEN 3 END
),
[cur_keys] AS (
  SELECT DISTINCT
    [u].[g1] AS [g1],
    [u].[g2] AS [g2],
    [u].[g2_2] AS [g2_2]
  FROM (
    SELECT
      [g1] AS [g1],
      [g2] AS [g2],
      [g2_2] AS [g2_2]
    FROM [cur_f1]
    UNION ALL
    SELECT
      [g1] AS [g1],
      [g2] AS [g2],
      [g2_2] AS [g2_2]
    FROM [cur_f2]
  ) AS [u]
),
[cur_r] AS (
  SELECT
    [k].[g1] AS [g1],
    [k].[g2] AS [g2],
    [k].[g2_2] AS [g2_2],
    [cur_f1].[f1_b1] AS [f1_b1],
    [cur_f2].[f2_b1] AS [f2_b1]
  FROM [cur_keys] AS [k]
    LEFT JOIN [cur_f1] AS [cur_f1]
      ON [k].[g1] IS NOT DISTINCT FROM [cur_f1].[g1] AND [k].[g2] IS NOT DISTINCT FROM [cur_f1].[g2] AND [k].[g2_2] IS NOT DISTINCT FROM [cur_f1].[g2_2]
    LEFT JOIN [cur_f2] AS [cur_f2]
      ON [k].[g1] IS NOT DISTINCT FROM [cur_f2].[g1] AND [k].[g2] IS NOT DISTINCT FROM [cur_f2].[g2] AND [k].[g2_2] IS NOT DISTINCT FROM [cur_f2].[g2_2]
),
[cur] AS (
  SELECT
    [r].[g1] AS [g1],
    [r].[g2] AS [g2],
    [r].[g2_2] AS [g2_2],
    [r].[f1_b1] AS [m1],
    [r].[f2_b1] AS [m2]
  FROM [cur_r] AS [r]
),
[res] AS (
  SELECT
    [c].[g1] AS [g1],
    [c].[g2] AS [g2],
    [c].[g2_2] AS [g2_2],
    [c].[m1] AS [m1],
    [c].[m2] AS [m2]
  FROM [cur] AS [c]
)
SELECT
  [x].[g1] AS [g1],
  [x].[g2] AS [g2],
  [x].[g2_2] AS [g2_2],
  [x].[m1] AS [m1],
  [x].[m2] AS [m2]
FROM [res] AS [x]
ORDER BY [x].[g1], [x].[g2], [x].[g2_2]
