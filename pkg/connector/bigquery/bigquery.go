// Package bigquery is the Google BigQuery engine. BigQuery has no
// database/sql driver worth the name, so this package implements
// connector.Connector directly over cloud.google.com/go/bigquery.
// Importing it registers the engine type "bigquery" (dialect "bigquery").
//
// Config: project (billing and default project), dataset (the default
// schema), location (e.g. EU, us-east1) and credentials_file (a service
// account or authorized-user JSON file); without credentials_file the
// client uses Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
// gcloud auth application-default login, or the metadata server).
//
// Schemas are datasets. Queries bind positional ? parameters as BigQuery
// query parameters (pass a bigquery.QueryParameter to bind a named @param).
// Transactions: BigQuery runs multi-statement transactions only inside one
// script (BEGIN TRANSACTION; ...; COMMIT TRANSACTION;), not across API
// calls, so Begin returns ErrTransactionsUnsupported; send such a script to
// Exec instead.
package bigquery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// Engine identity.
const (
	Type    = "bigquery"
	Dialect = "bigquery"
)

// ErrTransactionsUnsupported is returned by Begin.
var ErrTransactionsUnsupported = errors.New("bigquery: transactions across statements are not supported; BigQuery runs a transaction only inside one multi-statement script (BEGIN TRANSACTION; ...; COMMIT TRANSACTION;), so pass the whole script to Exec")

func init() {
	connector.Register(connector.Engine{
		Type:        Type,
		Dialect:     Dialect,
		Description: "Google BigQuery (service account file or application default credentials)",
		Fields:      []string{"project", "dataset", "location", "credentials_file"},
		Open:        open,
		Check:       check,
	})
}

func check(cfg connector.Config) error {
	if cfg.Project == "" {
		return errors.New("bigquery needs project (the Google Cloud project id that runs and bills the queries)")
	}
	return nil
}

// ClientOptions returns the client options for a config: credentials from
// credentials_file when set (its "type" decides service account, authorized
// user or external account), else none (application default
// credentials). The file is read and checked here so a wrong path fails at
// open with a clear message rather than at the first query.
func ClientOptions(cfg connector.Config) ([]option.ClientOption, error) {
	opts := []option.ClientOption{option.WithUserAgent("databridge")}
	if cfg.CredentialsFile == "" {
		return opts, nil
	}
	data, err := os.ReadFile(cfg.CredentialsFile)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("credentials_file %s does not exist (download a service account key, or remove credentials_file to use application default credentials)", cfg.CredentialsFile)
		}
		return nil, fmt.Errorf("credentials_file: %w", err)
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("credentials_file %s is not a JSON credentials file: %v", cfg.CredentialsFile, err)
	}
	var ct option.CredentialsType
	switch head.Type {
	case "service_account":
		ct = option.ServiceAccount
	case "authorized_user":
		ct = option.AuthorizedUser
	case "external_account":
		ct = option.ExternalAccount
	case "impersonated_service_account":
		ct = option.ImpersonatedServiceAccount
	default:
		return nil, fmt.Errorf("credentials_file %s has type %q (expected service_account, authorized_user, external_account or impersonated_service_account)", cfg.CredentialsFile, head.Type)
	}
	return append(opts, option.WithAuthCredentialsFile(ct, cfg.CredentialsFile)), nil
}

// Conn is a BigQuery connection.
type Conn struct {
	name     string
	project  string
	dataset  string
	location string
	client   *bigquery.Client
	// readOnly: every statement is dry-run first and must be a SELECT.
	readOnly bool
}

var _ connector.Connector = (*Conn)(nil)

// checkRead dry-runs sql (free, nothing runs) and refuses it unless
// BigQuery itself calls it a SELECT: the engine's own parser decides, after
// the lexical guard.
func (c *Conn) checkRead(ctx context.Context, sql string, args []any) error {
	q := c.query(sql, args)
	q.DryRun = true
	job, err := q.Run(ctx)
	if err != nil {
		return err
	}
	st := job.LastStatus()
	var typ string
	if st != nil && st.Statistics != nil {
		if qs, ok := st.Statistics.Details.(*bigquery.QueryStatistics); ok {
			typ = qs.StatementType
		}
	}
	return StatementTypeAllowed(typ)
}

// StatementTypeAllowed says whether a dry run's statementType may run in a
// read-only session: only SELECT (an empty type — BigQuery did not say —
// is refused too).
func StatementTypeAllowed(typ string) error {
	if strings.EqualFold(typ, "SELECT") {
		return nil
	}
	if typ == "" {
		typ = "a statement of unknown type"
	}
	return &connector.ErrWriteRefused{Keyword: typ + " (BigQuery)"}
}

func open(ctx context.Context, name string, cfg connector.Config) (connector.Connector, error) {
	if err := check(cfg); err != nil {
		return nil, err
	}
	opts, err := ClientOptions(cfg)
	if err != nil {
		return nil, err
	}
	client, err := bigquery.NewClient(ctx, cfg.Project, opts...)
	if err != nil {
		return nil, fmt.Errorf("bigquery client: %w", err)
	}
	if cfg.Location != "" {
		client.Location = cfg.Location
	}
	return &Conn{name: name, project: cfg.Project, dataset: cfg.Dataset, location: cfg.Location, client: client, readOnly: cfg.ReadOnly}, nil
}

// Name implements connector.Connector.
func (c *Conn) Name() string { return c.name }

// Dialect implements connector.Connector.
func (c *Conn) Dialect() string { return Dialect }

// Close implements connector.Connector.
func (c *Conn) Close() error { return c.client.Close() }

// Begin implements connector.Connector; see ErrTransactionsUnsupported.
func (c *Conn) Begin(context.Context) (connector.Tx, error) { return nil, ErrTransactionsUnsupported }

// Ping dry-runs SELECT 1: it authenticates and checks the project without
// running (or billing) a query.
func (c *Conn) Ping(ctx context.Context) error {
	q := c.query("SELECT 1", nil)
	q.DryRun = true
	_, err := q.Run(ctx)
	return err
}

// Params turns positional arguments into BigQuery query parameters; a
// bigquery.QueryParameter argument is used as is (named @param).
func Params(args []any) []bigquery.QueryParameter {
	if len(args) == 0 {
		return nil
	}
	out := make([]bigquery.QueryParameter, 0, len(args))
	for _, a := range args {
		switch p := a.(type) {
		case bigquery.QueryParameter:
			out = append(out, p)
		case *bigquery.QueryParameter:
			out = append(out, *p)
		default:
			out = append(out, bigquery.QueryParameter{Value: a})
		}
	}
	return out
}

func (c *Conn) query(sql string, args []any) *bigquery.Query {
	q := c.client.Query(sql)
	q.Parameters = Params(args)
	q.DefaultProjectID = c.project
	q.DefaultDatasetID = c.dataset
	q.Location = c.location
	return q
}

// Query runs sql with a row cap (it reads at most MaxRows+1 rows to learn
// whether there were more) and a timeout.
func (c *Conn) Query(ctx context.Context, sql string, opts connector.QueryOptions, args ...any) (*connector.Result, error) {
	opts = opts.Normalized()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	start := time.Now()
	if c.readOnly {
		if err := c.checkRead(ctx, sql, args); err != nil {
			return nil, timeoutErr(ctx, err, opts.Timeout)
		}
	}
	it, err := c.query(sql, args).Read(ctx)
	if err != nil {
		return nil, timeoutErr(ctx, err, opts.Timeout)
	}
	if opts.MaxRows >= 0 && opts.MaxRows < 10000 {
		it.PageInfo().MaxSize = opts.MaxRows + 1
	}
	res, err := collect(it, opts.MaxRows)
	if err != nil {
		return nil, timeoutErr(ctx, err, opts.Timeout)
	}
	res.ElapsedMS = time.Since(start).Milliseconds()
	return res, nil
}

// rowIterator is the part of *bigquery.RowIterator collect uses.
type rowIterator interface {
	Next(dst any) error
}

func collect(it rowIterator, maxRows int) (*connector.Result, error) {
	res := &connector.Result{Rows: [][]any{}, MaxRows: maxRows}
	var schema bigquery.Schema
	for {
		var row []bigquery.Value
		err := it.Next(&row)
		if schema == nil {
			if ri, ok := it.(*bigquery.RowIterator); ok {
				schema = ri.Schema
			}
		}
		if err == iterator.Done {
			break
		}
		if err != nil {
			return nil, err
		}
		if maxRows >= 0 && len(res.Rows) == maxRows {
			res.Truncated = true
			break
		}
		vals := make([]any, len(row))
		for i, v := range row {
			var f *bigquery.FieldSchema
			if i < len(schema) {
				f = schema[i]
			}
			vals[i] = normalize(v, f)
		}
		res.Rows = append(res.Rows, vals)
	}
	for _, f := range schema {
		res.Columns = append(res.Columns, connector.ResultColumn{Name: f.Name, Type: fieldType(f)})
	}
	res.RowCount = len(res.Rows)
	return res, nil
}

// normalize makes a BigQuery value JSON-friendly. NUMERIC and BIGNUMERIC
// values (*big.Rat) become exact decimal text: with the column's declared
// scale when it has one (NUMERIC(18,2) → "10.00"), else with the fewest
// decimals that hold the value ("10", "37667383.83"), never a float.
// Elements of a REPEATED field and fields of a RECORD are read with their
// own schema.
func normalize(v bigquery.Value, f *bigquery.FieldSchema) any {
	if vs, ok := v.([]bigquery.Value); ok {
		out := make([]any, len(vs))
		for i, e := range vs {
			var ef *bigquery.FieldSchema
			switch {
			case f != nil && f.Repeated:
				elem := *f
				elem.Repeated = false
				ef = &elem
			case f != nil && f.Type == bigquery.RecordFieldType && i < len(f.Schema):
				ef = f.Schema[i]
			}
			out[i] = normalize(e, ef)
		}
		return out
	}
	return sqldb.NormalizeAs(v, decimalColumn(f))
}

// decimalColumn is how sqldb reads a field's values: NUMERIC and
// BIGNUMERIC are exact, with the scale of a parameterised type
// (NUMERIC(P, S)); an unparameterised one (a SUM's result) says none.
func decimalColumn(f *bigquery.FieldSchema) sqldb.Column {
	if f == nil || (f.Type != bigquery.NumericFieldType && f.Type != bigquery.BigNumericFieldType) {
		return sqldb.Column{Scale: -1}
	}
	c := sqldb.Column{Decimal: true, Scale: -1}
	if f.Precision > 0 || f.Scale > 0 {
		c.Scale = int(f.Scale)
	}
	return c
}

// Exec runs a statement (DML, DDL or a script) as a query job and waits for
// it; RowsAffected is the DML row count (-1 when BigQuery reports none).
func (c *Conn) Exec(ctx context.Context, sql string, args ...any) (connector.ExecResult, error) {
	start := time.Now()
	if c.readOnly {
		if err := c.checkRead(ctx, sql, args); err != nil {
			return connector.ExecResult{}, err
		}
	}
	job, err := c.query(sql, args).Run(ctx)
	if err != nil {
		return connector.ExecResult{}, err
	}
	status, err := job.Wait(ctx)
	if err != nil {
		return connector.ExecResult{}, err
	}
	if err := status.Err(); err != nil {
		return connector.ExecResult{}, err
	}
	n := int64(-1)
	if status.Statistics != nil {
		if qs, ok := status.Statistics.Details.(*bigquery.QueryStatistics); ok {
			switch qs.StatementType {
			case "INSERT", "UPDATE", "DELETE", "MERGE":
				n = qs.NumDMLAffectedRows
			}
		}
	}
	return connector.ExecResult{RowsAffected: n, ElapsedMS: time.Since(start).Milliseconds()}, nil
}

func timeoutErr(ctx context.Context, err error, d time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("query timed out after %s: %w", d, context.DeadlineExceeded)
	}
	return err
}

// Schemas lists the datasets of the project.
func (c *Conn) Schemas(ctx context.Context) ([]catalog.Schema, error) {
	it := c.client.DatasetsInProject(ctx, c.project)
	var out []catalog.Schema
	for {
		d, err := it.Next()
		if err == iterator.Done {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, catalog.Schema{Name: d.DatasetID})
	}
}

func (c *Conn) datasetOrDefault(ds string) (string, error) {
	if ds != "" {
		return ds, nil
	}
	if c.dataset == "" {
		return "", errors.New("no dataset given and the connection has no default dataset: set dataset in the connection")
	}
	return c.dataset, nil
}

// QuoteIdent quotes a BigQuery identifier with backticks, escaping
// backslashes and backticks.
func QuoteIdent(name string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`")
	return "`" + r.Replace(name) + "`"
}

// TablesSQL is the INFORMATION_SCHEMA query Tables runs for one dataset
// (the tables.list API does not say which entries are views).
func TablesSQL(project, dataset string) string {
	return "SELECT table_name, table_type FROM " + QuoteIdent(project) + "." + QuoteIdent(dataset) +
		".INFORMATION_SCHEMA.TABLES ORDER BY table_name"
}

// KindOf maps a BigQuery table type (API TableType or INFORMATION_SCHEMA
// table_type) to a catalog kind.
func KindOf(tableType string) string {
	if strings.Contains(strings.ToUpper(strings.ReplaceAll(tableType, "_", " ")), "VIEW") {
		return catalog.KindView
	}
	return catalog.KindTable
}

// Tables lists the tables and views of a dataset (the default one when
// empty).
func (c *Conn) Tables(ctx context.Context, schema string) ([]catalog.Table, error) {
	ds, err := c.datasetOrDefault(schema)
	if err != nil {
		return nil, err
	}
	res, err := c.Query(ctx, TablesSQL(c.project, ds), connector.QueryOptions{MaxRows: -1})
	if err != nil {
		return nil, err
	}
	out := make([]catalog.Table, 0, len(res.Rows))
	for _, r := range res.Rows {
		name, _ := r[0].(string)
		typ, _ := r[1].(string)
		out = append(out, catalog.Table{Schema: ds, Name: name, Kind: KindOf(typ)})
	}
	return out, nil
}

// Describe reads the table's metadata (no query job).
func (c *Conn) Describe(ctx context.Context, schema, table string) (*catalog.TableDetail, error) {
	ds, err := c.datasetOrDefault(schema)
	if err != nil {
		return nil, err
	}
	md, err := c.client.DatasetInProject(c.project, ds).Table(table).Metadata(ctx)
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("%w: %s.%s", connector.ErrTableNotFound, ds, table)
		}
		return nil, err
	}
	return Detail(ds, table, md), nil
}
