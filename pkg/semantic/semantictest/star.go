package semantictest

import (
	"context"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
)

// StarSchema describes a generated DuckDB schema of a few big facts with
// foreign keys to many dimensions, for benchmarks.
type StarSchema struct {
	// Tables lists every table created (facts first).
	Tables []string
	// Rows is the total row count.
	Rows int64
	// Keys maps each table to its key column.
	Keys map[string][]string
	// ForeignKeys are the references the data holds.
	ForeignKeys []FK
}

// CreateStar creates, in an (in-memory or file) DuckDB database, facts
// facts of factRows rows in all (split 40/25/20/15% for four facts) and
// dims dimensions of 200 to 2,000 rows; each fact references dims/facts
// dimensions (column dimNN_id) plus the first dimension, which all share.
// Everything is generated in the engine with CREATE TABLE ... AS SELECT
// ... FROM range(n).
//
// Fact f (fact_0 ...) has f<k>_id (unique), the foreign keys, f<k>_date,
// amount DECIMAL(12,2), qty INTEGER and status VARCHAR. Dimension dimNN
// has dimNN_id (1..n), dimNN_code ('D07-000042'), dimNN_name, category,
// created_on DATE and weight DOUBLE.
func CreateStar(ctx context.Context, conn connector.Connector, facts, dims int, factRows int64) (*StarSchema, error) {
	if conn.Dialect() != "duckdb" {
		return nil, fmt.Errorf("CreateStar generates with DuckDB's range(); got %s", conn.Dialect())
	}
	st := &StarSchema{Keys: map[string][]string{}}
	dimRows := make([]int64, dims)
	for d := 0; d < dims; d++ {
		dimRows[d] = 200 + int64((d*7919)%1801)
	}
	shares := []float64{0.40, 0.25, 0.20, 0.15}
	for f := 0; f < facts; f++ {
		share := 1.0 / float64(facts)
		if facts == len(shares) {
			share = shares[f]
		}
		n := int64(float64(factRows) * share)
		name := fmt.Sprintf("fact_%d", f)
		p := fmt.Sprintf("f%d_", f)
		cols := []string{fmt.Sprintf("CAST(i + 1 AS BIGINT) AS %sid", p)}
		var refs []int
		refs = append(refs, 0)
		for d := 1; d < dims; d++ {
			if d%facts == f {
				refs = append(refs, d)
			}
		}
		for _, d := range refs {
			dn := fmt.Sprintf("dim%02d", d)
			// A multiplicative hash spreads the references over the keys.
			cols = append(cols, fmt.Sprintf("CAST(((i * %d + %d) %% %d) + 1 AS INTEGER) AS %s_id", 2654435761%(1<<20)+2*d+1, d*13, dimRows[d], dn))
			st.ForeignKeys = append(st.ForeignKeys, FK{From: name, FromColumns: []string{dn + "_id"}, To: dn, ToColumns: []string{dn + "_id"}})
		}
		cols = append(cols,
			fmt.Sprintf("DATE '2020-01-01' + CAST(i %% 1461 AS INTEGER) AS %sdate", p),
			"CAST(((i * 7919) % 1000000) / 100.0 AS DECIMAL(12,2)) AS amount",
			"CAST(1 + i % 50 AS INTEGER) AS qty",
			"CASE i % 4 WHEN 0 THEN 'open' WHEN 1 THEN 'shipped' WHEN 2 THEN 'billed' ELSE 'closed' END AS status")
		q := "CREATE TABLE " + name + " AS SELECT " + strings.Join(cols, ", ") + fmt.Sprintf(" FROM range(%d) t(i)", n)
		if _, err := conn.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("create %s: %w", name, err)
		}
		st.Tables = append(st.Tables, name)
		st.Keys[name] = []string{p + "id"}
		st.Rows += n
	}
	for d := 0; d < dims; d++ {
		dn := fmt.Sprintf("dim%02d", d)
		q := fmt.Sprintf(`CREATE TABLE %[1]s AS SELECT
			CAST(i + 1 AS INTEGER) AS %[1]s_id,
			'D%02[2]d-' || lpad(CAST(i + 1 AS VARCHAR), 6, '0') AS %[1]s_code,
			'%[1]s member ' || CAST(i + 1 AS VARCHAR) || ' of group ' || CAST(i %% 17 AS VARCHAR) AS %[1]s_name,
			'C' || CAST(i %% 10 AS VARCHAR) AS category,
			DATE '2015-01-01' + CAST(i %% 3000 AS INTEGER) AS created_on,
			CAST(i AS DOUBLE) / 7 AS weight
			FROM range(%[3]d) t(i)`, dn, d, dimRows[d])
		if _, err := conn.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("create %s: %w", dn, err)
		}
		st.Tables = append(st.Tables, dn)
		st.Keys[dn] = []string{dn + "_id"}
		st.Rows += dimRows[d]
	}
	return st, nil
}
