SELECT
  `id` AS `id`,
  CAST(`amount` AS STRING) AS `amount`
FROM `dx_gl_copy`
WHERE `copied`
ORDER BY `id`
