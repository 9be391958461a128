package evalnl_test

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all" // the files and DuckDB connectors
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
	"github.com/databridge/databridge/pkg/workflow"
)

// question is one item of eval/nl/<warehouse>.yaml.
type question struct {
	ID         string `yaml:"id"`
	Question   string `yaml:"question"`
	AsOf       string `yaml:"as_of"`
	Answerable bool   `yaml:"answerable"`
	Frozen     bool   `yaml:"frozen"`
	Ordered    bool   `yaml:"ordered"`
	SQL        string `yaml:"sql"`
	Note       string `yaml:"note"`
}

// asOf is the date relative phrases resolve against.
func (q question) asOf() time.Time {
	t, err := time.Parse("2006-01-02", q.AsOf)
	if err != nil {
		panic(fmt.Sprintf("%s: as_of %q: %v", q.ID, q.AsOf, err))
	}
	return t
}

// warehouseSpec is one of the three warehouses and its question file.
type warehouseSpec struct {
	name   string // finance, retail, saas
	prefix string // id prefix: fin, ret, saas
	build  func(ctx context.Context, dir string) (*project.Project, error)
}

var warehouses = []warehouseSpec{
	{"finance", "fin", buildFinance},
	{"retail", "ret", buildFiles("retail")},
	{"saas", "saas", buildFiles("saas")},
}

// selected are the warehouses to run: all, or those named in
// DATABRIDGE_EVAL_NL_WAREHOUSES (comma-separated).
func selected() []warehouseSpec {
	only := os.Getenv("DATABRIDGE_EVAL_NL_WAREHOUSES")
	if only == "" {
		return warehouses
	}
	var out []warehouseSpec
	for _, w := range warehouses {
		for _, n := range strings.Split(only, ",") {
			if strings.TrimSpace(n) == w.name {
				out = append(out, w)
			}
		}
	}
	return out
}

// repoRoot is the module root (this package is pkg/analytics/evalnl).
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	return root
}

func questionFile(t testing.TB, w warehouseSpec) string {
	return filepath.Join(repoRoot(t), "eval", "nl", w.name+".yaml")
}

var idRe = regexp.MustCompile(`^([a-z]+)-(\d{3})$`)

// loadQuestions reads a question file and checks its shape: ids
// <prefix>-NNN numbered 1, 2, 3… in order; frozen exactly when NNN is a
// multiple of 3; a question, an as_of date; SQL exactly on answerable
// questions.
func loadQuestions(path, prefix string) ([]question, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var qs []question
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&qs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var problems []string
	for i, q := range qs {
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("%s (item %d): %s", q.ID, i+1, fmt.Sprintf(format, args...)))
		}
		m := idRe.FindStringSubmatch(q.ID)
		if m == nil || m[1] != prefix {
			bad("id must be %s-NNN", prefix)
			continue
		}
		n, _ := strconv.Atoi(m[2])
		if n != i+1 {
			bad("id number %d at position %d: number the items 1, 2, 3… in order", n, i+1)
		}
		if q.Frozen != (n%3 == 0) {
			bad("frozen must be %v (exactly the ids that are multiples of 3 are frozen)", n%3 == 0)
		}
		if strings.TrimSpace(q.Question) == "" {
			bad("no question")
		}
		if _, err := time.Parse("2006-01-02", q.AsOf); err != nil {
			bad("as_of %q is not a date YYYY-MM-DD", q.AsOf)
		}
		if q.Answerable && strings.TrimSpace(q.SQL) == "" {
			bad("an answerable question needs its sql")
		}
		if !q.Answerable && strings.TrimSpace(q.SQL) != "" {
			bad("an unanswerable question has no sql")
		}
		if q.Ordered && !regexp.MustCompile(`(?is)order\s+by`).MatchString(q.SQL) {
			bad("ordered, but the sql has no ORDER BY")
		}
	}
	if len(problems) > 0 {
		return qs, fmt.Errorf("%s:\n  %s", path, strings.Join(problems, "\n  "))
	}
	return qs, nil
}

// buildFinance builds the finance warehouse as `databridge quickstart DIR`
// does: the finance_erp example analysed, approved, the P&L hierarchy pl
// bound to FACT_GL_JOURNAL_LINES, deployed and validated.
func buildFinance(ctx context.Context, dir string) (*project.Project, error) {
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir, Version: "evalnl"}); err != nil {
		return nil, err
	}
	return project.Open(dir)
}

// buildFiles builds a warehouse from examples/<example> as the CLI does:
// `databridge init`, `connection add src --type files --path ...`,
// `workflow start src`, `workflow approve`.
func buildFiles(example string) func(ctx context.Context, dir string) (*project.Project, error) {
	return func(ctx context.Context, dir string) (*project.Project, error) {
		src, err := filepath.Abs(filepath.Join("..", "..", "..", "examples", example))
		if err != nil {
			return nil, err
		}
		if _, err := project.Init(dir, example); err != nil {
			return nil, err
		}
		p, err := project.Open(dir)
		if err != nil {
			return nil, err
		}
		if _, err := connections.New(p).Add(ctx, connections.AddInput{Name: "src", Config: connector.Config{Type: "files", Path: src}}); err != nil {
			return nil, err
		}
		if p, err = project.Open(dir); err != nil {
			return nil, err
		}
		wf := workflow.NewService(p)
		wf.Version = "databridge evalnl"
		w, err := wf.Start(ctx, workflow.StartInput{Connection: "src", Model: example})
		if err != nil {
			return nil, fmt.Errorf("workflow start: %w", err)
		}
		if _, err := wf.Approve(ctx, w.ID); err != nil {
			return nil, fmt.Errorf("workflow approve: %w", err)
		}
		return project.Open(dir)
	}
}

// built is a deployed warehouse with an open read-only connection.
type built struct {
	spec warehouseSpec
	p    *project.Project
	conn connector.Connector
	qs   []question
}

// buildWarehouse builds w in a temporary folder and loads its questions.
func buildWarehouse(ctx context.Context, t *testing.T, w warehouseSpec) *built {
	t.Helper()
	qs, err := loadQuestions(questionFile(t, w), w.prefix)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), w.name)
	var p *project.Project
	t0 := time.Now()
	if keep := os.Getenv("DATABRIDGE_EVAL_NL_KEEP"); keep != "" {
		// Reuse a warehouse built by an earlier run (a faster loop while
		// working on the parser; the layer is refreshed all the same).
		dir = filepath.Join(keep, w.name)
		if _, err := os.Stat(filepath.Join(dir, ".databridge")); err == nil {
			if p, err = project.Open(dir); err != nil {
				t.Fatalf("reopen the %s warehouse in %s: %v", w.name, dir, err)
			}
		}
	}
	if p == nil {
		var err error
		if p, err = w.build(ctx, dir); err != nil {
			t.Fatalf("build the %s warehouse: %v", w.name, err)
		}
	}
	conn, err := connections.New(p).Connect(ctx, "", true)
	if err != nil {
		t.Fatalf("connect to the %s warehouse: %v", w.name, err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Logf("%s warehouse built in %s (%s)", w.name, time.Since(t0).Round(time.Millisecond), dir)
	return &built{spec: w, p: p, conn: conn, qs: qs}
}

// expected runs a question's SQL on the warehouse.
func (b *built) expected(ctx context.Context, q question) ([]string, [][]any, error) {
	res, err := b.conn.Query(ctx, q.SQL, connector.QueryOptions{MaxRows: -1, Timeout: time.Minute})
	if err != nil {
		return nil, nil, err
	}
	cols := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		cols[i] = c.Name
	}
	return cols, res.Rows, nil
}

// normCell is a cell's canonical text: numbers of any Go type and numeric
// strings as decimals rounded to 2 places; dates and times as YYYY-MM-DD;
// other text trimmed and case-folded; NULL as "null".
func normCell(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case time.Time:
		return x.Format("2006-01-02")
	case *time.Time:
		if x == nil {
			return "null"
		}
		return x.Format("2006-01-02")
	case bool:
		return strconv.FormatBool(x)
	case []byte:
		return normCell(string(x))
	case decimal.Decimal:
		return num(x)
	case *big.Int:
		return num(decimal.NewFromBigInt(x, 0))
	case *big.Float:
		d, err := decimal.NewFromString(x.Text('f', 20))
		if err == nil {
			return num(d)
		}
	case int:
		return num(decimal.NewFromInt(int64(x)))
	case int8:
		return num(decimal.NewFromInt(int64(x)))
	case int16:
		return num(decimal.NewFromInt(int64(x)))
	case int32:
		return num(decimal.NewFromInt(int64(x)))
	case int64:
		return num(decimal.NewFromInt(x))
	case uint:
		return num(decimal.NewFromUint64(uint64(x)))
	case uint8:
		return num(decimal.NewFromUint64(uint64(x)))
	case uint16:
		return num(decimal.NewFromUint64(uint64(x)))
	case uint32:
		return num(decimal.NewFromUint64(uint64(x)))
	case uint64:
		return num(decimal.NewFromUint64(x))
	case float32:
		return normFloat(float64(x))
	case float64:
		return normFloat(x)
	case string:
		return normText(x)
	case fmt.Stringer:
		return normText(x.String())
	}
	return normText(fmt.Sprint(v))
}

var numRe = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

func normText(s string) string {
	s = strings.TrimSpace(s)
	if numRe.MatchString(s) {
		if d, err := decimal.NewFromString(s); err == nil {
			return num(d)
		}
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700 MST", "2006-01-02 15:04:05.999999999 -0700 MST"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return strings.ToLower(s)
}

func normFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return num(decimal.NewFromFloat(f))
}

// num rounds to two places (half away from zero) and writes the result
// with exactly two decimals; -0.00 is 0.00.
func num(d decimal.Decimal) string {
	s := d.Round(2).StringFixed(2)
	if s == "-0.00" {
		s = "0.00"
	}
	return s
}

// canonRow is a row's canonical form: its normalised cells, sorted, so
// the order of the columns does not matter.
func canonRow(r []any) string {
	cells := make([]string, len(r))
	for i, v := range r {
		cells[i] = normCell(v)
	}
	sort.Strings(cells)
	return strings.Join(cells, " | ")
}

// sameAnswer compares the multiset of canonical rows (the sequence when
// ordered). A row may differ from the expected one in one label when
// all its numbers are the expected row's: a ranking whose cut-off falls
// within a tie ("top 5 accounts", the fifth and sixth owing the same)
// has as many right answers as tied members, and the expected SQL's
// ROW_NUMBER picks one of them arbitrarily.
func sameAnswer(want, got [][]any, ordered bool) bool {
	if len(want) != len(got) {
		return false
	}
	w := make([]string, len(want))
	g := make([]string, len(got))
	for i := range want {
		w[i], g[i] = canonRow(want[i]), canonRow(got[i])
	}
	if ordered {
		for i := range w {
			if w[i] != g[i] && !tiedRow(want[i], got[i]) {
				return false
			}
		}
		return true
	}
	sort.Strings(w)
	sort.Strings(g)
	var ws, gs []string
	i, j := 0, 0
	for i < len(w) || j < len(g) {
		switch {
		case i < len(w) && j < len(g) && w[i] == g[j]:
			i, j = i+1, j+1
		case j >= len(g) || i < len(w) && w[i] < g[j]:
			ws, i = append(ws, w[i]), i+1
		default:
			gs, j = append(gs, g[j]), j+1
		}
	}
	// What is left pairs up, each pair a tie of one label.
	used := make([]bool, len(gs))
	for _, x := range ws {
		found := false
		for k, y := range gs {
			if !used[k] && tiedCells(strings.Split(x, " | "), strings.Split(y, " | ")) {
				used[k], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func tiedRow(a, b []any) bool {
	return tiedCells(strings.Split(canonRow(a), " | "), strings.Split(canonRow(b), " | "))
}

// tiedCells says two rows' canonical cells differ in exactly one cell,
// a label on both sides, and share at least one number.
func tiedCells(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	var onlyB []string
	number := false
	for _, y := range b {
		if count[y] > 0 {
			count[y]--
			if isNumeric(y) {
				number = true
			}
			continue
		}
		onlyB = append(onlyB, y)
	}
	var onlyA []string
	for x, n := range count {
		for ; n > 0; n-- {
			onlyA = append(onlyA, x)
		}
	}
	return number && len(onlyA) == 1 && len(onlyB) == 1 && !isNumeric(onlyA[0]) && !isNumeric(onlyB[0])
}

func isNumeric(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// firstRows writes up to n rows for a failure listing.
func firstRows(cols []string, rows [][]any, n int) string {
	var b strings.Builder
	if len(cols) > 0 {
		fmt.Fprintf(&b, "      [%s]\n", strings.Join(cols, ", "))
	}
	for i, r := range rows {
		if i == n {
			fmt.Fprintf(&b, "      … %d rows in all\n", len(rows))
			break
		}
		cells := make([]string, len(r))
		for j, v := range r {
			cells[j] = normCell(v)
		}
		fmt.Fprintf(&b, "      (%s)\n", strings.Join(cells, ", "))
	}
	if len(rows) == 0 {
		b.WriteString("      (no rows)\n")
	}
	return b.String()
}

func evalEnabled(t *testing.T) {
	t.Helper()
	if os.Getenv("DATABRIDGE_EVAL_NL") != "1" {
		t.Skip("set DATABRIDGE_EVAL_NL=1 (make eval-nl) to build the three warehouses and run the evaluation")
	}
}
