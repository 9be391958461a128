package semantic_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/semantic/semantictest"
)

// TestReferencedKeyWins: a product table has a row number (integer,
// first, unique) and a unique SKU code; the sales reference the SKU. The
// key is the SKU, because it is what other tables reference, and the
// reference is found.
func TestReferencedKeyWins(t *testing.T) {
	ctx := context.Background()
	conn, _ := semantictest.Open(t, "duckdb")
	var rows [][]any
	for i := 1; i <= 120; i++ {
		rows = append(rows, []any{int64(i), fmt.Sprintf("SKU-%05d", 1000-i), fmt.Sprintf("Product %d", i)})
	}
	exec := func(q string) {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE TABLE products (row_num INTEGER, sku VARCHAR, product_label VARCHAR)`)
	if err := semantictest.Insert(ctx, conn, "products", []string{"row_num", "sku", "product_label"}, rows); err != nil {
		t.Fatal(err)
	}
	exec(`CREATE TABLE sales AS SELECT CAST(i AS INTEGER) AS sale_id, 'SKU-' || lpad(CAST(1000 - 1 - (i * 7) % 120 AS VARCHAR), 5, '0') AS sku,
		CAST(i % 9 + 1 AS INTEGER) AS qty, CAST((i * 37) % 10000 AS DECIMAL(12,2)) / 100 AS amount, DATE '2026-01-01' + CAST(i % 300 AS INTEGER) AS sold_on
		FROM range(1, 3001) t(i)`)
	m, err := semantic.Analyze(ctx, conn, "ref", semantic.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := m.Table("products")
	if strings.Join(p.PrimaryKey, ",") != "sku" {
		t.Fatalf("products key %v, want [sku]; evidence %v", p.PrimaryKey, p.KeyInference.Evidence)
	}
	if p.KeyInference.Evidence[0].Rule != "referenced_key" {
		t.Errorf("first evidence %v, want referenced_key", p.KeyInference.Evidence[0])
	}
	found := false
	for _, r := range m.Relationships {
		if r.FromTable == "sales" && strings.Join(r.FromColumns, ",") == "sku" && r.ToTable == "products" {
			found = true
		}
		if r.ToTable == "products" && strings.Join(r.ToColumns, ",") != "sku" {
			t.Errorf("reference to a key nothing else uses: %+v", r)
		}
	}
	if !found {
		t.Errorf("sales(sku) → products(sku) not found: %+v", m.Relationships)
	}
}
