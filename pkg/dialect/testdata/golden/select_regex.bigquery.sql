SELECT
  `id` AS `id`,
  SUM(CASE WHEN REGEXP_CONTAINS(`account`, '^[45][01]') THEN 1 ELSE 0 END) AS `n`
FROM `dx_gl`
WHERE REGEXP_CONTAINS(CAST(`Memo "quoted"` AS STRING), '^O\'Brien .*Sales') AND NOT (REGEXP_CONTAINS(`Memo "quoted"`, '^o\'brien'))
GROUP BY `id`
