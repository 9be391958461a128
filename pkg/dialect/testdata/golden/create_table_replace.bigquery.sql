CREATE OR REPLACE TABLE `dx_accounts` (
  `code` STRING(20) NOT NULL,
  `name` STRING(100) NOT NULL,
  `parent` STRING(20),
  `Sort Order` INT64,
  PRIMARY KEY (`code`) NOT ENFORCED
)
