# Hostile corpus for read-only sessions (issue 10). Each statement must be
# refused by databridge or fail in the engine, and leave the database and the
# files under the test root byte-identical; no result may show a secret.
#
# Format: one statement per line; {{NL}}, {{TAB}}, {{NUL}} and {{NBSP}}
# stand for a newline, a tab, a NUL and a no-break space. Lines that
# start with "@payload " are write payloads and lines that start with
# "@wrap " are templates in which "%s" is replaced by each payload; the test
# expands every template with every payload. Placeholders:
#   {{T}}      a table of the engine's test database
#   {{ROOT}}   the test root folder (the project)
#   {{DB}}     the project's DuckDB warehouse file
#   {{SECRET}} a file outside the project that holds a marker string

@payload DROP TABLE {{T}}
@payload DELETE FROM {{T}}
@payload INSERT INTO {{T}} VALUES (99)
@payload UPDATE {{T}} SET v = 0
@payload TRUNCATE TABLE {{T}}
@payload ALTER TABLE {{T}} ADD COLUMN pwned INT
@payload CREATE TABLE pwned_t (x INT)
@payload CREATE VIEW pwned_v AS SELECT 1 AS x
@payload COPY (SELECT 1) TO '{{ROOT}}/pwned.csv'
@payload COPY {{T}} TO '{{ROOT}}/data/pwned.csv'
@payload ATTACH '{{DB}}' AS w
@payload ATTACH '{{ROOT}}/pwned.duckdb' AS p
@payload EXPORT DATABASE '{{ROOT}}/pwned_export'
@payload SET enable_external_access = true
@payload RESET lock_configuration
@payload PRAGMA enable_profiling
@payload CHECKPOINT
@payload INSTALL httpfs
@payload LOAD httpfs
@payload CREATE PERSISTENT SECRET pwned (TYPE s3, KEY_ID 'k', SECRET 's')
@payload GRANT ALL ON {{T}} TO PUBLIC
@payload CREATE SCHEMA pwned_s
@payload SELECT 1 INTO pwned_into
@payload CALL pwned()
@payload MERGE INTO {{T}} USING (SELECT 1 AS v) s ON true WHEN MATCHED THEN DELETE

@wrap %s
@wrap SELECT 1; %s
@wrap SELECT '\' AS a; %s; SELECT 1 --'
@wrap SELECT "\" AS a; %s; SELECT 1 --"
@wrap SELECT 1 /* */ ; %s
@wrap SELECT 1 /* /* */ ; %s; /* */
@wrap SELECT 1 --{{NL}}; %s
@wrap SELECT 1 -- ' {{NL}}; %s -- '
@wrap SELECT 1 #{{NL}}; %s
@wrap SELECT $$ $$; %s; SELECT $$ $$
@wrap SELECT $a$ $a$; %s; SELECT $a$ $a$
@wrap SELECT E'\''; %s; SELECT E'\''
@wrap SELECT 'a''b'; %s
@wrap WITH x AS (SELECT 1) %s
@wrap EXPLAIN ANALYZE %s
@wrap EXPLAIN %s
@wrap /*! %s */ SELECT 1
@wrap SELECT 1 /*!; %s */
@wrap (%s)
@wrap SELECT * FROM (%s) s

# Literal and comment tricks that try to make the guard see less than the engine.
SELECT '\' AS a; ATTACH '{{DB}}' AS w; DROP TABLE w.DT_3_PL; SELECT 1 --'
SELECT '\\'; DROP TABLE {{T}}; --'
SELECT 'x\'; DROP TABLE {{T}}; --'
SELECT E'\\'; DROP TABLE {{T}}; --'
SELECT U&'\0041'; DROP TABLE {{T}}
SELECT N'x'; DROP TABLE {{T}}
SELECT B'01'; DROP TABLE {{T}}
SELECT X'41'; DROP TABLE {{T}}
SELECT $tag$ $other$ $tag$; DROP TABLE {{T}}
SELECT $$ ' $$; DROP TABLE {{T}}; SELECT ' $$
SELECT 1 /* a /* nested */ ; DROP TABLE {{T}}; /* */ */
SELECT 1 /* unterminated
SELECT 'unterminated
SELECT "unterminated
SELECT `a`; DROP TABLE {{T}}
SELECT [a]; DROP TABLE {{T}}
SELECT ['x]'; DROP TABLE {{T}}; --']
SELECT 1 --x{{NL}}; DROP TABLE {{T}}
SELECT 1 --{{TAB}}{{NL}}; DROP TABLE {{T}}
SELECT 1 //{{NL}}; DROP TABLE {{T}}
SELECT '''a'''; DROP TABLE {{T}}
SELECT r'\'; DROP TABLE {{T}}; --'
SELECT 1;{{NL}}DROP TABLE {{T}}
SELECT 1{{NL}};{{NL}}DROP TABLE {{T}}{{NL}};
SELECT 1;;DROP TABLE {{T}}
;DROP TABLE {{T}}
SELECT 1 /*!50000 ; DROP TABLE {{T}} */
SELECT 1 /*M! ; DROP TABLE {{T}} */
/*!40101 DROP TABLE {{T}} */
SELECT 1 # comment ; DROP TABLE {{T}}
SELECT 1 -- comment ; DROP TABLE {{T}}
SELECT '\'' ; DROP TABLE {{T}} ; SELECT '\''
SELECT "a\"b"; DROP TABLE {{T}}
SELECT 'a' 'b'; DROP TABLE {{T}}
SELECT 1 ＼; DROP TABLE {{T}}
SELECT 1{{NBSP}}; DROP TABLE {{T}}

# Writes that start like a read.
WITH d AS (DELETE FROM {{T}} RETURNING *) SELECT * FROM d
WITH u AS (UPDATE {{T}} SET v = 0 RETURNING *) SELECT * FROM u
WITH i AS (INSERT INTO {{T}} VALUES (7) RETURNING *) SELECT * FROM i
SELECT * INTO pwned_copy FROM {{T}}
SELECT * FROM {{T}} INTO OUTFILE '{{ROOT}}/pwned.txt'
SELECT * FROM {{T}} INTO DUMPFILE '{{ROOT}}/pwned.bin'
SELECT 1 INTO @x
TABLE {{T}}; DROP TABLE {{T}}
VALUES (1); DROP TABLE {{T}}
SHOW TABLES; DROP TABLE {{T}}
DESCRIBE {{T}}; DROP TABLE {{T}}
FROM {{T}}; DROP TABLE {{T}}
SUMMARIZE {{T}}; DROP TABLE {{T}}
EXPLAIN ANALYZE COPY (SELECT 1) TO '{{ROOT}}/.databridge/config.yaml'
EXPLAIN ANALYZE COPY (SELECT 'x') TO '{{ROOT}}/pwned.csv' (HEADER false)
EXPLAIN (ANALYZE) DELETE FROM {{T}}
EXPLAIN ANALYZE WITH d AS (DELETE FROM {{T}} RETURNING 1) SELECT 1
DESCRIBE (COPY (SELECT 1) TO '{{ROOT}}/pwned.csv')
SELECT * FROM {{T}} FOR UPDATE
(SELECT 1); DROP TABLE {{T}}
((((DELETE FROM {{T}}))))

# Reads outside the data: server and local files, the project's own state.
SELECT * FROM read_csv('/etc/passwd', header=false)
SELECT * FROM read_csv_auto('/etc/passwd')
SELECT * FROM read_csv('{{SECRET}}')
SELECT * FROM read_text('{{SECRET}}')
SELECT * FROM read_blob('{{SECRET}}')
SELECT * FROM read_text('{{ROOT}}/.databridge/config.yaml')
SELECT * FROM read_csv('{{ROOT}}/.databridge/config.yaml', header=false)
SELECT * FROM read_json('{{ROOT}}/.databridge/state/*.json')
SELECT * FROM read_parquet('{{SECRET}}')
SELECT * FROM glob('/etc/*')
SELECT * FROM glob('{{ROOT}}/.databridge/*')
SELECT * FROM '{{SECRET}}'
SELECT * FROM '/etc/passwd'
FROM '{{SECRET}}'
SELECT * FROM sniff_csv('{{SECRET}}')
SELECT * FROM parquet_metadata('{{SECRET}}')
SELECT * FROM query('SELECT * FROM read_text(''{{SECRET}}'')')
SELECT * FROM query_table('{{T}}')
SELECT * FROM "read_text"('{{SECRET}}')
SELECT * FROM main.read_text('{{SECRET}}')
SELECT pg_read_file('/etc/passwd')
SELECT pg_read_file('{{SECRET}}')
SELECT pg_catalog.pg_read_file('/etc/passwd')
SELECT "pg_read_file"('/etc/passwd')
SELECT pg_read_binary_file('/etc/passwd')
SELECT * FROM pg_ls_dir('/')
SELECT pg_stat_file('/etc/passwd')
SELECT lo_import('/etc/passwd')
SELECT lo_export(1, '{{ROOT}}/pwned.bin')
SELECT LOAD_FILE('/etc/passwd')
SELECT LOAD_FILE('{{SECRET}}')
SELECT * FROM OPENROWSET(BULK '/etc/passwd', SINGLE_CLOB) AS x
SELECT reflect('java.lang.Runtime', 'getRuntime')
SELECT * FROM duckdb_extensions()

# Functions and statements that change state without a write keyword.
SELECT nextval('pwned_seq')
SELECT setval('pwned_seq', 1)
SELECT set_config('default_transaction_read_only', 'off', false)
SELECT set_config('transaction_read_only', 'off', true)
SELECT pg_terminate_backend(pg_backend_pid())
SELECT pg_cancel_backend(1)
SELECT pg_reload_conf()
SELECT GET_LOCK('pwned', 1)
SELECT dblink_exec('dbname=x', 'DROP TABLE t')
SELECT query_to_xml('DELETE FROM {{T}} RETURNING 1', true, true, '')
SELECT current_setting('enable_external_access')
SET default_transaction_read_only = off
SET SESSION TRANSACTION READ WRITE
SET TRANSACTION READ WRITE
SET GLOBAL enable_external_access = true
SET lock_configuration = false
SET allowed_directories = ['/']
SET VARIABLE x = 1
START TRANSACTION READ WRITE
BEGIN
COMMIT
ROLLBACK
DO $$ BEGIN DELETE FROM {{T}}; END $$
DO SLEEP(0)
PREPARE p AS DELETE FROM {{T}}
EXECUTE p
EXEC('DROP TABLE {{T}}')
EXEC sp_executesql N'DROP TABLE {{T}}'
DECLARE @x INT
USE memory
USE mysql
LOCK TABLES {{T}} WRITE
HANDLER {{T}} OPEN
LOAD DATA INFILE '/etc/passwd' INTO TABLE {{T}}
LOAD DATA LOCAL INFILE '{{SECRET}}' INTO TABLE {{T}}
REPLACE INTO {{T}} VALUES (1)
INSERT IGNORE INTO {{T}} VALUES (1)
UPSERT INTO {{T}} VALUES (1)
VACUUM
ANALYZE
ANALYZE {{T}}
REINDEX TABLE {{T}}
CLUSTER {{T}}
REFRESH MATERIALIZED VIEW pwned
NOTIFY pwned
LISTEN pwned
COMMENT ON TABLE {{T}} IS 'pwned'
SECURITY LABEL ON TABLE {{T}} IS 'x'
CREATE OR REPLACE MACRO pwned() AS 1
CREATE TEMP TABLE pwned_tmp AS SELECT 1
DETACH w
DROP SCHEMA public CASCADE
DROP DATABASE databridge_test
KILL 1
SHUTDOWN
FLUSH PRIVILEGES
RENAME TABLE {{T}} TO pwned
OPTIMIZE TABLE {{T}}
PUT file:///etc/passwd @~
UNDROP TABLE {{T}}
CREATE STAGE pwned
SELECT SYSTEM$CANCEL_ALL_QUERIES(1)
EXPORT DATA OPTIONS(uri='gs://x/*') AS SELECT 1
INSERT OVERWRITE TABLE {{T}} SELECT 1
MSCK REPAIR TABLE {{T}}
CACHE TABLE {{T}}
ADD JAR '/tmp/x.jar'
SELECT 1 FROM {{T}} WHERE v = 1 OR 1 = (SELECT 1 FROM (DELETE FROM {{T}} RETURNING 1) d)
SELECT * FROM {{T}} WHERE 1 = 1; COMMIT; DROP TABLE {{T}}
SELECT * FROM {{T}}{{NUL}}; DROP TABLE {{T}}
