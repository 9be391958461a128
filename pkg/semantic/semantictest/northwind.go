package semantictest

// Well-known schema shapes with generated data (issue 12): Northwind
// (here), Chinook (chinook.go) and TPC-DS (tpcds.go). Only the shapes are
// borrowed — table and column names, keys, references, roles; every name
// and value in the rows is invented by a deterministic generator. Each
// shape is a *GenSchema (the rows and the truth: key, role, type-2 SCD
// per table, and the foreign keys) built from the shape's truth variables,
// created with the shape's Create function. The expected models are also
// written out, for people, in examples/shapes/<shape>/expected_model.yaml
// (the test in pkg/semantic checks that the two agree).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/model"
)

// ---------------------------------------------------------------- helpers

// shapeBuilder assembles a shape's tables with their truth.
type shapeBuilder struct {
	r      *rand.Rand
	s      *GenSchema
	keys   map[string][]string
	roles  map[string]model.Role
	scd2   map[string]bool
	rename func(string) string // table and column names in the variant's style
}

func newShape(name string, seed uint64, keys map[string][]string, roles map[string]model.Role, scd2 []string, fks []FK, rename func(string) string) *shapeBuilder {
	if rename == nil {
		rename = func(s string) string { return s }
	}
	b := &shapeBuilder{r: rand.New(rand.NewPCG(seed, 0x5a4e)), s: &GenSchema{Seed: seed, Convention: name},
		keys: keys, roles: roles, scd2: map[string]bool{}, rename: rename}
	for _, t := range scd2 {
		b.scd2[t] = true
	}
	for _, fk := range fks {
		b.s.FKs = append(b.s.FKs, FK{From: rename(fk.From), FromColumns: renameAll(fk.FromColumns, rename),
			To: rename(fk.To), ToColumns: renameAll(fk.ToColumns, rename)})
	}
	return b
}

func renameAll(s []string, rename func(string) string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = rename(v)
	}
	return out
}

// table adds a table: cols alternate name, type ("order_id", "INTEGER",
// ...); its key, role and SCD truth come from the shape's variables.
func (b *shapeBuilder) table(name string, cols ...string) *GenTable {
	key, ok := b.keys[name]
	if !ok {
		panic("shape: no key for " + name)
	}
	role, ok := b.roles[name]
	if !ok {
		panic("shape: no role for " + name)
	}
	t := &GenTable{Name: b.rename(name), PK: renameAll(key, b.rename), Role: role, SCD2: b.scd2[name]}
	for i := 0; i+1 < len(cols); i += 2 {
		t.Columns = append(t.Columns, GenColumn{Name: b.rename(cols[i]), Type: cols[i+1]})
	}
	b.s.Tables = append(b.s.Tables, t)
	return t
}

// add appends a row, checking its width.
func (b *shapeBuilder) add(t *GenTable, row ...any) {
	if len(row) != len(t.Columns) {
		panic(fmt.Sprintf("shape: %s row has %d values for %d columns", t.Name, len(row), len(t.Columns)))
	}
	t.Rows = append(t.Rows, row)
}

func (b *shapeBuilder) n(lo, hi int) int { return lo + b.r.IntN(hi-lo+1) }

func (b *shapeBuilder) pick(s []string) string { return s[b.r.IntN(len(s))] }

func (b *shapeBuilder) money(lo, hi int) string {
	c := lo*100 + b.r.IntN((hi-lo)*100+1)
	return fmt.Sprintf("%d.%02d", c/100, c%100)
}

func (b *shapeBuilder) phone() string {
	return fmt.Sprintf("(%03d) %03d-%04d", b.n(200, 989), b.n(200, 999), b.n(0, 9999))
}

// createShape creates and fills a shape's tables (TIMESTAMP is DATETIME on
// MySQL/MariaDB).
func createShape(ctx context.Context, conn connector.Connector, schema string, gs *GenSchema) error {
	if conn.Dialect() == "mysql" {
		cp := *gs
		cp.Tables = nil
		for _, t := range gs.Tables {
			tc := *t
			tc.Columns = append([]GenColumn(nil), t.Columns...)
			for i := range tc.Columns {
				if tc.Columns[i].Type == "TIMESTAMP" {
					tc.Columns[i].Type = "DATETIME"
				}
			}
			cp.Tables = append(cp.Tables, &tc)
		}
		gs = &cp
	}
	return gs.Create(ctx, conn, schema)
}

// Invented words for names.
var (
	shapeAdjectives = []string{"Amber", "Bluefin", "Copper", "Driftwood", "Evergreen", "Foxglove", "Golden", "Hillside", "Ironbark",
		"Juniper", "Kingfisher", "Lakeshore", "Meadow", "Northgate", "Oakridge", "Pebble", "Quarry", "Riverbend", "Saltmarsh",
		"Thistle", "Upland", "Valley", "Willow", "Yellowpine", "Zinnia", "Brookside", "Cinder", "Dunmore", "Elmstead", "Fernhill"}
	shapeNouns = []string{"Provisions", "Traders", "Pantry", "Grocers", "Market", "Larder", "Foods", "Merchants", "Supply",
		"Delicatessen", "Emporium", "Wholesale", "Kitchen", "Bakery", "Creamery", "Dairy", "Farms", "Imports", "Cellars", "Mill"}
	shapeFirst = []string{"Ada", "Bruno", "Carmen", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kaia", "Luca",
		"Mira", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wim", "Ximena", "Yusuf", "Zofia"}
	shapeLast = []string{"Abernathy", "Brandt", "Castellano", "Dufresne", "Eklund", "Fontaine", "Gallagher", "Halvorsen", "Ibarra",
		"Jankowski", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Oyelaran", "Petrakis", "Quesada", "Rasmussen", "Sandoval",
		"Takahashi", "Ulrich", "Vasquez", "Whitfield", "Xavier", "Yilmaz", "Zimmermann"}
	shapeCities    = []string{"Aldmoor", "Brackenford", "Cresthaven", "Dunwick", "Eastmere", "Fallowby", "Glenrock", "Harrowgate", "Ivybridge", "Kestrel Bay", "Larkspur", "Millbrook", "Norhaven", "Oxley", "Pinecrest", "Redwater"}
	shapeCountries = []string{"Argentina", "Austria", "Belgium", "Brazil", "Canada", "Denmark", "Finland", "France", "Germany", "Ireland", "Italy", "Mexico", "Norway", "Poland", "Portugal", "Spain", "Sweden", "Switzerland", "UK", "USA", "Venezuela"}
	shapeFoods     = []string{"Trout", "Cheddar", "Chutney", "Marmalade", "Noodles", "Biscuits", "Syrup", "Olives", "Pesto", "Sardines", "Coffee", "Tea", "Honey", "Mustard", "Crackers", "Salami", "Relish", "Dumplings", "Lager", "Cider"}
	shapeFlavours  = []string{"Smoked", "Spiced", "Wild", "Mountain", "Old-Style", "Golden", "Dark", "Sweet", "Tangy", "Roasted", "Alpine", "Coastal"}
)

// name draws "First Last".
func (b *shapeBuilder) person() (first, last string) { return b.pick(shapeFirst), b.pick(shapeLast) }

// companies draws n distinct invented company names.
func (b *shapeBuilder) companies(n int) []string {
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		c := b.pick(shapeAdjectives) + " " + b.pick(shapeNouns)
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// codeOf makes a distinct five-letter upper-case code from a name (the
// first four letters of its first word and the first of the second,
// changed until unused).
func codeOf(name string, used map[string]bool) string {
	w := strings.Fields(strings.ToUpper(name))
	base := w[0]
	if len(base) > 4 {
		base = base[:4]
	}
	for len(base) < 4 {
		base += "X"
	}
	second := "X"
	if len(w) > 1 {
		second = w[1][:1]
	}
	code := base + second
	for i := 0; used[code]; i++ {
		code = base[:3] + string(rune('A'+i%26)) + string(rune('A'+(i/26)%26))
	}
	used[code] = true
	return code
}

var shapeDay0 = time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)

func shapeDate(d int) string { return shapeDay0.AddDate(0, 0, d).Format("2006-01-02") }

// ---------------------------------------------------------------- Northwind

// NorthwindKeys are the keys (grain) of the thirteen Northwind-shaped
// tables (snake_case names; NorthwindName gives the PascalCase variant's).
var NorthwindKeys = map[string][]string{
	"categories":             {"category_id"},
	"suppliers":              {"supplier_id"},
	"products":               {"product_id"},
	"customers":              {"customer_id"},
	"customer_demographics":  {"customer_type_id"},
	"customer_customer_demo": {"customer_id", "customer_type_id"},
	"employees":              {"employee_id"},
	"shippers":               {"shipper_id"},
	"orders":                 {"order_id"},
	"order_details":          {"order_id", "product_id"},
	"region":                 {"region_id"},
	"territories":            {"territory_id"},
	"employee_territories":   {"employee_id", "territory_id"},
}

// NorthwindRoles are the tables' roles: orders (a header with a date and
// freight) and its order_details are both transaction facts; the two
// many-to-many link tables are bridges; the rest are dimensions (products
// with its prices and stock levels included: it is the product master).
var NorthwindRoles = map[string]model.Role{
	"categories":             model.RoleDimension,
	"suppliers":              model.RoleDimension,
	"products":               model.RoleDimension,
	"customers":              model.RoleDimension,
	"customer_demographics":  model.RoleDimension,
	"customer_customer_demo": model.RoleBridge,
	"employees":              model.RoleDimension,
	"shippers":               model.RoleDimension,
	"orders":                 model.RoleAccumulatingFact, // order, required and shipped dates, some not shipped yet: a pipeline
	"order_details":          model.RoleTransactionFact,
	"region":                 model.RoleDimension,
	"territories":            model.RoleDimension,
	"employee_territories":   model.RoleBridge,
}

// NorthwindForeignKeys are the thirteen references, the self-reference
// employees.reports_to and orders.ship_via → shippers included.
var NorthwindForeignKeys = []FK{
	{"products", []string{"supplier_id"}, "suppliers", []string{"supplier_id"}},
	{"products", []string{"category_id"}, "categories", []string{"category_id"}},
	{"employees", []string{"reports_to"}, "employees", []string{"employee_id"}},
	{"territories", []string{"region_id"}, "region", []string{"region_id"}},
	{"employee_territories", []string{"employee_id"}, "employees", []string{"employee_id"}},
	{"employee_territories", []string{"territory_id"}, "territories", []string{"territory_id"}},
	{"customer_customer_demo", []string{"customer_id"}, "customers", []string{"customer_id"}},
	{"customer_customer_demo", []string{"customer_type_id"}, "customer_demographics", []string{"customer_type_id"}},
	{"orders", []string{"customer_id"}, "customers", []string{"customer_id"}},
	{"orders", []string{"employee_id"}, "employees", []string{"employee_id"}},
	{"orders", []string{"ship_via"}, "shippers", []string{"shipper_id"}},
	{"order_details", []string{"order_id"}, "orders", []string{"order_id"}},
	{"order_details", []string{"product_id"}, "products", []string{"product_id"}},
}

// NorthwindName maps a snake_case Northwind name to the PascalCase
// variant's (order_id → OrderID, order_details → Order Details).
func NorthwindName(s string) string {
	if s == "order_details" {
		return "Order Details"
	}
	var b strings.Builder
	for _, w := range strings.Split(s, "_") {
		if w == "id" {
			b.WriteString("ID")
		} else if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// Northwind generates the Northwind-shaped schema: snake_case names (as
// in the usual PostgreSQL port) or, with pascal, Northwind's own style
// (Orders.CustomerID, "Order Details"). Customers are keyed by invented
// five-letter codes; some territories are shared by two employees and
// some customers carry two demographic types, so the link tables' grain
// is the pair.
func Northwind(pascal bool) *GenSchema {
	var rename func(string) string
	name := "northwind"
	if pascal {
		rename, name = NorthwindName, "northwind_pascal"
	}
	b := newShape(name, 11, NorthwindKeys, NorthwindRoles, nil, NorthwindForeignKeys, rename)

	cat := b.table("categories", "category_id", "INTEGER", "category_name", "VARCHAR(30)", "description", "VARCHAR(200)")
	catNames := []string{"Beverages", "Condiments", "Confections", "Dairy Products", "Grains and Cereals", "Meat and Poultry", "Produce", "Seafood"}
	for i, c := range catNames {
		b.add(cat, int64(i+1), c, fmt.Sprintf("%s of every kind: %s, %s and %s lines", c, strings.ToLower(b.pick(shapeFlavours)), strings.ToLower(b.pick(shapeFlavours)), strings.ToLower(b.pick(shapeFlavours))))
	}

	sup := b.table("suppliers", "supplier_id", "INTEGER", "company_name", "VARCHAR(60)", "contact_name", "VARCHAR(40)",
		"contact_title", "VARCHAR(40)", "city", "VARCHAR(30)", "country", "VARCHAR(20)", "phone", "VARCHAR(24)")
	titles := []string{"Sales Manager", "Purchasing Agent", "Owner", "Marketing Manager", "Export Administrator", "Sales Representative", "Accounting Manager"}
	for i, c := range b.companies(29) {
		f, l := b.person()
		b.add(sup, int64(i+1), c, f+" "+l, b.pick(titles), b.pick(shapeCities), b.pick(shapeCountries), b.phone())
	}

	prod := b.table("products", "product_id", "INTEGER", "product_name", "VARCHAR(60)", "supplier_id", "INTEGER", "category_id", "INTEGER",
		"quantity_per_unit", "VARCHAR(30)", "unit_price", "DECIMAL(10,2)", "units_in_stock", "SMALLINT", "units_on_order", "SMALLINT",
		"reorder_level", "SMALLINT", "discontinued", "INTEGER")
	const nProducts = 77
	price := make([]string, nProducts+1)
	seenP := map[string]bool{}
	for p := 1; p <= nProducts; p++ {
		var pn string
		for pn == "" || seenP[pn] {
			pn = b.pick(shapeFlavours) + " " + b.pick(shapeAdjectives) + " " + b.pick(shapeFoods)
		}
		seenP[pn] = true
		price[p] = b.money(2, 120)
		disc := int64(0)
		if b.r.IntN(9) == 0 {
			disc = 1
		}
		b.add(prod, int64(p), pn, int64(b.n(1, 29)), int64(b.n(1, 8)), fmt.Sprintf("%d x %d g", b.n(6, 48), 50*b.n(1, 20)),
			price[p], int64(b.n(0, 125)), int64(b.n(0, 10)*10), int64(b.n(0, 6)*5), disc)
	}

	cust := b.table("customers", "customer_id", "VARCHAR(5)", "company_name", "VARCHAR(60)", "contact_name", "VARCHAR(40)",
		"contact_title", "VARCHAR(40)", "city", "VARCHAR(30)", "region", "VARCHAR(20)", "postal_code", "VARCHAR(10)",
		"country", "VARCHAR(20)", "phone", "VARCHAR(24)")
	used := map[string]bool{}
	var custIDs []string
	custCity := map[string][3]string{}
	regionsTxt := []string{"North", "South", "East", "West", "Central"}
	for _, c := range b.companies(91) {
		id := codeOf(c, used)
		custIDs = append(custIDs, id)
		f, l := b.person()
		var region any
		if b.r.IntN(3) == 0 {
			region = b.pick(regionsTxt)
		}
		city, country := b.pick(shapeCities), b.pick(shapeCountries)
		custCity[id] = [3]string{c, city, country}
		b.add(cust, id, c, f+" "+l, b.pick(titles), city, region, fmt.Sprintf("%05d", b.n(1000, 99999)), country, b.phone())
	}

	demo := b.table("customer_demographics", "customer_type_id", "VARCHAR(10)", "customer_desc", "VARCHAR(100)")
	types := [][2]string{{"RETAIL", "Shops selling to the public"}, {"WHOLESALE", "Resellers buying by the pallet"}, {"HORECA", "Restaurants, hotels and caterers"},
		{"ONLINE", "Web-only stores"}, {"INSTITUTE", "Schools, hospitals and canteens"}, {"EXPORT", "Buyers shipping abroad"}}
	for _, t := range types {
		b.add(demo, t[0], t[1])
	}
	ccd := b.table("customer_customer_demo", "customer_id", "VARCHAR(5)", "customer_type_id", "VARCHAR(10)")
	for i, id := range custIDs {
		if i%2 == 1 {
			continue
		}
		k := 1
		if b.r.IntN(3) == 0 {
			k = 2
		}
		for _, j := range b.r.Perm(len(types))[:k] {
			b.add(ccd, id, types[j][0])
		}
	}

	emp := b.table("employees", "employee_id", "INTEGER", "last_name", "VARCHAR(30)", "first_name", "VARCHAR(20)", "title", "VARCHAR(40)",
		"title_of_courtesy", "VARCHAR(10)", "birth_date", "DATE", "hire_date", "DATE", "city", "VARCHAR(30)", "country", "VARCHAR(20)", "reports_to", "INTEGER")
	// Employee 2 heads sales; 5 manages 6, 7 and 9; the rest report to 2.
	boss := []any{nil, int64(2), nil, int64(2), int64(2), int64(2), int64(5), int64(5), int64(2), int64(5)}
	empTitle := []string{"", "Sales Representative", "Vice President, Sales", "Sales Representative", "Sales Representative", "Sales Manager",
		"Sales Representative", "Sales Representative", "Inside Sales Coordinator", "Sales Representative"}
	for e := 1; e <= 9; e++ {
		f, l := b.person()
		b.add(emp, int64(e), l, f, empTitle[e], b.pick([]string{"Ms.", "Mr.", "Dr.", "Mrs."}), fmt.Sprintf("%d-%02d-%02d", b.n(1960, 1995), b.n(1, 12), b.n(1, 28)),
			shapeDate(-b.n(400, 3000)), b.pick(shapeCities), b.pick([]string{"USA", "UK"}), boss[e])
	}

	ship := b.table("shippers", "shipper_id", "INTEGER", "company_name", "VARCHAR(40)", "phone", "VARCHAR(24)")
	for i, c := range []string{"Swiftwing Couriers", "Harbor Freight Lines", "Parcel Otter", "Cloudberry Post", "Longhaul Brothers"} {
		b.add(ship, int64(i+1), c, b.phone())
	}

	reg := b.table("region", "region_id", "INTEGER", "region_description", "VARCHAR(50)")
	for i, r := range []string{"Eastern", "Western", "Northern", "Southern", "Central"} {
		b.add(reg, int64(i+1), r)
	}
	terr := b.table("territories", "territory_id", "VARCHAR(20)", "territory_description", "VARCHAR(50)", "region_id", "INTEGER")
	var terrIDs []string
	seenT := map[string]bool{}
	for len(terrIDs) < 53 {
		id := fmt.Sprintf("%05d", b.n(1000, 99000))
		if seenT[id] {
			continue
		}
		seenT[id] = true
		terrIDs = append(terrIDs, id)
		b.add(terr, id, b.pick(shapeCities)+" "+b.pick([]string{"North", "South", "Heights", "Park", "Falls", "Springs", "Ridge"}), int64(b.n(1, 5)))
	}
	et := b.table("employee_territories", "employee_id", "INTEGER", "territory_id", "VARCHAR(20)")
	for i, id := range terrIDs[:49] {
		e := int64(i%9 + 1)
		b.add(et, e, id)
		if i%8 == 3 { // a shared territory
			b.add(et, (e%9)+1, id)
		}
	}

	ord := b.table("orders", "order_id", "INTEGER", "customer_id", "VARCHAR(5)", "employee_id", "INTEGER", "order_date", "DATE",
		"required_date", "DATE", "shipped_date", "DATE", "ship_via", "INTEGER", "freight", "DECIMAL(10,2)",
		"ship_name", "VARCHAR(60)", "ship_city", "VARCHAR(30)", "ship_country", "VARCHAR(20)")
	det := b.table("order_details", "order_id", "INTEGER", "product_id", "INTEGER", "unit_price", "DECIMAL(10,2)", "quantity", "SMALLINT", "discount", "REAL")
	discounts := []float64{0, 0, 0, 0.05, 0.1, 0.15, 0.2, 0.25}
	for i := 0; i < 830; i++ {
		id := int64(10001 + i)
		c := custIDs[b.r.IntN(len(custIDs)-2)] // two customers never order
		od := i*670/830 + b.n(0, 2)
		var shipped any = shapeDate(od + b.n(1, 30))
		if i > 805 && b.r.IntN(2) == 0 {
			shipped = nil // not shipped yet
		}
		cc := custCity[c]
		b.add(ord, id, c, int64(b.n(1, 9)), shapeDate(od), shapeDate(od+[]int{14, 28, 28, 28, 42}[b.r.IntN(5)]), shipped, int64(b.n(1, 5)),
			b.money(0, 900), cc[0], cc[1], cc[2])
		for _, p := range b.r.Perm(nProducts)[:b.n(1, 5)] {
			b.add(det, id, int64(p+1), price[p+1], int64(b.n(1, 120)), discounts[b.r.IntN(len(discounts))])
		}
	}
	return b.s
}

// CreateNorthwind creates and fills the Northwind-shaped tables in schema
// ("" = the connection's default) and returns them with their truth.
func CreateNorthwind(ctx context.Context, conn connector.Connector, schema string, pascal bool) (*GenSchema, error) {
	gs := Northwind(pascal)
	return gs, createShape(ctx, conn, schema, gs)
}
