SELECT
  `id` AS `id`,
  CAST(`amount` AS CHAR(30)) AS `amount`
FROM `dx_gl_copy`
WHERE `copied`
ORDER BY `id`
