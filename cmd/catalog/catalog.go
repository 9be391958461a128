// Package catalog implements `databridge catalog schemas|tables|describe`.
package catalog

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
)

// NewCmd builds the catalog command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Browse what a connection contains: schemas, tables, columns and keys",
		Example: `  databridge catalog schemas --connection erp
  databridge catalog tables --connection src
  databridge catalog describe public.gl_entries --connection erp`,
	}
	cmd.AddCommand(newSchemasCmd(f), newTablesCmd(f), newDescribeCmd(f))
	return cmd
}

func connFlag(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVarP(dst, "connection", "c", "", "connection name (default: the project's default target)")
}

func newSchemasCmd(f *cmdutil.Factory) *cobra.Command {
	var conn string
	cmd := &cobra.Command{
		Use:     "schemas",
		Short:   "List the schemas of a connection",
		Example: "  databridge catalog schemas --connection erp --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Connections()
			if err != nil {
				return err
			}
			res, err := svc.Schemas(cmd.Context(), conn)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(res)
			}
			t := cmdutil.NewTable(f.IO, "SCHEMA")
			for _, s := range res.Schemas {
				t.Row(s.Name)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
	connFlag(cmd, &conn)
	return cmd
}

func newTablesCmd(f *cmdutil.Factory) *cobra.Command {
	var conn, schema string
	cmd := &cobra.Command{
		Use:     "tables",
		Short:   "List the tables and views of a schema",
		Example: "  databridge catalog tables --connection src\n  databridge catalog tables --connection erp --schema finance --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Connections()
			if err != nil {
				return err
			}
			res, err := svc.Tables(cmd.Context(), conn, schema)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(res)
			}
			withLoc := false
			for _, t := range res.Tables {
				if t.Location != "" {
					withLoc = true
				}
			}
			hdr := []string{"SCHEMA", "TABLE", "KIND"}
			if withLoc {
				hdr = append(hdr, "LOCATION")
			}
			t := cmdutil.NewTable(f.IO, hdr...)
			for _, x := range res.Tables {
				if withLoc {
					t.Row(x.Schema, x.Name, x.Kind, x.Location)
				} else {
					t.Row(x.Schema, x.Name, x.Kind)
				}
			}
			t.Render(f.IO.Out)
			if t.Len() == 0 {
				fmt.Fprintln(f.IO.ErrOut, "no tables")
			}
			return nil
		},
	}
	connFlag(cmd, &conn)
	cmd.Flags().StringVarP(&schema, "schema", "s", "", "schema (default: the connection's default schema)")
	return cmd
}

func newDescribeCmd(f *cmdutil.Factory) *cobra.Command {
	var conn string
	cmd := &cobra.Command{
		Use:     "describe [SCHEMA.]TABLE",
		Short:   "Show a table's columns, types, nullability and keys",
		Example: "  databridge catalog describe gl_transactions --connection src\n  databridge catalog describe public.fact_gl --connection erp --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Connections()
			if err != nil {
				return err
			}
			res, err := svc.Describe(cmd.Context(), conn, args[0])
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(res)
			}
			out := f.IO.Out
			fmt.Fprintf(out, "%s (%s)\n", f.IO.Bold(res.QualifiedName()), res.Kind)
			if res.Location != "" {
				fmt.Fprintf(out, "file: %s\n", res.Location)
			}
			pk := map[string]bool{}
			for _, c := range res.PrimaryKey {
				pk[strings.ToLower(c)] = true
			}
			t := cmdutil.NewTable(f.IO, "#", "COLUMN", "TYPE", "NULL", "KEY", "DEFAULT")
			for _, c := range res.Columns {
				null := "NOT NULL"
				if c.Nullable {
					null = "NULL"
				}
				key := ""
				if pk[strings.ToLower(c.Name)] {
					key = "PK"
				}
				for _, fk := range res.ForeignKeys {
					for i, fc := range fk.Columns {
						if strings.EqualFold(fc, c.Name) && i < len(fk.RefColumns) {
							if key != "" {
								key += ","
							}
							key += "FK→" + fk.RefTable + "." + fk.RefColumns[i]
						}
					}
				}
				def := ""
				if c.Default != nil {
					def = *c.Default
				}
				typ := c.Type
				if c.Format != "" {
					// Read from formatted text ("$1,234.56").
					typ += " (from " + c.Format + "-formatted text)"
				}
				t.Row(c.Position, c.Name, typ, null, key, def)
			}
			t.Render(out)
			if len(res.PrimaryKey) > 0 {
				fmt.Fprintf(out, "primary key: (%s)\n", strings.Join(res.PrimaryKey, ", "))
			}
			for _, u := range res.UniqueKeys {
				fmt.Fprintf(out, "unique: (%s)\n", strings.Join(u.Columns, ", "))
			}
			for _, fk := range res.ForeignKeys {
				ref := fk.RefTable
				if fk.RefSchema != "" {
					ref = fk.RefSchema + "." + ref
				}
				fmt.Fprintf(out, "foreign key: (%s) → %s(%s)\n", strings.Join(fk.Columns, ", "), ref, strings.Join(fk.RefColumns, ", "))
			}
			return nil
		},
	}
	connFlag(cmd, &conn)
	return cmd
}
