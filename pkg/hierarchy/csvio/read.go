package csvio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Row is one data row of a file.
type Row struct {
	// Line is the 1-based line of the file where the row starts.
	Line int
	// Rec holds the cells, trimmed of surrounding spaces.
	Rec []string
	// Bad says why the row is not valid CSV ("" for a good row).
	Bad string
}

// Input is a file read into its header and data rows. Blank rows are
// dropped.
type Input struct {
	Header     []string
	HeaderLine int
	Rows       []Row
}

// SniffComma picks ',', ';' or tab: the most frequent outside quotes on
// the first line (',' on a tie).
func SniffComma(data []byte) rune {
	counts := map[byte]int{}
	inQ := false
	for _, b := range data {
		if b == '"' {
			inQ = !inQ
			continue
		}
		if inQ {
			continue
		}
		if b == '\n' {
			break
		}
		counts[b]++
	}
	best, n := ',', counts[',']
	if counts[';'] > n {
		best, n = ';', counts[';']
	}
	if counts['\t'] > n {
		best = '\t'
	}
	return best
}

// Read reads a whole file: a UTF-8 byte order mark is dropped, comma 0
// sniffs the separator, and a row that is not valid CSV becomes a Row with
// Bad set (the header must be valid). file names the input in errors.
func Read(r io.Reader, comma rune, file string) (*Input, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if comma == 0 {
		comma = SniffComma(data)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	in := &Input{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			if in.Header == nil {
				return nil, fmt.Errorf("%s: line %d: the header is not valid CSV: %v (line %d, column %d)", file, pe.StartLine, pe.Err, pe.Line, pe.Column)
			}
			in.Rows = append(in.Rows, Row{Line: pe.StartLine, Bad: fmt.Sprintf("not valid CSV: %v (line %d, column %d); quote a field that contains a quote, the separator or a line break, and double the quotes inside it", pe.Err, pe.Line, pe.Column)})
			continue
		}
		line, _ := cr.FieldPos(0)
		if trimBlank(rec) {
			continue
		}
		if in.Header == nil {
			in.Header, in.HeaderLine = rec, line
			continue
		}
		in.Rows = append(in.Rows, Row{Line: line, Rec: rec})
	}
	if in.Header == nil {
		return nil, fmt.Errorf("%s: the file is empty: expected a header row (%s)", file, Expected)
	}
	return in, nil
}

// trimBlank trims every cell of rec in place and says whether all are
// empty.
func trimBlank(rec []string) bool {
	blank := true
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
		if rec[i] != "" {
			blank = false
		}
	}
	return blank
}
