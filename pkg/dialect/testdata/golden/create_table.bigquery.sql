CREATE TABLE IF NOT EXISTS `dx_gl` (
  `id` INT64 NOT NULL,
  `account` STRING(20) NOT NULL,
  `Amount` NUMERIC(18, 2),
  `Memo "quoted"` STRING,
  `posted` DATE,
  `is_open` BOOL,
  `rate` FLOAT64,
  `created_at` DATETIME,
  PRIMARY KEY (`id`) NOT ENFORCED
)
OPTIONS (description = 'General ledger\'s entries')
