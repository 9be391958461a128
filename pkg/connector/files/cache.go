package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofrs/flock"

	"github.com/databridge/databridge/pkg/connector/duckdb"
)

// The parse cache. With a cache folder (connector.Config.CacheDir, the
// project's .databridge/state/cache), each CSV or JSON file is parsed once
// per version into a DuckDB database file of its own,
// <cache>/files/<entry>.duckdb, holding table data (the file's rows, read
// with the same read_csv call and types a view would use) and table
// decimals (the DECIMAL overrides that call used). Databridge's own
// (trusted) sessions build the entries and read them instead of the files.
// Sessions that run user SQL (sandboxed) never write to the cache and never
// open an entry (see addSource): they read the files, taking only the
// DECIMAL types from the index, so both kinds of session see the same
// columns.
//
// A version is the file's content: an entry is named by the SHA-256 of
// the file's bytes and of the read settings (format, options, the DuckDB
// version, the cache layout). index.json remembers, per file and
// settings, the size, modification time and hash last seen: when size and
// mtime are unchanged the entry is trusted without reading the file; when
// they changed the file is hashed, and an entry for the same content is
// reused (only the recorded mtime moves). A file modified within
// racyWindow of being hashed is hashed again next time, so an edit that
// keeps size and mtime (coarse clocks) is not missed.
//
// Concurrency: everything that touches the folder (index, builds,
// garbage collection) runs under an advisory lock (<cache>/files/.lock),
// so two processes never build the same entry or see half of one. An entry
// is built under a tmp- name, checkpointed, closed and renamed into place.
// At the end of every open, index records of files that no longer exist
// are dropped, and entries no record names (old versions, removed files)
// and stale tmp- files are deleted.
//
// Parquet files are not cached: DuckDB reads them about as fast as its own
// format (measured on a 3.96M-row, 30-column file: a full scan 0.87 s
// from Parquet, 0.79-0.96 s from a cache entry; count(*) instant from both).

const (
	cacheSubdir = "files"
	// cacheLayout is part of every entry's settings: bump it when what an
	// entry holds or how types are chosen changes, and old entries are
	// rebuilt (and collected).
	cacheLayout = "3"
	// racyWindow: a file whose mtime is this close to the time it was
	// hashed is hashed again on the next open.
	racyWindow    = 2 * time.Second
	cacheLockWait = 50 * time.Millisecond
)

// cacheBuilds counts entries built in this process (tests read it).
var cacheBuilds atomic.Int64

// record is what index.json remembers about one file read with one set of
// settings.
type record struct {
	Path     string `json:"path"`
	Settings string `json:"settings"`
	Size     int64  `json:"size"`
	ModNS    int64  `json:"mtime_ns"`
	SHA256   string `json:"sha256"`
	Entry    string `json:"entry"`
	// Checked is when the file was last hashed (ns since the epoch).
	Checked int64 `json:"checked_ns"`
	// Decimals are the entry's DECIMAL overrides (column -> type).
	Decimals map[string]string `json:"decimals,omitempty"`
}

// current reports whether r still describes the file st without reading
// it: same size and mtime, and the mtime was not within racyWindow of
// the hash.
func (r *record) current(st os.FileInfo) bool {
	return r.Size == st.Size() && r.ModNS == st.ModTime().UnixNano() && time.Duration(r.Checked-r.ModNS) > racyWindow
}

type cacheIndex struct {
	Version int      `json:"version"`
	Records []record `json:"records"`
}

// fileCache is the cache folder of one open: a trusted open holds its
// lock and may build; a sandboxed one only reads the index.
type fileCache struct {
	dir     string
	db      *sql.DB
	lock    *flock.Flock // nil: read the index only, write nothing
	engine  string       // DuckDB's library version
	records map[string]*record
	dirty   bool

	mu       sync.Mutex               // records and dirty while prepare runs
	prepared map[string]preparedEntry // by recordKey: what prepare found
	building sync.Map                 // entry name -> *sync.Mutex
}

// preparedEntry is an entry prepare looked up or built (or the error).
type preparedEntry struct {
	name string
	err  error
}

// prepareWorkers is how many entries prepare builds at once. DuckDB reads
// a large file with all its threads, but a small file (a dimension of a
// few thousand rows) with one, and each build has fixed costs (attach,
// sniff, checkpoint, detach): building a few at once keeps the cores busy.
func prepareWorkers() int { return min(max(runtime.NumCPU(), 2), 4) }

// prepare looks up or builds the entries of every cached source at once,
// before the views are created one by one; entry then returns what it
// found. Only a trusted session prepares (it alone builds).
func (c *fileCache) prepare(ctx context.Context, sources []Source, o csvOptions) {
	type job struct {
		key string
		s   Source
	}
	jobs := make(chan job)
	results := map[string]preparedEntry{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < prepareWorkers(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				name, err := c.entry(ctx, j.s, o)
				mu.Lock()
				results[j.key] = preparedEntry{name, err}
				mu.Unlock()
			}
		}()
	}
	// Largest file first: a big fact started last would run alone at the
	// end while the small files have long finished; started first, the
	// small ones fill the other workers around it.
	var queue []job
	size := map[string]int64{}
	for _, s := range sources {
		if s.Format == FormatParquet {
			continue
		}
		if st, err := os.Stat(s.Path); err == nil {
			size[s.Path] = st.Size()
		}
		queue = append(queue, job{recordKey(s.Path, c.settings(s, o)), s})
	}
	sort.SliceStable(queue, func(i, j int) bool { return size[queue[i].s.Path] > size[queue[j].s.Path] })
	for _, j := range queue {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	c.prepared = results
}

func recordKey(path, settings string) string { return path + "\x00" + settings }

// openCache opens the cache folder and reads its index. db is the
// connector's DuckDB database, still trusted (no sandbox yet): entries are
// built and attached through it. With write (a trusted session) the
// folder is created and its lock taken; without, nothing is written and
// a missing folder is no cache (nil).
func openCache(ctx context.Context, db *sql.DB, cacheDir string, write bool) (*fileCache, error) {
	dir := filepath.Join(cacheDir, cacheSubdir)
	c := &fileCache{dir: dir, db: db, records: map[string]*record{}}
	if write {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		fl := flock.New(filepath.Join(dir, ".lock"))
		ok, err := fl.TryLockContext(ctx, cacheLockWait)
		if err != nil || !ok {
			if err == nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("lock the file cache %s: %w", dir, err)
		}
		c.lock = fl
	} else if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, nil
	}
	if err := db.QueryRowContext(ctx, "SELECT library_version FROM pragma_version()").Scan(&c.engine); err != nil {
		c.unlock()
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(dir, "index.json")); err == nil {
		var idx cacheIndex
		// An unreadable index is started afresh: entries are found again
		// by content hash.
		if json.Unmarshal(b, &idx) == nil {
			for i := range idx.Records {
				r := idx.Records[i]
				c.records[recordKey(r.Path, r.Settings)] = &r
			}
		}
	}
	return c, nil
}

// settings names how s is read: everything besides the file's bytes that
// decides what the entry holds.
func (c *fileCache) settings(s Source, o csvOptions) string {
	parts := []string{"layout=" + cacheLayout, "duckdb=" + c.engine, "format=" + s.Format}
	if s.Format == FormatCSV {
		parts = append(parts, "tsv="+strconv.FormatBool(s.TSV), "delim="+strconv.Quote(o.delimiter), "dateformat="+strconv.Quote(o.dateFormat))
		if o.header != nil {
			parts = append(parts, "header="+strconv.FormatBool(*o.header))
		}
	}
	return strings.Join(parts, ";")
}

func (c *fileCache) path(entry string) string { return filepath.Join(c.dir, entry) }

func (c *fileCache) unlock() {
	if c.lock != nil {
		_ = c.lock.Unlock()
	}
}

// decimals returns the DECIMAL overrides the index holds for s when its
// record is current and its entry is in place (ok false otherwise). It
// reads; it never hashes or builds.
func (c *fileCache) decimals(s Source, o csvOptions) (map[string]string, bool) {
	r := c.records[recordKey(s.Path, c.settings(s, o))]
	if r == nil {
		return nil, false
	}
	st, err := os.Stat(s.Path)
	if err != nil || !r.current(st) || !exists(c.path(r.Entry)) {
		return nil, false
	}
	return r.Decimals, true
}

// drop forgets s's record and deletes entry (one DuckDB could not open).
func (c *fileCache) drop(s Source, o csvOptions, entry string) {
	delete(c.records, recordKey(s.Path, c.settings(s, o)))
	c.dirty = true
	_ = os.Remove(c.path(entry))
}

// setDecimals records the DECIMAL overrides read from s's entry.
func (c *fileCache) setDecimals(s Source, o csvOptions, types map[string]string) {
	r := c.records[recordKey(s.Path, c.settings(s, o))]
	if r != nil && !sameTypes(r.Decimals, types) {
		r.Decimals = types
		c.dirty = true
	}
}

func sameTypes(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// entry returns the cache entry for s (a file name in the cache folder),
// building it when no entry holds the file's current content.
func (c *fileCache) entry(ctx context.Context, s Source, o csvOptions) (string, error) {
	settings := c.settings(s, o)
	key := recordKey(s.Path, settings)
	if p, ok := c.prepared[key]; ok {
		delete(c.prepared, key)
		return p.name, p.err
	}
	checked := time.Now()
	st, err := os.Stat(s.Path)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	r := c.records[key]
	c.mu.Unlock()
	if r != nil && r.current(st) && exists(c.path(r.Entry)) {
		return r.Entry, nil
	}
	sum, quoted, err := hashFile(s.Path)
	if err != nil {
		return "", err
	}
	// A compressed file's bytes say nothing of its text's quotes.
	quoted = quoted || compressed(s.Path)
	h := sha256.Sum256([]byte(sum + "\x00" + settings))
	name := hex.EncodeToString(h[:16]) + ".duckdb"
	// Two files with the same bytes share an entry: one builds it.
	m, _ := c.building.LoadOrStore(name, &sync.Mutex{})
	m.(*sync.Mutex).Lock()
	if !exists(c.path(name)) {
		err = c.build(ctx, s, o, name, quoted)
	}
	m.(*sync.Mutex).Unlock()
	if err != nil {
		return "", err
	}
	nr := &record{Path: s.Path, Settings: settings, Size: st.Size(), ModNS: st.ModTime().UnixNano(),
		SHA256: sum, Entry: name, Checked: checked.UnixNano()}
	if r != nil && r.Entry == name {
		nr.Decimals = r.Decimals
		if r.Size == nr.Size && r.ModNS == nr.ModNS && !nr.current(st) {
			// Hashed again only because the file changed moments before:
			// nothing worth writing down (the next open hashes it again).
			return name, nil
		}
	}
	c.mu.Lock()
	c.records[key] = nr
	c.dirty = true
	c.mu.Unlock()
	return name, nil
}

// build parses s into a new entry: under a tmp- name, checkpointed and
// closed, then renamed into place. quoted is false when the file holds no
// quote character at all (see sniffCSV).
func (c *fileCache) build(ctx context.Context, s Source, o csvOptions, name string, quoted bool) (err error) {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := c.path(fmt.Sprintf("tmp-%d-%s.duckdb", os.Getpid(), hex.EncodeToString(rnd[:])))
	// Builds run in parallel (prepare): each attaches under a name of its
	// own.
	buildAlias := "__databridge_build_" + hex.EncodeToString(rnd[:])
	attached := false
	defer func() {
		if attached {
			_, _ = c.db.ExecContext(context.WithoutCancel(ctx), "DETACH "+duckdb.QuoteIdent(buildAlias))
		}
		if err != nil {
			_ = os.Remove(tmp)
			_ = os.Remove(tmp + ".wal")
		}
	}()
	// A CSV file is parsed once: the columns the sniffer typed DOUBLE are
	// read as text into the entry, scanned there for money (see
	// scanDecimals) and converted in place, to DECIMAL(p,s) or back to
	// DOUBLE — the values read_csv gives with the same types, which is
	// what a view over the file reads.
	var doubles, texts []string
	read := func(types map[string]string) string { return readSQL(s, o, types) }
	if s.Format == FormatCSV {
		var cols []column
		if sn, err := sniffCSV(ctx, c.db, s, o, quoted); err == nil {
			cols, read = sn.columns, func(types map[string]string) string { return sn.readSQL(s, types) }
		} else if cols, err = readColumns(ctx, c.db, readSQL(s, o, nil)); err != nil {
			// sniff_csv failed where binding read_csv_auto works: read as
			// before (the second sniff is the price).
			return err
		}
		if len(cols) == 1 && needsDelimiterCheck(s, o) {
			if ce := checkOneColumn(s, cols[0].Name); ce != nil {
				return ce
			}
		}
		doubles, texts = doubleColumns(cols), varcharColumns(cols)
	}
	b := duckdb.QuoteIdent(buildAlias)
	if _, err := c.db.ExecContext(ctx, "ATTACH "+duckdb.QuoteLiteral(tmp)+" AS "+b); err != nil {
		return err
	}
	attached = true
	data := b + ".main.data"
	if _, err := c.db.ExecContext(ctx, "CREATE TABLE "+data+" AS SELECT * FROM "+read(asText(doubles))); err != nil {
		return err
	}
	var types map[string]string
	if len(doubles) > 0 {
		if types, err = scanDecimals(ctx, c.db, data, doubles); err != nil {
			return err
		}
	}
	var stmts []string
	for _, n := range doubles {
		t := "DOUBLE"
		if dt, ok := types[n]; ok {
			t = dt
		}
		stmts = append(stmts, "ALTER TABLE "+data+" ALTER COLUMN "+duckdb.QuoteIdent(n)+" SET DATA TYPE "+t)
	}
	// Text columns of formatted amounts become their decimals.
	money, err := scanMoney(ctx, c.db, data, texts)
	if err != nil {
		return err
	}
	for n, t := range money {
		if types == nil {
			types = map[string]string{}
		}
		types[n] = t
		st, f := splitType(t)
		conv, err := moneyExpr(n, f, st)
		if err != nil {
			return err
		}
		stmts = append(stmts, "ALTER TABLE "+data+" ALTER COLUMN "+duckdb.QuoteIdent(n)+" SET DATA TYPE "+st+" USING "+conv)
	}
	stmts = append(stmts, "CREATE TABLE "+b+".main.decimals (column_name VARCHAR, column_type VARCHAR)")
	names := make([]string, 0, len(types))
	for n := range types {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		stmts = append(stmts, "INSERT INTO "+b+".main.decimals VALUES ("+duckdb.QuoteLiteral(n)+", "+duckdb.QuoteLiteral(types[n])+")")
	}
	stmts = append(stmts, "CHECKPOINT "+b, "DETACH "+b)
	for _, q := range stmts {
		if _, err := c.db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	attached = false
	_ = os.Remove(tmp + ".wal")
	if err := os.Rename(tmp, c.path(name)); err != nil {
		return err
	}
	cacheBuilds.Add(1)
	return nil
}

// entryTypes reads the DECIMAL overrides an attached entry was built with.
func entryTypes(ctx context.Context, db *sql.DB, alias string) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT column_name, column_type FROM "+duckdb.QuoteIdent(alias)+".main.decimals")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out map[string]string
	for rows.Next() {
		var n, t string
		if err := rows.Scan(&n, &t); err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string]string{}
		}
		out[n] = t
	}
	return out, rows.Err()
}

// close collects garbage, saves the index and releases the lock. Records
// of files that no longer exist are dropped; entries no record names, and
// tmp- files (no build runs without the lock), are deleted. An entry
// another process still has open is deleted too where the system allows
// it (its open handle keeps working); elsewhere the next open retries.
func (c *fileCache) close() error {
	if c.lock == nil {
		return nil
	}
	defer c.unlock()
	live := map[string]bool{}
	for k, r := range c.records {
		if _, err := os.Stat(r.Path); errors.Is(err, fs.ErrNotExist) {
			delete(c.records, k)
			c.dirty = true
			continue
		}
		live[r.Entry] = true
	}
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		n := e.Name()
		base := strings.TrimSuffix(n, ".wal")
		switch {
		case e.IsDir():
		case strings.HasPrefix(n, "tmp-"):
			_ = os.Remove(c.path(n))
		case strings.HasSuffix(base, ".duckdb") && !live[base]:
			_ = os.Remove(c.path(n))
		}
	}
	if !c.dirty {
		return nil
	}
	idx := cacheIndex{Version: 1, Records: make([]record, 0, len(c.records))}
	for _, r := range c.records {
		idx.Records = append(idx.Records, *r)
	}
	sort.Slice(idx.Records, func(i, j int) bool {
		a, b := idx.Records[i], idx.Records[j]
		return a.Path < b.Path || a.Path == b.Path && a.Settings < b.Settings
	})
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(c.dir, "index.json"), data)
}

// hashFile returns the hex SHA-256 of a file's bytes, and whether any of
// them is a quote character (" or ') — read in the same pass.
func hashFile(path string) (sum string, quoted bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	h := sha256.New()
	q := &quoteScan{}
	if _, err := io.CopyBuffer(io.MultiWriter(h, q), f, make([]byte, 1<<20)); err != nil {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), q.found, nil
}

// compressed: the file is read through a decompressor (.gz, .zst).
func compressed(path string) bool { return compressedExt(strings.ToLower(path)) != "" }

// quoteScan notes whether the bytes written to it hold a " or a '.
type quoteScan struct{ found bool }

func (q *quoteScan) Write(p []byte) (int, error) {
	if !q.found && (bytes.IndexByte(p, '"') >= 0 || bytes.IndexByte(p, '\'') >= 0) {
		q.found = true
	}
	return len(p), nil
}

func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// writeAtomic replaces path with data: a tmp- file in the same folder,
// synced, then renamed over it.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "tmp-index-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}
