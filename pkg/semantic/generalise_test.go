package semantic_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/files"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/semantic/semantictest"
)

// The generalisation test: random star/snowflake schemas whose truth is
// known (semantictest.GenerateSchema), analysed end to end and scored for
// primary keys, foreign keys (precision, recall, F1), table roles and
// type-2 SCD detection. CI runs a fixed sample; `make eval` runs
// DATABRIDGE_EVAL_SEEDS seeds on DuckDB, DATABRIDGE_EVAL_ENGINE_SEEDS
// on PostgreSQL and MariaDB and DATABRIDGE_EVAL_FILES_SEEDS as CSV files
// (the files connector), and prints the figures for docs/analyze.md.

// Goals (issue 12).
const (
	goalPK    = 0.98
	goalFKF1  = 0.97
	goalRoles = 0.95
	goalSCD   = 0.95
)

// genRegression are held-out seeds (beyond the CI sample 1..30) that
// reproduced a miss once fixed; they always run. Seeds 1..30 reproduce
// the first round (unique names chosen as keys, text composite keys,
// role-playing references, orphans of deleted members, run-together
// names, headers and flat facts).
var genRegression = []uint64{
	31,   // "id" keys: employee_id → employees.id
	38,   // a unique signup date chosen over the composite code key
	71,   // an SCD-2 table whose business key is called "id"
	78,   // multi-word stems: cost_center_id → d_cost_center.id
	113,  // a dimension with a snowflake reference and a date, not a factless fact
	132,  // a unique "manager" (words) chosen over the composite code key
	37,   // functional names run together: tr_suppliedby → suppliers, tr_supportagentkey → employees
	102,  // a staff role in a line table: l_supportagentkey → d_employees
	1030, // "… by" with orphans: handled_by → employee (accepted on rows)
	1158, // a bridge whose promotion column happens to be unique: keyed by the pair
	4872, // supplied_by beside an employee table: the suppliers (an agent noun names them)
	4650, // a snapshot by period and cost_center_number: a key, though "cost" names amounts
}

type genScore struct {
	tables, pkOK         int
	roleOK, scdOK        int
	fkTP, fkFP, fkFN     int
	misses               []string
	seeds                int
	roleConfusion        map[string]int
	missKinds            map[string]int
	firstSeedOfMissKinds map[string]uint64
}

func (s *genScore) add(o *genScore) {
	s.tables += o.tables
	s.pkOK += o.pkOK
	s.roleOK += o.roleOK
	s.scdOK += o.scdOK
	s.fkTP += o.fkTP
	s.fkFP += o.fkFP
	s.fkFN += o.fkFN
	s.seeds += o.seeds
	s.misses = append(s.misses, o.misses...)
	for k, v := range o.missKinds {
		if s.missKinds == nil {
			s.missKinds = map[string]int{}
			s.firstSeedOfMissKinds = map[string]uint64{}
		}
		if _, ok := s.firstSeedOfMissKinds[k]; !ok {
			s.firstSeedOfMissKinds[k] = o.firstSeedOfMissKinds[k]
		}
		s.missKinds[k] += v
	}
}

func (s *genScore) figures() (pk, prec, rec, f1, roles, scd float64) {
	pk = float64(s.pkOK) / float64(max(1, s.tables))
	prec = float64(s.fkTP) / float64(max(1, s.fkTP+s.fkFP))
	rec = float64(s.fkTP) / float64(max(1, s.fkTP+s.fkFN))
	if prec+rec > 0 {
		f1 = 2 * prec * rec / (prec + rec)
	}
	roles = float64(s.roleOK) / float64(max(1, s.tables))
	scd = float64(s.scdOK) / float64(max(1, s.tables))
	return
}

func (s *genScore) String() string {
	pk, prec, rec, f1, roles, scd := s.figures()
	return fmt.Sprintf("%d seeds, %d tables, %d FKs: PK %.4f, FK precision %.4f recall %.4f F1 %.4f, roles %.4f, SCD %.4f",
		s.seeds, s.tables, s.fkTP+s.fkFN, pk, prec, rec, f1, roles, scd)
}

func fkKey(from string, fromCols []string, to string, toCols []string) string {
	return strings.ToLower(fmt.Sprintf("%s(%s)->%s(%s)", from, strings.Join(fromCols, ","), to, strings.Join(toCols, ",")))
}

// scoreSeed compares a model with the truth.
func scoreSeed(gs *semantictest.GenSchema, m *model.Model) *genScore {
	s := &genScore{seeds: 1, missKinds: map[string]int{}, firstSeedOfMissKinds: map[string]uint64{}}
	miss := func(kind, format string, a ...any) {
		s.misses = append(s.misses, fmt.Sprintf("seed %d (%s): ", gs.Seed, gs.Convention)+fmt.Sprintf(format, a...))
		s.missKinds[kind]++
		if _, ok := s.firstSeedOfMissKinds[kind]; !ok {
			s.firstSeedOfMissKinds[kind] = gs.Seed
		}
	}
	for _, gt := range gs.Tables {
		s.tables++
		mt := m.Table(gt.Name)
		if mt == nil {
			miss("table", "table %s missing from the model", gt.Name)
			continue
		}
		if strings.EqualFold(strings.Join(mt.PrimaryKey, ","), strings.Join(gt.PK, ",")) || sameSet(mt.PrimaryKey, gt.PK) {
			s.pkOK++
		} else {
			miss("pk", "%s key %v, want %v (%s)", gt.Name, mt.PrimaryKey, gt.PK, inferenceText(mt.KeyInference))
		}
		if roleMatches(gt.Role, mt.Role) {
			s.roleOK++
		} else {
			miss("role:"+string(gt.Role)+"->"+string(mt.Role), "%s role %s, want %s (%s)", gt.Name, mt.Role, gt.Role, inferenceText(mt.RoleInference))
		}
		if (mt.SCD.Type == 2) == gt.SCD2 {
			s.scdOK++
		} else {
			miss("scd", "%s SCD type %d, want type-2 %v", gt.Name, mt.SCD.Type, gt.SCD2)
		}
	}
	want := map[string]bool{}
	for _, fk := range gs.FKs {
		want[fkKey(fk.From, fk.FromColumns, fk.To, fk.ToColumns)] = true
	}
	got := map[string]bool{}
	for _, r := range m.Relationships {
		got[fkKey(r.FromTable, r.FromColumns, r.ToTable, r.ToColumns)] = true
	}
	for k := range want {
		if got[k] {
			s.fkTP++
		} else {
			s.fkFN++
			miss("fk_missed", "missed %s", k)
		}
	}
	for k := range got {
		if !want[k] {
			s.fkFP++
			miss("fk_false", "false %s", k)
		}
	}
	return s
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x := append([]string(nil), a...)
	y := append([]string(nil), b...)
	for i := range x {
		x[i] = strings.ToLower(x[i])
	}
	for i := range y {
		y[i] = strings.ToLower(y[i])
	}
	sort.Strings(x)
	sort.Strings(y)
	return strings.Join(x, ",") == strings.Join(y, ",")
}

// roleMatches: the truth's role, with facts of any kind where the truth
// is a transaction fact header (the generator's headers are facts).
func roleMatches(want, got model.Role) bool {
	return want == got
}

func inferenceText(inf model.Inference) string {
	var s []string
	for _, e := range inf.Evidence {
		s = append(s, e.Rule+": "+e.Detail)
	}
	return strings.Join(s, "; ")
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// prefixedSchema is seed's schema with its tables named s<seed>_…: each
// seed in a schema of its own would be cleaner; tables are prefixed
// instead, so one connection serves every seed.
func prefixedSchema(seed uint64) *semantictest.GenSchema {
	gs := semantictest.GenerateSchema(seed)
	name := fmt.Sprintf("s%d_", seed)
	for _, tb := range gs.Tables {
		tb.Name = name + tb.Name
	}
	for i := range gs.FKs {
		gs.FKs[i].From = name + gs.FKs[i].From
		gs.FKs[i].To = name + gs.FKs[i].To
	}
	return gs
}

// runGeneralisation analyses seeds on an engine and returns the score.
func runGeneralisation(t *testing.T, engine string, seeds []uint64) *genScore {
	total := &genScore{}
	ctx := context.Background()
	conn, schema := semantictest.Open(t, engine)
	for _, seed := range seeds {
		gs := prefixedSchema(seed)
		if err := gs.Create(ctx, conn, schema); err != nil {
			t.Fatal(err)
		}
		var tables []string
		for _, tb := range gs.Tables {
			tables = append(tables, tb.Name)
		}
		m, err := semantic.Analyze(ctx, conn, "gen", semantic.Options{Schema: schema, Tables: tables}, nil)
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, gs.Describe())
		}
		total.add(scoreSeed(gs, m))
	}
	return total
}

// runGeneralisationFiles is runGeneralisation through CSV files: each
// seed's tables are written as CSV (header, NULL as an empty field) to a
// folder of their own and analysed through the files connector with its
// parse cache, as `databridge analyze` reads a folder of exports — the
// types are what the CSV sniffer finds (codes, UUIDs, dates, amounts as
// DECIMAL), not the generator's. Odd seeds write their amounts formatted
// ("$1,234.56", "($500.00)"), as finance exports do.
func runGeneralisationFiles(t *testing.T, seeds []uint64) *genScore {
	total := &genScore{}
	wrote, read := 0, 0 // formatted amount columns written, read as such
	ctx := context.Background()
	gen, _ := semantictest.Open(t, "duckdb")
	root := t.TempDir()
	for _, seed := range seeds {
		gs := prefixedSchema(seed)
		if err := gs.Create(ctx, gen, ""); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, fmt.Sprint(seed))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		var tables []string
		for _, tb := range gs.Tables {
			path := strings.ReplaceAll(filepath.Join(dir, tb.Name+".csv"), "'", "''")
			src := tb.Name
			if seed%2 == 1 {
				// Odd seeds write their amounts for people: "$1,234.56",
				// "($500.00)".
				res, err := gen.Query(ctx, "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND data_type LIKE 'DECIMAL%'", connector.QueryOptions{MaxRows: -1}, tb.Name)
				if err != nil {
					t.Fatal(err)
				}
				var repl []string
				for _, r := range res.Rows {
					c := `"` + fmt.Sprint(r[0]) + `"`
					repl = append(repl, "CASE WHEN "+c+" < 0 THEN '($' || format('{:,.2f}', -"+c+") || ')' ELSE '$' || format('{:,.2f}', "+c+") END AS "+c)
				}
				if len(repl) > 0 {
					src = "(SELECT * REPLACE (" + strings.Join(repl, ", ") + ") FROM " + tb.Name + ")"
					wrote += len(repl)
				}
			}
			if _, err := gen.Exec(ctx, "COPY "+src+" TO '"+path+"' (HEADER)"); err != nil {
				t.Fatalf("seed %d: export %s: %v", seed, tb.Name, err)
			}
			tables = append(tables, tb.Name)
		}
		c, err := connector.Open(ctx, "files", connector.Config{Type: "files", Path: dir, ReadOnly: true,
			CacheDir: filepath.Join(root, "cache")})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		m, err := semantic.Analyze(ctx, c, "gen", semantic.Options{Tables: tables}, nil)
		c.Close()
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, gs.Describe())
		}
		for _, tb := range m.Tables {
			for _, col := range tb.Columns {
				if col.Format != "" && strings.HasPrefix(col.Type, "DECIMAL") {
					read++
				}
			}
		}
		total.add(scoreSeed(gs, m))
	}
	if read != wrote || wrote == 0 {
		t.Errorf("%d formatted amount columns written, %d read as amounts", wrote, read)
	}
	return total
}

// seedRange is from..from+n-1 and the regression seeds beyond it.
func seedRange(from, n int) []uint64 {
	var out []uint64
	for i := 0; i < n; i++ {
		out = append(out, uint64(from+i))
	}
	for _, s := range genRegression {
		if s < uint64(from) || s >= uint64(from+n) {
			out = append(out, s)
		}
	}
	return out
}

// TestGeneralisation scores the analysis on random schemas: a fixed
// sample in CI (DATABRIDGE_EVAL_SEEDS raises it), and fails under the
// goals.
func TestGeneralisation(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses generated schemas")
	}
	for _, engine := range append(semantictest.Engines, "files") {
		t.Run(engine, func(t *testing.T) {
			n := envInt("DATABRIDGE_EVAL_SEEDS", 30)
			if engine != "duckdb" {
				n = envInt("DATABRIDGE_EVAL_ENGINE_SEEDS", 4)
			}
			if engine == "files" {
				n = envInt("DATABRIDGE_EVAL_FILES_SEEDS", n)
			}
			var s *genScore
			if engine == "files" {
				s = runGeneralisationFiles(t, seedRange(envInt("DATABRIDGE_EVAL_FROM", 1), n))
			} else {
				s = runGeneralisation(t, engine, seedRange(envInt("DATABRIDGE_EVAL_FROM", 1), n))
			}
			t.Logf("%s: %s", engine, s)
			kinds := make([]string, 0, len(s.missKinds))
			for k := range s.missKinds {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			for _, k := range kinds {
				t.Logf("  %-50s %4d (first seed %d)", k, s.missKinds[k], s.firstSeedOfMissKinds[k])
			}
			for i, m := range s.misses {
				if i >= envInt("DATABRIDGE_EVAL_MISSES", 60) {
					t.Logf("  ... %d more", len(s.misses)-i)
					break
				}
				t.Logf("  %s", m)
			}
			pk, _, _, f1, roles, scd := s.figures()
			if pk < goalPK || f1 < goalFKF1 || roles < goalRoles || scd < goalSCD {
				t.Errorf("%s below the goals (PK %.2f, FK F1 %.2f, roles %.2f, SCD %.2f)", s, goalPK, goalFKF1, goalRoles, goalSCD)
			}
		})
	}
}
