package deploy

import (
	"strings"

	"github.com/databridge/databridge/pkg/connector"
)

// SplitStatements splits a script into statements, so drivers that run one
// statement per call (go-sql-driver/mysql without multiStatements) get one
// at a time. The splitting is the engine's own lexical rules, the same the
// read-only guard uses (connector.SplitStatements): one description of
// each dialect's literals and comments, not two. Empty statements (only
// space and comments) are dropped; the rest are trimmed. A script the
// lexer cannot read (an unterminated literal) is returned whole, so the
// engine reports the problem where it is.
func SplitStatements(d, script string) []string {
	out, err := connector.SplitStatements(script, d)
	if err != nil {
		if s := strings.TrimSpace(script); s != "" {
			return []string{s}
		}
		return nil
	}
	return out
}
