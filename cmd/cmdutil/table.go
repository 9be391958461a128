package cmdutil

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Table prints rows as aligned columns. On a terminal the header is bold;
// otherwise it is plain text, tab-free and stable for scripts and tests.
type Table struct {
	io     *IOStreams
	header []string
	rows   [][]string
}

// NewTable starts a table with a header.
func NewTable(io *IOStreams, header ...string) *Table {
	return &Table{io: io, header: header}
}

// Row adds a row; values are formatted with Cell.
func (t *Table) Row(vals ...any) {
	r := make([]string, len(vals))
	for i, v := range vals {
		r[i] = Cell(v)
	}
	t.rows = append(t.rows, r)
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// Cell renders a value for a table cell.
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return strings.NewReplacer("\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(x)
	}
	return Plain(v)
}

// Plain renders a value as plain text: floats without exponents, NULL as "".
func Plain(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	}
	return fmt.Sprint(v)
}

// Render writes the table.
func (t *Table) Render(w io.Writer) {
	widths := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			if i < len(widths) && utf8.RuneCountInString(c) > widths[i] {
				widths[i] = utf8.RuneCountInString(c)
			}
		}
	}
	line := func(cells []string, style func(string) string) {
		var b strings.Builder
		for i, c := range cells {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := ""
			if i < len(cells)-1 {
				pad = strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			}
			b.WriteString(style(c) + pad)
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(t.header, t.io.Bold)
	for _, r := range t.rows {
		line(r, func(s string) string { return s })
	}
}

// WriteCSV writes a header and rows as RFC 4180 CSV (NULL as empty).
func WriteCSV(w io.Writer, header []string, rows [][]any) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, v := range r {
			rec[i] = Plain(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
