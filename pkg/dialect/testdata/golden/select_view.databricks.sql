SELECT
  `code` AS `code`,
  CAST(`total` AS STRING) AS `total`,
  `entries` AS `entries`
FROM `dx_account_totals`
ORDER BY `code`
