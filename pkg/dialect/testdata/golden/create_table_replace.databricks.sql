CREATE OR REPLACE TABLE `dx_accounts` (
  `code` STRING NOT NULL,
  `name` STRING NOT NULL,
  `parent` STRING,
  `Sort Order` INT,
  PRIMARY KEY (`code`)
)
