CREATE TABLE IF NOT EXISTS "dx_gl" (
  "id" BIGINT NOT NULL,
  "account" VARCHAR(20) NOT NULL,
  "Amount" DECIMAL(18, 2),
  "Memo ""quoted""" VARCHAR,
  "posted" DATE,
  "is_open" BOOLEAN,
  "rate" DOUBLE,
  "created_at" TIMESTAMP,
  PRIMARY KEY ("id")
);
COMMENT ON TABLE "dx_gl" IS 'General ledger''s entries'
