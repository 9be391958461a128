package hierarchy

import (
	"fmt"
	"strings"
)

// ParseConsolidation reads a node's consolidation: +, - or ~, or the
// words add/plus, subtract/minus, ignore/none, in any case and with
// surrounding spaces. "" stays "" (the default, +). The service's
// AddNode and UpdateNode and the CSV import read it with this, so the
// CLI, the MCP tools and a CSV file take the same words.
func ParseConsolidation(s string) (Consolidation, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "+", "add", "plus":
		return ConsolidateAdd, nil
	case "-", "subtract", "minus":
		return ConsolidateSubtract, nil
	case "~", "ignore", "none":
		return ConsolidateIgnore, nil
	}
	return "", fmt.Errorf("consolidation must be + (add), - (subtract) or ~ (ignore), not %q", s)
}
