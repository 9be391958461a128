package semantic

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/model"
)

// TableClass is what ClassifyTable infers about one table: its role in a
// dimensional model, the business entity it holds, its measures, what each
// column is for, and the validity columns that suggest a type-2 slowly
// changing dimension (to be checked on the data with VerifySCD2).
type TableClass struct {
	Role            model.Role      `json:"role"`
	RoleInference   model.Inference `json:"role_inference"`
	Entity          model.Entity    `json:"entity"`
	EntityInference model.Inference `json:"entity_inference"`
	Measures        []string        `json:"measures,omitempty"`
	// ColumnKinds maps every column name to its kind.
	ColumnKinds map[string]model.ColumnKind `json:"column_kinds"`
	// SCDCandidate is non-nil when the table has validity columns; verify
	// it with VerifySCD2. SCD is the answer without that check: type 0 or
	// 1 with the reason (type 1 as a placeholder for candidates).
	SCDCandidate *SCDCandidate `json:"scd_candidate,omitempty"`
	SCD          model.SCD     `json:"scd"`
}

// Word lists the rules read. Tokens are singular and lower-case.
var (
	// Numeric columns with these words are amounts, counts or prices.
	clsAmountWords = clsSet("amount", "amt", "value", "val", "balance", "bal", "debit", "credit", "qty", "quantity",
		"price", "cost", "revenue", "total", "sale", "tax", "fee", "discount", "margin", "profit", "budget",
		"forecast", "actual", "spend", "expense", "income", "count", "headcount", "hour", "unit", "volume",
		"payment", "inventory", "stock", "weight", "rate", "net", "gross", "subtotal", "charge", "salary", "wage",
		"click", "impression", "conversion", "view", "pageview", "visit", "visitor", "session", "lead", "download", "install", "signup", "reach", "engagement",
		// Nights stayed, minutes used, miles driven, what is claimed or
		// insured: counted or summed, whatever their few values.
		"night", "minute", "mile", "km", "kwh", "usage", "consumption", "duration", "premium", "claim", "commission", "refund",
		"freight", "shipping", "donation", "deposit", "withdrawal", "bonus", "overtime", "passenger", "seat",
		// Diners served, guests and attendees counted.
		"cover", "guest", "attendee", "participant",
		// Things sold or shipped by the piece: tickets bought, licenses,
		// pallets.
		"ticket", "license", "licence", "pallet", "carton", "parcel", "bottle",
		// Durations in seconds, and scores given (averaged by the
		// semantic layer).
		"second", "sec", "score", "rating", "csat", "nps")
	// Numeric columns with these words are identifiers, codes or flags,
	// never measures.
	clsNotMeasureWords = clsSet("id", "key", "code", "no", "nbr", "flag", "is", "has", "zip", "postal", "phone",
		"seq", "sequence", "sort", "version", "sk", "fk", "pk", "ind", "indicator", "decimal", "digit", "precision", "scale")
	// These make a numeric column a calendar or ordinal attribute unless
	// an amount word is present too ("period_balance" stays a measure).
	clsOrdinalWords = clsSet("year", "yr", "month", "quarter", "qtr", "week", "day", "period", "rank", "level",
		"number", "num", "ordinal", "position", "line", "age", "month_number")
	// Balance-like measures mark periodic snapshots.
	clsBalanceWords = clsSet("balance", "closing", "opening", "headcount", "inventory", "stock", "ending", "beginning",
		"outstanding", "on", "snapshot", "position", "bal")
	// Milestone date words mark accumulating snapshots.
	clsMilestoneWords = clsSet("order", "ordered", "ship", "shipped", "shipment", "deliver", "delivered", "delivery",
		"receive", "received", "receipt", "invoice", "invoiced", "paid", "payment", "pay", "approve", "approved",
		"approval", "close", "closed", "commit", "promised", "promise", "request", "requested", "due", "submit",
		"submitted", "complete", "completed", "cancel", "cancelled", "dispatch", "dispatched", "post", "posted")
	// Audit timestamps are not business milestones.
	clsAuditWords = clsSet("created", "updated", "modified", "loaded", "inserted", "changed", "etl", "load", "ingested", "extracted")
	// Calendar attributes mark a time dimension.
	clsCalendarWords = clsSet("year", "yr", "quarter", "qtr", "month", "week", "weekday", "day", "fiscal", "holiday",
		"weekend", "half", "semester", "dow", "doy", "julian", "leap", "workday", "trimester", "season")
	// Period-like names (a grain column of a snapshot, the key of a time
	// dimension).
	clsPeriodWords = clsSet("period", "date", "month", "day", "week", "quarter", "year", "snapshot", "asof", "as",
		"calendar", "fiscal", "time", "dt", "yyyymm", "yyyymmdd")
	// Weights and allocation shares may sit on a bridge.
	clsWeightWords = clsSet("weight", "allocation", "pct", "percent", "percentage", "share", "ratio", "factor", "split")
	clsBridgeWords = clsSet("member", "membership", "map", "mapping", "bridge", "link", "assignment", "xref", "x", "association", "rel", "relation", "allocation")
	clsFactWords   = clsSet("line", "transaction", "journal", "entry", "sale", "order", "invoice", "payment", "posting",
		"fact", "fct", "event", "movement", "shipment", "receipt", "balance", "snapshot", "activity", "detail")
	clsDescWords = clsSet("name", "description", "desc", "title", "label", "type", "category", "segment", "class",
		"status", "group", "term", "region", "department", "country", "city", "state", "kind", "tier", "channel")
)

// ClassifyTable infers a table's role, entity, measures and column kinds
// from its profile, its key (pk, the grain), the relationships of the
// whole source (rels; the table's declared foreign keys are added) and the
// profiles of every table (all, for row counts of parents). It reads no
// data: every rule works on the numbers profiling gathered, and each
// records its evidence.
func ClassifyTable(tp *TableProfile, pk []string, rels []model.Relationship, all []*TableProfile) TableClass {
	f := clsFeatures(tp, pk, rels, all)
	out := TableClass{ColumnKinds: f.kinds, Measures: f.measures}
	out.Role, out.RoleInference = clsRole(f)
	out.Entity, out.EntityInference = clsEntity(f, out.Role)
	out.SCDCandidate = SCDCandidates(tp, pk)
	if out.SCDCandidate != nil {
		for _, c := range []string{out.SCDCandidate.ValidFrom, out.SCDCandidate.ValidTo, out.SCDCandidate.IsCurrent} {
			if c != "" && f.kinds[c] != model.KindForeign {
				out.ColumnKinds[c] = model.KindValidity
			}
		}
	}
	out.SCD = NonHistoricSCD(tp, out.Role, out.Entity, out.SCDCandidate)
	return out
}

// clsFacts are the numbers the role and entity rules read.
type clsFacts struct {
	tp       *TableProfile
	pk       []string
	pkSet    map[string]bool
	out      []model.Relationship // this table's foreign keys
	outTabs  []string             // distinct parent tables
	fkCols   map[string]bool
	in       []model.Relationship // foreign keys pointing here
	inTabs   []string             // distinct referencing tables
	measures []string
	why      map[string]string // measure → reason
	kinds    map[string]model.ColumnKind
	dates    []string // temporal columns that are not validity columns
	validity map[string]bool
	desc     []string // descriptive attribute columns
	parents  map[string]int64
	// datedParents are the parents with an event date of their own (an
	// order header's order_date), not an audit date.
	datedParents []string
}

func clsFeatures(tp *TableProfile, pk []string, rels []model.Relationship, all []*TableProfile) *clsFacts {
	f := &clsFacts{tp: tp, pk: pk, pkSet: map[string]bool{}, fkCols: map[string]bool{}, why: map[string]string{},
		kinds: map[string]model.ColumnKind{}, validity: map[string]bool{}, parents: map[string]int64{}}
	for _, c := range pk {
		f.pkSet[strings.ToLower(c)] = true
	}
	seen := map[string]bool{}
	add := func(r model.Relationship) {
		k := strings.ToLower(r.FromTable + "|" + strings.Join(r.FromColumns, ",") + "|" + r.ToTable + "|" + strings.Join(r.ToColumns, ","))
		if seen[k] {
			return
		}
		seen[k] = true
		if eqFold(r.FromTable, tp.Name) {
			f.out = append(f.out, r)
			for _, c := range r.FromColumns {
				f.fkCols[strings.ToLower(c)] = true
			}
		}
		if eqFold(r.ToTable, tp.Name) && !eqFold(r.FromTable, tp.Name) {
			f.in = append(f.in, r)
		}
	}
	for _, r := range tp.DeclaredFKs {
		if r.FromTable == "" {
			r.FromTable = tp.Name
		}
		add(r)
	}
	for _, r := range rels {
		add(r)
	}
	// Parents, not counting the table itself (a self-reference is a
	// hierarchy — employees.reports_to — not a fact's parent).
	var outside []model.Relationship
	for _, r := range f.out {
		if !eqFold(r.ToTable, tp.Name) {
			outside = append(outside, r)
		}
	}
	f.outTabs = clsDistinct(outside, func(r model.Relationship) string { return r.ToTable })
	f.inTabs = clsDistinct(f.in, func(r model.Relationship) string { return r.FromTable })
	for _, p := range all {
		if p != nil {
			f.parents[strings.ToLower(p.Name)] = p.Rows
			if !slices.ContainsFunc(f.outTabs, func(t string) bool { return eqFold(t, p.Name) }) {
				continue
			}
			for i := range p.Columns {
				c := &p.Columns[i]
				if toks := clsTokens(c.Name); clsIsTemporal(c) && !clsHasAny(toks, clsAuditWords) && !clsHasAny(toks, clsSet("valid", "effective", "expiry", "expiration", "birth")) {
					f.datedParents = append(f.datedParents, p.Name)
					break
				}
			}
		}
	}
	if cand := SCDCandidates(tp, pk); cand != nil {
		for _, c := range []string{cand.ValidFrom, cand.ValidTo, cand.IsCurrent} {
			if c != "" {
				f.validity[strings.ToLower(c)] = true
			}
		}
	}
	for i := range tp.Columns {
		c := &tp.Columns[i]
		lc := strings.ToLower(c.Name)
		toks := clsTokens(c.Name)
		isDate := clsIsTemporal(c) || clsIsYearMonth(c)
		if isDate && !f.validity[lc] {
			f.dates = append(f.dates, c.Name)
		}
		switch {
		case f.fkCols[lc]:
			f.kinds[c.Name] = model.KindForeign
		case f.validity[lc]:
			f.kinds[c.Name] = model.KindValidity
		case f.pkSet[lc]:
			f.kinds[c.Name] = model.KindKey
		default:
			if why, ok := clsMeasure(c, toks); ok {
				f.measures = append(f.measures, c.Name)
				f.why[c.Name] = why
				f.kinds[c.Name] = model.KindMeasure
			} else if clsIsTemporal(c) {
				// (a month written as text stays text: the semantic
				// layer reads it as a date where a fact has no other)
				f.kinds[c.Name] = model.KindDate
			} else if c.Class == "free_text" || (c.Pattern == "text" && c.AvgLength > 40) {
				f.kinds[c.Name] = model.KindText
			} else {
				f.kinds[c.Name] = model.KindAttribute
			}
			if !c.Numeric && !isDate && clsHasAny(toks, clsDescWords) {
				f.desc = append(f.desc, c.Name)
			}
		}
	}
	return f
}

func clsDistinct(rs []model.Relationship, key func(model.Relationship) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rs {
		k := strings.ToLower(key(r))
		if !seen[k] {
			seen[k] = true
			out = append(out, key(r))
		}
	}
	sort.Strings(out)
	return out
}

// clsIsTemporal: a date/time type, text that profiles as dates, or a
// timestamp-like name on a temporal-looking column.
func clsIsTemporal(c *ColumnProfile) bool {
	if c.Temporal || c.Pattern == "date" || c.Pattern == "timestamp" || c.Class == "temporal" {
		return true
	}
	t := strings.ToUpper(c.Type)
	return strings.HasPrefix(t, "DATE") || strings.HasPrefix(t, "TIMESTAMP") || strings.HasPrefix(t, "TIME ") || t == "DATETIME" || t == "DATETIME2"
}

// clsIsYearMonth: a text column of months written "YYYY-MM" (a
// ledger's period, "2025-03"): the rows' time, like a date.
func clsIsYearMonth(c *ColumnProfile) bool {
	if c.Numeric || c.MinLength != 7 || c.MaxLength != 7 {
		return false
	}
	vals := []string{c.Min, c.Max}
	for _, t := range c.Top {
		vals = append(vals, t.Value)
	}
	return model.YearMonths(vals...)
}

// clsMeasure decides whether a (non-key, non-FK) column is a measure and
// says why.
func clsMeasure(c *ColumnProfile, toks []string) (string, bool) {
	if !c.Numeric || c.Class == "boolean" || c.Pattern == "boolean" || clsIsTemporal(c) {
		return "", false
	}
	if w := clsFirstIn(toks, clsNotMeasureWords); w != "" {
		return "", false
	}
	amount := clsFirstIn(toks, clsAmountWords)
	if amount == "" && clsHasAny(toks, clsOrdinalWords) {
		return "", false
	}
	if amount != "" {
		return fmt.Sprintf("numeric, name has %q", amount), true
	}
	if c.Rows > 0 && c.Distinct <= 2 && c.Rows > 2 {
		return "", false // a 0/1 flag
	}
	if s := clsScale(c.Type); s >= 2 {
		return fmt.Sprintf("numeric %s with %d decimals", c.Type, s), true
	}
	if c.Pattern == "amount" {
		return "numeric, values look like amounts", true
	}
	return "", false
}

// clsScale reads the scale of DECIMAL(p,s) / NUMERIC(p,s); -1 otherwise.
func clsScale(typ string) int {
	t := strings.ToUpper(strings.ReplaceAll(typ, " ", ""))
	if !strings.HasPrefix(t, "DECIMAL(") && !strings.HasPrefix(t, "NUMERIC(") && !strings.HasPrefix(t, "NUMBER(") {
		return -1
	}
	open, end := strings.Index(t, "("), strings.Index(t, ")")
	if end < open {
		return -1
	}
	parts := strings.Split(t[open+1:end], ",")
	if len(parts) != 2 {
		return 0
	}
	s, err := strconv.Atoi(parts[1])
	if err != nil {
		return -1
	}
	return s
}

func clsEv(rule, format string, args ...any) model.Evidence {
	return model.Evidence{Rule: rule, Detail: fmt.Sprintf(format, args...)}
}

func clsCap(x float64) float64 {
	return math.Round(math.Min(0.97, math.Max(0, x))*100) / 100
}

// ------------------------------------------------------------------ roles

// clsRole applies the role rules in order: time dimension, bridge,
// accumulating snapshot, periodic snapshot, transaction fact, factless
// fact, dimension.
func clsRole(f *clsFacts) (model.Role, model.Inference) {
	if r, inf, ok := clsTimeDim(f); ok {
		return r, inf
	}
	if r, inf, ok := clsBridge(f); ok {
		return r, inf
	}
	if r, inf, ok := clsFact(f); ok {
		return r, inf
	}
	return clsDimension(f)
}

// clsTimeDim: a single date/period key with calendar attributes.
func clsTimeDim(f *clsFacts) (model.Role, model.Inference, bool) {
	if len(f.pk) > 1 || len(f.measures) > 0 || len(f.outTabs) > 1 {
		return "", model.Inference{}, false
	}
	var key *ColumnProfile
	if len(f.pk) == 1 {
		key = f.tp.Column(f.pk[0])
	} else {
		// No key found: a column with a period-like name and distinct
		// values on every row.
		for i := range f.tp.Columns {
			c := &f.tp.Columns[i]
			if c.Rows > 0 && c.Distinct == c.Rows && c.Nulls == 0 && (clsIsTemporal(c) || clsHasAny(clsTokens(c.Name), clsPeriodWords)) {
				key = c
				break
			}
		}
	}
	if key == nil {
		return "", model.Inference{}, false
	}
	keyTemporal := clsIsTemporal(key)
	keyPeriod := clsHasAny(clsTokens(key.Name), clsPeriodWords)
	if !keyTemporal && !keyPeriod {
		return "", model.Inference{}, false
	}
	var cal []string
	for i := range f.tp.Columns {
		c := &f.tp.Columns[i]
		if eqFold(c.Name, key.Name) {
			continue
		}
		toks := clsTokens(c.Name)
		startEnd := clsHasAny(toks, clsSet("start", "end", "begin", "first", "last")) && (clsIsTemporal(c) || clsHasAny(toks, clsPeriodWords))
		if clsHasAny(toks, clsCalendarWords) || startEnd {
			cal = append(cal, c.Name)
		}
	}
	if len(cal) < 2 {
		return "", model.Inference{}, false
	}
	var ev []model.Evidence
	conf := 0.6
	if keyTemporal {
		ev = append(ev, clsEv("time_dimension.key", "key %s is a date (%s) (0.6)", key.Name, key.Type))
	} else {
		ev = append(ev, clsEv("time_dimension.key", "key %s has a period-like name (0.6)", key.Name))
	}
	add := math.Min(0.3, 0.07*float64(len(cal)))
	conf += add
	ev = append(ev, clsEv("time_dimension.calendar", "%d calendar attributes: %s (+%.2f)", len(cal), strings.Join(cal, ", "), add))
	if w := clsFirstIn(clsTokens(f.tp.Name), clsSet("calendar", "date", "period", "time", "fiscal", "day", "month")); w != "" {
		conf += 0.05
		ev = append(ev, clsEv("time_dimension.name", "table name has %q (+0.05)", w))
	}
	if len(f.inTabs) > 0 {
		conf += 0.05
		ev = append(ev, clsEv("time_dimension.referenced", "referenced by %s (+0.05)", strings.Join(f.inTabs, ", ")))
	}
	return model.RoleTimeDimension, model.Inference{Confidence: clsCap(conf), Evidence: ev}, true
}

// clsBridge: two or more foreign keys forming the key, few other columns,
// no measures but weights.
func clsBridge(f *clsFacts) (model.Role, model.Inference, bool) {
	keyCols := f.pk
	if len(keyCols) == 0 {
		// No key found: a table of nothing but foreign keys.
		for _, c := range f.tp.Columns {
			if f.fkCols[strings.ToLower(c.Name)] {
				keyCols = append(keyCols, c.Name)
			}
		}
		if len(keyCols) != len(f.tp.Columns) {
			return "", model.Inference{}, false
		}
	}
	if len(keyCols) < 2 || len(f.out) < 2 {
		return "", model.Inference{}, false
	}
	for _, c := range keyCols {
		if !f.fkCols[strings.ToLower(c)] {
			return "", model.Inference{}, false
		}
		if cp := f.tp.Column(c); cp != nil && clsIsTemporal(cp) {
			return "", model.Inference{}, false
		}
	}
	for _, m := range f.measures {
		if !clsHasAny(clsTokens(m), clsWeightWords) {
			return "", model.Inference{}, false
		}
	}
	others := len(f.tp.Columns) - len(keyCols)
	if others > 3 {
		return "", model.Inference{}, false
	}
	conf := 0.75
	ev := []model.Evidence{clsEv("bridge.key", "key (%s) is made of foreign keys to %s (0.75)", strings.Join(keyCols, ", "), strings.Join(f.outTabs, ", "))}
	if others == 0 {
		conf += 0.1
		ev = append(ev, clsEv("bridge.columns", "no other columns (+0.10)"))
	} else {
		ev = append(ev, clsEv("bridge.columns", "%d other columns, measures only weights (%d)", others, len(f.measures)))
	}
	if w := clsFirstIn(clsTokens(f.tp.Name), clsBridgeWords); w != "" {
		conf += 0.05
		ev = append(ev, clsEv("bridge.name", "table name has %q (+0.05)", w))
	}
	return model.RoleBridge, model.Inference{Confidence: clsCap(conf), Evidence: ev}, true
}

// clsFact tries the fact rules: accumulating, periodic snapshot,
// transaction, factless.
func clsFact(f *clsFacts) (model.Role, model.Inference, bool) {
	nFK := len(f.outTabs)
	if nFK == 0 {
		// A flat table: measures and a date, but no relationships found.
		if len(f.measures) > 0 && len(f.dates) > 0 && len(f.inTabs) == 0 && clsUniqueName(f.tp) == "" && len(f.validity) == 0 {
			return model.RoleTransactionFact, model.Inference{Confidence: 0.45, Evidence: []model.Evidence{
				clsEv("transaction_fact.flat", "no foreign keys found, but %d measures (%s) and dates (%s) (0.45)",
					len(f.measures), strings.Join(f.measures, ", "), strings.Join(f.dates, ", ")),
			}}, true
		}
		return "", model.Inference{}, false
	}
	// A table other tables reference, with fewer than two parents, is a
	// dimension (possibly snowflaked) rather than a fact; so is a list of
	// named members (a unique name: events are not named one by one);
	// and so is a referenced table that does not record events itself —
	// no date, or (with one or two parents) fewer rows than its largest
	// parent (a track list, a promotion calendar).
	if len(f.inTabs) > 0 && nFK < 2 || clsUniqueName(f.tp) != "" {
		return "", model.Inference{}, false
	}
	if len(f.inTabs) > 0 && !clsLinesOfHeader(f) {
		if r := clsMemberRatio(f); len(f.dates) == 0 && !clsHasPeriodFK(f) || r < 1 && nFK <= 2 {
			return "", model.Inference{}, false
		}
	}
	fkEv := clsEv("fact.foreign_keys", "%d foreign keys to %s", nFK, strings.Join(f.outTabs, ", "))
	ratio, ratioEv := clsParentRatio(f)

	// Accumulating snapshot: several business milestone dates.
	var milestones, named []string
	for _, d := range f.dates {
		toks := clsTokens(d)
		if clsHasAny(toks, clsAuditWords) {
			continue
		}
		milestones = append(milestones, d)
		if clsHasAny(toks, clsMilestoneWords) {
			named = append(named, d)
		}
	}
	if len(milestones) >= 3 && len(named) >= 2 {
		var open []string
		for _, d := range milestones {
			if c := f.tp.Column(d); c != nil && c.Nulls > 0 {
				open = append(open, fmt.Sprintf("%s %d nulls", d, c.Nulls))
			}
		}
		perInstance := len(f.pk) <= 1
		if len(open) > 0 || perInstance {
			conf := 0.7
			ev := []model.Evidence{fkEv, clsEv("accumulating.milestones", "%d milestone dates: %s (0.70)", len(milestones), strings.Join(milestones, ", "))}
			add := math.Min(0.15, 0.05*float64(len(named)))
			conf += add
			ev = append(ev, clsEv("accumulating.names", "milestone names: %s (+%.2f)", strings.Join(named, ", "), add))
			if len(open) > 0 {
				conf += 0.05
				ev = append(ev, clsEv("accumulating.open", "unfinished processes: %s (+0.05)", strings.Join(open, ", ")))
			}
			if perInstance {
				conf += 0.05
				ev = append(ev, clsEv("accumulating.grain", "one row per process instance: key (%s) (+0.05)", strings.Join(f.pk, ", ")))
			}
			return model.RoleAccumulatingFact, model.Inference{Confidence: clsCap(conf), Evidence: ev}, true
		}
	}

	// Periodic snapshot: a period in the grain and balance-like measures.
	var balances []string
	for _, m := range f.measures {
		if clsHasAny(clsTokens(m), clsBalanceWords) {
			balances = append(balances, m)
		}
	}
	if len(balances) > 0 {
		period := ""
		cols := f.pk
		if len(cols) == 0 {
			for _, c := range f.tp.Columns {
				cols = append(cols, c.Name)
			}
		}
		for _, c := range cols {
			cp := f.tp.Column(c)
			if cp != nil && (clsIsTemporal(cp) || clsHasAny(clsTokens(c), clsPeriodWords)) {
				period = c
				break
			}
		}
		if period != "" {
			conf := 0.75
			ev := []model.Evidence{
				clsEv("periodic_snapshot.grain", "period column %s in the grain (%s) (0.75)", period, strings.Join(f.pk, ", ")),
				clsEv("periodic_snapshot.measures", "balance-like measures: %s (+%.2f)", strings.Join(balances, ", "), 0.1),
				fkEv,
			}
			conf += 0.1
			if len(balances) == len(f.measures) {
				conf += 0.05
				ev = append(ev, clsEv("periodic_snapshot.only_balances", "every measure is a balance (+0.05)"))
			}
			return model.RoleSnapshotFact, model.Inference{Confidence: clsCap(conf), Evidence: ev}, true
		}
	}
	// Periodic snapshot from structure alone: the grain is a period plus
	// references (one row per period and member), with measures, whatever
	// they are called — unless a measure is a flow (spend, clicks,
	// revenue) and the table's name does not say snapshot: a daily
	// activity per campaign is added up over days, not read at their end.
	if period, refs := clsPeriodGrain(f); period != "" && len(f.measures) > 0 && !clsFlowTable(f) {
		return model.RoleSnapshotFact, model.Inference{Confidence: 0.8, Evidence: []model.Evidence{
			clsEv("periodic_snapshot.grain", "the grain (%s) is the period %s and the references %s: one row per period and member (0.80)",
				strings.Join(f.pk, ", "), period, strings.Join(refs, ", ")),
			clsEv("periodic_snapshot.measures", "measures: %s", strings.Join(f.measures, ", ")),
			fkEv,
		}}, true
	}

	hasDate := len(f.dates) > 0 || clsHasPeriodFK(f)
	if nFK < 2 && !hasDate {
		return "", model.Inference{}, false
	}
	if len(f.measures) > 0 {
		conf := 0.6
		var ev []model.Evidence
		if nFK >= 2 {
			ev = append(ev, clsEv("transaction_fact.foreign_keys", "%d foreign keys to %s (0.60)", nFK, strings.Join(f.outTabs, ", ")))
		} else {
			ev = append(ev, clsEv("transaction_fact.foreign_keys", "1 foreign key to %s and a date (%s) (0.60)", f.outTabs[0], strings.Join(f.dates, ", ")))
		}
		if nFK >= 3 {
			conf += 0.1
			ev = append(ev, clsEv("transaction_fact.many_parents", "%d parents (+0.10)", nFK))
		}
		var why []string
		for _, m := range f.measures {
			why = append(why, m+": "+f.why[m])
		}
		conf += 0.1
		ev = append(ev, clsEv("transaction_fact.measures", "%d measures: %s (+0.10)", len(f.measures), strings.Join(why, "; ")))
		if ratio >= 2 {
			conf += 0.1
			ev = append(ev, clsEv("transaction_fact.rows", "%s (+0.10)", ratioEv))
		} else if ratioEv != "" {
			ev = append(ev, clsEv("transaction_fact.rows", "%s (+0)", ratioEv))
		}
		if w := clsFirstIn(clsTokens(f.tp.Name), clsFactWords); w != "" {
			conf += 0.05
			ev = append(ev, clsEv("transaction_fact.name", "table name has %q (+0.05)", w))
		}
		if len(f.inTabs) > 0 {
			conf -= 0.1
			ev = append(ev, clsEv("transaction_fact.referenced", "referenced by %s: may be a header or a dimension (-0.10)", strings.Join(f.inTabs, ", ")))
		}
		return model.RoleTransactionFact, model.Inference{Confidence: clsCap(conf), Evidence: ev}, true
	}
	if len(f.inTabs) > 0 || clsUniqueName(f.tp) != "" {
		// Referenced, or a list of named members: a dimension.
		return "", model.Inference{}, false
	}
	conf := 0.6
	ev := []model.Evidence{fkEv, clsEv("factless_fact.no_measures", "no measures: rows record events or coverage (0.60)")}
	if len(f.dates) > 0 {
		conf += 0.1
		ev = append(ev, clsEv("factless_fact.date", "dates: %s (+0.10)", strings.Join(f.dates, ", ")))
	}
	if nFK >= 3 {
		conf += 0.05
		ev = append(ev, clsEv("factless_fact.many_parents", "%d parents (+0.05)", nFK))
	}
	if ratio >= 2 {
		conf += 0.05
		ev = append(ev, clsEv("factless_fact.rows", "%s (+0.05)", ratioEv))
	}
	return model.RoleFactlessFact, model.Inference{Confidence: clsCap(conf), Evidence: ev}, true
}

// clsHasPeriodFK: a foreign key column with a period-like name (a date
// key) stands in for a date.
func clsHasPeriodFK(f *clsFacts) bool {
	for _, r := range f.out {
		for _, c := range r.FromColumns {
			if clsHasAny(clsTokens(c), clsPeriodWords) {
				return true
			}
		}
	}
	return false
}

// clsParentRatio: this table's rows over its largest parent's.
func clsParentRatio(f *clsFacts) (float64, string) {
	best, most := clsLargestParent(f, false)
	if most < 0 {
		return 0, ""
	}
	if most == 0 {
		return math.Inf(1), fmt.Sprintf("%d rows, parents empty", f.tp.Rows)
	}
	r := float64(f.tp.Rows) / float64(most)
	return r, fmt.Sprintf("%d rows vs %d in the largest parent %s (%.1fx)", f.tp.Rows, most, best, r)
}

// clsDimension: referenced by facts, a key and descriptive attributes.
func clsDimension(f *clsFacts) (model.Role, model.Inference) {
	var ev []model.Evidence
	conf := 0.0
	if len(f.inTabs) > 0 {
		add := 0.6 + math.Min(0.15, 0.05*float64(len(f.inTabs)-1))
		conf += add
		ev = append(ev, clsEv("dimension.referenced", "referenced by %d tables: %s (%.2f)", len(f.inTabs), strings.Join(f.inTabs, ", "), add))
	}
	if len(f.pk) > 0 {
		add := 0.1
		if len(f.inTabs) == 0 {
			add = 0.35
		}
		conf += add
		ev = append(ev, clsEv("dimension.key", "key (%s) (+%.2f)", strings.Join(f.pk, ", "), add))
	}
	if len(f.desc) > 0 {
		add := 0.1
		if len(f.inTabs) == 0 && len(f.pk) > 0 {
			add = 0.2
		}
		conf += add
		ev = append(ev, clsEv("dimension.attributes", "%d descriptive attributes: %s (+%.2f)", len(f.desc), strings.Join(f.desc, ", "), add))
	}
	if len(f.outTabs) > 0 {
		ev = append(ev, clsEv("dimension.snowflake", "references %s (outrigger / snowflaked dimension)", strings.Join(f.outTabs, ", ")))
	}
	if conf < 0.3 {
		if len(ev) == 0 {
			ev = append(ev, clsEv("unknown", "no key, not referenced, no descriptive attributes, no foreign keys"))
		}
		return model.RoleUnknown, model.Inference{Confidence: 0.3, Evidence: ev}
	}
	return model.RoleDimension, model.Inference{Confidence: clsCap(conf), Evidence: ev}
}

// clsUniqueName returns a name or description column with a distinct
// value on every row, or "": a list of named members (a dimension), not
// a record of events.
func clsUniqueName(tp *TableProfile) string {
	for i := range tp.Columns {
		c := &tp.Columns[i]
		if !c.Numeric && !clsIsTemporal(c) && clsUniqueMemberName(c.Name, c.Rows, c.Nulls, c.Distinct) {
			return c.Name
		}
	}
	return ""
}

// clsUniqueMemberName: a member name column with a value on every row,
// all different (read from a profile or from a model's column).
func clsUniqueMemberName(name string, rows, nulls, distinct int64) bool {
	return rows > 1 && nulls == 0 && distinct == rows && clsMemberName(name)
}

// clsLineWords name the measures of a document's lines (what was sold
// or bought on it), not a member's attributes (a price, a length).
var clsLineWords = clsSet("quantity", "qty", "amount", "amt", "total", "unit", "line", "net", "gross", "revenue", "sale", "extended", "subtotal")

// clsLinesOfHeader says a table without a date of its own records the
// lines of dated documents: at least two parents, one of them with an
// event date of its own and fewer rows (order items of an order header,
// each order several lines), and line measures (quantity, amount) — even
// when another table references the lines (returns of order items). A
// list of members (tracks of albums) has no dated parent or no such
// measures.
func clsLinesOfHeader(f *clsFacts) bool {
	if len(f.dates) > 0 || len(f.outTabs) < 2 {
		return false
	}
	lines := false
	for _, m := range f.measures {
		toks := clsTokens(m)
		lines = lines || clsHasAny(toks, clsLineWords) && !clsHasAny(toks, clsSet("price", "rate"))
	}
	if !lines {
		return false
	}
	for _, p := range f.datedParents {
		if n, ok := f.parents[strings.ToLower(p)]; ok && n > 0 && n < f.tp.Rows {
			return true
		}
	}
	return false
}

// clsFlowWords name measures that add up over time (what happened in a
// period), never a balance at its end.
var clsFlowWords = clsSet("spend", "spent", "revenue", "sale", "sold", "click", "impression", "conversion", "expense",
	"fee", "income", "payment", "paid", "visit", "session", "view", "pageview", "lead", "call", "download", "install", "signup", "order",
	// Time worked or used, and what is charged or claimed per event.
	"hour", "minute", "night", "usage", "consumption", "claim", "premium", "commission", "refund", "discount", "freight",
	"shipping", "tax", "donation", "contribution", "deposit", "withdrawal", "wage", "salary", "bonus", "overtime", "payroll", "ticket",
	"charge", "billing", "repayment", "invoice", "transaction",
	// Changes of a stock are flows (mrr_change, stock_movements).
	"change", "delta", "movement")

// clsFlowTable says a fact's measures include a flow and its name does
// not say it is a snapshot (balances, positions, month end, inventory).
func clsFlowTable(f *clsFacts) bool {
	if clsHasAny(clsTokens(f.tp.Name), clsBalanceWords) || clsHasAny(clsTokens(f.tp.Name), clsSet("end")) {
		return false
	}
	for _, m := range f.measures {
		if clsHasAny(clsTokens(m), clsFlowWords) {
			return true
		}
	}
	// The table's name says its rows are flows (membership_charges,
	// loan_repayments) whatever its measures are called (amount).
	return clsHasAny(clsTokens(f.tp.Name), clsFlowWords)
}

// clsPeriodGrain returns the period column and the references when the
// key is exactly one period column plus one or more foreign keys.
func clsPeriodGrain(f *clsFacts) (string, []string) {
	if len(f.pk) < 2 {
		return "", nil
	}
	period := ""
	var refs []string
	for _, c := range f.pk {
		cp := f.tp.Column(c)
		isPeriod := cp != nil && (clsIsTemporal(cp) || clsHasAny(clsTokens(c), clsPeriodWords))
		switch {
		case isPeriod && period == "":
			period = c // a date, a period code, or a reference to the calendar
		case f.fkCols[strings.ToLower(c)]:
			refs = append(refs, c)
		default:
			return "", nil
		}
	}
	if period == "" || len(refs) == 0 {
		return "", nil
	}
	return period, refs
}

// clsMemberName: a column that names a member (product_name, title,
// label, email), not one that comments on a row (comment, note,
// description: an order's comment may be unique too).
func clsMemberName(name string) bool {
	return kyEndsWithWord(name, []string{"name", "title", "label", "email"})
}

// clsMemberRatio: this table's rows over its largest parent's, not
// counting parents referenced through period-named columns (a calendar
// has more rows than most event tables; that says nothing). +Inf when
// there is no such parent.
func clsMemberRatio(f *clsFacts) float64 {
	if _, most := clsLargestParent(f, true); most > 0 {
		return float64(f.tp.Rows) / float64(most)
	}
	return math.Inf(1)
}

// clsLargestParent is the parent (not the table itself) with the most
// rows and its row count (-1: none known); withoutPeriods leaves out
// parents referenced through period-named columns (the calendar).
func clsLargestParent(f *clsFacts, withoutPeriods bool) (string, int64) {
	byPeriod := func(r model.Relationship) bool {
		return slices.ContainsFunc(r.FromColumns, func(c string) bool { return clsHasAny(clsTokens(c), clsPeriodWords) })
	}
	var best string
	var most int64 = -1
	for _, t := range f.outTabs { // sorted, the table itself left out
		if withoutPeriods && !slices.ContainsFunc(f.out, func(r model.Relationship) bool { return eqFold(r.ToTable, t) && !byPeriod(r) }) {
			continue // only referenced through period columns
		}
		if n, ok := f.parents[strings.ToLower(t)]; ok && n > most {
			best, most = t, n
		}
	}
	return best, most
}
