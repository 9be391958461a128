package dialect

// Savepoints are how a caller keeps a transaction usable after a
// statement fails, on the engines where a failed statement aborts the
// whole transaction (PostgreSQL: "current transaction is aborted" until
// ROLLBACK).

// Savepoint holds the three statements that protect one statement with
// the savepoint Name: Set before it, Release after it succeeded,
// Rollback after it failed.
type Savepoint struct {
	Set, Release, Rollback string
}

// SavepointFor returns the savepoint statements for name, and ok false
// where a caller need not or cannot use them: MySQL and MariaDB, SQL
// Server, Snowflake, Databricks and BigQuery leave a transaction usable
// after a failed statement; DuckDB aborts it but has no savepoints.
func SavepointFor(d, name string) (sp Savepoint, ok bool, err error) {
	if err := known(d); err != nil {
		return Savepoint{}, false, err
	}
	if d != Postgres {
		return Savepoint{}, false, nil
	}
	n, err := (&renderer{d: d}).ident(name, "savepoint")
	if err != nil {
		return Savepoint{}, false, err
	}
	return Savepoint{
		Set:      "SAVEPOINT " + n,
		Release:  "RELEASE SAVEPOINT " + n,
		Rollback: "ROLLBACK TO SAVEPOINT " + n,
	}, true, nil
}
