CREATE TABLE IF NOT EXISTS dx_gl (
  id BIGINT NOT NULL,
  "account" VARCHAR(20) NOT NULL,
  "Amount" NUMBER(18, 2),
  "Memo ""quoted""" VARCHAR,
  posted DATE,
  is_open BOOLEAN,
  rate FLOAT,
  created_at TIMESTAMP_NTZ,
  PRIMARY KEY (id)
)
COMMENT = 'General ledger''s entries'
