package evalnl_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/connections"
)

// shapes are warehouses of other businesses than the evaluation's three,
// each with its questions in eval/nl/shapes/<name>.yaml: one that only
// buys (payables), one of people and payroll, one that sells, buys and
// keeps stock (wholesale), one of advertising activity (marketing), one
// of order headers, their undated lines and returns (ecommerce), a
// consultancy's timesheets and invoices (services), an insurer's claims
// (insurance), a hotel's bookings (hotel), a bank's transactions and
// balances (bank), shipments (logistics), production and downtime
// (factory), a nonprofit's gifts (nonprofit), a clinic's visits (clinic),
// a utility's bills (utility), a restaurant's checks and their lines
// (restaurant), a school's enrollments (education), rent payments on leases
// (realestate), flights between airports (airline), monthly phone usage
// (telecom), job applications (recruiting), purchase-order lines
// (procurement), a Kimball star with an integer-keyed date dimension
// (star), Northwind-style orders with PascalCase names and discount rates
// (pascal), employees' expense claims (expenses), a fixed-asset register and
// its monthly depreciation (assets), an FP&A team's monthly P&L and budget
// versus actuals (fpa). They hold what the parser
// learned beyond the evaluation's warehouses; they are not a part of its
// score.
var shapes = []string{"payables", "people", "wholesale", "marketing", "ecommerce", "services", "insurance", "hotel", "bank", "logistics", "factory",
	"nonprofit", "clinic", "utility", "restaurant", "education", "realestate", "airline", "telecom", "recruiting", "procurement", "star", "pascal", "expenses", "assets", "fpa", "opex", "lending", "inventory", "ticketing", "fitness", "crm", "callcenter", "mrr", "cloudcost", "rides", "projects"}

// TestShapes builds each shape's warehouse from its example as the CLI
// does and asks every question of its file through the analytics
// service: each answerable one must be answered with the rows of its
// hand-written SQL, each unanswerable one refused.
func TestShapes(t *testing.T) {
	ctx := context.Background()
	for _, name := range shapes {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(repoRoot(t), "eval", "nl", "shapes", name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var qs []question
			dec := yaml.NewDecoder(strings.NewReader(string(data)))
			dec.KnownFields(true)
			if err := dec.Decode(&qs); err != nil {
				t.Fatalf("%s.yaml: %v", name, err)
			}
			for _, q := range qs {
				if q.Frozen || q.Answerable == (strings.TrimSpace(q.SQL) == "") {
					t.Fatalf("%s: a shape's question is not frozen, and has SQL exactly when it is answerable", q.ID)
				}
			}
			p, err := buildFiles(name)(ctx, filepath.Join(t.TempDir(), name))
			if err != nil {
				t.Fatalf("build the %s warehouse: %v", name, err)
			}
			conn, err := connections.New(p).Connect(ctx, "", true)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			svc := analytics.New(p)
			if _, err := svc.Refresh(ctx); err != nil {
				t.Fatalf("building the semantic layer: %v", err)
			}
			b := &built{spec: warehouseSpec{name: name}, p: p, conn: conn, qs: qs}
			for _, q := range qs {
				if o := b.ask(ctx, svc, q); o.failed() {
					t.Errorf("%s %q: %s\n  interpretation: %s\n  want %v %v\n  got  %v %v", q.ID, q.Question, o.why(), o.interp, o.wantCols, head(o.want), o.gotCols, head(o.got))
				}
			}
		})
	}
}

// head is the first rows of a result, for a failure's message.
func head(rows [][]any) [][]any {
	if len(rows) > 4 {
		return rows[:4]
	}
	return rows
}
