CREATE TABLE IF NOT EXISTS `dx_gl` (
  `id` BIGINT NOT NULL,
  `account` VARCHAR(20) NOT NULL,
  `Amount` DECIMAL(18, 2),
  `Memo "quoted"` TEXT,
  `posted` DATE,
  `is_open` BOOLEAN,
  `rate` DOUBLE,
  `created_at` DATETIME(6),
  PRIMARY KEY (`id`)
)
COMMENT = 'General ledger''s entries'
