CREATE TABLE IF NOT EXISTS dx_gl (
  id BIGINT NOT NULL,
  account VARCHAR(20) NOT NULL,
  "Amount" NUMERIC(18, 2),
  "Memo ""quoted""" TEXT,
  posted DATE,
  is_open BOOLEAN,
  rate DOUBLE PRECISION,
  created_at TIMESTAMP,
  PRIMARY KEY (id)
);
COMMENT ON TABLE dx_gl IS 'General ledger''s entries'
