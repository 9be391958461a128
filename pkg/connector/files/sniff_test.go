package files

import (
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

// A cache entry is read with the sniffed settings and detection off: it
// must hold exactly what a view over the file reads (read_csv_auto), for
// every dialect the sniffer detects and every option a user can give.
func TestCacheEntryReadsAsTheFile(t *testing.T) {
	files := map[string]string{
		"quoted.csv":    "id,name,amount\n1,\"Smith, John\",10.50\n2,\"say \"\"hi\"\"\",-0.25\n3,,7\n",
		"semicolon.csv": "id;label;when\n1;a;2024-01-31 10:00:00\n2;b;2024-02-29 23:59:59.5\n",
		"crlf.csv":      "code,qty,rate\r\nA-1,3,0.125\r\nA-2,,1e3\r\n",
		"tabbed.tsv":    "k\tv\tflag\n1\tx y\ttrue\n2\t\tfalse\n",
		"bom.csv":       "\ufeffaccount,debit\n4000,100.00\n5000,-3.10\n",
		"escaped.csv":   "id,text\n1,\"back\\\\slash\"\n2,\"plain\"\n",
		"numbers.csv":   "id,big,small\n1,12345678901234567.25,0.001\n2,-1,0\n",
		"dates.csv":     "id,day\n1,31/01/2024\n2,29/02/2024\n",
		"header.csv":    "id,name,amount\n",
		"single.csv":    "amount\n1.5\n-2.25\n",
		"nulls.csv":     "id,note,amount\n1,NULL,\n2,,3.5\n3,x,NULL\n",
		// No quote character: the sniffer is told there is none.
		"pipes.csv":      "id|label|day|amount\n1|a b|2024-01-31|1.25\n2|c|2024-02-29|-3\n",
		"semi_plain.csv": "id;label;amount\n1;x, y;1,5\n2;z;2\n",
		"apostrophe.csv": "id,name\n1,O'Brien\n2,Smith\n",
		"comment.csv":    "# exported\nid,day\n1,2024-01-01\n2,2024-01-02\n",
	}
	// A quote far past the sniffer's sample is still seen (such a file
	// then gets the full sniff).
	var late strings.Builder
	late.WriteString("id,name,amount\n")
	for i := 0; i < 30000; i++ {
		fmt.Fprintf(&late, "%d,n%d,%d.5\n", i, i, i)
	}
	late.WriteString("30000,\"x, y\",1.5\n")
	latePath := filepath.Join(t.TempDir(), "late_quote.csv")
	if err := os.WriteFile(latePath, []byte(late.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, quoted, err := hashFile(latePath); err != nil || !quoted {
		t.Fatalf("late quote: quoted %v, %v", quoted, err)
	}
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gz, err := os.Create(filepath.Join(dir, "zipped.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(gz)
	fmt.Fprint(zw, "a,b\n1,2.5\n3,4.75\n")
	zw.Close()
	gz.Close()

	// The sniffer's report is usable for every file (else the build falls
	// back to read_csv_auto and this test would prove nothing).
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	unquoted := 0
	for name := range files {
		s := Source{Path: filepath.Join(dir, name), Format: FormatCSV, TSV: filepath.Ext(name) == ".tsv"}
		full, err := sniffCSV(context.Background(), db, s, csvOptions{}, true)
		if err != nil {
			t.Errorf("sniff %s: %v", name, err)
			continue
		}
		_, quoted, err := hashFile(s.Path)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.ContainsAny(files[name], "\"'"); quoted != want {
			t.Errorf("%s: quoted %v, want %v", name, quoted, want)
		}
		if quoted {
			continue
		}
		// Told there is no quote, the sniffer finds what it finds
		// unaided.
		unquoted++
		told, err := sniffCSV(context.Background(), db, s, csvOptions{}, false)
		if err != nil {
			t.Errorf("sniff %s, no quotes: %v", name, err)
		} else if !reflect.DeepEqual(full, told) {
			t.Errorf("%s: sniffed unaided %+v, told there is no quote %+v", name, full, told)
		}
	}
	if unquoted < 8 {
		t.Fatalf("only %d files without quotes", unquoted)
	}

	for _, opts := range []map[string]string{nil, {"header": "false"}, {"dateformat": "%d/%m/%Y"}} {
		before := cacheBuilds.Load()
		cached := openFiles(t, connector.Config{Path: dir, ReadOnly: true, CacheDir: filepath.Join(t.TempDir(), "cache"), Options: opts})
		if built := cacheBuilds.Load() - before; built != int64(len(files)+1) {
			t.Fatalf("options %v: %d entries built, want %d", opts, built, len(files)+1)
		}
		direct := openFiles(t, connector.Config{Path: dir, ReadOnly: true, Options: opts})
		ts, err := direct.Tables(context.Background(), "main")
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) != len(files)+1 {
			t.Fatalf("%d views", len(ts))
		}
		for _, tb := range ts {
			dd, err := direct.Describe(context.Background(), "", tb.Name)
			if err != nil {
				t.Fatal(err)
			}
			dc, err := cached.Describe(context.Background(), "", tb.Name)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := columnTypes(dd), columnTypes(dc); !reflect.DeepEqual(a, b) {
				t.Errorf("options %v, %s: types from the file %v, from the cache %v", opts, tb.Name, a, b)
			}
			q := "SELECT * FROM " + tb.Name + " ORDER BY ALL"
			if a, b := query(t, direct, q), query(t, cached, q); !reflect.DeepEqual(a, b) {
				t.Errorf("options %v, %s: rows from the file %v, from the cache %v", opts, tb.Name, a, b)
			}
		}
	}
}

// A compressed file's bytes say nothing of the quotes in its text: it
// always gets the full sniff.
func TestCompressedIsQuoted(t *testing.T) {
	for path, want := range map[string]bool{"a.csv.gz": true, "B.CSV.GZ": true, "c.tsv.zst": true, "d.csv": false, "gz.csv": false} {
		if compressed(path) != want {
			t.Errorf("%s: compressed %v", path, !want)
		}
	}
}
