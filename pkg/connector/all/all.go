// Package all registers every databridge connector engine. Import it for
// its side effects.
package all

import (
	_ "github.com/databridge/databridge/pkg/connector/duckdb" // duckdb
)
