package warehouse_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/warehouse"
)

// A CSV export whose amounts are written for people ("$1,234.56",
// "(500.00)") is analysed with those columns as exact decimals, and the
// deploy's staging converts the text the same way: the fact's total is
// the exact sum of the file's amounts.
func TestFormattedAmountsStaged(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	data := filepath.Join(root, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	var inv strings.Builder
	inv.WriteString("invoice_id,vendor_id,invoice_date,amount,tax\n")
	var cents int64
	for i := 1; i <= 400; i++ {
		c := int64(i*7919%500000) - 100000 // some negative
		cents += c
		amt := fmt.Sprintf("%d.%02d", abs(c)/100, abs(c)%100)
		if abs(c) >= 100000 {
			amt = fmt.Sprintf("%d,%03d.%02d", abs(c)/100000, abs(c)/100%1000, abs(c)%100)
		}
		if c < 0 {
			amt = "(" + amt + ")"
		}
		fmt.Fprintf(&inv, "%d,%d,2025-%02d-%02d,\"$%s\",\"%d.%02d\"\n", i, i%20+1, i%12+1, i%28+1, amt, i%50, i%100)
	}
	var ven strings.Builder
	ven.WriteString("vendor_id,vendor_name\n")
	for v := 1; v <= 20; v++ {
		fmt.Fprintf(&ven, "%d,Vendor %d Ltd\n", v, v)
	}
	for name, body := range map[string]string{"invoices.csv": inv.String(), "vendors.csv": ven.String()} {
		if err := os.WriteFile(filepath.Join(data, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := project.Init(root, "fmt"); err != nil {
		t.Fatal(err)
	}
	p, _ := project.Open(root)
	conns := connections.New(p)
	if _, err := conns.Add(ctx, connections.AddInput{Name: "src", Config: connector.Config{Type: "files", Path: data}}); err != nil {
		t.Fatal(err)
	}
	p, _ = project.Open(root)
	sem := semantic.NewService(p)
	res, err := sem.Analyze(ctx, semantic.AnalyzeInput{Connection: "src"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tb := res.Model.Table("invoices")
	if tb == nil {
		t.Fatal("no invoices table")
	}
	for _, c := range tb.Columns {
		if c.Name == "amount" && (c.Type != "DECIMAL(18,2)" || c.Format != "us") {
			t.Fatalf("amount: %s format %q", c.Type, c.Format)
		}
	}
	if _, err := sem.Approve(ctx, "src"); err != nil {
		t.Fatal(err)
	}
	if err := warehouse.SaveConfig(p, &warehouse.Config{Model: "src"}); err != nil {
		t.Fatal(err)
	}
	ds, err := warehouse.NewService(p).Design(ctx, warehouse.DesignInput{})
	if err != nil {
		t.Fatal(err)
	}
	target, err := conns.Connect(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	for _, s := range ds.Statements() {
		if _, err := target.Exec(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	want := fmt.Sprintf("%d.%02d", cents/100, abs(cents)%100)
	if cents < 0 && cents > -100 {
		want = "-" + want
	}
	for _, q := range []string{`SELECT CAST(SUM(amount) AS VARCHAR) FROM "STG_INVOICES"`, `SELECT CAST(SUM(amount) AS VARCHAR) FROM "FACT_INVOICES"`} {
		r, err := target.Query(ctx, q, connector.QueryOptions{})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := fmt.Sprint(r.Rows[0][0]); got != want {
			t.Errorf("%s = %s, want %s", q, got, want)
		}
	}
	r, err := target.Query(ctx, `SELECT data_type FROM information_schema.columns WHERE table_name = 'STG_INVOICES' AND column_name = 'amount'`, connector.QueryOptions{})
	if err != nil || len(r.Rows) != 1 || fmt.Sprint(r.Rows[0][0]) != "DECIMAL(18,2)" {
		t.Fatalf("staged amount type %v %v", r, err)
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
