// Package sqlcmd implements `databridge sql`.
package sqlcmd

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
)

// Options are the parsed flags of `sql`.
type Options struct {
	SQL            string
	Connection     string
	MaxRows        int
	TimeoutSeconds int
	Format         string
	Write          bool
}

// NewCmd builds `databridge sql`.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{}
	cmd := &cobra.Command{
		Use:   `sql "STATEMENT" | -`,
		Short: "Run one SQL statement against a connection (read-only unless --write)",
		Long: `Run one SQL statement and print the result. Pass "-" to read the statement
from stdin.

Read-only by default: a statement that may modify data (INSERT, UPDATE,
DELETE, MERGE, CREATE, DROP, ALTER, COPY, SET, ...) or several statements at
once is refused before it reaches the engine, unless --write is given.
Results are capped at --max-rows; a truncated result says so on stderr (and
"truncated": true in JSON).`,
		Example: `  databridge sql "SELECT * FROM gl_transactions LIMIT 5" --connection src
  databridge sql "SELECT account, SUM(amount) AS total FROM gl_transactions GROUP BY 1" -c src --format csv
  echo "SELECT 42 AS answer" | databridge sql - --json
  databridge sql "CREATE TABLE scratch AS SELECT 1 AS x" --write`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.SQL = args[0]
			if o.SQL == "-" {
				b, err := io.ReadAll(f.IO.In)
				if err != nil {
					return err
				}
				o.SQL = string(b)
			}
			if f.JSON() {
				o.Format = "json"
			}
			switch o.Format {
			case "table", "csv", "json":
			default:
				return cmdutil.Usagef("--format must be table, csv or json, not %q", o.Format)
			}
			if o.MaxRows <= 0 {
				return cmdutil.Usagef("--max-rows must be positive")
			}
			if runF != nil {
				return runF(o)
			}
			return run(cmd, f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Connection, "connection", "c", "", "connection name (default: the project's default target)")
	fl.IntVar(&o.MaxRows, "max-rows", connector.DefaultMaxRows, "return at most this many rows")
	fl.IntVar(&o.TimeoutSeconds, "timeout", int(connector.DefaultTimeout.Seconds()), "seconds before the query is cancelled")
	fl.StringVar(&o.Format, "format", "table", "output format: table, csv or json")
	fl.BoolVar(&o.Write, "write", false, "allow a statement that modifies data")
	return cmd
}

func run(cmd *cobra.Command, f *cmdutil.Factory, o *Options) error {
	svc, err := f.Connections()
	if err != nil {
		return err
	}
	res, err := svc.Query(cmd.Context(), connections.QueryInput{
		Connection: o.Connection, SQL: o.SQL, MaxRows: o.MaxRows, TimeoutSeconds: o.TimeoutSeconds, Write: o.Write,
	})
	if err != nil {
		return err
	}
	if res.Truncated && !f.JSON() {
		f.IO.Progress("note: result truncated to %d rows (raise --max-rows to see more)", res.MaxRows)
	}
	switch o.Format {
	case "json":
		return f.PrintJSON(res)
	case "csv":
		return cmdutil.WriteCSV(f.IO.Out, columnNames(res.Columns), res.Rows)
	}
	if res.Statement == "write" && len(res.Columns) == 0 {
		n := int64(0)
		if res.RowsAffected != nil {
			n = *res.RowsAffected
		}
		fmt.Fprintf(f.IO.Out, "%s statement executed on %s (%d rows affected)\n", f.IO.SuccessIcon(), res.Connection, n)
		return nil
	}
	t := cmdutil.NewTable(f.IO, columnNames(res.Columns)...)
	for _, r := range res.Rows {
		t.Row(r...)
	}
	t.Render(f.IO.Out)
	if !f.IO.Quiet() {
		fmt.Fprintf(f.IO.ErrOut, "(%d %s, %d ms)\n", res.RowCount, plural(res.RowCount, "row"), res.ElapsedMS)
	}
	return nil
}

func columnNames(cols []connector.ResultColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}
