package hierarchy

// CSV import, pass 2: validate rows. Each data row of a nodes file becomes a
// csvSpec (what the file says about a node), or is rejected with its line.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy/csvio"
)

// ---------------------------------------------------------------- cells

func csvParseType(s string) (NodeType, error) {
	switch t := NodeType(strings.ToLower(s)); t {
	case "", TypeRollup, TypeLeaf, TypeFormula, TypeLabel:
		return t, nil
	}
	return "", fmt.Errorf("bad type %q (use rollup, leaf, formula or label)", s)
}

func csvParseNulls(s string) (NullHandling, error) {
	switch n := NullHandling(strings.ToLower(s)); n {
	case "", NullAsZero, NullSkip, NullError:
		return n, nil
	}
	return "", fmt.Errorf("bad formula_nulls %q (use zero, skip or error)", s)
}

// ---------------------------------------------------------------- specs

// csvSpec is what the file says about one node. Fields without their has*
// flag were not given: an existing node keeps its value, a new node gets
// the default.
type csvSpec struct {
	line    int
	record  []string
	code    string
	name    string
	hasName bool
	parent  string
	hasPar  bool
	sort    int
	hasSort bool
	typ     NodeType // "" = not given
	cons    Consolidation
	hasCons bool
	flip    bool
	hasFlip bool
	formula string // "" = not given
	hasForm bool   // the formula column exists
	nulls   NullHandling
	hasNull bool
	props   map[string]string // "" deletes
	hasProp bool

	rejected bool
}

// csvAttrs parses the node attribute cells shared by parent-child rows and
// the deepest node of wide rows.
func csvAttrs(s *csvSpec, c *csvio.Cols, rec []string) error {
	var err error
	if c.Has(csvio.ColSort) {
		if s.sort, s.hasSort, err = csvio.ParseSort(c.Get(rec, csvio.ColSort)); err != nil {
			return err
		}
	}
	if s.typ, err = csvParseType(c.Get(rec, csvio.ColType)); err != nil {
		return err
	}
	if c.Has(csvio.ColCons) {
		s.hasCons = true
		if s.cons, err = ParseConsolidation(c.Get(rec, csvio.ColCons)); err != nil {
			return err
		}
	}
	if c.Has(csvio.ColFlip) {
		s.hasFlip = true
		if s.flip, err = csvio.ParseBool("flip_sign", c.Get(rec, csvio.ColFlip)); err != nil {
			return err
		}
	}
	if c.Has(csvio.ColNulls) {
		s.hasNull = true
		if s.nulls, err = csvParseNulls(c.Get(rec, csvio.ColNulls)); err != nil {
			return err
		}
	}
	if c.Has(csvio.ColFormula) {
		s.hasForm = true
		s.formula = c.Get(rec, csvio.ColFormula)
	}
	if s.formula != "" {
		if s.typ != "" && s.typ != TypeFormula {
			return fmt.Errorf("a formula is given but the type is %s: set type formula or clear the formula", s.typ)
		}
		if _, err := ParseFormula(s.formula); err != nil {
			return fmt.Errorf("bad formula %q: %v", s.formula, err)
		}
	}
	if s.nulls != "" && s.typ != "" && s.typ != TypeFormula {
		return fmt.Errorf("formula_nulls %q is given but the type is %s", s.nulls, s.typ)
	}
	if len(c.Props) > 0 {
		s.hasProp = true
		s.props = map[string]string{}
		for _, p := range c.Props {
			s.props[p.Key] = rec[p.Idx]
		}
	}
	return nil
}

func csvParentChildSpecs(in *csvio.Input, c *csvio.Cols, rej *csvio.Rejects) ([]*csvSpec, map[string]int) {
	var specs []*csvSpec
	first := map[string]int{}
	for _, row := range in.Rows {
		if !csvio.CheckRow(row, c, rej) {
			continue
		}
		rec := row.Rec
		bad := func(format string, args ...any) { rej.Add(row.Line, rec, format, args...) }
		s := &csvSpec{line: row.Line, record: rec, code: c.Get(rec, csvio.ColCode)}
		if s.code == "" {
			bad("missing code")
			continue
		}
		if err := ValidCode(s.code); err != nil {
			bad("invalid code: %v", err)
			continue
		}
		if l, dup := first[s.code]; dup {
			bad("duplicate code %q (first on line %d)", s.code, l)
			continue
		}
		first[s.code] = row.Line
		if c.Has(csvio.ColName) {
			s.name, s.hasName = c.Get(rec, csvio.ColName), true
			if s.name == "" {
				bad("missing name for %q", s.code)
				continue
			}
		}
		if c.Has(csvio.ColParent) {
			s.parent, s.hasPar = c.Get(rec, csvio.ColParent), true
			if s.parent == s.code {
				bad("node %q is its own parent", s.code)
				continue
			}
		}
		if err := csvAttrs(s, c, rec); err != nil {
			bad("%s: %v", s.code, err)
			continue
		}
		specs = append(specs, s)
	}
	return specs, first
}

func csvShowParent(p string) string {
	if p == "" {
		return "the top level"
	}
	return strconv.Quote(p)
}

// csvWideSpecs reads the rows of a wide-levels file: every row is a path
// from a top-level node down, and the deepest node of the row takes the
// row's attribute columns. A node on several rows must have the same
// parent, name and sort on all of them.
func csvWideSpecs(in *csvio.Input, c *csvio.Cols, rej *csvio.Rejects) []*csvSpec {
	w := &csvWideReader{c: c, byCode: map[string]*csvSpec{}, defined: map[string]int{}}
	for _, row := range in.Rows {
		if !csvio.CheckRow(row, c, rej) {
			continue
		}
		if err := w.row(row); err != nil {
			rej.Add(row.Line, row.Rec, "%s", err)
		}
	}
	return w.specs
}

// csvWideLevel is one level of a wide row.
type csvWideLevel struct {
	code, name string
	sort       int
	hasSort    bool
}

// csvWideReader holds the state of csvWideSpecs.
type csvWideReader struct {
	c       *csvio.Cols
	specs   []*csvSpec          // file order
	byCode  map[string]*csvSpec // every node of an accepted row
	defined map[string]int      // code -> line where it is the deepest level
}

// row reads one row; the error is the reason it is rejected.
func (w *csvWideReader) row(row csvio.Row) error {
	rec := row.Rec
	depth := 0
	for k, l := range w.c.Levels {
		for _, i := range []int{l.Plain, l.Code, l.Name} {
			if i >= 0 && rec[i] != "" {
				depth = k + 1
			}
		}
	}
	if depth == 0 {
		return fmt.Errorf("no level has a value")
	}
	var path []csvWideLevel
	for k := 0; k < depth; k++ {
		v, err := w.level(rec, k, depth)
		if err == nil {
			err = w.fits(path, v, k)
		}
		if err != nil {
			return err
		}
		path = append(path, v)
	}
	leaf := path[depth-1]
	if l, dup := w.defined[leaf.code]; dup {
		return fmt.Errorf("duplicate row for %q (first on line %d)", leaf.code, l)
	}
	attrs := &csvSpec{}
	if err := csvAttrs(attrs, w.c, rec); err != nil {
		return fmt.Errorf("%s: %v", leaf.code, err)
	}
	w.commit(row, path, attrs)
	return nil
}

// level reads level k (0-based) of a row whose deepest level is depth:
// its code (given, or derived from the name), name and sort.
func (w *csvWideReader) level(rec []string, k, depth int) (csvWideLevel, error) {
	l := w.c.Levels[k]
	var v csvWideLevel
	switch {
	case l.Plain >= 0:
		v.name = rec[l.Plain]
		if v.name != "" {
			v.code = csvio.CodeFromName(v.name)
			if v.code == "" {
				return v, fmt.Errorf("level %d value %q gives no usable code (it has no letters or digits): use level_%d_code and level_%d_name columns", k+1, v.name, k+1, k+1)
			}
		}
	default:
		if l.Code >= 0 {
			v.code = rec[l.Code]
		}
		if l.Name >= 0 {
			v.name = rec[l.Name]
		}
		if v.code == "" && v.name != "" {
			if v.code = csvio.CodeFromName(v.name); v.code == "" {
				return v, fmt.Errorf("level %d name %q gives no usable code: fill level_%d_code", k+1, v.name, k+1)
			}
		}
		if v.name == "" {
			v.name = v.code
		}
	}
	if v.code == "" {
		return v, fmt.Errorf("level %d is blank but level %d is not: a row is a path from the top level down", k+1, depth)
	}
	if err := ValidCode(v.code); err != nil {
		return v, fmt.Errorf("invalid code at level %d: %v", k+1, err)
	}
	if l.Sort >= 0 {
		var err error
		if v.sort, v.hasSort, err = csvio.ParseSort(rec[l.Sort]); err != nil {
			return v, fmt.Errorf("level %d: %v", k+1, err)
		}
	}
	return v, nil
}

// fits checks level v at k against the levels above it in the row (path)
// and against what earlier rows said about the same code.
func (w *csvWideReader) fits(path []csvWideLevel, v csvWideLevel, k int) error {
	for j, p := range path {
		if p.code == v.code {
			return fmt.Errorf("code %q appears twice in the path (levels %d and %d): that would be a cycle", v.code, j+1, k+1)
		}
	}
	parent := ""
	if k > 0 {
		parent = path[k-1].code
	}
	s := w.byCode[v.code]
	switch {
	case s == nil:
	case s.parent != parent:
		return fmt.Errorf("code %q is under %s on line %d but under %s here: a node has one parent", v.code, csvShowParent(s.parent), s.line, csvShowParent(parent))
	case s.name != v.name:
		return fmt.Errorf("code %q is named %q on line %d but %q here", v.code, s.name, s.line, v.name)
	case v.hasSort && s.hasSort && s.sort != v.sort:
		return fmt.Errorf("level %d sort %d for %q differs from %d on line %d", k+1, v.sort, v.code, s.sort, s.line)
	}
	return nil
}

// commit records a good row: a spec for every new node of the path, sort
// values the earlier rows did not give, and the row's attributes on its
// deepest node.
func (w *csvWideReader) commit(row csvio.Row, path []csvWideLevel, attrs *csvSpec) {
	rec := row.Rec
	for k, v := range path {
		s := w.byCode[v.code]
		if s == nil {
			s = &csvSpec{line: row.Line, record: rec, code: v.code, name: v.name, hasName: true, hasPar: true}
			if k > 0 {
				s.parent = path[k-1].code
			}
			w.byCode[v.code] = s
			w.specs = append(w.specs, s)
		}
		if v.hasSort && !s.hasSort {
			s.sort, s.hasSort = v.sort, true
		}
	}
	leaf := path[len(path)-1]
	s := w.byCode[leaf.code]
	w.defined[leaf.code] = row.Line
	*s = csvSpec{
		line: row.Line, record: rec, code: s.code, name: s.name, hasName: true, parent: s.parent, hasPar: true,
		sort: s.sort, hasSort: s.hasSort,
		typ: attrs.typ, cons: attrs.cons, hasCons: attrs.hasCons, flip: attrs.flip, hasFlip: attrs.hasFlip,
		formula: attrs.formula, hasForm: attrs.hasForm, nulls: attrs.nulls, hasNull: attrs.hasNull,
		props: attrs.props, hasProp: attrs.hasProp,
	}
}
