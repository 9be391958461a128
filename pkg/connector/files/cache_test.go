package files

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
)

// cacheProject is a project folder with data/ and .databridge/state/cache.
type cacheProject struct {
	root, data, cache string
}

func newCacheProject(t *testing.T) cacheProject {
	t.Helper()
	root := t.TempDir()
	p := cacheProject{root: root, data: filepath.Join(root, "data"), cache: filepath.Join(root, ".databridge", "state", "cache")}
	if err := os.MkdirAll(p.data, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// write writes a data file and dates it an hour back, so the cache
// trusts its size and mtime at once.
func (p cacheProject) write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(p.data, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	p.age(t, name, time.Hour)
	return path
}

func (p cacheProject) age(t *testing.T, name string, d time.Duration) {
	t.Helper()
	old := time.Now().Add(-d)
	if err := os.Chtimes(filepath.Join(p.data, name), old, old); err != nil {
		t.Fatal(err)
	}
}

func (p cacheProject) open(t *testing.T, sandbox bool) connector.Connector {
	t.Helper()
	cfg := connector.Config{Path: p.data, CacheDir: p.cache}
	if sandbox {
		cfg.Sandbox = &connector.Sandbox{Dirs: []string{p.root}, Deny: []string{filepath.Join(p.root, ".databridge")}}
	}
	return openFiles(t, cfg)
}

// entries lists the cache entries on disk with their modification times.
func (p cacheProject) entries(t *testing.T) map[string]time.Time {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(p.cache, cacheSubdir))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".duckdb") {
			info, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name()] = info.ModTime()
		}
		if strings.HasPrefix(e.Name(), "tmp-") {
			t.Errorf("a temporary file is left behind: %s", e.Name())
		}
	}
	return out
}

func (p cacheProject) index(t *testing.T) map[string]record {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(p.cache, cacheSubdir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx cacheIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	out := map[string]record{}
	for _, r := range idx.Records {
		out[filepath.Base(r.Path)] = r
	}
	return out
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCacheLifecycle(t *testing.T) {
	ctx := context.Background()
	p := newCacheProject(t)
	gl := p.write(t, "gl.csv", "account,amount\n4000,-100.50\n6000,40.25\n6000,10\n")
	p.write(t, "accounts.csv", "account,name\n4000,Revenue\n6000,Rent\n")
	p.write(t, "fx.ndjson", `{"ccy":"EUR","rate":1.0825}`+"\n")

	// First open: each file is parsed once, into an entry of its own.
	builds := cacheBuilds.Load()
	c := p.open(t, false)
	if n := cacheBuilds.Load() - builds; n != 3 {
		t.Fatalf("first open built %d entries, want 3", n)
	}
	first := p.entries(t)
	if len(first) != 3 {
		t.Fatalf("entries %v", keys(first))
	}
	// Names, kinds, locations and types are as without a cache.
	tables, err := c.Tables(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Table{
		{Schema: "main", Name: "accounts", Kind: catalog.KindFile, Location: filepath.Join(p.data, "accounts.csv")},
		{Schema: "main", Name: "fx", Kind: catalog.KindFile, Location: filepath.Join(p.data, "fx.ndjson")},
		{Schema: "main", Name: "gl", Kind: catalog.KindFile, Location: gl},
	}
	if !reflect.DeepEqual(tables, want) {
		t.Fatalf("tables %+v", tables)
	}
	d, err := c.Describe(ctx, "", "gl")
	if err != nil {
		t.Fatal(err)
	}
	if ct := columnTypes(d); ct["amount"] != "DECIMAL(18,2)" || ct["account"] != "BIGINT" || d.Kind != catalog.KindFile {
		t.Errorf("gl: %+v %v", d.Table, ct)
	}
	if rows := query(t, c, "SELECT sum(amount), count(*) FROM gl JOIN accounts USING (account)"); !reflect.DeepEqual(rows, [][]any{{"-50.25", int64(3)}}) {
		t.Errorf("rows %v", rows)
	}
	noCache := openFiles(t, connector.Config{Path: p.data})
	d2, err := noCache.Describe(ctx, "", "gl")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Columns, d2.Columns) {
		t.Errorf("cached columns %+v, read from the file %+v", d.Columns, d2.Columns)
	}
	idx := p.index(t)
	if r := idx["gl.csv"]; !reflect.DeepEqual(r.Decimals, map[string]string{"amount": "DECIMAL(18,2)"}) {
		t.Errorf("index record %+v", r)
	}
	indexFile := filepath.Join(p.cache, cacheSubdir, "index.json")
	indexBefore, _ := os.ReadFile(indexFile)

	// Second open: nothing is parsed, nothing is rewritten.
	builds = cacheBuilds.Load()
	c = p.open(t, false)
	if n := cacheBuilds.Load() - builds; n != 0 {
		t.Errorf("second open built %d entries", n)
	}
	if again := p.entries(t); !reflect.DeepEqual(again, first) {
		t.Errorf("entries changed: %v -> %v", first, again)
	}
	if b, _ := os.ReadFile(indexFile); string(b) != string(indexBefore) {
		t.Errorf("index rewritten by an open that changed nothing")
	}
	query(t, c, "SELECT count(*) FROM gl")

	// An edited file is read again; its old entry goes.
	p.write(t, "gl.csv", "account,amount\n4000,-100.505\n6000,1e3\n")
	builds = cacheBuilds.Load()
	c = p.open(t, false)
	if n := cacheBuilds.Load() - builds; n != 1 {
		t.Errorf("open after an edit built %d entries, want 1", n)
	}
	if rows := query(t, c, "SELECT sum(amount)::VARCHAR, count(*) FROM gl"); !reflect.DeepEqual(rows, [][]any{{"899.495", int64(2)}}) {
		t.Errorf("rows after the edit %v", rows)
	}
	d, err = c.Describe(ctx, "", "gl")
	if err != nil {
		t.Fatal(err)
	}
	if ct := columnTypes(d); ct["amount"] != "DOUBLE" {
		t.Errorf("amount with an exponent: %v", ct)
	}
	edited := p.entries(t)
	if len(edited) != 3 {
		t.Errorf("entries after the edit %v", keys(edited))
	}
	if r := p.index(t)["gl.csv"]; r.Entry == idx["gl.csv"].Entry || first[r.Entry] != (time.Time{}) || len(r.Decimals) != 0 {
		t.Errorf("gl's record after the edit %+v (before %+v)", r, idx["gl.csv"])
	}

	// A touched file (new mtime, same bytes) is hashed, not parsed: the
	// entry stays, the record takes the new mtime.
	p.age(t, "accounts.csv", 10*time.Minute)
	before := p.index(t)["accounts.csv"]
	builds = cacheBuilds.Load()
	c = p.open(t, false)
	if n := cacheBuilds.Load() - builds; n != 0 {
		t.Errorf("open after a touch built %d entries", n)
	}
	after := p.index(t)["accounts.csv"]
	if after.Entry != before.Entry || after.ModNS == before.ModNS || after.SHA256 != before.SHA256 {
		t.Errorf("accounts record: before %+v, after %+v", before, after)
	}
	if !reflect.DeepEqual(p.entries(t), edited) {
		t.Errorf("entries changed by a touch")
	}
	query(t, c, "SELECT count(*) FROM accounts")

	// A removed file: its view is gone, its record and entry too.
	if err := os.Remove(filepath.Join(p.data, "fx.ndjson")); err != nil {
		t.Fatal(err)
	}
	c = p.open(t, false)
	if _, err := c.Describe(ctx, "", "fx"); !errors.Is(err, connector.ErrTableNotFound) {
		t.Errorf("fx after removal: %v", err)
	}
	if _, ok := p.index(t)["fx.ndjson"]; ok {
		t.Errorf("fx's record kept")
	}
	if left := p.entries(t); len(left) != 2 {
		t.Errorf("entries after the removal %v", keys(left))
	}
}

// The same bytes under another name share one entry; a file written
// moments ago is hashed again on the next open, not trusted on its mtime.
func TestCacheSharedAndRacy(t *testing.T) {
	p := newCacheProject(t)
	p.write(t, "a.csv", "x,y\n1,2.5\n")
	p.write(t, "b.csv", "x,y\n1,2.5\n")
	builds := cacheBuilds.Load()
	c := p.open(t, false)
	if n := cacheBuilds.Load() - builds; n != 1 {
		t.Errorf("two files with the same bytes built %d entries", n)
	}
	if rows := query(t, c, "SELECT a.y + b.y FROM a, b"); !reflect.DeepEqual(rows, [][]any{{"5.0"}}) {
		t.Errorf("rows %v", rows)
	}
	// Same size, fresh mtime, new bytes: read again.
	if err := os.WriteFile(filepath.Join(p.data, "a.csv"), []byte("x,y\n1,3.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c = p.open(t, false)
	if rows := query(t, c, "SELECT y FROM a"); !reflect.DeepEqual(rows, [][]any{{"3.5"}}) {
		t.Errorf("rows %v", rows)
	}
	if r := p.index(t)["a.csv"]; r.current(mustStat(t, filepath.Join(p.data, "a.csv"))) {
		t.Errorf("a file written just now is trusted on its mtime: %+v", r)
	}
}

func mustStat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Malformed files are not cached: their errors surface as without a
// cache, and nothing is left behind.
func TestCacheMalformedCSV(t *testing.T) {
	p := newCacheProject(t)
	b, err := os.ReadFile("testdata/bad/extra_columns.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad := p.write(t, "extra_columns.csv", string(b))
	_, err = connector.Open(context.Background(), "src", connector.Config{Type: Type, Path: p.data, CacheDir: p.cache})
	var ce *CSVError
	if !errors.As(err, &ce) || ce.File != bad || ce.Line != 3 {
		t.Fatalf("err = %v, want a *CSVError on line 3 of %s", err, bad)
	}
	if n := len(p.entries(t)); n != 0 {
		t.Errorf("%d entries for a malformed file", n)
	}
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}

	var sb strings.Builder
	sb.WriteString("id,amount\n")
	for i := 1; i <= 30000; i++ {
		sb.WriteString("1,2.25\n")
	}
	sb.WriteString("30001,12.50,surprise\n")
	late := p.write(t, "late.csv", sb.String())
	c := p.open(t, false)
	_, err = c.Query(context.Background(), "SELECT sum(amount) FROM late", connector.QueryOptions{})
	if !errors.As(err, &ce) || ce.File != late || ce.Line != 30002 {
		t.Fatalf("err = %v, want a *CSVError on line 30002", err)
	}
	if n := len(p.entries(t)); n != 0 {
		t.Errorf("%d entries for a malformed file", n)
	}
}

// Without a cache folder nothing is written anywhere.
func TestNoCacheWritesNothing(t *testing.T) {
	p := newCacheProject(t)
	p.write(t, "gl.csv", "a,b\n1,2.5\n")
	c := openFiles(t, connector.Config{Path: p.data})
	query(t, c, "SELECT * FROM gl")
	var files []string
	_ = filepath.WalkDir(p.root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	if len(files) != 1 {
		t.Errorf("files under the project: %v", files)
	}
}

// The sandbox holds with a cache: user SQL reads the data through the
// views, with the cache's types, but no cache entry, the cache folder or
// anything else under .databridge is reachable by path, and the session
// writes nothing to the cache.
func TestCacheSandbox(t *testing.T) {
	ctx := context.Background()
	p := newCacheProject(t)
	p.write(t, "gl.csv", "account,amount\n4000,0.1\n6000,0.2\n")
	p.write(t, "rates.json", `[{"ccy":"EUR","rate":1.08}]`)
	// A trusted open builds the cache.
	trusted := p.open(t, false)
	if rows := query(t, trusted, "SELECT count(*) FROM duckdb_databases() WHERE path LIKE '%.duckdb'"); !reflect.DeepEqual(rows, [][]any{{int64(2)}}) {
		t.Fatalf("trusted session: attached entries %v", rows)
	}
	ents := keys(p.entries(t))
	if len(ents) != 2 {
		t.Fatalf("entries %v", ents)
	}
	entry := filepath.Join(p.cache, cacheSubdir, ents[0])
	state := func() string {
		var lines []string
		_ = filepath.WalkDir(p.cache, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				info, _ := d.Info()
				lines = append(lines, path+" "+info.ModTime().String())
			}
			return nil
		})
		return strings.Join(lines, "\n")
	}
	before := state()

	// A sandboxed write session: the strongest the engine is asked to hold.
	c := p.open(t, true)
	if rows := query(t, c, "SELECT sum(amount), typeof(sum(amount)) FROM gl"); !reflect.DeepEqual(rows, [][]any{{"0.3", "DECIMAL(38,1)"}}) {
		t.Errorf("sandboxed sum %v", rows)
	}
	if rows := query(t, c, "SELECT ccy FROM rates"); !reflect.DeepEqual(rows, [][]any{{"EUR"}}) {
		t.Errorf("sandboxed json %v", rows)
	}
	if rows := query(t, c, "SELECT count(*) FROM duckdb_databases() WHERE NOT internal AND path IS NOT NULL"); !reflect.DeepEqual(rows, [][]any{{int64(0)}}) {
		t.Errorf("sandboxed session has databases attached: %v", rows)
	}
	lit := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	for _, q := range []string{
		"SELECT * FROM read_csv(" + lit(entry) + ")",
		"SELECT * FROM read_parquet(" + lit(entry) + ")",
		"SELECT * FROM read_blob(" + lit(entry) + ")",
		"SELECT * FROM read_text(" + lit(filepath.Join(p.cache, cacheSubdir, "index.json")) + ")",
		"SELECT * FROM glob(" + lit(filepath.Join(p.cache, cacheSubdir, "*")) + ")",
		"ATTACH " + lit(entry) + " AS stolen (READ_ONLY)",
		"COPY (SELECT 1) TO " + lit(entry+".wal"),
		"COPY (SELECT 1) TO " + lit(filepath.Join(p.cache, "x.csv")),
	} {
		_, err := c.Exec(ctx, q)
		if err == nil {
			t.Errorf("%s: ran in the sandbox", q)
			continue
		}
		if !strings.Contains(err.Error(), "disabled by configuration") && !strings.Contains(err.Error(), "Permission Error") {
			t.Errorf("%s: failed, but not for the sandbox: %v", q, err)
		}
	}
	// The data files themselves stay readable.
	query(t, c, "SELECT count(*) FROM read_csv("+lit(filepath.Join(p.data, "gl.csv"))+")")
	if after := state(); after != before {
		t.Errorf("a sandboxed session changed the cache:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// A sandboxed session on a project without a cache yet writes none.
	p2 := newCacheProject(t)
	p2.write(t, "gl.csv", "account,amount\n4000,0.1\n")
	c2 := p2.open(t, true)
	if rows := query(t, c2, "SELECT typeof(amount) FROM gl"); !reflect.DeepEqual(rows, [][]any{{"DECIMAL(18,1)"}}) {
		t.Errorf("types %v", rows)
	}
	if _, err := os.Stat(p2.cache); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a sandboxed session created the cache folder: %v", err)
	}
}

// A damaged entry is dropped and the file read directly; the next open
// builds the entry again.
func TestCacheDamagedEntry(t *testing.T) {
	p := newCacheProject(t)
	p.write(t, "gl.csv", "account,amount\n4000,1.25\n")
	p.open(t, false)
	ents := keys(p.entries(t))
	if len(ents) != 1 {
		t.Fatalf("entries %v", ents)
	}
	if err := os.WriteFile(filepath.Join(p.cache, cacheSubdir, ents[0]), []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := p.open(t, false)
	if rows := query(t, c, "SELECT amount FROM gl"); !reflect.DeepEqual(rows, [][]any{{"1.25"}}) {
		t.Errorf("rows %v", rows)
	}
	if n := len(p.entries(t)); n != 0 {
		t.Errorf("the damaged entry is kept")
	}
	builds := cacheBuilds.Load()
	c = p.open(t, false)
	if n := cacheBuilds.Load() - builds; n != 1 {
		t.Errorf("the next open built %d entries, want 1", n)
	}
	if rows := query(t, c, "SELECT amount FROM gl"); !reflect.DeepEqual(rows, [][]any{{"1.25"}}) {
		t.Errorf("rows %v", rows)
	}
}

// Opens running at once (here goroutines; processes take the same lock)
// build each entry once, and none sees half of one.
func TestCacheConcurrentOpens(t *testing.T) {
	p := newCacheProject(t)
	var b strings.Builder
	b.WriteString("id,amount\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("1,2.50\n")
	}
	p.write(t, "a.csv", b.String())
	p.write(t, "b.csv", "x\n1\n")
	builds := cacheBuilds.Load()
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			c, err := connector.Open(context.Background(), "src", connector.Config{Type: Type, Path: p.data, CacheDir: p.cache})
			if err == nil {
				var res *connector.Result
				res, err = c.Query(context.Background(), "SELECT sum(amount)::VARCHAR FROM a", connector.QueryOptions{})
				if err == nil && res.Rows[0][0] != "50000.00" {
					err = errors.New("sum " + res.Rows[0][0].(string))
				}
				c.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := cacheBuilds.Load() - builds; n != 2 {
		t.Errorf("%d builds for 2 files", n)
	}
}
