package warehouse_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/testenv/sparkconn"
	"github.com/databridge/databridge/pkg/warehouse"
)

// sparkType is the Spark type for a DuckDB column type of the example
// files.
func sparkType(duck string) string {
	u := strings.ToUpper(duck)
	switch {
	case strings.HasPrefix(u, "VARCHAR"):
		return "STRING"
	case u == "INTEGER":
		return "INT"
	case u == "HUGEINT":
		return "DECIMAL(38,0)"
	case strings.HasPrefix(u, "DECIMAL"), u == "BIGINT", u == "DATE", u == "DOUBLE", u == "BOOLEAN", u == "TIMESTAMP", u == "SMALLINT":
		return u
	}
	return "STRING"
}

// TestModelObjectsOnSpark: the finance ERP example analysed and approved on
// DuckDB; its source tables loaded into a Spark schema with the same rows;
// the approved model's staging, dimension and fact objects and a P&L
// pipeline over the GL fact, rendered for databricks and read in place,
// deploy on Spark with Delta, and every object has the rows it has on
// DuckDB; the fact's dimension keys all resolve; DT_3 is equal.
func TestModelObjectsOnSpark(t *testing.T) {
	sp := sparkconn.Open(t, "spark")
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "wh"); err != nil {
		t.Fatal(err)
	}
	p, _ := project.Open(root)
	examples, _ := filepath.Abs("../../examples/finance_erp")
	conns := connections.New(p)
	if _, err := conns.Add(ctx, connections.AddInput{Name: "erp", Config: connector.Config{Type: "files", Path: examples}}); err != nil {
		t.Fatal(err)
	}
	p, _ = project.Open(root)
	sem := semantic.NewService(p)
	if _, err := sem.Analyze(ctx, semantic.AnalyzeInput{Connection: "erp"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sem.Approve(ctx, "erp"); err != nil {
		t.Fatal(err)
	}
	if _, err := hierarchy.NewService(p).NewFromTemplate(ctx, hierarchy.NewInput{Template: "standard_pl", ID: "pl"}); err != nil {
		t.Fatal(err)
	}
	cfg := &warehouse.Config{Model: "erp", Bindings: []warehouse.Binding{{Hierarchy: "pl", Source: "FACT_GL_JOURNAL_LINES", CodeColumn: "account_code",
		Values: []string{"AMOUNT"}, GroupBy: []string{"fiscal_year", "fiscal_quarter"}}}}
	if err := warehouse.SaveConfig(p, cfg); err != nil {
		t.Fatal(err)
	}
	svc := warehouse.NewService(p)
	inp, err := svc.Inputs(ctx, warehouse.DesignInput{})
	if err != nil {
		t.Fatal(err)
	}
	duckDesign, err := warehouse.Build(*inp)
	if err != nil {
		t.Fatal(err)
	}
	duck, err := conns.Connect(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	run := func(c connector.Connector, ds *warehouse.Design) {
		t.Helper()
		for _, st := range ds.Statements() {
			for _, s := range strings.Split(st, ";\n") {
				if _, err := c.Exec(ctx, s); err != nil {
					t.Fatalf("%s: %v\n%s", c.Dialect(), err, s)
				}
			}
		}
	}
	run(duck, duckDesign)

	// The same source rows as tables of the Spark schema.
	src, err := conns.Connect(ctx, "erp", true)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	sources := map[string]warehouse.Source{}
	for _, mt := range inp.Model.Tables {
		det, err := src.Describe(ctx, "", mt.Name)
		if err != nil {
			t.Fatal(err)
		}
		var cols, casts []string
		for _, c := range det.Columns {
			cols = append(cols, d.QuoteIdent(d.Databricks, c.Name)+" "+sparkType(c.Type))
			casts = append(casts, "CAST(? AS "+sparkType(c.Type)+")")
		}
		name := d.QuoteIdent(d.Databricks, sp.Schema()) + "." + d.QuoteIdent(d.Databricks, mt.Name)
		if _, err := sp.Exec(ctx, "CREATE TABLE "+name+" ("+strings.Join(cols, ", ")+")"); err != nil {
			t.Fatal(err)
		}
		res, err := src.Query(ctx, "SELECT * FROM "+d.QuoteIdent(d.DuckDB, mt.Name), connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatal(err)
		}
		for start := 0; start < len(res.Rows); start += 400 {
			var vals []string
			var args []any
			for _, r := range res.Rows[start:min(len(res.Rows), start+400)] {
				vals = append(vals, "("+strings.Join(casts, ", ")+")")
				for _, v := range r {
					if v != nil {
						v = fmt.Sprint(v)
					}
					args = append(args, v)
				}
			}
			if _, err := sp.Exec(ctx, "INSERT INTO "+name+" VALUES "+strings.Join(vals, ", "), args...); err != nil {
				t.Fatalf("load %s: %v", mt.Name, err)
			}
		}
		sources[mt.Name] = warehouse.Source{Table: d.Name{Schema: sp.Schema(), Name: mt.Name}}
	}
	spInp := *inp
	spInp.Dialect = d.Databricks
	spCfg := *inp.Config
	spCfg.Schema = sp.Schema()
	spInp.Config = &spCfg
	spInp.Sources = sources
	spDesign, err := warehouse.Build(spInp)
	if err != nil {
		t.Fatal(err)
	}
	run(sp, spDesign)

	count := func(c connector.Connector, q string) string {
		t.Helper()
		res, err := c.Query(ctx, q, connector.QueryOptions{})
		if err != nil {
			t.Fatalf("%s: %s: %v", c.Dialect(), q, err)
		}
		return fmt.Sprint(res.Rows[0]...)
	}
	// Every object holds the rows it holds on DuckDB.
	n := 0
	for _, o := range duckDesign.Objects {
		so := spDesign.Object(o.Name)
		if so == nil {
			t.Fatalf("%s: not in the databricks design", o.Name)
		}
		want := count(duck, "SELECT COUNT(*) FROM "+d.QuoteIdent(d.DuckDB, o.Name))
		got := count(sp, "SELECT COUNT(*) FROM "+d.QuoteIdent(d.Databricks, sp.Schema())+"."+d.QuoteIdent(d.Databricks, so.Name))
		if got != want {
			t.Errorf("%s (%s): %s rows on Spark, %s on DuckDB", o.Name, o.Kind, got, want)
		}
		n++
	}
	q := func(name string) string {
		return d.QuoteIdent(d.Databricks, sp.Schema()) + "." + d.QuoteIdent(d.Databricks, name)
	}
	if got := count(sp, `SELECT COUNT(*) FROM `+q("FACT_GL_JOURNAL_LINES")); got != "7004" {
		t.Fatalf("fact rows on Spark = %s", got)
	}
	if got := count(sp, `SELECT COUNT(*) FROM `+q("FACT_GL_JOURNAL_LINES")+" WHERE `CHART_OF_ACCOUNTS_SK` IS NULL OR `PERIODS_SK` IS NULL OR `COST_CENTERS_SK` IS NULL OR `CURRENCIES_SK` IS NULL OR `EXCHANGE_RATES_SK` IS NULL"); got != "0" {
		t.Fatalf("unresolved dimension keys on Spark: %s", got)
	}
	if got := count(sp, "SELECT COUNT(DISTINCT `COST_CENTERS_SK`) = COUNT(*) FROM "+q("DIM_COST_CENTERS")); got != "true" {
		t.Fatalf("surrogate keys not unique on Spark")
	}
	// DT_3, value for value.
	read := func(c connector.Connector, table string) map[string]string {
		t.Helper()
		res, err := c.Query(ctx, "SELECT "+d.QuoteIdent(c.Dialect(), "NODE_CODE")+", CAST(fiscal_year AS "+d.TextType(c.Dialect())+"), CAST(fiscal_quarter AS "+d.TextType(c.Dialect())+"), CAST("+d.QuoteIdent(c.Dialect(), "AMOUNT")+" AS "+d.TextType(c.Dialect())+") FROM "+table, connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range res.Rows {
			out[fmt.Sprint(r[0], "|", r[1], "|", r[2])] = fmt.Sprint(r[3])
		}
		return out
	}
	want, got := read(duck, d.QuoteIdent(d.DuckDB, "DT_3_PL")), read(sp, q("DT_3_PL"))
	if len(want) < 100 || len(got) != len(want) {
		t.Fatalf("DT_3_PL: %d rows on Spark, %d on DuckDB", len(got), len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("DT_3_PL %s: Spark %s, DuckDB %s", k, got[k], w)
		}
	}
	t.Logf("%d objects with equal row counts; %d DT_3_PL values equal", n, len(want))
}
