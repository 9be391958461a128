// Package connection implements `databridge connection add|list|show|test|remove`.
package connection

import (
	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
)

// NewCmd builds the connection command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "connection",
		Aliases: []string{"connections", "conn"},
		Short:   "Manage the project's named connections (files, DuckDB, PostgreSQL, MySQL, SQL Server, Snowflake, Databricks, BigQuery)",
		Long: `Connections are named entries in .databridge/config.yaml. Secrets are never
stored: passwords and tokens are ${ENV} references resolved when connecting,
and nothing databridge prints contains their values.`,
		Example: `  databridge connection add src --type files --path data/
  databridge connection add erp --type postgres --host db --database erp --user fpa --password-env ERP_PASSWORD
  databridge connection list
  databridge connection test erp`,
	}
	cmd.AddCommand(newAddCmd(f, nil), newListCmd(f), newShowCmd(f), newTestCmd(f), newRemoveCmd(f))
	return cmd
}
