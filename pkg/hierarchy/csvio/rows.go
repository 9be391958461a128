package csvio

import (
	"fmt"
	"sort"
)

// RejectedRow is a CSV row that was not imported.
type RejectedRow struct {
	// Line is the 1-based line of the file where the row starts.
	Line   int      `json:"line"`
	Reason string   `json:"reason"`
	Record []string `json:"record,omitempty"`
}

// Rejects collects rejected rows, one reason per line: the first wins.
type Rejects struct {
	rows   []RejectedRow
	byLine map[int]int // line -> index in rows
}

// Add rejects the row at line, unless it was rejected already.
func (c *Rejects) Add(line int, rec []string, format string, args ...any) {
	if c.byLine == nil {
		c.byLine = map[int]int{}
	}
	if _, dup := c.byLine[line]; dup {
		return
	}
	c.byLine[line] = len(c.rows)
	c.rows = append(c.rows, RejectedRow{Line: line, Reason: fmt.Sprintf(format, args...), Record: rec})
}

// Has says whether the row at line was rejected.
func (c *Rejects) Has(line int) bool { _, ok := c.byLine[line]; return ok }

// Sorted returns the rejected rows by line (nil for none).
func (c *Rejects) Sorted() []RejectedRow {
	out := append([]RejectedRow(nil), c.rows...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// CheckRow rejects a row that is not valid CSV, whose field count does not
// match the header or that puts values in unnamed columns, and says
// whether the row is fit to read.
func CheckRow(row Row, c *Cols, rej *Rejects) bool {
	if row.Bad != "" {
		rej.Add(row.Line, nil, "%s", row.Bad)
		return false
	}
	if len(row.Rec) != c.width {
		rej.Add(row.Line, row.Rec, "the row has %d fields but the header has %d (a stray separator? quote values that contain one)", len(row.Rec), c.width)
		return false
	}
	for _, i := range c.unnamed {
		if row.Rec[i] != "" {
			rej.Add(row.Line, row.Rec, "value %q in column %d, which has no header", row.Rec[i], i+1)
			return false
		}
	}
	return true
}
