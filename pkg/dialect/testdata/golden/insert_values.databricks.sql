INSERT INTO `dx_accounts` (`code`, `name`, `parent`, `Sort Order`)
SELECT
  *
FROM (
  VALUES
    (CAST('4000' AS STRING), CAST('Revenue' AS STRING), CAST(NULL AS STRING), CAST(1 AS INT)),
    ('4100', 'O\'Brien \\ "Sales" \\\'x\\\'', '4000', 2),
    ('5000', 'Coût ✓ 北', NULL, 3),
    ('5100', 'a_b%c', '5000', 4)
) AS `v` (`code`, `name`, `parent`, `sort_order`)
