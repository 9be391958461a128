package csvio

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Shape is the layout of a hierarchy CSV file.
type Shape string

// CSV shapes.
const (
	// ParentChild has one row per node naming its parent.
	ParentChild Shape = "parent-child"
	// WideLevels has one row per path: LEVEL_1, LEVEL_2, ... columns.
	WideLevels Shape = "wide-levels"
	// Mapping has one row per mapping rule of a leaf.
	Mapping Shape = "mapping"
)

// Canonical column names.
const (
	ColCode    = "code"
	ColName    = "name"
	ColParent  = "parent"
	ColSort    = "sort"
	ColType    = "type"
	ColCons    = "consolidation"
	ColFlip    = "flip_sign"
	ColFormula = "formula"
	ColNulls   = "formula_nulls"

	ColNode       = "node"
	ColColumn     = "column"
	ColMatch      = "match"
	ColValue      = "value"
	ColFrom       = "from"
	ColTo         = "to"
	ColAction     = "action"
	ColExclude    = "exclude"
	ColPrecedence = "precedence"
	ColNodeName   = "node_name"
)

var nodeAliases = map[string]string{
	"code": ColCode, "node_code": ColCode, "node": ColCode,
	"name": ColName, "node_name": ColName, "display_name": ColName,
	"parent": ColParent, "parent_code": ColParent, "parent_node": ColParent,
	"sort": ColSort, "sort_order": ColSort, "order": ColSort, "sequence": ColSort,
	"type": ColType, "node_type": ColType,
	"consolidation": ColCons, "consolidation_operator": ColCons, "operator": ColCons,
	"flip_sign": ColFlip, "flip": ColFlip, "reverse_sign": ColFlip, "sign_flip": ColFlip,
	"formula": ColFormula, "expression": ColFormula, "formula_expression": ColFormula,
	"formula_nulls": ColNulls, "nulls": ColNulls, "null_handling": ColNulls,
}

var mappingAliases = map[string]string{
	"node": ColNode, "node_code": ColNode, "code": ColNode, "leaf": ColNode, "leaf_code": ColNode,
	"name": ColNodeName, "node_name": ColNodeName,
	"column": ColColumn, "source_column": ColColumn, "col": ColColumn, "field": ColColumn,
	"match": ColMatch, "match_type": ColMatch,
	"value": ColValue, "values": ColValue,
	"from": ColFrom, "range_from": ColFrom, "from_value": ColFrom, "low": ColFrom,
	"to": ColTo, "range_to": ColTo, "to_value": ColTo, "high": ColTo,
	"action": ColAction, "include_exclude": ColAction, "mode": ColAction,
	"exclude": ColExclude, "is_exclude": ColExclude,
	"precedence": ColPrecedence, "priority": ColPrecedence,
}

var levelRe = regexp.MustCompile(`^level_?([0-9]{1,3})(?:_(code|name|sort))?$`)

// normHeader lower-cases a header cell, trims it and turns runs of
// spaces, '-' and '_' into one '_'.
func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' })
	return strings.Join(f, "_")
}

// propKey returns the property key of a header cell with the optional
// prop_ prefix, and whether it had the prefix.
func propKey(orig string) (string, bool) {
	o := strings.TrimSpace(strings.TrimPrefix(orig, "\ufeff"))
	if len(o) >= 5 && strings.EqualFold(o[:4], "prop") && (o[4] == '_' || o[4] == ' ' || o[4] == '-') {
		return strings.TrimSpace(o[5:]), true
	}
	return o, false
}

// Expected describes the three shapes, for errors about a file that is
// none of them.
const Expected = "expected one of: a parent-child file (columns code, name, parent and optionally sort, type, consolidation, flip_sign, formula), " +
	"a wide-levels file (columns level_1, level_2, ... or level_1_code + level_1_name, ...), " +
	"or a mapping file (columns node, match and value or from + to, optionally column, action or exclude, precedence)"

// Detect tells the shape of a hierarchy CSV file from its header row.
// Header names are case-insensitive; spaces and '-' count as '_'.
func Detect(header []string) (Shape, error) {
	var hasCode, hasParent, hasMatch, hasNode bool
	for _, h := range header {
		n := normHeader(h)
		if levelRe.MatchString(n) {
			return WideLevels, nil
		}
		if mappingAliases[n] == ColMatch {
			hasMatch = true
		}
		if mappingAliases[n] == ColNode {
			hasNode = true
		}
		switch nodeAliases[n] {
		case ColCode:
			hasCode = true
		case ColParent:
			hasParent = true
		}
	}
	switch {
	case hasCode && hasParent:
		return ParentChild, nil
	case hasMatch && hasNode:
		return Mapping, nil
	case hasMatch:
		return "", fmt.Errorf("header %s has a match column but no node column: a mapping file needs node (or node_code, leaf) to say which leaf each rule belongs to", ShowHeader(header))
	case hasCode:
		return ParentChild, nil
	}
	return "", fmt.Errorf("cannot tell the CSV shape from header %s: %s", ShowHeader(header), Expected)
}

// ShowHeader quotes a header row for an error message.
func ShowHeader(header []string) string {
	q := make([]string, len(header))
	for i, h := range header {
		q[i] = strconv.Quote(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Prop is a property column: its index and the property key.
type Prop struct {
	Idx int
	Key string
}

// Level gives the columns of one level of a wide file: a column index or
// -1 for each of level_N, level_N_code, level_N_name and level_N_sort.
type Level struct {
	Plain, Code, Name, Sort int
}

// Cols maps the header of a file: canonical column names to indexes,
// property columns, and the levels of a wide file.
type Cols struct {
	field   map[string]int
	Props   []Prop
	Levels  []Level
	unnamed []int
	width   int
}

// Has says whether the file has column f (a Col* name).
func (c *Cols) Has(f string) bool { _, ok := c.field[f]; return ok }

// Get returns the cell of column f in rec, "" when the file has no f.
func (c *Cols) Get(rec []string, f string) string {
	if i, ok := c.field[f]; ok {
		return rec[i]
	}
	return ""
}

func colName(header []string, i int) string {
	return fmt.Sprintf("%q (column %d)", strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")), i+1)
}

// ParseHeader maps the header cells of a file of the given shape: the
// cells one by one (headerParser.cell), then the columns every file of the
// shape needs (require).
func ParseHeader(shape Shape, header []string) (*Cols, error) {
	p := &headerParser{
		c:        &Cols{field: map[string]int{}, width: len(header)},
		header:   header,
		propSeen: map[string]int{},
		levels:   map[int]*Level{},
	}
	for i, h := range header {
		if err := p.cell(shape, i, h); err != nil {
			return nil, err
		}
	}
	if err := p.require(shape); err != nil {
		return nil, err
	}
	return p.c, nil
}

type headerParser struct {
	c        *Cols
	header   []string
	propSeen map[string]int
	levels   map[int]*Level
}

func (p *headerParser) claim(f string, i int) error {
	if j, dup := p.c.field[f]; dup {
		return fmt.Errorf("columns %s and %s both give the %s", colName(p.header, j), colName(p.header, i), f)
	}
	p.c.field[f] = i
	return nil
}

func (p *headerParser) addProp(key string, i int) error {
	if key == "" {
		return fmt.Errorf("column %s names an empty property", colName(p.header, i))
	}
	if j, dup := p.propSeen[key]; dup {
		return fmt.Errorf("columns %s and %s both give property %q", colName(p.header, j), colName(p.header, i), key)
	}
	p.propSeen[key] = i
	p.c.Props = append(p.c.Props, Prop{Idx: i, Key: key})
	return nil
}

// cell maps header cell i, h.
func (p *headerParser) cell(shape Shape, i int, h string) error {
	n := normHeader(h)
	if n == "" {
		p.c.unnamed = append(p.c.unnamed, i)
		return nil
	}
	switch shape {
	case Mapping:
		f, ok := mappingAliases[n]
		if !ok {
			return fmt.Errorf("unknown column %s in a mapping file: use node, column, match, value, from, to, action or exclude, precedence (and optionally name)", colName(p.header, i))
		}
		return p.claim(f, i)
	case ParentChild, WideLevels:
		return p.nodeCell(shape, i, h, n)
	default:
		return fmt.Errorf("unknown CSV shape %q (use %s, %s or %s)", shape, ParentChild, WideLevels, Mapping)
	}
}

// nodeCell maps header cell i, h (normalized n) of a nodes file: a
// property, a level column (wide files) or a node attribute.
func (p *headerParser) nodeCell(shape Shape, i int, h, n string) error {
	if key, ok := propKey(h); ok {
		return p.addProp(key, i)
	}
	if shape == WideLevels {
		if m := levelRe.FindStringSubmatch(n); m != nil {
			return p.levelCell(i, m)
		}
	}
	f, ok := nodeAliases[n]
	if !ok {
		return p.addProp(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), i)
	}
	if shape == WideLevels && (f == ColCode || f == ColName || f == ColParent || f == ColSort) {
		return fmt.Errorf("column %s is not used in a wide-levels file, which gives codes, names and sort orders in level_N / level_N_code / level_N_name / level_N_sort columns (rename it prop_%s to keep it as a property)", colName(p.header, i), strings.TrimSpace(h))
	}
	return p.claim(f, i)
}

// levelCell maps header cell i, a level column matched by levelRe as m.
func (p *headerParser) levelCell(i int, m []string) error {
	k, _ := strconv.Atoi(m[1])
	if k < 1 {
		return fmt.Errorf("column %s: levels are numbered from 1", colName(p.header, i))
	}
	l := p.levels[k]
	if l == nil {
		l = &Level{-1, -1, -1, -1}
		p.levels[k] = l
	}
	ptr := map[string]*int{"": &l.Plain, "code": &l.Code, "name": &l.Name, "sort": &l.Sort}[m[2]]
	if *ptr >= 0 {
		return fmt.Errorf("columns %s and %s are the same level column", colName(p.header, *ptr), colName(p.header, i))
	}
	*ptr = i
	return nil
}

// require checks that the columns a file of the shape needs are there,
// and orders the levels of a wide file.
func (p *headerParser) require(shape Shape) error {
	c, header := p.c, p.header
	switch shape {
	case Mapping:
		if !c.Has(ColNode) {
			return fmt.Errorf("a mapping file needs a node column (header %s)", ShowHeader(header))
		}
		if !c.Has(ColMatch) {
			return fmt.Errorf("a mapping file needs a match column: exact, list, range, prefix or pattern (header %s)", ShowHeader(header))
		}
		if !c.Has(ColValue) && !(c.Has(ColFrom) && c.Has(ColTo)) {
			return fmt.Errorf("a mapping file needs a value column or from and to columns (header %s)", ShowHeader(header))
		}
	case ParentChild:
		if !c.Has(ColCode) {
			return fmt.Errorf("a parent-child file needs a code column (or node_code) (header %s)", ShowHeader(header))
		}
	case WideLevels:
		return p.orderLevels()
	}
	return nil
}

// orderLevels puts the levels of a wide file in order, refusing gaps and
// levels that mix level_N with level_N_code/level_N_name.
func (p *headerParser) orderLevels() error {
	max := 0
	for k := range p.levels {
		if k > max {
			max = k
		}
	}
	if max == 0 {
		return fmt.Errorf("a wide-levels file needs level_1, level_2, ... columns (header %s)", ShowHeader(p.header))
	}
	for k := 1; k <= max; k++ {
		l := p.levels[k]
		switch {
		case l == nil || (l.Plain < 0 && l.Code < 0 && l.Name < 0):
			return fmt.Errorf("levels must be numbered 1..%d without gaps: there is no level_%d, level_%d_code or level_%d_name column", max, k, k, k)
		case l.Plain >= 0 && (l.Code >= 0 || l.Name >= 0):
			return fmt.Errorf("level %d has both a level_%d column and level_%d_code/level_%d_name columns: use one style per level", k, k, k, k)
		}
		p.c.Levels = append(p.c.Levels, *l)
	}
	return nil
}
