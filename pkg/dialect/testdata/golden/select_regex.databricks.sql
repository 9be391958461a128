SELECT
  `id` AS `id`,
  SUM(CASE WHEN `account` RLIKE '^[45][01]' THEN 1 ELSE 0 END) AS `n`
FROM `dx_gl`
WHERE CAST(`Memo "quoted"` AS STRING) RLIKE '^O\'Brien .*Sales' AND NOT (`Memo "quoted"` RLIKE '^o\'brien')
GROUP BY `id`
