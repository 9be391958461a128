INSERT INTO dx_accounts (code, name, parent, "Sort Order")
SELECT
  *
FROM (
  VALUES
    (CAST('4000' AS VARCHAR(20)), CAST('Revenue' AS VARCHAR(100)), CAST(NULL AS VARCHAR(20)), CAST(1 AS INTEGER)),
    ('4100', 'O''Brien \ "Sales" \''x\''', '4000', 2),
    ('5000', 'Coût ✓ 北', NULL, 3),
    ('5100', 'a_b%c', '5000', 4)
) AS v (code, name, parent, sort_order)
