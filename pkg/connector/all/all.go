// Package all registers every databridge connector engine. Import it for
// its side effects.
package all

import (
	_ "github.com/databridge/databridge/pkg/connector/duckdb"    // duckdb
	_ "github.com/databridge/databridge/pkg/connector/files"     // files
	_ "github.com/databridge/databridge/pkg/connector/mysql"     // mysql
	_ "github.com/databridge/databridge/pkg/connector/postgres"  // postgres
	_ "github.com/databridge/databridge/pkg/connector/snowflake" // snowflake
)
