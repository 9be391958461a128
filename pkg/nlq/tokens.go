package nlq

import (
	"regexp"
	"strings"
)

// token is one word of a question: its raw lower-case text (what the
// calendar reads) and its canonical form (what the vocabulary matches:
// singular, American spelling, "%" and "percent" alike).
type token struct {
	raw   string
	canon string
	used  bool
	// role says what consumed the token (for the interpretation and the
	// abstention).
	role string
}

var tokenRe = regexp.MustCompile(`\d{4}-\d{2}-\d{2}|\d{4}-\d{2}\b|\$?\d[\d,]*(?:\.\d+)?(?:bn|mm|k|m|b)?\b|[a-z][a-z0-9]*(?:'[a-z]+)?|\d+[a-z]+|%|&|[<>]=?|#`)

// words splits text into lower-case tokens.
func words(s string) []string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("’", "'", "‘", "'", "–", "-", "—", "-").Replace(s)
	return tokenRe.FindAllString(s, -1)
}

func tokenize(s string) []*token {
	var out []*token
	for _, w := range words(s) {
		// A possessive reads as its noun ("last year's revenue").
		raw := strings.TrimSuffix(w, "'s")
		if raw == "" {
			raw = w
		}
		out = append(out, &token{raw: raw, canon: canonWord(w)})
	}
	return out
}

// canonPhrase is a phrase's canonical tokens joined by single spaces.
func canonPhrase(s string) string {
	ws := words(s)
	for i, w := range ws {
		ws[i] = canonWord(w)
	}
	return strings.Join(ws, " ")
}

// spelling folds British spellings and symbols onto one form.
var spelling = map[string]string{
	"centre": "center", "centres": "center", "labour": "labor", "amortisation": "amortization",
	"organisation": "organization", "organisations": "organizations", "favourable": "favorable",
	"%": "pct", "percent": "pct", "percentage": "pct", "percentages": "pct", "percents": "pct", "pct": "pct", "&": "and",
	"nos": "number", "no.": "number", "cheque": "check", "catalogue": "catalog",
	// Usual short forms.
	"qtr": "quarter", "qtrs": "quarter", "yr": "year", "yrs": "year", "mth": "month", "mths": "month",
	"dept": "department", "depts": "department", "cust": "customer", "custs": "customer", "cat": "category", "cats": "category",
	"acct": "account", "accts": "account", "prod": "product", "prods": "product", "txn": "transaction", "txns": "transaction",
	"repaid": "paid", "subs": "subscription", "seg": "segment", "segs": "segment", "rgn": "region", "pmt": "payment", "pmts": "payment", "inv": "invoice", "invs": "invoice",
}

// canonWord is a word's canonical form: American spelling, singular.
func canonWord(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.Trim(w, "'")
	if r, ok := spelling[w]; ok {
		return r
	}
	if w == "" || w[0] >= '0' && w[0] <= '9' || w[0] == '$' {
		return w
	}
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes")):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	case len(w) > 6 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		// A participle reads as its verb ("refunded" amount, "discounted").
		return w[:len(w)-2]
	}
	return w
}

// stopWords carry no meaning of their own in a question about numbers.
var stopWords = set(`a an the our we us i me my you your it its their them they this that these those
what whats was were is are be been being am did do does done doing have has had having there here
show shows showing give gives tell list display get see find fetch pull report please could can would
will should kindly just also me all any overall total totals how much which who whom whose where when
of in on at to for from with within into across by and or as than per each every out up so far
value values figure figures number amount amounts data info information
brought bring came come comes coming generate generated make made
s breakdown break down split entire whole full during`)

// fillers are words that qualify a measure without changing it.
var fillers = set(`spend spent spending sell sold selling bill billed invoice invoiced
trend trends overview summary actual actuals reported posted booked recorded generated earned
expense expenses cost costs entry entries posting postings current
buy bought purchased shopped issue issued raise raised given collected collect pay pays
earn earns earning earners gave donate donated donates seen treated attended produced produce produces flown flew
worked logged clocked sorted ranked arranged book books process processed handle handled place record still ended expired trending trended placed located something anything offer offers offered carry carries stock stocks sum received receive receiving based among contribute contributed contributes serve served use money need want know`)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
		m[canonWord(w)] = true
	}
	return m
}

// osa is the optimal string alignment distance (Damerau–Levenshtein
// with adjacent transpositions, each substring edited once): a typo is
// usually one insertion, deletion, substitution or swap.
func osa(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n, m := len(ra), len(rb)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}

// typoBudget is how many edits a phrase of n letters may carry and still
// name a member: none below 5 letters (too many short words are a
// letter apart), one up to 7, two from 8.
func typoBudget(n int) int { return editBudget(n, 8) }

// editBudget is the edits allowed in n letters: none below 5, one below
// twoFrom, two from there.
func editBudget(n, twoFrom int) int {
	switch {
	case n < 5:
		return 0
	case n < twoFrom:
		return 1
	}
	return 2
}
