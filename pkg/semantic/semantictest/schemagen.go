package semantictest

// A generator of random star and snowflake schemas whose truth is known,
// for the generalisation test of semantic analysis (issue 12): it is not a
// tuning set, every seed draws its own naming convention, key types and
// shapes.
//
// Per seed: 3–7 dimensions drawn from a pool of business entities, some
// snowflaked (a dimension referencing another), at most one type-2 slowly
// changing dimension (surrogate key, business key, validity columns), an
// optional calendar dimension, one or two transaction facts (a surrogate
// id, or a header/detail pair whose detail key is the header's number plus
// a line number), an optional bridge (two references forming the key, no
// measures) and an optional periodic snapshot (period + entity grain).
// Key names follow one convention per seed (id, entity_id, entity_key,
// _sk, _no, _num, _code, TPC-H prefixes, camelCase, or the entity's bare
// name for the reference); key values are integers (sequential or sparse),
// codes (prefix + fixed-width digits), UUIDs or composites. Decoys: a
// unique name column beside every key, small-range integer attributes that
// collide with small dimensions' keys, prices on dimensions, nullable
// references, 0–2% orphan rows referencing a few deleted members.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/model"
)

// GenColumn is a generated column: its name and a portable SQL type.
type GenColumn struct {
	Name string
	Type string
}

// GenTable is a generated table with its rows and the truth about it.
type GenTable struct {
	Name    string
	Columns []GenColumn
	Rows    [][]any
	// Truth.
	PK   []string
	Role model.Role
	SCD2 bool

	prefix string // column prefix under the "prefix" convention
}

// GenSchema is one seed's schema and its truth.
type GenSchema struct {
	Seed       uint64
	Convention string
	Tables     []*GenTable
	FKs        []FK
}

// Table returns a table by name or nil.
func (s *GenSchema) Table(name string) *GenTable {
	for _, t := range s.Tables {
		if strings.EqualFold(t.Name, name) {
			return t
		}
	}
	return nil
}

// Describe is a one-line summary of the seed's shape.
func (s *GenSchema) Describe() string {
	var parts []string
	for _, t := range s.Tables {
		parts = append(parts, fmt.Sprintf("%s[%s](%s)", t.Name, t.Role, strings.Join(t.PK, ",")))
	}
	return fmt.Sprintf("seed %d, %s: %s", s.Seed, s.Convention, strings.Join(parts, " "))
}

type genEntity struct {
	name   string // singular, lower_snake
	plural string
	abbr   string // for TPC-H style prefixes
	code   string // code prefix
	// attrs: extra attribute columns (name → kind: cat, text, int_small, price, date).
	attrs map[string]string
}

var genEntities = []genEntity{
	{"customer", "customers", "c", "CUS", map[string]string{"segment": "cat", "city": "cat", "credit_score": "int_small", "signup_date": "date"}},
	{"product", "products", "p", "SKU", map[string]string{"brand": "cat", "list_price": "price", "unit_cost": "price", "size_class": "int_small"}},
	{"store", "stores", "s", "STR", map[string]string{"region": "cat", "floor_count": "int_small", "opened_on": "date"}},
	{"employee", "employees", "e", "EMP", map[string]string{"department": "cat", "grade": "int_small", "hire_date": "date"}},
	{"supplier", "suppliers", "su", "SUP", map[string]string{"country": "cat", "rating": "int_small"}},
	{"vendor", "vendors", "v", "VEN", map[string]string{"payment_terms": "cat", "tier": "int_small"}},
	{"account", "accounts", "a", "ACC", map[string]string{"account_type": "cat", "level": "int_small"}},
	{"cost_center", "cost_centers", "cc", "CC", map[string]string{"division": "cat", "manager": "text"}},
	{"project", "projects", "pr", "PRJ", map[string]string{"status": "cat", "priority": "int_small", "start_date": "date"}},
	{"warehouse", "warehouses", "w", "WH", map[string]string{"city": "cat", "capacity": "int_small"}},
	{"promotion", "promotions", "pm", "PRO", map[string]string{"channel": "cat", "discount_pct": "int_small"}},
	{"currency", "currencies", "cu", "CUR", map[string]string{"symbol": "cat"}},
}

var genParents = []genEntity{
	{"category", "categories", "ca", "CAT", map[string]string{"department": "cat"}},
	{"region", "regions", "r", "REG", map[string]string{"continent": "cat"}},
	{"segment", "segments", "sg", "SEG", map[string]string{"tier": "cat"}},
}

var genFactNames = []string{"sales", "orders", "transactions", "shipments", "payments", "invoices", "journal", "events", "movements", "bookings"}

var genWords = []string{"alpha", "bravo", "cedar", "delta", "ember", "falcon", "granite", "harbor", "iris", "juniper", "kestrel",
	"lumen", "maple", "nova", "onyx", "pine", "quartz", "raven", "sierra", "tundra", "umber", "violet", "willow", "xenon", "yarrow", "zephyr"}

// key kinds
const (
	gkInt    = "int"    // 1..n
	gkSparse = "sparse" // random distinct integers
	gkCode   = "code"   // PREFIX-000042
	gkUUID   = "uuid"
	gkComp   = "comp" // (company_code, local number)
)

// conventions
var genConventions = []string{"id", "entity_id", "entity_key", "entity_sk", "entity_no", "entity_num", "entity_code", "prefix", "camel", "natural"}

type gen2 struct {
	r    *rand.Rand
	conv string
	s    *GenSchema
}

// keyNames returns the key column of an entity's own table and the name a
// reference to it takes (role is a role-playing prefix or "").
func (g *gen2) keyName(e genEntity, kind string) string {
	switch g.conv {
	case "id":
		return "id"
	case "entity_id":
		return e.name + "_id"
	case "entity_key":
		return e.name + "_key"
	case "entity_sk":
		return e.name + "_sk"
	case "entity_no":
		return e.name + "_no"
	case "entity_num":
		return e.name + "_num"
	case "entity_code":
		return e.name + "_code"
	case "prefix":
		return e.abbr + "_" + strings.ReplaceAll(e.name, "_", "") + "key"
	case "camel":
		return genCamel(e.name) + "ID"
	case "natural":
		if e.name == "product" && kind == gkCode {
			return "sku"
		}
		if kind == gkCode {
			return e.name + "_code"
		}
		return e.name + "_number"
	}
	return e.name + "_id"
}

func (g *gen2) refName(e genEntity, kind, role, tablePrefix string) string {
	if f, ok := genFunctional[e.name]; ok && role == "" && g.r.IntN(3) == 0 {
		return g.functionalName(e, kind, f[g.r.IntN(len(f))], tablePrefix)
	}
	var n string
	switch g.conv {
	case "id":
		n = e.name + "_id"
	case "prefix":
		n = tablePrefix + "_" + strings.ReplaceAll(e.name, "_", "") + "key"
		if role != "" {
			n = tablePrefix + "_" + role + strings.ReplaceAll(e.name, "_", "") + "key"
		}
		return n
	case "camel":
		n = genCamel(e.name) + "ID"
		if role != "" {
			n = genCamel(role) + n
		}
		return n
	case "natural":
		n = g.keyName(e, kind)
		if n != "sku" && g.r.IntN(2) == 0 {
			n = e.name // the bare entity name
		}
	default:
		n = g.keyName(e, kind)
	}
	if role != "" {
		n = role + "_" + n
	}
	return n
}

// genFunctional are names a reference takes for what the referenced row
// does rather than for its table (Chinook's SupportRepId, Northwind's
// ship_via): staff roles, and "verb by" forms whose agent noun is the
// table (supplied_by → suppliers).
var genFunctional = map[string][]string{
	"employee": {"sales_rep", "account_manager", "support_agent", "approved_by", "handled_by", "cashier"},
	"supplier": {"supplied_by", "supplied_via"},
}

// functionalName is a functional reference name in the schema's naming
// convention: a role takes the convention's key suffix, a "… by" form
// none.
func (g *gen2) functionalName(e genEntity, kind, f, tablePrefix string) string {
	by := strings.HasSuffix(f, "_by") || strings.HasSuffix(f, "_via")
	switch g.conv {
	case "prefix":
		if by {
			return tablePrefix + "_" + strings.ReplaceAll(f, "_", "")
		}
		return tablePrefix + "_" + strings.ReplaceAll(f, "_", "") + "key"
	case "camel":
		if by {
			return genCamel(f)
		}
		return genCamel(f) + "ID"
	}
	if by {
		return f
	}
	k := g.keyName(e, kind)
	if i := strings.LastIndex(k, "_"); i >= 0 {
		return f + k[i:]
	}
	return f + "_" + k
}

func genCamel(s string) string {
	var b strings.Builder
	for _, p := range strings.Split(s, "_") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}

func (g *gen2) colName(tablePrefix, name string) string {
	switch g.conv {
	case "prefix":
		return tablePrefix + "_" + strings.ReplaceAll(name, "_", "")
	case "camel":
		return genCamel(name)
	}
	return name
}

// dim is a generated dimension and how to reference it.
type gdim struct {
	e      genEntity
	t      *GenTable
	kind   string
	keys   [][]any // key values per row (1 or 2 columns)
	keyCol []string
	// deleted: key values that do not exist (orphans reference them)
	deleted [][]any
	// scd2: references go to the surrogate key, keys holds surrogates.
	scd2 bool
	// cal: the calendar; references take its key's name.
	cal bool
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (g *gen2) word() string { return genWords[g.r.IntN(len(genWords))] }

func (g *gen2) date(lo, span int) string { return day(lo + g.r.IntN(span)) }

func (g *gen2) uuid() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (g *gen2) money(lo, hi int) string {
	c := lo*100 + g.r.IntN((hi-lo)*100+1)
	return fmt.Sprintf("%d.%02d", c/100, c%100)
}

// keyValues draws n distinct key values of a kind (plus a few deleted ones).
func (g *gen2) keyValues(e genEntity, kind string, n int) (keys [][]any, deleted [][]any) {
	seen := map[string]bool{}
	next := func(i int) []any {
		switch kind {
		case gkInt:
			return []any{int64(i + 1)}
		case gkSparse:
			for {
				v := int64(1000 + g.r.IntN(n*50+1000))
				if !seen[fmt.Sprint(v)] {
					seen[fmt.Sprint(v)] = true
					return []any{v}
				}
			}
		case gkCode:
			return []any{fmt.Sprintf("%s-%05d", e.code, i+1)}
		case gkUUID:
			return []any{g.uuid()}
		case gkComp:
			company := fmt.Sprintf("C%02d", 1+i%3)
			return []any{company, int64(100 + i/3)}
		}
		panic(kind)
	}
	for i := 0; i < n+3; i++ {
		v := next(i)
		if i < n {
			keys = append(keys, v)
		} else {
			deleted = append(deleted, v)
		}
	}
	return keys, deleted
}

func (g *gen2) keyType(kind string) []string {
	switch kind {
	case gkInt, gkSparse:
		return []string{"INTEGER"}
	case gkCode:
		return []string{"VARCHAR(20)"}
	case gkUUID:
		return []string{"VARCHAR(36)"}
	case gkComp:
		return []string{"VARCHAR(8)", "INTEGER"}
	}
	return nil
}

// GenerateSchema draws one seed's schema.
func GenerateSchema(seed uint64) *GenSchema {
	g := &gen2{r: rand.New(rand.NewPCG(seed, 0x5eed)), s: &GenSchema{Seed: seed}}
	g.conv = genConventions[g.r.IntN(len(genConventions))]
	g.s.Convention = g.conv
	dimPrefix := []string{"", "dim_", "d_", ""}[g.r.IntN(4)]
	plural := g.r.IntN(2) == 0

	// Dimensions.
	perm := g.r.Perm(len(genEntities))
	nd := 3 + g.r.IntN(5)
	var dims []*gdim
	scdDone := false
	for i := 0; i < nd; i++ {
		e := genEntities[perm[i]]
		name := e.name
		if plural {
			name = e.plural
		}
		kinds := []string{gkInt, gkInt, gkSparse, gkCode, gkCode, gkUUID, gkComp}
		kind := kinds[g.r.IntN(len(kinds))]
		if g.conv == "entity_code" && kind != gkComp && kind != gkUUID {
			kind = gkCode
		}
		if e.name == "product" && g.conv == "natural" {
			kind = gkCode
		}
		scd := !scdDone && kind != gkComp && g.r.IntN(4) == 0
		if scd {
			scdDone = true
		}
		d := g.dimension(e, dimPrefix+name, kind, 15+g.r.IntN(250), scd, dims)
		dims = append(dims, d)
	}
	// Snowflake: some dimension references a parent entity table.
	if g.r.IntN(2) == 0 {
		pe := genParents[g.r.IntN(len(genParents))]
		name := pe.name
		if plural {
			name = pe.plural
		}
		kind := []string{gkInt, gkCode, gkSparse}[g.r.IntN(3)]
		parent := g.dimension(pe, dimPrefix+name, kind, 4+g.r.IntN(20), false, nil)
		child := dims[g.r.IntN(len(dims))]
		if child.kind != gkComp && !child.scd2 {
			g.addRef(child.t, parent, "", true, false, 0)
			dims = append(dims, parent)
		} else {
			dims = append(dims, parent)
		}
	}
	// Calendar dimension.
	var cal *gdim
	if g.r.IntN(2) == 0 {
		cal = g.calendar(dimPrefix)
	}
	// Facts.
	nf := 1 + g.r.IntN(2)
	fperm := g.r.Perm(len(genFactNames))
	for i := 0; i < nf; i++ {
		g.fact(genFactNames[fperm[i]], dims, cal, i == 0 && g.r.IntN(2) == 0)
	}
	// Bridge.
	if g.r.IntN(2) == 0 && len(dims) >= 2 {
		g.bridge(dims)
	}
	// Periodic snapshot.
	if g.r.IntN(2) == 0 {
		g.snapshot(dims, cal)
	}
	return g.s
}

// dimension builds a dimension table.
func (g *gen2) dimension(e genEntity, table, kind string, n int, scd bool, _ []*gdim) *gdim {
	t := &GenTable{Name: table, Role: model.RoleDimension, prefix: e.abbr}
	p := e.abbr
	d := &gdim{e: e, t: t, kind: kind}
	keys, deleted := g.keyValues(e, kind, n)
	d.deleted = deleted
	var keyCols []string
	if kind == gkComp {
		keyCols = []string{g.colName(p, "company_code"), g.colName(p, e.name+"_no")}
		if g.conv == "prefix" {
			keyCols[1] = p + "_" + strings.ReplaceAll(e.name, "_", "") + "no"
		}
	} else {
		keyCols = []string{g.keyName(e, kind)}
	}
	types := g.keyType(kind)
	nameCol := g.colName(p, e.name+"_name")
	descCol := g.colName(p, "description")
	attrNames := make([]string, 0, len(e.attrs))
	for a := range e.attrs {
		attrNames = append(attrNames, a)
	}
	sortStrings(attrNames)

	if scd {
		// Surrogate key + business key + validity.
		d.scd2 = true
		t.SCD2 = true
		sk := g.colName(p, e.name+"_sk")
		if g.conv == "entity_sk" {
			sk = g.colName(p, e.name+"_key")
		}
		if sk == keyCols[0] {
			sk = g.colName(p, e.name+"_version_key")
		}
		t.Columns = append(t.Columns, GenColumn{sk, "INTEGER"})
		bk := keyCols[0]
		t.Columns = append(t.Columns, GenColumn{bk, types[0]})
		t.Columns = append(t.Columns, GenColumn{nameCol, "VARCHAR(80)"})
		for _, a := range attrNames {
			t.Columns = append(t.Columns, GenColumn{g.colName(p, a), genAttrType(e.attrs[a])})
		}
		vf, vt, cur := g.colName(p, "valid_from"), g.colName(p, "valid_to"), g.colName(p, "is_current")
		t.Columns = append(t.Columns, GenColumn{vf, "DATE"}, GenColumn{vt, "DATE"}, GenColumn{cur, "INTEGER"})
		t.PK = []string{sk}
		var surrogates [][]any
		skv := int64(0)
		for i, k := range keys {
			versions := 1 + g.r.IntN(3)
			start := 0
			for v := 0; v < versions; v++ {
				skv++
				end := start + 100 + g.r.IntN(300)
				row := []any{skv, k[0], fmt.Sprintf("%s %s %d", title(e.name), g.word(), i+1)}
				for _, a := range attrNames {
					row = append(row, g.attrValue(e.attrs[a], a, v))
				}
				var to any = day(end)
				curv := int64(0)
				if v == versions-1 {
					to, curv = "9999-12-31", 1
				}
				row = append(row, day(start), to, curv)
				t.Rows = append(t.Rows, row)
				surrogates = append(surrogates, []any{skv})
				start = end
			}
		}
		d.keys = surrogates
		d.keyCol = []string{sk}
		d.deleted = [][]any{{skv + 1}, {skv + 7}}
		g.s.Tables = append(g.s.Tables, t)
		return d
	}
	for i, c := range keyCols {
		t.Columns = append(t.Columns, GenColumn{c, types[i]})
	}
	t.Columns = append(t.Columns, GenColumn{nameCol, "VARCHAR(80)"})
	if g.r.IntN(2) == 0 {
		t.Columns = append(t.Columns, GenColumn{descCol, "VARCHAR(200)"})
	}
	for _, a := range attrNames {
		t.Columns = append(t.Columns, GenColumn{g.colName(p, a), genAttrType(e.attrs[a])})
	}
	t.PK = keyCols
	for i, k := range keys {
		row := append([]any(nil), k...)
		row = append(row, fmt.Sprintf("%s %s %d", title(strings.ReplaceAll(e.name, "_", " ")), g.word(), i+1))
		if len(t.Columns) > len(keyCols)+1 && t.Columns[len(keyCols)+1].Name == descCol {
			row = append(row, fmt.Sprintf("The %s %s used for %s and %s reporting", g.word(), e.name, g.word(), g.word()))
		}
		for _, a := range attrNames {
			row = append(row, g.attrValue(e.attrs[a], a, 0))
		}
		t.Rows = append(t.Rows, row)
	}
	d.keys = keys
	d.keyCol = keyCols
	g.s.Tables = append(g.s.Tables, t)
	return d
}

func genAttrType(kind string) string {
	switch kind {
	case "int_small":
		return "INTEGER"
	case "price":
		return "DECIMAL(12,2)"
	case "date":
		return "DATE"
	}
	return "VARCHAR(80)"
}

func (g *gen2) attrValue(kind, name string, version int) any {
	switch kind {
	case "cat":
		return fmt.Sprintf("%s %d", title(strings.ReplaceAll(name, "_", " ")), 1+g.r.IntN(5))
	case "int_small":
		return int64(1 + g.r.IntN(9))
	case "price":
		return g.money(1, 500)
	case "date":
		return g.date(0, 1500)
	case "text":
		return fmt.Sprintf("%s %s", title(g.word()), title(g.word()))
	}
	return g.word()
}

// addRef adds a reference column (or columns) to t, filled for every row
// from d's keys; nullable leaves ~5% NULL; orphanPct of rows reference a
// deleted member. It records the FK truth.
func (g *gen2) addRef(t *GenTable, d *gdim, role string, record, nullable bool, orphanPct float64) []string {
	p := t.prefix
	var cols []string
	if len(d.keyCol) == 2 {
		cols = []string{d.keyCol[0], d.keyCol[1]}
		if role != "" {
			cols = []string{role + "_" + d.keyCol[0], role + "_" + d.keyCol[1]}
		}
	} else if d.scd2 || d.cal {
		cols = []string{d.keyCol[0]}
		if g.conv == "prefix" {
			// TPC-H style: the referencing table's prefix, the role, the
			// key's own name (lo_orderdate).
			base := d.keyCol[0][strings.Index(d.keyCol[0], "_")+1:]
			cols[0] = p + "_" + role + base
		} else if role != "" {
			cols[0] = role + "_" + cols[0]
		}
	} else {
		cols = []string{g.refName(d.e, d.kind, role, p)}
	}
	for _, c := range cols {
		if t.Table(c) {
			return nil
		}
	}
	types := g.keyType(d.kind)
	if d.scd2 {
		types = []string{"INTEGER"}
	}
	if d.cal {
		types = []string{d.t.Columns[0].Type}
	}
	for i, c := range cols {
		t.Columns = append(t.Columns, GenColumn{c, types[i]})
	}
	orphanRows := int(float64(len(t.Rows)) * orphanPct)
	for i := range t.Rows {
		var v []any
		switch {
		case nullable && g.r.IntN(20) == 0:
			v = make([]any, len(cols))
		case i < orphanRows:
			v = d.deleted[g.r.IntN(len(d.deleted))]
		default:
			v = d.keys[g.r.IntN(len(d.keys))]
		}
		t.Rows[i] = append(t.Rows[i], v...)
	}
	if record {
		g.s.FKs = append(g.s.FKs, FK{From: t.Name, FromColumns: cols, To: d.t.Name, ToColumns: d.keyCol})
	}
	return cols
}

// Table reports whether t already has a column of that name.
func (t *GenTable) Table(col string) bool {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, col) {
			return true
		}
	}
	return false
}

func (g *gen2) calendar(prefix string) *gdim {
	name := prefix + []string{"date", "calendar", "dates", "date_dim"}[g.r.IntN(4)]
	if name == "date_date_dim" || name == "dim_date_dim" || name == "d_date_dim" {
		name = "date_dim"
	}
	t := &GenTable{Name: name, Role: model.RoleTimeDimension, prefix: "d"}
	intKey := g.r.IntN(2) == 0
	key := g.colName("d", "date_key")
	if !intKey {
		key = g.colName("d", "calendar_date")
	}
	typ := "DATE"
	if intKey {
		typ = "INTEGER"
	}
	t.Columns = []GenColumn{{key, typ}, {g.colName("d", "year"), "INTEGER"}, {g.colName("d", "quarter"), "INTEGER"},
		{g.colName("d", "month"), "INTEGER"}, {g.colName("d", "month_name"), "VARCHAR(12)"}, {g.colName("d", "day_of_week"), "INTEGER"}}
	t.PK = []string{key}
	d := &gdim{e: genEntity{name: "date", abbr: "d"}, t: t, kind: gkInt, keyCol: []string{key}, cal: true}
	months := []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	for i := 0; i < 730; i++ {
		dt := epoch.AddDate(0, 0, i)
		var k any = dt.Format("2006-01-02")
		if intKey {
			k = int64(dt.Year()*10000 + int(dt.Month())*100 + dt.Day())
		}
		t.Rows = append(t.Rows, []any{k, int64(dt.Year()), int64((int(dt.Month())-1)/3 + 1), int64(dt.Month()), months[dt.Month()-1], int64(dt.Weekday())})
		d.keys = append(d.keys, []any{k})
	}
	g.s.Tables = append(g.s.Tables, t)
	return d
}

// fact builds a transaction fact (or a header/detail pair).
func (g *gen2) fact(base string, dims []*gdim, cal *gdim, headerDetail bool) {
	prefix := []string{"", "fact_", "fct_", "f_", ""}[g.r.IntN(5)]
	n := 800 + g.r.IntN(2500)
	orphan := 0.0
	if g.r.IntN(3) == 0 {
		orphan = float64(g.r.IntN(20)) / 1000 // 0–2%
	}
	pick := g.r.Perm(len(dims))
	nref := min(len(dims), 2+g.r.IntN(3))
	if headerDetail {
		g.headerDetail(prefix+base, dims, cal, pick[:nref], orphan)
		return
	}
	p := base[:2]
	t := &GenTable{Name: prefix + base, Role: model.RoleTransactionFact, prefix: p}
	idCol := g.colName(p, strings.TrimSuffix(base, "s")+"_id")
	switch g.conv {
	case "id":
		idCol = "id"
	case "prefix":
		idCol = p + "_" + strings.TrimSuffix(base, "s") + "key"
	}
	t.Columns = []GenColumn{{idCol, "INTEGER"}}
	t.PK = []string{idCol}
	for i := 0; i < n; i++ {
		t.Rows = append(t.Rows, []any{int64(i + 1)})
	}
	g.s.Tables = append(g.s.Tables, t)
	g.factBody(t, dims, cal, pick[:nref], orphan, true)
}

// factBody adds references, a date (or a calendar reference) and measures.
func (g *gen2) factBody(t *GenTable, dims []*gdim, cal *gdim, refs []int, orphan float64, measures bool) {
	for j, i := range refs {
		g.addRef(t, dims[i], "", true, j == len(refs)-1 && g.r.IntN(2) == 0, orphan)
	}
	if cal != nil {
		g.addRef(t, cal, "", true, false, 0)
		if g.r.IntN(2) == 0 {
			// role-playing: a second date reference
			g.addRef(t, cal, "ship", true, true, 0)
		}
	} else {
		c := g.colName(t.prefix, []string{"transaction_date", "posted_on", "order_date", "event_date"}[g.r.IntN(4)])
		t.Columns = append(t.Columns, GenColumn{c, "DATE"})
		for i := range t.Rows {
			t.Rows[i] = append(t.Rows[i], g.date(0, 700))
		}
	}
	if measures {
		qty, amt := g.colName(t.prefix, "quantity"), g.colName(t.prefix, []string{"amount", "net_amount", "sales_value", "line_total"}[g.r.IntN(4)])
		t.Columns = append(t.Columns, GenColumn{qty, "INTEGER"}, GenColumn{amt, "DECIMAL(14,2)"})
		for i := range t.Rows {
			t.Rows[i] = append(t.Rows[i], int64(1+g.r.IntN(20)), g.money(1, 2000))
		}
	}
}

// headerDetail builds a header (receipt number, date, a reference, a
// total) and its lines ((receipt number, line number) key).
func (g *gen2) headerDetail(base string, dims []*gdim, cal *gdim, refs []int, orphan float64) {
	stem := strings.TrimSuffix(base, "s")
	h := &GenTable{Name: stem + "_headers", Role: model.RoleTransactionFact, prefix: "h"}
	l := &GenTable{Name: stem + "_lines", Role: model.RoleTransactionFact, prefix: "l"}
	textNo := g.r.IntN(2) == 0
	hkBase := []string{"receipt_no", "document_number", "order_number", "ticket_id"}[g.r.IntN(4)]
	hk, lk := g.colName("h", hkBase), g.colName("l", hkBase)
	typ := "INTEGER"
	if textNo {
		typ = "VARCHAR(12)"
	}
	nh := 300 + g.r.IntN(900)
	h.Columns = []GenColumn{{hk, typ}}
	h.PK = []string{hk}
	var nos []any
	for i := 0; i < nh; i++ {
		var v any = int64(100000 + i)
		if textNo {
			v = fmt.Sprintf("R%07d", i+1)
		}
		nos = append(nos, v)
		h.Rows = append(h.Rows, []any{v})
	}
	g.s.Tables = append(g.s.Tables, h)
	// The header: one reference, a date and a total.
	g.factBody(h, dims, cal, refs[:1], 0, false)
	tot := g.colName("h", "total_amount")
	h.Columns = append(h.Columns, GenColumn{tot, "DECIMAL(14,2)"})
	for i := range h.Rows {
		h.Rows[i] = append(h.Rows[i], g.money(10, 5000))
	}
	ln := g.colName("l", []string{"line_no", "line_number", "seq", "line"}[g.r.IntN(4)])
	l.Columns = []GenColumn{{lk, typ}, {ln, "INTEGER"}}
	l.PK = []string{lk, ln}
	for _, no := range nos {
		k := 1 + g.r.IntN(5)
		for j := 1; j <= k; j++ {
			l.Rows = append(l.Rows, []any{no, int64(j)})
		}
	}
	g.s.Tables = append(g.s.Tables, l)
	g.s.FKs = append(g.s.FKs, FK{From: l.Name, FromColumns: []string{lk}, To: h.Name, ToColumns: []string{hk}})
	// Lines: the other references and measures, no date of their own.
	for j, i := range refs[1:] {
		g.addRef(l, dims[i], "", true, j == 0 && g.r.IntN(3) == 0, orphan)
	}
	qty, amt := g.colName("l", "quantity"), g.colName("l", "line_amount")
	l.Columns = append(l.Columns, GenColumn{qty, "INTEGER"}, GenColumn{amt, "DECIMAL(14,2)"})
	for i := range l.Rows {
		l.Rows[i] = append(l.Rows[i], int64(1+g.r.IntN(12)), g.money(1, 900))
	}
}

// bridge links two dimensions many-to-many: their references form the
// key; an optional allocation weight.
func (g *gen2) bridge(dims []*gdim) {
	var cand []*gdim
	for _, d := range dims {
		if len(d.keyCol) == 1 {
			cand = append(cand, d)
		}
	}
	if len(cand) < 2 {
		return
	}
	a, b := cand[0], cand[1]
	t := &GenTable{Name: a.e.name + "_" + b.e.name + []string{"_map", "_bridge", "", "_assignment"}[g.r.IntN(4)], Role: model.RoleBridge, prefix: "b"}
	if t.Name == a.e.name+"_"+b.e.name {
		t.Name += "s"
	}
	// Pairs: each a member gets 1–3 distinct b members.
	type pair struct{ x, y []any }
	var pairs []pair
	for _, ka := range a.keys {
		perm := g.r.Perm(len(b.keys))
		for j := 0; j < 1+g.r.IntN(3) && j < len(perm); j++ {
			pairs = append(pairs, pair{ka, b.keys[perm[j]]})
		}
	}
	ca := g.refName(a.e, a.kind, "", "b")
	cb := g.refName(b.e, b.kind, "", "b")
	if a.scd2 {
		ca = a.keyCol[0]
	}
	if b.scd2 {
		cb = b.keyCol[0]
	}
	ta, tb := g.keyType(a.kind)[0], g.keyType(b.kind)[0]
	if a.scd2 {
		ta = "INTEGER"
	}
	if b.scd2 {
		tb = "INTEGER"
	}
	t.Columns = []GenColumn{{ca, ta}, {cb, tb}}
	weight := g.r.IntN(2) == 0
	if weight {
		t.Columns = append(t.Columns, GenColumn{g.colName("b", "allocation_pct"), "DECIMAL(5,2)"})
	}
	for _, p := range pairs {
		row := []any{p.x[0], p.y[0]}
		if weight {
			row = append(row, g.money(0, 99))
		}
		t.Rows = append(t.Rows, row)
	}
	t.PK = []string{ca, cb}
	g.s.Tables = append(g.s.Tables, t)
	g.s.FKs = append(g.s.FKs, FK{From: t.Name, FromColumns: []string{ca}, To: a.t.Name, ToColumns: a.keyCol},
		FK{From: t.Name, FromColumns: []string{cb}, To: b.t.Name, ToColumns: b.keyCol})
}

// snapshot: one row per period × member of a dimension, with a balance.
func (g *gen2) snapshot(dims []*gdim, cal *gdim) {
	var d *gdim
	for _, x := range dims {
		if len(x.keyCol) == 1 && !x.scd2 {
			d = x
			break
		}
	}
	if d == nil {
		return
	}
	t := &GenTable{Name: d.e.name + []string{"_monthly_balances", "_snapshot", "_month_end", "_positions"}[g.r.IntN(4)], Role: model.RoleSnapshotFact, prefix: "s"}
	per := g.colName("s", []string{"period", "snapshot_date", "month_end", "as_of_date"}[g.r.IntN(4)])
	perType := "DATE"
	if per == g.colName("s", "period") {
		perType = "VARCHAR(7)"
	}
	refCol := g.refName(d.e, d.kind, "", "s")
	t.Columns = []GenColumn{{per, perType}, {refCol, g.keyType(d.kind)[0]}}
	meas := g.colName("s", []string{"closing_balance", "on_hand_qty", "headcount", "outstanding_amount", "amount", "quantity", "value"}[g.r.IntN(7)])
	t.Columns = append(t.Columns, GenColumn{meas, "DECIMAL(14,2)"})
	months := 6 + g.r.IntN(12)
	for m := 0; m < months; m++ {
		y, mo := 2024+m/12, m%12+1
		var pv any = fmt.Sprintf("%04d-%02d", y, mo)
		if perType == "DATE" {
			pv = fmt.Sprintf("%04d-%02d-28", y, mo)
		}
		for _, k := range d.keys {
			t.Rows = append(t.Rows, []any{pv, k[0], g.money(0, 90000)})
		}
	}
	t.PK = []string{per, refCol}
	g.s.Tables = append(g.s.Tables, t)
	g.s.FKs = append(g.s.FKs, FK{From: t.Name, FromColumns: []string{refCol}, To: d.t.Name, ToColumns: d.keyCol})
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Create creates and fills the schema's tables in schema ("" = the
// connection's default) with plain CREATE TABLE and bound INSERTs.
func (s *GenSchema) Create(ctx context.Context, conn connector.Connector, schema string) error {
	d := conn.Dialect()
	qual := func(t string) string {
		if schema == "" {
			return dialect.QuoteIdent(d, t)
		}
		return dialect.QuoteIdent(d, schema) + "." + dialect.QuoteIdent(d, t)
	}
	for _, t := range s.Tables {
		var defs, names []string
		for _, c := range t.Columns {
			defs = append(defs, dialect.QuoteIdent(d, c.Name)+" "+c.Type)
			names = append(names, dialect.QuoteIdent(d, c.Name))
		}
		if _, err := conn.Exec(ctx, "CREATE TABLE "+qual(t.Name)+" ("+strings.Join(defs, ", ")+")"); err != nil {
			return fmt.Errorf("seed %d: create %s: %w", s.Seed, t.Name, err)
		}
		if err := Insert(ctx, conn, qual(t.Name), names, t.Rows); err != nil {
			return fmt.Errorf("seed %d: fill %s: %w", s.Seed, t.Name, err)
		}
	}
	return nil
}
