// Package sparkconn is a test-only connector.Connector over a local Apache
// Spark session with Delta Lake, the proof engine of the databricks
// dialect (issue 17). It is not a product engine and is never registered
// outside tests that import it.
//
// Why not the real driver: Spark's Thrift server and databricks-sql-go
// v1.8.0 do not talk (docs/connectors.md, "Databricks" says exactly why), so
// statements go to runner.py, a small long-lived PySpark process from the
// Spark venv (DATABRIDGE_TEST_SPARK_VENV), one JSON request and response
// per line. The connector's dialect is "databricks": pkg/deploy,
// pkg/validate, the pipeline and the rollup run on it unchanged.
//
// Spark has no transactions: Begin returns a transaction whose statements
// apply at once; Commit does nothing, and Rollback after a write says that
// the writes stay (Databricks' own driver refuses Begin altogether, and
// deploy never asks: the dialect's TransactionalDDL is false).
//
// One Spark JVM per test process: Shared starts it on first use; the
// runner exits when its stdin closes, and its JVM with it, so a test
// process that ends in any way leaves no JVM behind.
package sparkconn

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
	"github.com/databridge/databridge/pkg/dialect"
)

// Environment variables: the Spark venv (pyspark, delta-spark, dbt-spark)
// and the folder the Delta jars were fetched into (spark.jars.ivy).
//
// URLEnv names a runner already listening (HOST:PORT on loopback), which
// .ci/run starts once for the whole test run: every test process then
// shares one warm Spark, each connection with its own session.
const (
	VenvEnv = "DATABRIDGE_TEST_SPARK_VENV"
	IvyEnv  = "DATABRIDGE_TEST_SPARK_IVY"
	URLEnv  = "DATABRIDGE_TEST_SPARK_URL"
)

//go:embed runner.py
var runnerPy []byte

// Runner is one PySpark process answering requests.
type Runner struct {
	mu      sync.Mutex
	cmd     *exec.Cmd // nil for a Dial'ed runner
	in      io.WriteCloser
	out     *bufio.Reader
	dir     string
	version string
	broken  error
	exited  chan struct{}
	stderr  *tailBuffer
}

// Start launches the runner from the venv and waits for its Spark
// session (ivy is the folder holding the fetched Delta jars; "" reads
// IvyEnv, else <venv>/../.spark-ivy).
func Start(ctx context.Context, venv, ivy string) (*Runner, error) {
	return StartWith(ctx, venv, Options{Ivy: ivy})
}

// Options are a runner's: where the Delta jars are, and a warehouse of
// the caller's own.
type Options struct {
	// Ivy is the folder holding the fetched Delta jars ("" reads IvyEnv,
	// else <venv>/../.spark-ivy).
	Ivy string
	// Warehouse, when set, is a folder the caller owns: the runner keeps
	// it at exit, so a later session (another runner, or dbt-spark's
	// session method given SessionConf) opens the same tables. Empty: a
	// temporary warehouse removed at exit.
	Warehouse string
	// Hive gives the session a persistent Hive catalog (embedded Derby)
	// in the warehouse, as dbt-spark's session method opens it; one JVM at
	// a time can open it.
	Hive bool
}

func (o Options) args(venv string) []string {
	ivy := o.Ivy
	if ivy == "" {
		ivy = os.Getenv(IvyEnv)
	}
	if ivy == "" {
		ivy = filepath.Join(filepath.Dir(filepath.Clean(venv)), ".spark-ivy")
	}
	a := []string{"--ivy", ivy, "--offline"}
	if o.Hive {
		a = append(a, "--hive")
	}
	if o.Warehouse != "" {
		a = append(a, "--warehouse", o.Warehouse, "--keep")
	}
	return a
}

// writeRunner writes runner.py into a new temporary folder (named with
// prefix), which the caller removes.
func writeRunner(prefix string) (dir, script string, err error) {
	if dir, err = os.MkdirTemp("", prefix); err != nil {
		return "", "", err
	}
	script = filepath.Join(dir, "runner.py")
	if err = os.WriteFile(script, runnerPy, 0o600); err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	return dir, script, nil
}

// SessionConf is the runner's Spark settings for o (the Delta jars,
// extensions and catalog, the warehouse and, with Hive, the metastore):
// what a dbt-spark session profile's server_side_parameters must hold for
// dbt's in-process Spark to be the runner's.
func SessionConf(ctx context.Context, venv string, o Options) (map[string]string, error) {
	if o.Warehouse == "" {
		return nil, errors.New("sparkconn: SessionConf needs a warehouse of the caller's")
	}
	dir, script, err := writeRunner("databridge-spark-conf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out, err := exec.CommandContext(ctx, filepath.Join(venv, "bin", "python"), append([]string{script, "--print-conf"}, o.args(venv)...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("spark runner --print-conf: %w", err)
	}
	conf := map[string]string{}
	if err := json.Unmarshal(out, &conf); err != nil {
		return nil, fmt.Errorf("spark runner --print-conf: %w", err)
	}
	return conf, nil
}

// StartWith launches a runner with options.
func StartWith(ctx context.Context, venv string, o Options) (*Runner, error) {
	py := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(py); err != nil {
		return nil, fmt.Errorf("spark venv %s has no python: %w", venv, err)
	}
	dir, script, err := writeRunner("databridge-spark-")
	if err != nil {
		return nil, err
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	args := append([]string{script, "--fd", "3", "--warehouse", filepath.Join(dir, "spark")}, o.args(venv)...)
	cmd := exec.Command(py, args...)
	cmd.ExtraFiles = []*os.File{pw}
	cmd.Env = append(os.Environ(), "PYSPARK_PYTHON="+py, "SPARK_LOCAL_IP=127.0.0.1", "PYTHONUNBUFFERED=1")
	// When this process ends, however it ends, the runner reads the end of
	// its stdin, stops Spark and removes its warehouse; its JVM exits when
	// the gateway's own stdin closes. Its process group lets Close kill
	// both when it hangs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr := &tailBuffer{max: 16 << 10}
	cmd.Stderr = stderr
	cmd.Stdout = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	pw.Close()
	r := &Runner{cmd: cmd, in: in, out: bufio.NewReaderSize(pr, 1<<20), dir: dir, exited: make(chan struct{}), stderr: stderr}
	go func() { _ = cmd.Wait(); pr.Close(); close(r.exited) }()
	if err := r.hello(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Dial connects to a runner listening at addr (URLEnv); the connection
// has its own Spark session on the shared JVM.
func Dial(ctx context.Context, addr string) (*Runner, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("spark runner at %s: %w", addr, err)
	}
	r := &Runner{in: c, out: bufio.NewReaderSize(c, 1<<20), exited: make(chan struct{}), stderr: &tailBuffer{max: 1}}
	if err := r.hello(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Runner) hello(ctx context.Context) error {
	var hello struct {
		OK      bool   `json:"ok"`
		Version string `json:"version"`
		Error   string `json:"error"`
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	line, err := r.readLine(ctx)
	if err == nil {
		err = json.Unmarshal(line, &hello)
	}
	if err == nil && !hello.OK {
		err = errors.New(hello.Error)
	}
	if err != nil {
		r.Close()
		return fmt.Errorf("start spark: %w\n%s", err, r.stderr.Tail(3000))
	}
	r.version = hello.Version
	return nil
}

// Version is Spark's version.
func (r *Runner) Version() string { return r.version }

// Close ends the runner (closing its stdin; it stops Spark and removes its
// warehouse) and kills its process group if it has not gone in 20 s.
func (r *Runner) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken == nil {
		r.broken = errors.New("spark runner closed")
	}
	r.in.Close()
	if r.cmd == nil {
		return nil
	}
	select {
	case <-r.exited:
	case <-time.After(20 * time.Second):
		_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		<-r.exited
	}
	return os.RemoveAll(r.dir)
}

func (r *Runner) readLine(ctx context.Context) ([]byte, error) {
	type res struct {
		b   []byte
		err error
	}
	ch := make(chan res, 1)
	go func() {
		b, err := r.out.ReadBytes('\n')
		ch <- res{b, err}
	}()
	select {
	case x := <-ch:
		if x.err != nil {
			return nil, fmt.Errorf("spark runner ended: %w", x.err)
		}
		return x.b, nil
	case <-ctx.Done():
		// The runner cannot be interrupted mid-statement: end it (or this
		// connection to it), so the next call fails instead of reading
		// this call's answer.
		if r.cmd != nil {
			_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		} else {
			r.in.Close()
		}
		return nil, ctx.Err()
	}
}

type request struct {
	Op      string `json:"op"`
	SQL     string `json:"sql,omitempty"`
	Args    []any  `json:"args,omitempty"`
	MaxRows *int   `json:"max_rows,omitempty"`
	Schema  string `json:"schema,omitempty"`
	Table   string `json:"table,omitempty"`
}

type response struct {
	OK        bool                     `json:"ok"`
	Error     string                   `json:"error"`
	Columns   []connector.ResultColumn `json:"columns"`
	Rows      [][]any                  `json:"rows"`
	Truncated bool                     `json:"truncated"`
	Affected  *int64                   `json:"affected"`
	Emulated  map[string]int           `json:"emulated"`
}

// Emulated counts, by name, the statements the runner had to change to
// run on open-source Spark ("inline-parameters": ? markers in INSERT ...
// VALUES, which Spark 4.2 leaves unbound, bound as literals;
// "strip-primary-key": informational PRIMARY KEY constraints, which need
// Unity Catalog, removed) since it started.
func (r *Runner) Emulated(ctx context.Context) (map[string]int, error) {
	resp, err := r.call(ctx, request{Op: "ping"})
	if err != nil {
		return nil, err
	}
	return resp.Emulated, nil
}

// call sends one request and reads its response.
func (r *Runner) call(ctx context.Context, req request) (*response, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken != nil {
		return nil, r.broken
	}
	if _, err := r.in.Write(append(b, '\n')); err != nil {
		r.broken = fmt.Errorf("spark runner: %w", err)
		return nil, r.broken
	}
	line, err := r.readLine(ctx)
	if err != nil {
		r.broken = fmt.Errorf("spark runner: %w (it was stopped)", err)
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("query timed out: %w", context.DeadlineExceeded)
		}
		return nil, fmt.Errorf("%w\n%s", err, r.stderr.Tail(2000))
	}
	dec := json.NewDecoder(strings.NewReader(string(line)))
	dec.UseNumber()
	var resp response
	if err := dec.Decode(&resp); err != nil {
		return nil, fmt.Errorf("spark runner answered %q: %w", line, err)
	}
	if !resp.OK {
		return nil, errors.New(resp.Error)
	}
	return &resp, nil
}

// Conn is a connector.Connector on a Runner with the databricks dialect.
type Conn struct {
	name   string
	r      *Runner
	schema string
}

var _ connector.Connector = (*Conn)(nil)

// New returns a connection named name on r whose default schema is schema
// ("" keeps Spark's current one). Closing it leaves r running.
func New(r *Runner, name, schema string) *Conn { return &Conn{name: name, r: r, schema: schema} }

// Runner is the process the connection talks to.
func (c *Conn) Runner() *Runner { return c.r }

// Name implements connector.Connector.
func (c *Conn) Name() string { return c.name }

// Dialect implements connector.Connector: databricks.
func (c *Conn) Dialect() string { return dialect.Databricks }

// Ping implements connector.Connector.
func (c *Conn) Ping(ctx context.Context) error {
	_, err := c.r.call(ctx, request{Op: "ping"})
	return err
}

// Close implements connector.Connector; the runner stays for other tests.
func (c *Conn) Close() error { return nil }

// args turns bind values into the runner's JSON: exact decimals as
// {"decimal": text}, bytes as {"bytes": base64}, times as ISO text.
func args(in []any) ([]any, error) {
	out := make([]any, len(in))
	for i, a := range in {
		switch x := a.(type) {
		case nil, string, bool, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64:
			out[i] = x
		case decimal.Decimal:
			out[i] = map[string]string{"decimal": x.String()}
		case *decimal.Decimal:
			if x == nil {
				out[i] = nil
			} else {
				out[i] = map[string]string{"decimal": x.String()}
			}
		case []byte:
			out[i] = map[string]string{"bytes": base64.StdEncoding.EncodeToString(x)}
		case time.Time:
			out[i] = x.UTC().Format("2006-01-02 15:04:05.999999")
		case fmt.Stringer:
			out[i] = x.String()
		default:
			return nil, fmt.Errorf("spark: cannot bind a %T", a)
		}
	}
	return out, nil
}

// minTimeout is the least a query is given (see Query).
const minTimeout = 10 * time.Minute

// Query implements connector.Connector: at most opts.MaxRows rows (all
// when negative), values normalised as the database/sql engines do it.
func (c *Conn) Query(ctx context.Context, q string, opts connector.QueryOptions, a ...any) (*connector.Result, error) {
	opts = opts.Normalized()
	// The runner cannot cancel a statement, so a timeout ends the
	// connection and every later test of the process with it; Spark on a
	// busy test machine can take a minute over a small query. Wait at
	// least minTimeout.
	timeout := max(opts.Timeout, minTimeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	bound, err := args(a)
	if err != nil {
		return nil, err
	}
	mr := opts.MaxRows
	resp, err := c.r.call(ctx, request{Op: "query", SQL: q, Args: bound, MaxRows: &mr, Schema: c.schema})
	if err != nil {
		return nil, err
	}
	res := &connector.Result{Columns: resp.Columns, Rows: make([][]any, 0, len(resp.Rows)), MaxRows: opts.MaxRows, Truncated: resp.Truncated}
	for _, row := range resp.Rows {
		for i := range row {
			row[i] = convert(row[i], res.Columns[i].Type)
		}
		res.Rows = append(res.Rows, row)
	}
	res.RowCount = len(res.Rows)
	res.ElapsedMS = time.Since(start).Milliseconds()
	return res, nil
}

// convert gives a JSON value from the runner the Go type database/sql
// engines give for the Spark type: int64 for integers, float64 for
// DOUBLE/FLOAT, exact text for DECIMAL, time for TIMESTAMP.
func convert(v any, typ string) any {
	base, _, _ := strings.Cut(strings.ToUpper(typ), "(")
	switch x := v.(type) {
	case nil:
		return nil
	case json.Number:
		switch base {
		case "TINYINT", "SMALLINT", "INT", "BIGINT":
			if n, err := x.Int64(); err == nil {
				return n
			}
		case "DOUBLE", "FLOAT":
			if f, err := x.Float64(); err == nil {
				return f
			}
		case "DECIMAL":
			return sqldb.NormalizeAs(x.String(), sqldb.DecimalColumn(typ, nil))
		}
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case string:
		switch base {
		case "DECIMAL":
			return sqldb.NormalizeAs(x, sqldb.DecimalColumn(typ, nil))
		case "TIMESTAMP", "TIMESTAMP_NTZ":
			for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.999999999Z07:00"} {
				if t, err := time.ParseInLocation(layout, x, time.UTC); err == nil {
					return sqldb.Normalize(t)
				}
			}
		}
		return x
	case []any:
		for i := range x {
			x[i] = convert(x[i], "")
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = convert(x[k], "")
		}
		return x
	}
	return v
}

// Exec implements connector.Connector. RowsAffected is Delta's
// num_affected_rows for DML, -1 otherwise.
func (c *Conn) Exec(ctx context.Context, q string, a ...any) (connector.ExecResult, error) {
	start := time.Now()
	bound, err := args(a)
	if err != nil {
		return connector.ExecResult{}, err
	}
	resp, err := c.r.call(ctx, request{Op: "exec", SQL: q, Args: bound, Schema: c.schema})
	if err != nil {
		return connector.ExecResult{}, err
	}
	n := int64(-1)
	if resp.Affected != nil {
		n = *resp.Affected
	}
	return connector.ExecResult{RowsAffected: n, ElapsedMS: time.Since(start).Milliseconds()}, nil
}

// Begin implements connector.Connector with a transaction that is not one:
// Spark has no multi-statement transactions.
func (c *Conn) Begin(ctx context.Context) (connector.Tx, error) { return &tx{c: c}, nil }

type tx struct {
	c      *Conn
	writes int
}

func (t *tx) Query(ctx context.Context, q string, opts connector.QueryOptions, a ...any) (*connector.Result, error) {
	return t.c.Query(ctx, q, opts, a...)
}

func (t *tx) Exec(ctx context.Context, q string, a ...any) (connector.ExecResult, error) {
	t.writes++
	return t.c.Exec(ctx, q, a...)
}

func (t *tx) Commit() error { return nil }

// Rollback cannot undo anything: after a statement it says so.
func (t *tx) Rollback() error {
	if t.writes > 0 {
		return fmt.Errorf("spark has no transactions: the %d statement(s) run in this transaction stay applied", t.writes)
	}
	return nil
}

func (c *Conn) schemaOr(s string) string {
	if s == "" {
		return c.schema
	}
	return s
}

// Schemas implements connector.Connector (Spark's databases).
func (c *Conn) Schemas(ctx context.Context) ([]catalog.Schema, error) {
	resp, err := c.r.call(ctx, request{Op: "schemas"})
	if err != nil {
		return nil, err
	}
	var out []catalog.Schema
	for _, r := range resp.Rows {
		out = append(out, catalog.Schema{Name: fmt.Sprint(r[0])})
	}
	return out, nil
}

// Tables implements connector.Connector: tables and views of a schema
// (the connection's default when ""), temporary views left out.
func (c *Conn) Tables(ctx context.Context, schema string) ([]catalog.Table, error) {
	resp, err := c.r.call(ctx, request{Op: "tables", Schema: c.schemaOr(schema)})
	if err != nil {
		return nil, err
	}
	var out []catalog.Table
	for _, r := range resp.Rows {
		out = append(out, catalog.Table{Schema: fmt.Sprint(r[0]), Name: fmt.Sprint(r[1]), Kind: fmt.Sprint(r[2]), Comment: fmt.Sprint(r[3])})
	}
	return out, nil
}

// Describe implements connector.Connector: columns in order. Open-source
// Spark records no primary or foreign keys (Unity Catalog does).
func (c *Conn) Describe(ctx context.Context, schema, table string) (*catalog.TableDetail, error) {
	schema = c.schemaOr(schema)
	resp, err := c.r.call(ctx, request{Op: "describe", Schema: schema, Table: table})
	if err != nil {
		return nil, err
	}
	d := &catalog.TableDetail{Table: catalog.Table{Schema: schema, Name: table, Kind: catalog.KindTable}}
	if len(resp.Columns) == 1 {
		d.Name, d.Kind = resp.Columns[0].Name, resp.Columns[0].Type
	}
	for i, r := range resp.Rows {
		nullable, _ := r[2].(bool)
		d.Columns = append(d.Columns, catalog.Column{Name: fmt.Sprint(r[0]), Type: fmt.Sprint(r[1]), Nullable: nullable, Position: i + 1, Comment: fmt.Sprint(r[3])})
	}
	return d, nil
}

// tailBuffer keeps the last max bytes written (the runner's log).
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 2*b.max {
		b.buf = append([]byte(nil), b.buf[len(b.buf)-b.max:]...)
	}
	return len(p), nil
}

// Tail is the last n bytes of the runner's log.
func (b *tailBuffer) Tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf) > n {
		return "..." + string(b.buf[len(b.buf)-n:])
	}
	return string(b.buf)
}
