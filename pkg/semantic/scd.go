package semantic

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/model"
)

// SCDCandidate is a table whose columns suggest a type-2 slowly changing
// dimension: validity columns and the business key the versions belong
// to. VerifySCD2 checks it on the data.
type SCDCandidate struct {
	ValidFrom   string   `json:"valid_from,omitempty"`
	ValidTo     string   `json:"valid_to,omitempty"`
	IsCurrent   string   `json:"is_current,omitempty"`
	BusinessKey []string `json:"business_key"`
	// Strong is true when the names are unmistakably SCD names
	// (valid_from, effective_to, is_current, dbt_valid_from ...) rather
	// than generic ones (start_date, end_date, active).
	Strong          bool `json:"strong"`
	model.Inference `json:",inline"`
}

// Validity column names, lower case; strong names first.
var (
	scdFromStrong = clsSet("valid_from", "validfrom", "valid_start", "valid_from_date", "effective_from", "effective_start",
		"effective_start_date", "effective_from_date", "eff_from", "eff_start", "dbt_valid_from", "row_start", "row_effective_date",
		"version_start", "scd_start", "record_start", "record_start_date", "rec_start", "rec_start_date", "effective_date", "eff_date")
	scdFromWeak  = clsSet("start_date", "begin_date", "from_date", "date_from", "start_dt", "startdate", "start_datetime", "valid_since")
	scdToStrong  = clsSet("valid_to", "validto", "valid_until", "valid_end", "valid_to_date", "valid_thru", "valid_through", "effective_to", "effective_end", "effective_end_date", "effective_to_date", "eff_to", "eff_end", "dbt_valid_to", "row_end", "row_expiration_date", "version_end", "scd_end", "record_end", "record_end_date", "rec_end", "rec_end_date", "expiry_date", "expiration_date")
	scdToWeak    = clsSet("end_date", "expiry", "expires", "to_date", "date_to", "end_dt", "enddate", "end_datetime")
	scdCurStrong = clsSet("is_current", "current_flag", "current_ind", "current_indicator", "is_current_version", "current_record", "is_latest", "latest_flag", "current_row", "is_current_row", "dbt_is_current")
	scdCurWeak   = clsSet("active", "is_active", "active_flag", "current", "active_ind")
	scdUpdated   = clsSet("updated_at", "updated_on", "updated", "last_updated", "modified", "modified_at", "modified_on",
		"last_modified", "last_modified_at", "changed_at", "change_date", "updated_date", "modified_date", "last_update", "dbt_updated_at")
	// Far-future dates that mean "still valid" in a valid_to column.
	scdFarFuture = "9000-01-01"
)

// SCDCandidates finds validity columns (valid_from/valid_to, effective
// dates, start/end dates, is_current flags) and the business key: the key
// minus the validity columns, else a natural key (*_code, *_number,
// *_id) that repeats across rows. It returns nil when the table has no
// validity columns.
func SCDCandidates(tp *TableProfile, pk []string) *SCDCandidate {
	if tp == nil {
		return nil
	}
	c := &SCDCandidate{}
	strong := 0
	// A name is read as written and in words without the table's
	// column prefix (a_validfrom, ValidFrom → valid_from).
	prefix := rlTablePrefix(tp)
	in := func(set map[string]bool, name string) bool {
		return set[strings.ToLower(name)] || set[strings.Join(clsTokens(rlStrip(name, prefix)), "_")]
	}
	pick := func(dst *string, strongSet, weakSet map[string]bool) {
		for _, col := range tp.Columns {
			if in(strongSet, col.Name) {
				*dst = col.Name
				strong++
				return
			}
		}
		for _, col := range tp.Columns {
			if in(weakSet, col.Name) {
				*dst = col.Name
				return
			}
		}
	}
	pick(&c.ValidFrom, scdFromStrong, scdFromWeak)
	pick(&c.ValidTo, scdToStrong, scdToWeak)
	pick(&c.IsCurrent, scdCurStrong, scdCurWeak)
	if c.ValidFrom == "" && c.IsCurrent == "" {
		return nil
	}
	if c.ValidFrom != "" && c.ValidTo == "" && c.IsCurrent == "" {
		return nil // a start date alone is an attribute
	}
	c.Strong = strong > 0
	validity := map[string]bool{}
	for _, v := range []string{c.ValidFrom, c.ValidTo, c.IsCurrent} {
		if v != "" {
			validity[strings.ToLower(v)] = true
		}
	}
	var cols []string
	for _, v := range []string{c.ValidFrom, c.ValidTo, c.IsCurrent} {
		if v != "" {
			cols = append(cols, v)
		}
	}
	c.Evidence = append(c.Evidence, clsEv("scd.columns", "validity columns: %s", strings.Join(cols, ", ")))

	inKey := false
	var rest []string
	for _, k := range pk {
		if validity[strings.ToLower(k)] {
			inKey = true
		} else {
			rest = append(rest, k)
		}
	}
	switch {
	case inKey && len(rest) > 0:
		c.BusinessKey = rest
		c.Evidence = append(c.Evidence, clsEv("scd.business_key", "key (%s) minus validity columns: (%s)", strings.Join(pk, ", "), strings.Join(rest, ", ")))
	default:
		// A natural key that repeats: *_code first, then *_number/_no,
		// then *_id, skipping the (surrogate) key itself.
		pkSet := map[string]bool{}
		for _, k := range pk {
			pkSet[strings.ToLower(k)] = true
		}
		best, bestRank := "", 99
		for _, col := range tp.Columns {
			lc := strings.ToLower(col.Name)
			if validity[lc] || (pkSet[lc] && len(pk) == 1 && clsSurrogate(col.Name)) {
				continue
			}
			toks := clsTokens(col.Name)
			if len(toks) == 0 {
				continue
			}
			rank := map[string]int{"code": 1, "number": 2, "no": 2, "nbr": 2, "num": 2, "id": 3, "key": 4}[toks[len(toks)-1]]
			if rank == 0 || clsSurrogate(col.Name) {
				continue
			}
			if col.Rows > 0 && col.Distinct >= col.Rows && !pkSet[lc] {
				continue // unique per row: a row id, not a business key
			}
			if rank < bestRank {
				best, bestRank = col.Name, rank
			}
		}
		if best == "" {
			if len(pk) > 0 && !inKey {
				c.BusinessKey = append([]string(nil), pk...)
				c.Evidence = append(c.Evidence, clsEv("scd.business_key", "the key (%s): validity columns are not part of it", strings.Join(pk, ", ")))
			} else {
				return nil
			}
		} else {
			c.BusinessKey = []string{best}
			c.Evidence = append(c.Evidence, clsEv("scd.business_key", "natural key %s (name ends in a code/number/id word, repeats across versions)", best))
		}
	}
	c.Confidence = 0.5
	if c.Strong {
		c.Confidence = 0.7
	}
	return c
}

// clsSurrogate: a warehouse surrogate key name (customer_sk, dim_key).
func clsSurrogate(name string) bool {
	toks := clsTokens(name)
	if len(toks) == 0 {
		return false
	}
	last := toks[len(toks)-1]
	return last == "sk" || last == "surrogate" || (last == "key" && len(toks) > 1 && toks[len(toks)-2] == "surrogate")
}

// SCDStats are the numbers VerifySCD2 gathers.
type SCDStats struct {
	Rows             int64 `json:"rows"`
	BusinessKeys     int64 `json:"business_keys"`
	MaxVersions      int64 `json:"max_versions"`
	ChangedKeys      int64 `json:"changed_keys"`       // keys with more than one version
	Overlaps         int64 `json:"overlaps"`           // versions overlapping the next one
	OverlapKeys      int64 `json:"overlap_keys"`       // keys with an overlap
	Inverted         int64 `json:"inverted"`           // valid_from after valid_to
	ZeroLength       int64 `json:"zero_length"`        // valid_from equal to valid_to
	MultiOpenKeys    int64 `json:"multi_open_keys"`    // keys with more than one open version
	NoOpenKeys       int64 `json:"no_open_keys"`       // keys with no open version (closed/deleted)
	MultiCurrentKeys int64 `json:"multi_current_keys"` // keys flagged current more than once
	FlagMismatch     int64 `json:"flag_mismatch"`      // rows whose flag disagrees with valid_to
}

// VerifySCD2 checks a candidate on the data, in the engine: per business
// key, versions must not overlap (each version's valid_to is not after the
// next version's valid_from, found with LEAD), at most one version is open
// (valid_to NULL or a far-future date like 9999-12-31, or is_current
// true), and valid_from is not after valid_to. It returns type 2 with the
// numbers when the checks pass, else type 1 with what failed.
func VerifySCD2(ctx context.Context, conn connector.Connector, schema, table string, c *SCDCandidate) (model.SCD, error) {
	if c == nil {
		return model.SCD{Type: 1, Inference: model.Inference{Confidence: 0.5, Evidence: []model.Evidence{
			clsEv("scd.none", "no validity columns: attributes are overwritten in place"),
		}}}, nil
	}
	if len(c.BusinessKey) == 0 {
		return model.SCD{}, fmt.Errorf("scd: %s: candidate has no business key", table)
	}
	q := scdQuery(schema, table, c)
	sql, err := dialect.RenderQuery(conn.Dialect(), q)
	if err != nil {
		return model.SCD{}, fmt.Errorf("scd: %s: %w", table, err)
	}
	res, err := conn.Query(ctx, sql, connector.QueryOptions{MaxRows: 1})
	if err != nil {
		return model.SCD{}, fmt.Errorf("scd: checking %s: %w", table, err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 12 {
		return model.SCD{}, fmt.Errorf("scd: checking %s: unexpected result shape", table)
	}
	vals := make([]int64, 12)
	for i, v := range res.Rows[0] {
		n, err := scdInt(v)
		if err != nil {
			return model.SCD{}, fmt.Errorf("scd: checking %s: column %s: %w", table, res.Columns[i].Name, err)
		}
		vals[i] = n
	}
	s := SCDStats{BusinessKeys: vals[0], Rows: vals[1], MaxVersions: vals[2], ChangedKeys: vals[3], Overlaps: vals[4],
		OverlapKeys: vals[5], Inverted: vals[6], ZeroLength: vals[7], MultiOpenKeys: vals[8], NoOpenKeys: vals[9],
		MultiCurrentKeys: vals[10], FlagMismatch: vals[11]}
	return decideSCD(c, s), nil
}

// decideSCD turns the numbers into a verdict.
func decideSCD(c *SCDCandidate, s SCDStats) model.SCD {
	bk := strings.Join(c.BusinessKey, ", ")
	ev := append([]model.Evidence(nil), c.Evidence...)
	ev = append(ev, clsEv("scd2.versions", "%d rows, %d business keys (%s), %d with more than one version, at most %d versions",
		s.Rows, s.BusinessKeys, bk, s.ChangedKeys, s.MaxVersions))
	var fails []model.Evidence
	if s.Rows == 0 {
		fails = append(fails, clsEv("scd2.empty", "the table is empty: nothing to verify"))
	}
	if c.ValidTo != "" {
		if s.Overlaps > 0 {
			fails = append(fails, clsEv("scd2.overlaps", "%d overlapping validity intervals across %d business keys (%s runs past the next version's %s)",
				s.Overlaps, s.OverlapKeys, c.ValidTo, c.ValidFrom))
		} else {
			ev = append(ev, clsEv("scd2.overlaps", "0 overlapping validity intervals"))
		}
		if s.Inverted > 0 {
			fails = append(fails, clsEv("scd2.inverted", "%d rows with %s after %s", s.Inverted, c.ValidFrom, c.ValidTo))
		}
		if s.ZeroLength > 0 {
			ev = append(ev, clsEv("scd2.zero_length", "%d rows valid for a single instant (%s = %s)", s.ZeroLength, c.ValidFrom, c.ValidTo))
		}
	} else if c.ValidFrom != "" && s.Overlaps > 0 {
		fails = append(fails, clsEv("scd2.duplicates", "%d versions start on the same %s as another of the same key", s.Overlaps, c.ValidFrom))
	}
	openBy := c.IsCurrent + " true"
	if c.ValidTo != "" {
		openBy = c.ValidTo + " NULL or on/after " + scdFarFuture
	}
	if s.MultiOpenKeys > 0 {
		fails = append(fails, clsEv("scd2.open_rows", "%d business keys have more than one open version (%s)", s.MultiOpenKeys, openBy))
	} else {
		ev = append(ev, clsEv("scd2.open_rows", "at most one open version per business key (%s); %d keys closed", openBy, s.NoOpenKeys))
	}
	if c.IsCurrent != "" && c.ValidTo != "" {
		if s.MultiCurrentKeys > 0 {
			fails = append(fails, clsEv("scd2.current_flag", "%d business keys have more than one row with %s true", s.MultiCurrentKeys, c.IsCurrent))
		}
		if s.FlagMismatch > 0 {
			ev = append(ev, clsEv("scd2.flag_mismatch", "%d rows where %s disagrees with %s (-0.15)", s.FlagMismatch, c.IsCurrent, c.ValidTo))
		} else {
			ev = append(ev, clsEv("scd2.flag_agrees", "%s agrees with %s on every row (+0.05)", c.IsCurrent, c.ValidTo))
		}
	}
	if len(fails) > 0 {
		return model.SCD{Type: 1, Inference: model.Inference{Confidence: 0.6, Evidence: append(append(ev, fails...),
			clsEv("scd1", "validity columns present but the versions are not a valid history: treat as type 1 until fixed"))}}
	}
	if s.ChangedKeys == 0 && s.NoOpenKeys > 0 && c.ValidTo != "" && c.IsCurrent == "" && !scdVersionNames(c) {
		// One row per key and some of them closed: a history keeps each
		// live key's latest version open, so these are the dates of a
		// term (a policy's effective and expiry dates, a contract's
		// start and end), attributes of the row. Read as versions, every
		// fact row dated after its key's end would lose its dimension.
		return model.SCD{Type: 1, Inference: model.Inference{Confidence: 0.6, Evidence: append(ev,
			clsEv("scd1.term_dates", "no business key has a second version and %d keys have none open (%s): the dates are a term, attributes of the row", s.NoOpenKeys, openBy))}}
	}
	if s.ChangedKeys == 0 && !c.Strong {
		return model.SCD{Type: 1, Inference: model.Inference{Confidence: 0.55, Evidence: append(ev,
			clsEv("scd1.no_history", "no business key has a second version and the column names are generic: the dates are attributes"))}}
	}
	conf := 0.75
	if c.Strong {
		conf += 0.05
	}
	if s.ChangedKeys > 0 {
		conf += 0.1
	} else {
		conf -= 0.2
		ev = append(ev, clsEv("scd2.no_history", "no business key has a second version yet (-0.20)"))
	}
	if c.IsCurrent != "" && c.ValidTo != "" {
		if s.FlagMismatch > 0 {
			conf -= 0.15
		} else {
			conf += 0.05
		}
	}
	out := model.SCD{Type: 2, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, IsCurrent: c.IsCurrent,
		BusinessKey: append([]string(nil), c.BusinessKey...)}
	out.Confidence = clsCap(conf)
	out.Evidence = ev
	return out
}

// scdQuery builds the verification query:
//
//	WITH s AS (SELECT bk..., valid_from, valid_to, open, current, LEAD(valid_from) OVER (PARTITION BY bk ORDER BY valid_from, valid_to) AS nf FROM t),
//	     k AS (SELECT bk, COUNT(*) versions, SUM(open), SUM(current), SUM(overlap), SUM(inverted), ... FROM s GROUP BY bk)
//	SELECT COUNT(*), SUM(versions), MAX(versions), ... FROM k
func scdQuery(schema, table string, c *SCDCandidate) dialect.Query {
	name := dialect.N(table)
	if schema != "" {
		name = dialect.N(schema, table)
	}
	one, zero := dialect.I(1), dialect.I(0)
	flag := func(cond dialect.Expr) dialect.Expr {
		return &dialect.Case{Whens: []dialect.When{{Cond: cond, Then: one}}, Else: zero}
	}
	var bkCols, bkRefs []dialect.Expr
	var sItems []dialect.SelectItem
	for i, k := range c.BusinessKey {
		a := "bk_" + strconv.Itoa(i+1)
		sItems = append(sItems, dialect.As(dialect.C(k), a))
		bkCols = append(bkCols, dialect.C(k))
		bkRefs = append(bkRefs, dialect.C(a))
	}
	vf, vt := dialect.Expr(dialect.Null), dialect.Expr(dialect.Null)
	if c.ValidFrom != "" {
		vf = dialect.C(c.ValidFrom)
	}
	if c.ValidTo != "" {
		vt = dialect.C(c.ValidTo)
	}
	sItems = append(sItems, dialect.As(vf, "vf"), dialect.As(vt, "vt"))
	var cur dialect.Expr = zero
	if c.IsCurrent != "" {
		cur = flag(&dialect.In{
			X:    dialect.F("UPPER", &dialect.Cast{X: dialect.C(c.IsCurrent), Type: dialect.Text}),
			List: []dialect.Expr{dialect.S("TRUE"), dialect.S("T"), dialect.S("Y"), dialect.S("YES"), dialect.S("1"), dialect.S("CURRENT"), dialect.S("ACTIVE")},
		})
	}
	var open dialect.Expr
	if c.ValidTo != "" {
		open = flag(dialect.Or(&dialect.IsNull{X: dialect.C(c.ValidTo)}, &dialect.Binary{Op: ">=", L: dialect.C(c.ValidTo), R: dialect.S(scdFarFuture)}))
	} else {
		open = cur
	}
	var nf dialect.Expr = dialect.Null
	if c.ValidFrom != "" {
		order := []dialect.Order{{Expr: dialect.C(c.ValidFrom)}}
		if c.ValidTo != "" {
			order = append(order, dialect.Order{Expr: dialect.C(c.ValidTo)})
		}
		nf = &dialect.Over{Func: dialect.F("LEAD", dialect.C(c.ValidFrom)), PartitionBy: bkCols, OrderBy: order}
	}
	sItems = append(sItems, dialect.As(open, "is_open"), dialect.As(cur, "is_cur"), dialect.As(nf, "nf"))
	s := &dialect.Select{Columns: sItems, From: dialect.Table{Name: name}}

	col := func(n string) dialect.Col { return dialect.C(n) }
	var overlap, inverted, zeroLen, mismatch dialect.Expr = zero, zero, zero, zero
	switch {
	case c.ValidTo != "" && c.ValidFrom != "":
		overlap = flag(dialect.And(&dialect.IsNull{X: col("nf"), Not: true},
			&dialect.Paren{X: dialect.Or(&dialect.IsNull{X: col("vt")}, &dialect.Binary{Op: ">", L: col("vt"), R: col("nf")})}))
		inverted = flag(dialect.And(&dialect.IsNull{X: col("vt"), Not: true}, &dialect.Binary{Op: ">", L: col("vf"), R: col("vt")}))
		zeroLen = flag(dialect.Eq(col("vf"), col("vt")))
		if c.IsCurrent != "" {
			mismatch = flag(&dialect.Binary{Op: "<>", L: col("is_open"), R: col("is_cur")})
		}
	case c.ValidFrom != "":
		overlap = flag(dialect.Eq(col("nf"), col("vf")))
	}
	sum := func(e dialect.Expr) dialect.Expr { return dialect.F("SUM", e) }
	kItems := make([]dialect.SelectItem, 0, len(bkRefs)+7)
	for i, r := range bkRefs {
		kItems = append(kItems, dialect.As(r, "bk_"+strconv.Itoa(i+1)))
	}
	kItems = append(kItems,
		dialect.As(dialect.F("COUNT"), "versions"),
		dialect.As(sum(col("is_open")), "open_rows"),
		dialect.As(sum(col("is_cur")), "cur_rows"),
		dialect.As(sum(overlap), "overlaps"),
		dialect.As(sum(inverted), "inverted"),
		dialect.As(sum(zeroLen), "zero_length"),
		dialect.As(sum(mismatch), "mismatch"),
	)
	k := &dialect.Select{Columns: kItems, From: dialect.Table{Name: dialect.N("s")}, GroupBy: bkRefs}

	total := func(e dialect.Expr, alias string) dialect.SelectItem {
		return dialect.As(dialect.F("COALESCE", sum(e), zero), alias)
	}
	gt := func(n string, v int64) dialect.Expr { return &dialect.Binary{Op: ">", L: col(n), R: dialect.I(v)} }
	multiCur := dialect.Expr(zero)
	if c.IsCurrent != "" && c.ValidTo != "" {
		multiCur = flag(gt("cur_rows", 1))
	}
	return &dialect.Select{
		With: []dialect.CTE{{Name: "s", Query: s}, {Name: "k", Query: k}},
		Columns: []dialect.SelectItem{
			dialect.As(dialect.F("COUNT"), "business_keys"),
			total(col("versions"), "row_count"),
			dialect.As(dialect.F("COALESCE", dialect.F("MAX", col("versions")), zero), "max_versions"),
			total(flag(gt("versions", 1)), "changed_keys"),
			total(col("overlaps"), "overlaps"),
			total(flag(gt("overlaps", 0)), "overlap_keys"),
			total(col("inverted"), "inverted"),
			total(col("zero_length"), "zero_length"),
			total(flag(gt("open_rows", 1)), "multi_open_keys"),
			total(flag(dialect.Eq(col("open_rows"), zero)), "no_open_keys"),
			total(multiCur, "multi_current_keys"),
			total(col("mismatch"), "flag_mismatch"),
		},
		From: dialect.Table{Name: dialect.N("k")},
	}
}

// scdInt reads a count the engine returned (integers, decimals as text,
// floats).
func scdInt(v any) (int64, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case int:
		return int64(x), nil
	case uint64:
		return int64(x), nil
	case float64:
		return int64(math.Round(x)), nil
	case string:
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			return n, nil
		}
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return 0, fmt.Errorf("not a number: %q", x)
		}
		return int64(math.Round(f)), nil
	case []byte:
		return scdInt(string(x))
	}
	return 0, fmt.Errorf("unexpected %T", v)
}

// NonHistoricSCD is the SCD answer for a table without a verified
// history: type 0 (retain original) for facts and static reference data
// (time, currency, geography), type 1 (overwrite) for other dimensions,
// with the reason. For a table with validity columns it is a placeholder
// until VerifySCD2 runs.
func NonHistoricSCD(tp *TableProfile, role model.Role, entity model.Entity, cand *SCDCandidate) model.SCD {
	one := func(conf float64, rule, format string, args ...any) model.SCD {
		return model.SCD{Type: 1, Inference: model.Inference{Confidence: conf, Evidence: []model.Evidence{clsEv(rule, format, args...)}}}
	}
	zero := func(conf float64, rule, format string, args ...any) model.SCD {
		return model.SCD{Type: 0, Inference: model.Inference{Confidence: conf, Evidence: []model.Evidence{clsEv(rule, format, args...)}}}
	}
	if cand != nil {
		return one(0.4, "scd.candidate", "validity columns present (%s, %s, %s): type 2 once VerifySCD2 confirms the history", cand.ValidFrom, cand.ValidTo, cand.IsCurrent)
	}
	if role.IsFact() {
		return zero(0.6, "scd0.fact", "a %s records events: rows are kept as loaded, not versioned", role)
	}
	for _, c := range tp.Columns {
		if scdUpdated[strings.ToLower(c.Name)] {
			return one(0.75, "scd1.updated", "no validity columns; %s shows rows are updated in place", c.Name)
		}
	}
	switch {
	case role == model.RoleTimeDimension || entity == model.EntityTime:
		return zero(0.8, "scd0.static", "a calendar: values never change")
	case entity == model.EntityCurrency || entity == model.EntityGeography:
		return zero(0.7, "scd0.static", "static reference data (%s): codes and names do not change", entity)
	}
	return one(0.6, "scd1.overwrite", "no validity columns: attributes are overwritten in place")
}

// scdVersionNames says the validity columns are named for versions of
// a row (valid_from, dbt_valid_to, row_start, version_end, scd_*,
// rec_start), not for a term a row has (effective and expiry dates).
func scdVersionNames(c *SCDCandidate) bool {
	for _, n := range []string{c.ValidFrom, c.ValidTo} {
		n = strings.ToLower(n)
		for _, w := range []string{"valid", "dbt_", "row_", "version", "scd", "record", "rec_"} {
			if strings.Contains(n, w) {
				return true
			}
		}
	}
	return false
}
