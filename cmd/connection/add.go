package connection

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
)

// AddOptions are the parsed flags of `connection add`.
type AddOptions struct {
	Name    string
	Config  connector.Config
	Options []string
	// *Env flags name an environment variable; they become ${VAR}.
	PasswordEnv   string
	TokenEnv      string
	PassphraseEnv string
	Replace       bool
	Default       bool
	Test          bool
}

func newAddCmd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	o := &AddOptions{}
	cmd := &cobra.Command{
		Use:   "add NAME --type TYPE [flags]",
		Short: "Add a named connection to config.yaml",
		Long: `Add a connection. Configure it with fields (--host, --database, ...) or a
--dsn. Secrets are given as environment variable names (--password-env,
--token-env, --private-key-passphrase-env) or ${ENV} references and are
never written in clear.

Types: ` + strings.Join(connector.Types(), ", ") + `.`,
		Example: `  # a folder of CSV/Parquet/JSON files, each file a table
  databridge connection add src --type files --path data/
  # an existing DuckDB file
  databridge connection add lake --type duckdb --path lake.duckdb
  # PostgreSQL with fields, password from $ERP_PASSWORD
  databridge connection add erp --type postgres --host db.internal --database erp --user fpa --password-env ERP_PASSWORD
  # MySQL with a DSN
  databridge connection add shop --type mysql --dsn 'app:${SHOP_PW}@tcp(127.0.0.1:3306)/shop'
  # Snowflake with key-pair auth
  databridge connection add sf --type snowflake --account xy12345 --user FPA --private-key-path keys/fpa.p8 --warehouse WH --database FIN --schema PUBLIC
  # test it before saving
  databridge connection add erp --type postgres --dsn 'postgres://fpa:${ERP_PASSWORD}@db/erp' --test`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			if o.Config.Type == "" {
				return cmdutil.Usagef("--type is required (one of %s)", strings.Join(connector.Types(), ", "))
			}
			for _, kv := range o.Options {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return cmdutil.Usagef("--option %q: want KEY=VALUE", kv)
				}
				if o.Config.Options == nil {
					o.Config.Options = map[string]string{}
				}
				o.Config.Options[k] = v
			}
			for _, e := range []struct {
				flag, env string
				dst       *string
			}{
				{"--password-env", o.PasswordEnv, &o.Config.Password},
				{"--token-env", o.TokenEnv, &o.Config.Token},
				{"--private-key-passphrase-env", o.PassphraseEnv, &o.Config.PrivateKeyPassphrase},
			} {
				if e.env == "" {
					continue
				}
				if *e.dst != "" {
					return cmdutil.Usagef("%s conflicts with the literal flag for the same secret", e.flag)
				}
				name := strings.TrimSuffix(strings.TrimPrefix(e.env, "${"), "}")
				*e.dst = "${" + name + "}"
				if !connector.IsEnvRef(*e.dst) {
					return cmdutil.Usagef("%s %q is not a valid environment variable name", e.flag, e.env)
				}
			}
			if runF != nil {
				return runF(o)
			}
			return runAdd(cmd, f, o)
		},
	}
	fl := cmd.Flags()
	c := &o.Config
	fl.StringVar(&c.Type, "type", "", "engine: "+strings.Join(connector.Types(), ", "))
	fl.StringVar(&c.DSN, "dsn", "", "connection string (passwords as ${ENV})")
	fl.StringVar(&c.Host, "host", "", "server host")
	fl.IntVar(&c.Port, "port", 0, "server port")
	fl.StringVar(&c.Database, "database", "", "database")
	fl.StringVar(&c.Schema, "schema", "", "default schema")
	fl.StringVar(&c.User, "user", "", "user name")
	fl.StringVar(&c.Password, "password", "", "password as an ${ENV} reference (prefer --password-env)")
	fl.StringVar(&o.PasswordEnv, "password-env", "", "environment variable holding the password")
	fl.StringVar(&c.Path, "path", "", "duckdb: database file; files: a file, folder or glob")
	fl.StringSliceVar(&c.Paths, "paths", nil, "files: more files, folders or globs (comma-separated or repeated)")
	fl.StringVar(&c.Account, "account", "", "snowflake: account identifier")
	fl.StringVar(&c.Warehouse, "warehouse", "", "snowflake: virtual warehouse")
	fl.StringVar(&c.Role, "role", "", "snowflake: role")
	fl.StringVar(&c.Authenticator, "authenticator", "", "snowflake: snowflake (default), jwt, externalbrowser, oauth")
	fl.StringVar(&c.PrivateKeyPath, "private-key-path", "", "snowflake: PKCS#8 private key file for key-pair auth")
	fl.StringVar(&o.PassphraseEnv, "private-key-passphrase-env", "", "snowflake: environment variable holding the key passphrase")
	fl.StringVar(&c.HTTPPath, "http-path", "", "databricks: SQL warehouse HTTP path")
	fl.StringVar(&o.TokenEnv, "token-env", "", "databricks/snowflake oauth: environment variable holding the token")
	fl.StringVar(&c.Catalog, "catalog", "", "databricks: Unity Catalog name")
	fl.StringVar(&c.Project, "project", "", "bigquery: GCP project")
	fl.StringVar(&c.Dataset, "dataset", "", "bigquery: default dataset")
	fl.StringVar(&c.Location, "location", "", "bigquery: location")
	fl.StringVar(&c.CredentialsFile, "credentials-file", "", "bigquery: service-account JSON (default: application default credentials)")
	fl.StringArrayVar(&o.Options, "option", nil, "extra engine parameter KEY=VALUE (repeatable)")
	fl.BoolVar(&c.ReadOnly, "read-only", false, "never write through this connection")
	fl.BoolVar(&o.Replace, "replace", false, "overwrite an existing connection of the same name")
	fl.BoolVar(&o.Default, "default", false, "make it the project's default target")
	fl.BoolVar(&o.Test, "test", false, "connect first and save only if it works")
	_ = cmd.RegisterFlagCompletionFunc("type", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return connector.Types(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runAdd(cmd *cobra.Command, f *cmdutil.Factory, o *AddOptions) error {
	svc, err := f.Connections()
	if err != nil {
		return err
	}
	info, err := svc.Add(cmd.Context(), connections.AddInput{Name: o.Name, Config: o.Config, Replace: o.Replace, Default: o.Default, Test: o.Test})
	if err != nil {
		return err
	}
	if f.JSON() {
		return f.PrintJSON(info)
	}
	fmt.Fprintf(f.IO.Out, "%s added connection %s (%s: %s)\n", f.IO.SuccessIcon(), f.IO.Bold(info.Name), info.Type, info.Target)
	return nil
}
