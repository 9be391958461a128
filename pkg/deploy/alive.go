package deploy

import (
	"fmt"
	"os"
	"time"
)

// interruption says why a running record's process is known to be gone:
// it ran on this host and its pid is no longer alive (or is now another
// process, started after the deployment). "" when the process may still
// be running (or ran on another host, where it cannot be checked).
func interruption(r *Record) string {
	if r.Status != StatusRunning || r.PID <= 0 {
		return ""
	}
	host, err := os.Hostname()
	if err != nil || host != r.Host {
		return ""
	}
	if processAlive(r.PID, r.StartedAt) {
		return ""
	}
	what := fmt.Sprintf("process %d on host %s started at %s is no longer running", r.PID, r.Host, r.StartedAt.Local().Format(time.RFC3339))
	if r.Kind == KindDBT {
		return what + "; the dbt run was interrupted — run `databridge deploy --mode advanced` again"
	}
	return fmt.Sprintf("%s; the %s was interrupted after %d statements — run `databridge deploy` again (it recovers this deployment first) or `databridge deploy rollback` (recovers it, then undoes the last committed deployment)",
		what, r.Kind, len(r.Statements))
}
