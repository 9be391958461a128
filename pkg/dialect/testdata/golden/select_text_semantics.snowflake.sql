SELECT
  v.code AS code,
  CASE WHEN v.code BETWEEN 'A' AND 'Z' THEN 'upper' ELSE 'other' END AS band,
  CASE WHEN v.code LIKE 'a!_b!%%' ESCAPE '!' THEN 1 ELSE 0 END AS like_escaped,
  CASE WHEN v.code LIKE '%\\_%' ESCAPE '\\' THEN 1 ELSE 0 END AS has_underscore,
  CASE WHEN v.code LIKE '[%' THEN 1 ELSE 0 END AS bracket
FROM (
  VALUES
    (CAST('a' AS VARCHAR(10))),
    ('B'),
    ('b'),
    ('Z'),
    ('a_b%c'),
    ('axb%c'),
    ('[x]')
) AS v (code)
WHERE LENGTH(v.code) NOT BETWEEN -1 AND 0
