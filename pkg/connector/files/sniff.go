package files

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/connector/duckdb"
)

// A cache entry is built from one parse of its file, and the CSV sniffer
// runs once for it: sniff_csv reports what read_csv_auto would detect
// (dialect, header, column names and types, date formats), and the entry
// is read with exactly those settings and auto-detection off. Before,
// binding read_csv_auto sniffed once to learn the columns and again when
// the entry was created; on a 527 MB file each sniff took 0.4 s, and on
// 100 files a third of the cache build was sniffing.

// csvSniff is what DuckDB's CSV sniffer found in a file.
type csvSniff struct {
	delim, quote, escape, newLine, comment string
	skip                                   int64
	header                                 bool
	dateFormat, timestampFormat            string
	columns                                []column
}

// sniffCSV runs DuckDB's sniffer over s with the user's options. quoted
// false says the file holds no quote character (" or '): then no quote
// or escape candidate can change how any line splits, the sniffer
// settles on none (what it reports for such a file anyway), and it is
// told so — trying every quote and escape for each delimiter was most
// of its time (about 45 ms of 50 on a 2,000-row dimension with a date
// column; 7 ms told).
func sniffCSV(ctx context.Context, db *sql.DB, s Source, o csvOptions, quoted bool) (*csvSniff, error) {
	args := csvArgs(s, o)
	if !quoted {
		args = append(args, "quote = ''", "escape = ''")
	}
	q := "SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, HasHeader, Columns, DateFormat, TimestampFormat FROM sniff_csv(" +
		strings.Join(args, ", ") + ")"
	var (
		sn         csvSniff
		cols       any
		df, tf, cm sql.NullString
	)
	if err := db.QueryRowContext(ctx, q).Scan(&sn.delim, &sn.quote, &sn.escape, &sn.newLine, &cm, &sn.skip, &sn.header, &cols, &df, &tf); err != nil {
		return nil, err
	}
	sn.comment, sn.dateFormat, sn.timestampFormat = cm.String, df.String, tf.String
	// sniff_csv shows an empty setting as "(empty)" (its Prompt column
	// writes '').
	for _, f := range []*string{&sn.delim, &sn.quote, &sn.escape, &sn.newLine, &sn.comment, &sn.dateFormat, &sn.timestampFormat} {
		if *f == "(empty)" {
			*f = ""
		}
	}
	list, ok := cols.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("sniff_csv: unexpected columns %T", cols)
	}
	for _, it := range list {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("sniff_csv: unexpected column %T", it)
		}
		name, _ := m["name"].(string)
		typ, _ := m["type"].(string)
		if name == "" || typ == "" {
			return nil, fmt.Errorf("sniff_csv: column without name or type: %v", m)
		}
		sn.columns = append(sn.columns, column{Name: name, Type: typ})
	}
	return &sn, nil
}

// readSQL is the read_csv call that reads s with the sniffed settings and
// no detection; types (column name -> DuckDB type) override the sniffed
// column types.
func (sn *csvSniff) readSQL(s Source, types map[string]string) string {
	args := []string{duckdb.QuoteLiteral(s.Path), "auto_detect = false",
		"delim = " + duckdb.QuoteLiteral(sn.delim),
		"quote = " + duckdb.QuoteLiteral(sn.quote),
		"escape = " + duckdb.QuoteLiteral(sn.escape),
		"new_line = " + duckdb.QuoteLiteral(sn.newLine),
		"comment = " + duckdb.QuoteLiteral(sn.comment),
		"skip = " + strconv.FormatInt(sn.skip, 10),
		"header = " + strconv.FormatBool(sn.header)}
	types = readTypes(types)
	cols := make([]string, len(sn.columns))
	for i, c := range sn.columns {
		t := c.Type
		if ov, ok := types[c.Name]; ok {
			t = ov
		}
		cols[i] = duckdb.QuoteLiteral(c.Name) + ": " + duckdb.QuoteLiteral(t)
	}
	args = append(args, "columns = {"+strings.Join(cols, ", ")+"}")
	if sn.dateFormat != "" {
		args = append(args, "dateformat = "+duckdb.QuoteLiteral(sn.dateFormat))
	}
	if sn.timestampFormat != "" {
		args = append(args, "timestampformat = "+duckdb.QuoteLiteral(sn.timestampFormat))
	}
	return "read_csv(" + strings.Join(args, ", ") + ")"
}
