SELECT
  `v`.`code` AS `code`,
  CASE WHEN `v`.`code` BETWEEN 'A' AND 'Z' THEN 'upper' ELSE 'other' END AS `band`,
  CASE WHEN `v`.`code` LIKE 'a\\_b\\%%' THEN 1 ELSE 0 END AS `like_escaped`,
  CASE WHEN `v`.`code` LIKE '%\\_%' THEN 1 ELSE 0 END AS `has_underscore`,
  CASE WHEN `v`.`code` LIKE '[%' THEN 1 ELSE 0 END AS `bracket`
FROM (
  SELECT CAST('a' AS STRING(10)) AS `code`
  UNION ALL
  SELECT 'B'
  UNION ALL
  SELECT 'b'
  UNION ALL
  SELECT 'Z'
  UNION ALL
  SELECT 'a_b%c'
  UNION ALL
  SELECT 'axb%c'
  UNION ALL
  SELECT '[x]'
) AS `v`
WHERE LENGTH(`v`.`code`) NOT BETWEEN -1 AND 0
