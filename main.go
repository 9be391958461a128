// Command databridge is data-warehouse automation for finance teams.
package main

import (
	"os"

	"github.com/databridge/databridge/cmd"
)

func main() { os.Exit(cmd.Execute()) }
