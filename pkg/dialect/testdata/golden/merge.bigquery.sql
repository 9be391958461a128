MERGE INTO `dx_accounts` AS `t`
USING (
  SELECT CAST('4000' AS STRING(20)) AS `code`, CAST('Revenue (total)' AS STRING(100)) AS `name`, CAST(NULL AS STRING(20)) AS `parent`
  UNION ALL
  SELECT '6000', 'Other \\ \'income\'', '4000'
) AS `s`
  ON `t`.`code` = `s`.`code`
WHEN MATCHED THEN
  UPDATE SET
    `name` = `s`.`name`,
    `parent` = `s`.`parent`
WHEN NOT MATCHED THEN
  INSERT (`code`, `name`, `parent`, `Sort Order`)
  VALUES (`s`.`code`, `s`.`name`, `s`.`parent`, 9)
