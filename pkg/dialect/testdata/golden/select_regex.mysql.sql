SELECT
  `id` AS `id`,
  SUM(CASE WHEN CONVERT(`account` USING utf8mb4) COLLATE utf8mb4_bin REGEXP '^[45][01]' THEN 1 ELSE 0 END) AS `n`
FROM `dx_gl`
WHERE CONVERT(CAST(`Memo "quoted"` AS CHAR) USING utf8mb4) COLLATE utf8mb4_bin REGEXP '^O''Brien .*Sales' AND NOT (CONVERT(`Memo "quoted"` USING utf8mb4) COLLATE utf8mb4_bin REGEXP '^o''brien')
GROUP BY `id`
