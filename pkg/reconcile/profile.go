package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/semantic"
)

// A table's profile for drift detection: what pkg/semantic profiles in the
// engine (rows, nulls, distinct, min/max, lengths, top values, value
// patterns and classes; sampled above a million rows), and for each
// numeric column its mean, quantiles and a 100-tile sketch of its
// distribution, also computed in the engine:
//
//	WITH t AS (SELECT CAST(c AS DOUBLE) AS x, NTILE(100) OVER (ORDER BY c) AS q
//	           FROM tbl WHERE c IS NOT NULL)
//	SELECT q, MAX(x), COUNT(*), SUM(x) FROM t GROUP BY q ORDER BY q
//
// (one statement per numeric column), from which drift compares
// distributions (Kolmogorov–Smirnov) without reading the rows. Profiles
// are saved under .databridge/reconcile/profiles/NAME.json.

// ProfilesDir is where saved profiles live, relative to .databridge/.
const ProfilesDir = "reconcile/profiles"

// profileTopValues is how many most frequent values a profile keeps (the
// categories of the PSI).
const profileTopValues = 20

// ProfileInput says what to profile.
type ProfileInput struct {
	Table string `json:"table" jsonschema:"the dataset, CONN.TABLE or CONN.SCHEMA.TABLE"`
	// Save: a name to save the profile under (drift --against NAME).
	Save string `json:"save,omitempty" jsonschema:"save the profile under this name, for detect_schema_drift against it later"`
}

// ProfileBucket is one tile of a numeric sketch: its largest value and
// how many values it holds.
type ProfileBucket struct {
	Max   float64 `json:"max"`
	Count int64   `json:"count"`
}

// ProfileQuantile is a quantile (P in [0,1]) read from the sketch.
type ProfileQuantile struct {
	P     float64 `json:"p"`
	Value float64 `json:"value"`
}

// ProfileColumn is a column's profile.
type ProfileColumn struct {
	semantic.ColumnProfile
	NullRate  float64           `json:"null_rate"`
	Mean      *float64          `json:"mean,omitempty"`
	Quantiles []ProfileQuantile `json:"quantiles,omitempty"`
	Sketch    []ProfileBucket   `json:"sketch,omitempty"`
}

// Profile is a table's profile (the --json output of profile and the MCP
// tool's structured output; saved as is).
type Profile struct {
	ID      string          `json:"id,omitempty"`
	Table   string          `json:"table"`
	Dialect string          `json:"dialect"`
	At      time.Time       `json:"at"`
	Rows    int64           `json:"rows"`
	Sampled int64           `json:"sampled,omitempty"`
	Columns []ProfileColumn `json:"columns"`
	// Saved: the name it was saved under, and where.
	Saved     string `json:"saved,omitempty"`
	SavedPath string `json:"saved_path,omitempty"`
}

// Column returns a column's profile (case-insensitive) or nil.
func (p *Profile) Column(name string) *ProfileColumn {
	for i := range p.Columns {
		if strings.EqualFold(p.Columns[i].Name, name) {
			return &p.Columns[i]
		}
	}
	return nil
}

var profileNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

func profilePath(p *project.Project, name string) (string, error) {
	if !profileNameRE.MatchString(name) || strings.Contains(name, "..") {
		return "", fmt.Errorf("profile name %q: letters, digits, _ . - only", name)
	}
	return p.Path(filepath.FromSlash(ProfilesDir), name+".json"), nil
}

// profileNumericType: the engine type is a number (the sketch casts it to
// DOUBLE).
func profileNumericType(typ string) bool {
	t := strings.ToLower(typ)
	for _, w := range []string{"int", "decimal", "numeric", "number", "double", "float", "real", "money"} {
		if strings.Contains(t, w) {
			return !strings.Contains(t, "interval") && !strings.Contains(t, "point")
		}
	}
	return false
}

// Profile profiles a table in its engine and optionally saves it.
func (s *Service) Profile(ctx context.Context, in ProfileInput) (*Profile, error) {
	var path string
	if in.Save != "" {
		var err error
		if path, err = profilePath(s.Project, in.Save); err != nil {
			return nil, err
		}
	}
	p, err := s.profile(ctx, in.Table)
	if err != nil {
		return nil, err
	}
	if path != "" {
		p.Saved, p.SavedPath = in.Save, filepath.ToSlash(filepath.Join(project.DirName, ProfilesDir, in.Save+".json"))
		data, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("save profile: %w", err)
		}
		if err := project.WriteFileAtomic(path, append(data, '\n'), 0o644); err != nil {
			return nil, fmt.Errorf("save profile: %w", err)
		}
	}
	id, err := s.record(ctx, "profile", p.Table, "", nil, p)
	if err != nil {
		return nil, err
	}
	p.ID = id
	return p, nil
}

// LoadProfile reads a saved profile.
func (s *Service) LoadProfile(name string) (*Profile, error) {
	path, err := profilePath(s.Project, name)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no saved profile %q (save one with `databridge reconcile profile CONN.TABLE --save %s`)", name, name)
	}
	if err != nil {
		return nil, err
	}
	var p Profile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("profile %s: %w", name, err)
	}
	return &p, nil
}

// profile computes a profile (not saved, not recorded).
func (s *Service) profile(ctx context.Context, table string) (*Profile, error) {
	t, err := s.openMatchTable(ctx, table)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	tp, err := semantic.ProfileTable(ctx, t.conn, t.ds.Schema, t.detail.Name, semantic.Options{TopValues: profileTopValues})
	if err != nil {
		return nil, err
	}
	p := &Profile{Table: t.ds.String(), Dialect: t.conn.Dialect(), At: s.now().UTC(), Rows: tp.Rows, Sampled: tp.Sampled, Columns: []ProfileColumn{}}
	for _, c := range tp.Columns {
		pc := ProfileColumn{ColumnProfile: c}
		if c.Rows > 0 {
			pc.NullRate = float64(c.Nulls) / float64(c.Rows)
		}
		if profileNumericType(c.Type) && c.Rows > c.Nulls {
			if err := t.sketch(ctx, &pc); err != nil {
				return nil, err
			}
		}
		p.Columns = append(p.Columns, pc)
	}
	return p, nil
}

// sketch computes a numeric column's 100-tile sketch, mean and quantiles.
func (t *matchTable) sketch(ctx context.Context, pc *ProfileColumn) error {
	c := dialect.C(pc.Name)
	inner := &dialect.Select{
		Columns: []dialect.SelectItem{
			dialect.As(&dialect.Cast{X: c, Type: dialect.Double}, "x"),
			dialect.As(&dialect.Over{Func: dialect.F("NTILE", dialect.I(100)), OrderBy: []dialect.Order{{Expr: c}}}, "q"),
		},
		From:  t.from(),
		Where: &dialect.IsNull{X: c, Not: true},
	}
	q := &dialect.Select{
		With: []dialect.CTE{{Name: "tiles", Query: inner}},
		Columns: []dialect.SelectItem{
			dialect.As(dialect.C("q"), "q"),
			dialect.As(dialect.F("MAX", dialect.C("x")), "mx"),
			dialect.As(dialect.F("COUNT"), "n"),
			dialect.As(dialect.F("SUM", dialect.C("x")), "sx"),
		},
		From:    dialect.Table{Name: dialect.N("tiles")},
		GroupBy: []dialect.Expr{dialect.C("q")},
		OrderBy: []dialect.Order{{Expr: dialect.C("q")}},
	}
	res, err := t.query(ctx, q)
	if err != nil {
		return fmt.Errorf("profile %s: %w", pc.Name, err)
	}
	var total float64
	var n int64
	for _, r := range res.Rows {
		b := ProfileBucket{Max: profileFloat(r[1]), Count: matchCellInt(r[2])}
		pc.Sketch = append(pc.Sketch, b)
		total += profileFloat(r[3])
		n += b.Count
	}
	sort.SliceStable(pc.Sketch, func(i, j int) bool { return pc.Sketch[i].Max < pc.Sketch[j].Max })
	if n > 0 {
		mean := total / float64(n)
		pc.Mean = &mean
		for _, p := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
			pc.Quantiles = append(pc.Quantiles, ProfileQuantile{P: p, Value: sketchQuantile(pc.Sketch, n, p)})
		}
	}
	return nil
}

// sketchQuantile is the smallest tile maximum with at least p·n values at
// or below it.
func sketchQuantile(sk []ProfileBucket, n int64, p float64) float64 {
	var cum int64
	for _, b := range sk {
		cum += b.Count
		if float64(cum) >= p*float64(n) {
			return b.Max
		}
	}
	return sk[len(sk)-1].Max
}

func profileFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case int:
		return float64(x)
	}
	var f float64
	fmt.Sscan(matchCellString(v), &f)
	return f
}
