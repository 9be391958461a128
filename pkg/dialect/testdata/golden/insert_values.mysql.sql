INSERT INTO `dx_accounts` (`code`, `name`, `parent`, `Sort Order`)
SELECT
  *
FROM (
  SELECT CAST('4000' AS CHAR(20)) AS `code`, CAST('Revenue' AS CHAR(100)) AS `name`, CAST(NULL AS CHAR(20)) AS `parent`, CAST(1 AS SIGNED) AS `sort_order`
  UNION ALL
  SELECT '4100', 'O''Brien \\ "Sales" \\''x\\''', '4000', 2
  UNION ALL
  SELECT '5000', 'Coût ✓ 北', NULL, 3
  UNION ALL
  SELECT '5100', 'a_b%c', '5000', 4
) AS `v`
