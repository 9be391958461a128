MERGE INTO dx_accounts AS t
USING (
  VALUES
    (CAST('4000' AS VARCHAR(20)), CAST('Revenue (total)' AS VARCHAR(100)), CAST(NULL AS VARCHAR(20))),
    ('6000', 'Other \\ ''income''', '4000')
) AS s (code, name, parent)
  ON t.code = s.code
WHEN MATCHED THEN
  UPDATE SET
    name = s.name,
    parent = s.parent
WHEN NOT MATCHED THEN
  INSERT (code, name, parent, "Sort Order")
  VALUES (s.code, s.name, s.parent, 9)
