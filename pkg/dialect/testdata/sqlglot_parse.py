"""Test oracle: parse SQL files with sqlglot and report parse errors.

Usage: python sqlglot_parse.py DIALECT FILE...

Reads each file (statements separated by ";\n"), parses it with
sqlglot.parse(sql, read=DIALECT, error_level=RAISE) (a statement sqlglot
only keeps as an opaque Command counts as an error) and prints one JSON
object: {"version": ..., "errors": {"FILE": "message", ...}}. It never
writes files; the Go test decides what an error means.
"""

import json
import sys

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel


def main() -> int:
    dialect, files = sys.argv[1], sys.argv[2:]
    errors = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            sql = f.read()
        try:
            stmts = sqlglot.parse(sql, read=dialect, error_level=ErrorLevel.RAISE)
        except Exception as e:  # noqa: BLE001 - any failure is a finding
            errors[path] = f"{type(e).__name__}: {e}"
            continue
        for st in stmts:
            # sqlglot keeps syntax it does not understand as an opaque
            # Command instead of raising: that is not a parse either.
            if st is None:
                continue  # an empty statement (a file of comments only)
            if isinstance(st, exp.Command) or st.find(exp.Command):
                errors[path] = "not parsed: sqlglot fell back to an opaque Command for: " + str(st)[:200]
                break
    json.dump({"version": sqlglot.__version__, "errors": errors}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
