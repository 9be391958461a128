// Package all registers every databridge connector engine. Import it for
// its side effects.
package all

import (
	_ "github.com/databridge/databridge/pkg/connector/bigquery"   // bigquery
	_ "github.com/databridge/databridge/pkg/connector/databricks" // databricks
	_ "github.com/databridge/databridge/pkg/connector/duckdb"     // duckdb
	_ "github.com/databridge/databridge/pkg/connector/files"      // files
	_ "github.com/databridge/databridge/pkg/connector/mysql"      // mysql
	_ "github.com/databridge/databridge/pkg/connector/postgres"   // postgres
	_ "github.com/databridge/databridge/pkg/connector/snowflake"  // snowflake
	_ "github.com/databridge/databridge/pkg/connector/sqlserver"  // sqlserver
)
