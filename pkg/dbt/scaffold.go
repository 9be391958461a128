package dbt

import (
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/dialect"
)

// pipPackages pins what the CI workflow installs per adapter.
var pipPackages = map[string]string{
	"duckdb":     "dbt-duckdb==1.11.1",
	"postgres":   "dbt-postgres==1.11.0",
	"snowflake":  "dbt-snowflake~=1.10.0",
	"bigquery":   "dbt-bigquery~=1.10.0",
	"databricks": "dbt-databricks~=1.10.0",
	"sqlserver":  "dbt-sqlserver~=1.9.0",
	"mysql":      "dbt-mysql~=1.7.0",
}

// DBTCorePin is the dbt-core the CI workflow installs.
const DBTCorePin = "dbt-core==1.10.23"

// secretEnv lists, per adapter, the profile settings read from the
// environment: key, variable, default ("" = required), secret.
type envSetting struct {
	key, env, def string
	secret, num   bool
}

var profileSettings = map[string][]envSetting{
	"duckdb": {{key: "path", env: "DBT_DUCKDB_PATH", def: "warehouse.duckdb"}},
	"postgres": {{key: "host", env: "DBT_POSTGRES_HOST", def: "localhost"}, {key: "port", env: "DBT_POSTGRES_PORT", def: "5432", num: true},
		{key: "user", env: "DBT_POSTGRES_USER"}, {key: "password", env: "DBT_ENV_SECRET_POSTGRES_PASSWORD", secret: true},
		{key: "dbname", env: "DBT_POSTGRES_DBNAME"}},
	"snowflake": {{key: "account", env: "DBT_SNOWFLAKE_ACCOUNT"}, {key: "user", env: "DBT_SNOWFLAKE_USER"},
		{key: "password", env: "DBT_ENV_SECRET_SNOWFLAKE_PASSWORD", secret: true}, {key: "role", env: "DBT_SNOWFLAKE_ROLE"},
		{key: "warehouse", env: "DBT_SNOWFLAKE_WAREHOUSE"}, {key: "database", env: "DBT_SNOWFLAKE_DATABASE"}},
	"bigquery": {{key: "method", env: "DBT_BIGQUERY_METHOD", def: "oauth"}, {key: "project", env: "DBT_BIGQUERY_PROJECT"}},
	"databricks": {{key: "host", env: "DBT_DATABRICKS_HOST"}, {key: "http_path", env: "DBT_DATABRICKS_HTTP_PATH"},
		{key: "token", env: "DBT_ENV_SECRET_DATABRICKS_TOKEN", secret: true}},
	"sqlserver": {{key: "driver", env: "DBT_SQLSERVER_DRIVER", def: "ODBC Driver 18 for SQL Server"}, {key: "server", env: "DBT_SQLSERVER_SERVER"},
		{key: "port", env: "DBT_SQLSERVER_PORT", def: "1433", num: true}, {key: "database", env: "DBT_SQLSERVER_DATABASE"},
		{key: "user", env: "DBT_SQLSERVER_USER"}, {key: "password", env: "DBT_ENV_SECRET_SQLSERVER_PASSWORD", secret: true}},
	"mysql": {{key: "server", env: "DBT_MYSQL_SERVER", def: "localhost"}, {key: "port", env: "DBT_MYSQL_PORT", def: "3306", num: true},
		{key: "username", env: "DBT_MYSQL_USER"}, {key: "password", env: "DBT_ENV_SECRET_MYSQL_PASSWORD", secret: true}},
}

// adapterConfig is project-level configuration of models and seeds per
// adapter.
var adapterConfig = map[string]omap{
	// Delta tables, stated: dbt-databricks makes them by default, but
	// dbt-spark writes no USING clause and gets the cluster's default
	// format (Parquet on plain Spark).
	"databricks": {{"+file_format", "delta"}},
}

// adapterMacros are macros a project for the adapter carries: where an
// adapter's own macro misbehaves on an engine the project must build on.
var adapterMacros = map[string]map[string]string{
	// The Spark family (dbt-databricks and dbt-spark): seeds as SQL
	// literals. dbt-spark's session method formats bindings into the
	// statement text, so an empty cell became the text 'None', not NULL
	// (a root's PARENT_CODE failed its relationships test on Spark).
	// dbt-databricks prefers its own databricks__load_csv_rows where it
	// has one; this macro is the same on every method either way.
	"databricks": {"macros/spark__load_csv_rows.sql": sparkLoadCSVRows},
}

const sparkLoadCSVRows = `{#-
  Seeds on the Spark family as SQL literals, never bindings: dbt-spark's
  session method formats bindings into the statement text and loads an
  empty cell as the text 'None'. Strings are escaped as Spark SQL reads
  them (backslash escapes on); booleans, numbers and NULL are written bare.
-#}
{% macro databridge_spark_literal(v) -%}
    {%- if v is none -%}null
    {%- elif v is sameas true -%}true
    {%- elif v is sameas false -%}false
    {%- elif v is number -%}{{ v }}
    {%- else -%}'{{ v | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
    {%- set sql -%}
insert into {{ this.render() }} values
{% for row in chunk -%}
({%- for col_name in agate_table.column_names -%}
{%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
cast({{ databridge_spark_literal(row[loop.index0]) }} as {{ type }}){%- if not loop.last %}, {% endif -%}
{%- endfor -%}){%- if not loop.last %},{% endif %}
{% endfor -%}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(statements[0] if statements else '') }}
{% endmacro %}
`

// schemaKey is the profile key of the target schema.
func schemaKey(adapter string) string {
	switch adapter {
	case "bigquery":
		return "dataset"
	}
	return "schema"
}

func envVar(s envSetting) string {
	x := "env_var('" + s.env + "'"
	if s.def != "" {
		x += ", '" + s.def + "'"
	}
	x += ")"
	if s.num {
		x += " | as_number"
	}
	return "{{ " + x + " }}"
}

func (g *gen) scaffold() {
	a := g.proj.Adapter
	schema := g.in.Config.Schema
	if schema == "" {
		schema = "analytics"
	}

	// dbt_project.yml
	g.add("dbt_project.yml", toYAML("# Generated by databridge (Advanced Mode): the warehouse as a dbt project.\n",
		omap{
			{"name", g.name},
			{"version", "1.0.0"},
			{"config-version", 2},
			{"profile", g.name},
			{"require-dbt-version", g.in.DBTVersion},
			{"model-paths", []string{"models"}},
			{"seed-paths", []string{"seeds"}},
			{"test-paths", []string{"tests"}},
			{"macro-paths", []string{"macros"}},
			{"analysis-paths", []string{"analyses"}},
			{"snapshot-paths", []string{"snapshots"}},
			{"clean-targets", []string{"target", "dbt_packages"}},
			{"flags", omap{{"send_anonymous_usage_stats", false}}},
			{"models", omap{{g.name, append(append(omap{}, adapterConfig[a]...),
				kv{"staging", omap{{"+materialized", "view"}}},
				kv{"intermediate", omap{{"+materialized", "view"}}},
				kv{"marts", omap{{"+materialized", "table"}}},
			)}}},
			// Seed columns are named as the modeler's SQL names them:
			// folded where the engine folds unquoted names (PostgreSQL,
			// Snowflake), quoted elsewhere.
			{"seeds", omap{{g.name, append(append(omap{}, adapterConfig[a]...),
				kv{"+quote_columns", dialect.Capabilities(g.dialect).IdentFold == dialect.FoldNone})}}},
		}))

	// profiles.yml.example
	out := omap{{"type", a}}
	for _, s := range profileSettings[a] {
		out = append(out, kv{s.key, envVar(s)})
	}
	out = append(out, kv{schemaKey(a), "{{ env_var('DBT_SCHEMA', '" + schema + "') }}"}, kv{"threads", 4})
	g.add("profiles.yml.example", toYAML(fmt.Sprintf("# Copy to ~/.dbt/profiles.yml (or set DBT_PROFILES_DIR). Secrets come from the\n# environment only: variables named DBT_ENV_SECRET_* are scrubbed from dbt's logs.\n"),
		omap{{g.name, omap{{"target", "dev"}, {"outputs", omap{{"dev", out}}}}}}))

	// macros and generic tests
	g.add("macros/generate_schema_name.sql", `{#-
  Schemas: a model without a custom schema goes to the target's schema; a
  custom schema (+schema) is used as written, not prefixed with the target's.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
`)
	for name, body := range adapterMacros[a] {
		g.add(name, body)
	}
	g.add("tests/generic/databridge_unique_combination.sql", `{#-
  The combination of columns is unique (NULLs compare equal, as in GROUP BY).
  Columns are given as the SQL writes them (quoted where the engine needs it).
  Usage: data_tests: [{databridge_unique_combination: {columns: [a, b]}}]
-#}
{% test databridge_unique_combination(model, columns) %}
select
    {% for c in columns %}{{ c }}, {% endfor %}count(*) as n_rows
from {{ model }}
group by {% for c in columns %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
having count(*) > 1
{% endtest %}
`)

	// CI
	var env []string
	for _, s := range profileSettings[a] {
		if s.def != "" {
			continue
		}
		from := "vars." + s.env
		if s.secret {
			from = "secrets." + strings.TrimPrefix(s.env, "DBT_ENV_SECRET_")
		}
		env = append(env, fmt.Sprintf("      %s: ${{ %s }}", s.env, from))
	}
	envBlock := ""
	if len(env) > 0 {
		envBlock = "    env:\n" + strings.Join(env, "\n") + "\n"
	}
	g.add(".github/workflows/dbt.yml", fmt.Sprintf(`# Generated by databridge: parse and build the dbt project on every push
# and pull request; generate the docs when a release is published.
name: dbt

on:
  push:
  pull_request:
  release:
    types: [published]

permissions:
  contents: read

jobs:
  dbt:
    runs-on: ubuntu-latest
%s    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install dbt
        run: pip install "%s" "%s"
      - name: Profile
        run: mkdir -p ~/.dbt && cp profiles.yml.example ~/.dbt/profiles.yml
      - name: dbt deps
        run: dbt deps
      - name: dbt parse
        run: dbt parse
      - name: dbt build
        if: github.event_name != 'release'
        run: dbt build
      - name: dbt docs generate
        if: github.event_name == 'release'
        run: dbt docs generate
`, envBlock, DBTCorePin, pipPackages[a]))

	g.add(".gitignore", "target/\ndbt_packages/\nlogs/\nprofiles.yml\n*.duckdb\n*.duckdb.wal\n")
	g.add("README.md", fmt.Sprintf(`# %s

Generated by databridge (Advanced Mode) for the %s adapter. Regenerate with
`+"`databridge generate dbt`"+` rather than editing the generated files.

- models/staging/: one source file per source and one stg_ model per table
  (rename and cast only, views).
- models/intermediate/: the hierarchy pipeline (VW_1, DT_2, DT_3A).
- models/marts/: dimensions (dim_), facts (fct_) and the statements (DT_3).
- seeds/: the hierarchies (TBL_0) and their mapping rules (TBL_0_MAPPING).
- tests/: every source code mapped, none mapped twice, statements tie out.

    cp profiles.yml.example ~/.dbt/profiles.yml   # fill in the environment
    dbt build
`, g.name, a))
}
