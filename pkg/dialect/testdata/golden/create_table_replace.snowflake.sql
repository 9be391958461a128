CREATE OR REPLACE TABLE dx_accounts (
  code VARCHAR(20) NOT NULL,
  name VARCHAR(100) NOT NULL,
  parent VARCHAR(20),
  "Sort Order" INTEGER,
  PRIMARY KEY (code)
)
