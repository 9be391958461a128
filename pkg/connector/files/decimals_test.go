package files

import (
	"context"
	"reflect"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

func TestDecimalType(t *testing.T) {
	for _, c := range []struct {
		intDigits, scale int
		want             string
	}{
		{0, 0, "DECIMAL(18,0)"},
		{3, 2, "DECIMAL(18,2)"},
		{16, 2, "DECIMAL(18,2)"},
		{17, 2, "DECIMAL(19,2)"},
		{3, 17, "DECIMAL(20,17)"},
		{30, 8, "DECIMAL(38,8)"},
		{31, 8, ""},
		{0, 39, ""},
	} {
		got, ok := decimalType(c.intDigits, c.scale)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("decimalType(%d, %d) = %q, %v; want %q", c.intDigits, c.scale, got, ok, c.want)
		}
	}
}

// A CSV column of plain decimals is DECIMAL with the scale the data shows
// and sums exactly; anything a DECIMAL cannot hold as written stays
// DOUBLE. The same without a cache, from the cache, and in a sandboxed
// session over a cached project.
func TestMoneyIsNeverAFloat(t *testing.T) {
	p := newCacheProject(t)
	p.write(t, "ledger.csv", `id,tenth,amount,sci,huge,wide,special,qty,code
1,0.1,12.5,1e5,1234567890123456789012345678901234567890.5,123456789012345678901234567890.12345,nan,1,007
2,0.2,-3.25,2.5,1,1,1.5,2,012
3,,100,3,2,2,2,3,021
`)
	want := map[string]string{
		"id":      "BIGINT",
		"tenth":   "DECIMAL(18,1)",
		"amount":  "DECIMAL(18,2)",
		"sci":     "DOUBLE",
		"huge":    "DOUBLE",
		"wide":    "DECIMAL(35,5)",
		"special": "DOUBLE",
		"qty":     "BIGINT",
		"code":    "VARCHAR",
	}
	for _, mode := range []string{"no cache", "cache", "sandboxed"} {
		t.Run(mode, func(t *testing.T) {
			var c connector.Connector
			switch mode {
			case "no cache":
				c = openFiles(t, connector.Config{Path: p.data})
			case "cache":
				c = p.open(t, false)
			default:
				c = p.open(t, true)
			}
			d, err := c.Describe(context.Background(), "", "ledger")
			if err != nil {
				t.Fatal(err)
			}
			if got := columnTypes(d); !reflect.DeepEqual(got, want) {
				t.Errorf("types %v\nwant %v", got, want)
			}
			rows := query(t, c, "SELECT sum(tenth), sum(tenth) = 0.3, sum(amount), sum(wide)::VARCHAR FROM ledger")
			if !reflect.DeepEqual(rows, [][]any{{"0.3", true, "109.25", "123456789012345678901234567893.12345"}}) {
				t.Errorf("sums %v", rows)
			}
		})
	}
}
