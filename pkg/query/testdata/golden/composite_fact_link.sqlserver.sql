WITH [cur_f1] AS (
  SELECT
    [j4].[category] AS [g1],
    [j7].[segment] AS [g2],
    CAST(SUM([t].[refund]) AS DECIMAL(38, 10)) AS [f1_b1]
  FROM [fin].[line_returns] AS [t]
    LEFT JOIN [fin].[order_lines] AS [j1]
      ON [t].[order_id] = [j1].[order_id] AND [t].[line_no] = [j1].[line_no]
    LEFT JOIN [fin].[product] AS [j4]
      ON [j1].[product_id] = [j4].[product_id]
    LEFT JOIN [fin].[customer] AS [j7]
      ON [j1].[customer_id] = [j7].[customer_id] AND [j7].[is_current] = 1
  WHERE CAST([t].[return_date] AS DATE) >= CAST(N'2024-07-01' AS DATE) AND CAST([t].[return_date] AS DATE) < CAST(N'2025-07-01' AS DATE)
  GROUP BY [j4].[category], [j7].[segment]
),
[cur_r] AS (
  SELECT
    [k].[g1] AS [g1],
    [k].[g2] AS [g2],
    [k].[f1_b1] AS [f1_b1]
  FROM [cur_f1] AS [k]
),
[cur] AS (
  SELECT
    [r].[g1] AS [g1],
    [r].[g2] AS [g2],
    [r].[f1_b1] AS [m1]
  FROM [cur_r] AS [r]
),
[res] AS (
  SELECT
    [c].[g1] AS [g1],
    [c].[g2] AS [g2],
    [c].[m1] AS [m1]
  FROM [cur] AS [c]
)
SELECT
  [x].[g1] AS [g1],
  [x].[g2] AS [g2],
  [x].[m1] AS [m1]
FROM [res] AS [x]
ORDER BY [x].[g1], [x].[g2]
