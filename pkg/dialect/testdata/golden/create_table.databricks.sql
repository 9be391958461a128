CREATE TABLE IF NOT EXISTS `dx_gl` (
  `id` BIGINT NOT NULL,
  `account` STRING NOT NULL,
  `Amount` DECIMAL(18, 2),
  `Memo "quoted"` STRING,
  `posted` DATE,
  `is_open` BOOLEAN,
  `rate` DOUBLE,
  `created_at` TIMESTAMP_NTZ,
  PRIMARY KEY (`id`)
)
COMMENT 'General ledger\'s entries'
