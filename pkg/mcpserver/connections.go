package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
)

// Row limits for run_query.
const (
	DefaultQueryRows = 100
	MaxQueryRows     = 10000
)

func init() {
	registerToolset(toolset{
		Name:        "connections",
		Description: "Configured connections: list and test them, browse schemas, tables and columns, run read-only SQL.",
		Tools: []tool{
			listConnectionsTool,
			testConnectionTool,
			listSchemasTool,
			listTablesTool,
			describeTableTool,
			runQueryTool,
		},
	})
}

// connections opens the connections service over a freshly read project.
func (e *env) connections() (*connections.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Connections, nil
}

type listConnectionsInput struct{}

var listConnectionsTool = newTool(&mcp.Tool{
	Name: "list_connections",
	Description: "List the connections configured in this databridge project: name, engine type, SQL dialect, " +
		"where it points (secrets redacted, shown only as ${ENV} references) and which one is the default target. " +
		"Call this first to learn the connection names the other tools take.",
	Annotations: readOnlyAnnotations("List connections"),
	OutputSchema: schemaFor[connections.ListResult](map[string]string{
		"default_target": "The connection tools use when none is given.",
		"connections":    "Configured connections, sorted by name. config is redacted: secrets appear only as ${ENV} references.",
	}),
}, func(ctx context.Context, e *env, _ listConnectionsInput) (connections.ListResult, error) {
	s, err := e.connections()
	if err != nil {
		return connections.ListResult{}, err
	}
	return s.List(), nil
})

type connectionInput struct {
	Connection string `json:"connection,omitempty" jsonschema:"Connection name from the project's config (see list_connections). Leave out to use the project's default_target."`
}

var testConnectionTool = newTool(&mcp.Tool{
	Name: "test_connection",
	Description: "Connect to a configured connection and run SELECT 1. A failure to connect is reported in the result " +
		"(ok false, with the redacted error and latency), marked isError; an unknown connection name is a tool error without a result.",
	Annotations: readOnlyAnnotations("Test a connection"),
	OutputSchema: schemaFor[connections.TestResult](map[string]string{
		"ok":         "True when the connection opened and answered SELECT 1.",
		"latency_ms": "Time taken to connect and query, in milliseconds.",
		"error":      "Why the test failed (secrets redacted); absent when ok.",
	}),
}, func(ctx context.Context, e *env, in connectionInput) (connections.TestResult, error) {
	s, err := e.connections()
	if err != nil {
		return connections.TestResult{}, err
	}
	res, err := s.Test(ctx, in.Connection)
	if err == nil && !res.OK {
		// connection test exits 3: the result and isError.
		return res, checksFailed("connection %s failed: %s", res.Name, res.Error)
	}
	return res, err
})

var listSchemasTool = newTool(&mcp.Tool{
	Name: "list_schemas",
	Description: "List the schemas (namespaces: a PostgreSQL schema, a MySQL database, a BigQuery dataset, " +
		"a folder of files) of a connection.",
	Annotations: readOnlyAnnotations("List schemas"),
}, func(ctx context.Context, e *env, in connectionInput) (connections.SchemasResult, error) {
	s, err := e.connections()
	if err != nil {
		return connections.SchemasResult{}, err
	}
	return s.Schemas(ctx, in.Connection)
})

type listTablesInput struct {
	Connection string `json:"connection,omitempty" jsonschema:"Connection name from the project's config (see list_connections). Leave out to use the project's default_target."`
	Schema     string `json:"schema,omitempty" jsonschema:"Schema to list (see list_schemas). Leave out for the connection's default schema."`
}

var listTablesTool = newTool(&mcp.Tool{
	Name: "list_tables",
	Description: "List the tables and views of one schema of a connection, sorted by schema and name, with their kind " +
		"(table, view, file) and, for file connections, the file behind each table.",
	Annotations: readOnlyAnnotations("List tables"),
}, func(ctx context.Context, e *env, in listTablesInput) (connections.TablesResult, error) {
	s, err := e.connections()
	if err != nil {
		return connections.TablesResult{}, err
	}
	return s.Tables(ctx, in.Connection, in.Schema)
})

type describeTableInput struct {
	Connection string `json:"connection,omitempty" jsonschema:"Connection name from the project's config (see list_connections). Leave out to use the project's default_target."`
	Table      string `json:"table" jsonschema:"Table to describe, as schema.table or just table (the connection's default schema). Quote a part with double quotes if it contains a dot."`
}

var describeTableTool = newTool(&mcp.Tool{
	Name: "describe_table",
	Description: "Describe one table: its columns in order (name, database type, nullable, default, comment) and the " +
		"primary, unique and foreign keys the engine records. Engines without declared keys (such as CSV files) return none.",
	Annotations: readOnlyAnnotations("Describe a table"),
}, func(ctx context.Context, e *env, in describeTableInput) (connections.DescribeResult, error) {
	s, err := e.connections()
	if err != nil {
		return connections.DescribeResult{}, err
	}
	return s.Describe(ctx, in.Connection, in.Table)
})

type runQueryInput struct {
	Connection     string `json:"connection,omitempty" jsonschema:"Connection name from the project's config (see list_connections). Leave out to use the project's default_target."`
	SQL            string `json:"sql" jsonschema:"One read-only SQL statement in the connection's dialect (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, VALUES, ...)."`
	MaxRows        int    `json:"max_rows,omitempty" jsonschema:"Most rows to return (default 100, at most 10000). When the result has more, truncated is true."`
	TimeoutSeconds int    `json:"timeout_seconds,omitempty" jsonschema:"Cancel the query after this many seconds (default 60)."`
}

// schemaFor infers T's JSON schema and describes some of its top-level
// properties (the service structs carry no jsonschema tags).
func schemaFor[T any](descriptions map[string]string) *jsonschema.Schema {
	s, err := jsonschema.For[T](nil)
	if err != nil {
		panic(err)
	}
	for name, d := range descriptions {
		p, ok := s.Properties[name]
		if !ok {
			panic(fmt.Sprintf("mcpserver: %T has no property %q", *new(T), name))
		}
		p.Description = d
	}
	return s
}

// runQueryInputSchema adds to the inferred schema what tags cannot say:
// defaults and bounds.
func runQueryInputSchema() *jsonschema.Schema {
	s := schemaFor[runQueryInput](nil)
	mr := s.Properties["max_rows"]
	mr.Default = json.RawMessage(fmt.Sprint(DefaultQueryRows))
	mr.Minimum = jsonschema.Ptr(1.0)
	s.Properties["timeout_seconds"].Minimum = jsonschema.Ptr(0.0)
	s.Properties["sql"].MinLength = jsonschema.Ptr(1)
	return s
}

var runQueryTool = newTool(&mcp.Tool{
	Name: "run_query",
	Description: "Run one read-only SQL statement on a connection and return its rows (values as JSON: numbers, strings, " +
		"booleans, null; decimals and timestamps as strings). Statements that could modify data (INSERT, UPDATE, DELETE, " +
		"CREATE, DROP, COPY, ATTACH, several statements, ...) are refused before they reach the database. At most max_rows " +
		"rows are returned (default 100, capped at 10000); truncated tells whether more rows were left out.",
	Annotations: readOnlyAnnotations("Run a read-only SQL query"),
	InputSchema: runQueryInputSchema(),
	OutputSchema: schemaFor[connections.QueryResult](map[string]string{
		"statement": "Always \"read\" for run_query.",
		"columns":   "Result columns in order, with their database types.",
		"rows":      "Result rows; each row holds one value per column, in column order.",
		"row_count": "Number of rows returned (at most max_rows).",
		"truncated": "True when the query produced more than max_rows rows and the rest were left out.",
		"max_rows":  "The row cap applied to this query.",
	}),
}, runQuery)

func runQuery(ctx context.Context, e *env, in runQueryInput) (connections.QueryResult, error) {
	if in.MaxRows < 0 {
		return connections.QueryResult{}, fmt.Errorf("max_rows must be at least 1 (got %d)", in.MaxRows)
	}
	if in.TimeoutSeconds < 0 {
		return connections.QueryResult{}, fmt.Errorf("timeout_seconds must not be negative (got %d)", in.TimeoutSeconds)
	}
	switch {
	case in.MaxRows == 0:
		in.MaxRows = DefaultQueryRows
	case in.MaxRows > MaxQueryRows:
		in.MaxRows = MaxQueryRows
	}
	s, err := e.connections()
	if err != nil {
		return connections.QueryResult{}, err
	}
	res, err := s.Query(ctx, connections.QueryInput{
		Connection:     in.Connection,
		SQL:            in.SQL,
		MaxRows:        in.MaxRows,
		TimeoutSeconds: in.TimeoutSeconds,
		Write:          false, // run_query never writes
	})
	var refused *connector.ErrWriteRefused
	if errors.As(err, &refused) {
		why := refused.Keyword + " may modify data"
		if strings.HasPrefix(refused.Keyword, "a second statement") {
			why = "it holds more than one statement"
		}
		return connections.QueryResult{}, fmt.Errorf("run_query is read-only and refused the SQL: %s (send a single SELECT, WITH, SHOW, DESCRIBE or EXPLAIN statement)", why)
	}
	return res, err
}
