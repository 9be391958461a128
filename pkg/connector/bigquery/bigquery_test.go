package bigquery

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/iterator"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
)

func TestRegistered(t *testing.T) {
	e, ok := connector.Lookup("bigquery")
	if !ok || e.Dialect != "bigquery" || e.Open == nil {
		t.Fatalf("engine: %+v %v", e, ok)
	}
	if err := connector.CheckConfig(connector.Config{Type: "bigquery"}); err == nil || !strings.Contains(err.Error(), "project") {
		t.Fatalf("check: %v", err)
	}
}

// writeServiceAccount writes a syntactically valid service-account key
// file with a freshly generated key (it authorises nothing).
func writeServiceAccount(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	sa := map[string]string{
		"type":           "service_account",
		"project_id":     "acme-finance",
		"private_key_id": "0123456789abcdef",
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":   "databridge@acme-finance.iam.gserviceaccount.com",
		"client_id":      "1234567890",
		"token_uri":      "https://oauth2.googleapis.com/token",
	}
	b, _ := json.Marshal(sa)
	p := filepath.Join(t.TempDir(), "sa.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestClientOptions(t *testing.T) {
	opts, err := ClientOptions(connector.Config{Project: "p"})
	if err != nil || len(opts) != 1 {
		t.Fatalf("adc: %d options, %v", len(opts), err)
	}
	sa := writeServiceAccount(t)
	opts, err = ClientOptions(connector.Config{Project: "p", CredentialsFile: sa})
	if err != nil || len(opts) != 2 {
		t.Fatalf("service account: %d options, %v", len(opts), err)
	}
	// The client builds from these options without any network call.
	c, err := open(context.Background(), "ledger", connector.Config{Type: "bigquery", Project: "acme-finance", Dataset: "gl", Location: "EU", CredentialsFile: sa})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	bc := c.(*Conn)
	if bc.client.Location != "EU" || bc.client.Project() != "acme-finance" || bc.Name() != "ledger" || bc.Dialect() != "bigquery" {
		t.Fatalf("client: location=%s project=%s", bc.client.Location, bc.client.Project())
	}
	q := bc.query("SELECT ?", []any{42})
	if q.DefaultProjectID != "acme-finance" || q.DefaultDatasetID != "gl" || q.Location != "EU" || len(q.Parameters) != 1 {
		t.Fatalf("query config: %+v", q.QueryConfig)
	}
	if _, err := c.Begin(context.Background()); !errors.Is(err, ErrTransactionsUnsupported) {
		t.Fatalf("begin: %v", err)
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte("not json"), 0o600)
	if _, err := ClientOptions(connector.Config{CredentialsFile: bad}); err == nil || !strings.Contains(err.Error(), "not a JSON credentials file") {
		t.Fatalf("bad json: %v", err)
	}
	odd := filepath.Join(dir, "odd.json")
	_ = os.WriteFile(odd, []byte(`{"type":"api_key"}`), 0o600)
	if _, err := ClientOptions(connector.Config{CredentialsFile: odd}); err == nil || !strings.Contains(err.Error(), `type "api_key"`) {
		t.Fatalf("odd type: %v", err)
	}
}

func TestOpenMissingCredentials(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope", "sa.json")
	_, err := connector.Open(context.Background(), "ledger", connector.Config{Type: "bigquery", Project: "acme", CredentialsFile: missing})
	if err == nil {
		t.Fatal("want error")
	}
	for _, want := range []string{`connection "ledger"`, "bigquery", missing, "does not exist"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestDetail(t *testing.T) {
	md := &bigquery.TableMetadata{
		Type:        bigquery.RegularTable,
		Description: "GL journal lines",
		Schema: bigquery.Schema{
			{Name: "entity", Type: bigquery.StringFieldType, Required: true, MaxLength: 10},
			{Name: "journal_id", Type: bigquery.IntegerFieldType, Required: true},
			{Name: "line_no", Type: bigquery.IntegerFieldType, Required: true},
			{Name: "account", Type: bigquery.StringFieldType, Description: "GL account"},
			{Name: "amount", Type: bigquery.NumericFieldType, Precision: 18, Scale: 2, DefaultValueExpression: "0"},
			{Name: "tags", Type: bigquery.StringFieldType, Repeated: true},
			{Name: "source", Type: bigquery.RecordFieldType, Schema: bigquery.Schema{
				{Name: "system", Type: bigquery.StringFieldType},
				{Name: "loaded", Type: bigquery.TimestampFieldType},
			}},
			{Name: "ok", Type: bigquery.BooleanFieldType},
			{Name: "rate", Type: bigquery.FloatFieldType},
		},
		TableConstraints: &bigquery.TableConstraints{
			PrimaryKey: &bigquery.PrimaryKey{Columns: []string{"entity", "journal_id", "line_no"}},
			ForeignKeys: []*bigquery.ForeignKey{
				{Name: "fk_journal", ReferencedTable: &bigquery.Table{ProjectID: "acme", DatasetID: "gl", TableID: "journals"},
					ColumnReferences: []*bigquery.ColumnReference{
						{ReferencingColumn: "entity", ReferencedColumn: "entity"},
						{ReferencingColumn: "journal_id", ReferencedColumn: "id"},
					}},
				{Name: "fk_account", ReferencedTable: &bigquery.Table{ProjectID: "acme", DatasetID: "md", TableID: "accounts"},
					ColumnReferences: []*bigquery.ColumnReference{{ReferencingColumn: "account", ReferencedColumn: "code"}}},
			},
		},
	}
	zero := "0"
	want := &catalog.TableDetail{
		Table: catalog.Table{Schema: "gl", Name: "journal_lines", Kind: "table", Comment: "GL journal lines"},
		Columns: []catalog.Column{
			{Name: "entity", Type: "STRING(10)", Position: 1},
			{Name: "journal_id", Type: "INT64", Position: 2},
			{Name: "line_no", Type: "INT64", Position: 3},
			{Name: "account", Type: "STRING", Nullable: true, Position: 4, Comment: "GL account"},
			{Name: "amount", Type: "NUMERIC(18, 2)", Nullable: true, Position: 5, Default: &zero},
			{Name: "tags", Type: "ARRAY<STRING>", Position: 6},
			{Name: "source", Type: "STRUCT<system STRING, loaded TIMESTAMP>", Nullable: true, Position: 7},
			{Name: "ok", Type: "BOOL", Nullable: true, Position: 8},
			{Name: "rate", Type: "FLOAT64", Nullable: true, Position: 9},
		},
		PrimaryKey: []string{"entity", "journal_id", "line_no"},
		ForeignKeys: []catalog.ForeignKey{
			{Name: "fk_journal", Columns: []string{"entity", "journal_id"}, RefSchema: "gl", RefTable: "journals", RefColumns: []string{"entity", "id"}},
			{Name: "fk_account", Columns: []string{"account"}, RefSchema: "md", RefTable: "accounts", RefColumns: []string{"code"}},
		},
	}
	got := Detail("gl", "journal_lines", md)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("detail:\n got %+v\nwant %+v", got, want)
	}
	v := Detail("gl", "v_tb", &bigquery.TableMetadata{Type: bigquery.ViewTable})
	if v.Kind != "view" || v.PrimaryKey != nil || v.ForeignKeys != nil {
		t.Fatalf("view: %+v", v)
	}
	if KindOf(string(bigquery.MaterializedView)) != "view" || KindOf("MATERIALIZED VIEW") != "view" || KindOf("BASE TABLE") != "table" || KindOf("EXTERNAL") != "table" {
		t.Fatal("KindOf")
	}
}

func TestQuoteAndTablesSQL(t *testing.T) {
	for in, want := range map[string]string{"gl": "`gl`", "my-project": "`my-project`", "a`b": "`a\\`b`", `a\b`: "`a\\\\b`"} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	if got := TablesSQL("acme-fin", "gl"); got != "SELECT table_name, table_type FROM `acme-fin`.`gl`.INFORMATION_SCHEMA.TABLES ORDER BY table_name" {
		t.Errorf("TablesSQL = %s", got)
	}
}

func TestParams(t *testing.T) {
	named := bigquery.QueryParameter{Name: "period", Value: "2024-12"}
	got := Params([]any{1, "x", named, &named})
	want := []bigquery.QueryParameter{{Value: 1}, {Value: "x"}, named, named}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("params %+v", got)
	}
	if Params(nil) != nil {
		t.Fatal("no args: want nil")
	}
}

type fakeRows struct{ rows [][]bigquery.Value }

func (f *fakeRows) Next(dst any) error {
	if len(f.rows) == 0 {
		return iterator.Done
	}
	*dst.(*[]bigquery.Value) = f.rows[0]
	f.rows = f.rows[1:]
	return nil
}

func TestCollectRowCap(t *testing.T) {
	mk := func() *fakeRows {
		return &fakeRows{rows: [][]bigquery.Value{{int64(1), "a"}, {int64(2), "b"}, {int64(3), []bigquery.Value{"x", "y"}}}}
	}
	res, err := collect(mk(), 2)
	if err != nil || res.RowCount != 2 || !res.Truncated || res.MaxRows != 2 {
		t.Fatalf("capped: %+v %v", res, err)
	}
	res, err = collect(mk(), 3)
	if err != nil || res.RowCount != 3 || res.Truncated {
		t.Fatalf("exact: %+v %v", res, err)
	}
	if !reflect.DeepEqual(res.Rows[2][1], []any{"x", "y"}) {
		t.Fatalf("array value %#v", res.Rows[2][1])
	}
	res, err = collect(mk(), -1)
	if err != nil || res.RowCount != 3 || res.Truncated {
		t.Fatalf("uncapped: %+v %v", res, err)
	}
	n := normalize(big.NewRat(12345, 100), &bigquery.FieldSchema{Type: bigquery.NumericFieldType})
	if n != "123.45" {
		t.Fatalf("numeric %v", n)
	}
}

// TestNormalizeNumeric: NUMERIC and BIGNUMERIC arrive as *big.Rat (the
// client's value.go and arrow.go); they leave as exact decimal text.
func TestNormalizeNumeric(t *testing.T) {
	numeric := &bigquery.FieldSchema{Name: "amount", Type: bigquery.NumericFieldType}
	scaled := &bigquery.FieldSchema{Name: "amount", Type: bigquery.NumericFieldType, Precision: 18, Scale: 2}
	integral := &bigquery.FieldSchema{Name: "n", Type: bigquery.NumericFieldType, Precision: 10}
	bignum := &bigquery.FieldSchema{Name: "b", Type: bigquery.BigNumericFieldType}
	cents := new(big.Rat)
	for i := 0; i < 1000; i++ {
		cents.Add(cents, big.NewRat(1, 10))
		cents.Add(cents, big.NewRat(2, 10))
	}
	tiny, _ := new(big.Rat).SetString("-0.00000000000000000000000000000000000001")
	cases := []struct {
		v    bigquery.Value
		f    *bigquery.FieldSchema
		want any
	}{
		{cents, numeric, "300"},
		{cents, scaled, "300.00"},
		{big.NewRat(3766738383, 100), numeric, "37667383.83"},
		{big.NewRat(3766738383, 100), scaled, "37667383.83"},
		{big.NewRat(1, 10), scaled, "0.10"},
		{big.NewRat(-5, 100), numeric, "-0.05"},
		{big.NewRat(42, 1), integral, "42"},
		{tiny, bignum, "-0.00000000000000000000000000000000000001"},
		{nil, numeric, nil},
		{0.1, &bigquery.FieldSchema{Type: bigquery.FloatFieldType}, 0.1},
		{[]bigquery.Value{big.NewRat(1, 2), big.NewRat(3, 1)}, &bigquery.FieldSchema{Type: bigquery.NumericFieldType, Repeated: true, Precision: 9, Scale: 2}, []any{"0.50", "3.00"}},
		{[]bigquery.Value{"x", big.NewRat(1, 4)}, &bigquery.FieldSchema{Type: bigquery.RecordFieldType, Schema: bigquery.Schema{{Name: "k", Type: bigquery.StringFieldType}, scaled}}, []any{"x", "0.25"}},
	}
	for _, c := range cases {
		if got := normalize(c.v, c.f); !reflect.DeepEqual(got, c.want) {
			t.Errorf("normalize(%v, %+v) = %#v, want %#v", c.v, c.f, got, c.want)
		}
	}
}
