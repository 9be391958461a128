package warehouse

import d "github.com/databridge/databridge/pkg/dialect"

func dialectQuote(dialect, name string) string { return d.QuoteIdent(dialect, name) }
