-- A small finance schema with every kind of declared key, for TestCatalogAndKeys.
CREATE SCHEMA fin;

CREATE TABLE fin.accounts (
    account_code VARCHAR PRIMARY KEY,
    account_name VARCHAR NOT NULL,
    legacy_code  INTEGER UNIQUE,
    entity       VARCHAR,
    local_code   VARCHAR,
    UNIQUE (entity, local_code)
);

COMMENT ON TABLE fin.accounts IS 'chart of accounts';

CREATE TABLE fin.gl_lines (
    journal_id   BIGINT,
    line_no      INTEGER,
    account_code VARCHAR REFERENCES fin.accounts (account_code),
    amount       DECIMAL(18,2) NOT NULL DEFAULT 0,
    posted_on    DATE,
    PRIMARY KEY (journal_id, line_no)
);

CREATE VIEW fin.gl_by_account AS
    SELECT account_code, sum(amount) AS total FROM fin.gl_lines GROUP BY 1;

INSERT INTO fin.accounts VALUES
    ('0100-000', 'Cash at bank', 100, 'US01', '0100'),
    ('4000-100', 'Product revenue', 4000, 'US01', '4000');

INSERT INTO fin.gl_lines VALUES
    (1, 1, '0100-000', 250.00, DATE '2024-01-31'),
    (1, 2, '4000-100', -250.00, DATE '2024-01-31');

CREATE TABLE "Odd ""Name""" (x INT);
