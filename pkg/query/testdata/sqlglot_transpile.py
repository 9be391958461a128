"""Test oracle: transpile SQL from one dialect to DuckDB with sqlglot.

Usage: python sqlglot_transpile.py < {"read": DIALECT, "sql": {NAME: SQL}}

Prints {NAME: {"sql": DUCKDB_SQL} or {"error": MESSAGE}}. It never writes
files; the Go test runs the DuckDB SQL and decides what an error means.
"""

import json
import sys

import sqlglot
from sqlglot.errors import ErrorLevel


def main() -> int:
    src = json.load(sys.stdin)
    out = {}
    for name, sql in src["sql"].items():
        try:
            stmts = sqlglot.transpile(sql, read=src["read"], write="duckdb", error_level=ErrorLevel.RAISE)
            out[name] = {"sql": ";\n".join(stmts)}
        except Exception as e:  # noqa: BLE001 - any failure is a finding
            out[name] = {"error": f"{type(e).__name__}: {e}"}
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
