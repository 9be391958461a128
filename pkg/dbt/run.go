package dbt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// NodeResult is one node of a dbt run (target/run_results.json).
type NodeResult struct {
	UniqueID string `json:"unique_id"`
	// Status: success, error, skipped (models, seeds); pass, fail, warn,
	// error (tests).
	Status        string  `json:"status"`
	Message       string  `json:"message,omitempty"`
	Failures      int     `json:"failures,omitempty"`
	ExecutionTime float64 `json:"execution_time"`
}

// RunResult is the outcome of one dbt invocation.
type RunResult struct {
	// Status is success (dbt exited 0), fail (dbt ran and some node
	// failed or errored) or error (dbt could not run the command).
	Status  string       `json:"status"`
	Results []NodeResult `json:"results"`
	// Elapsed is dbt's own elapsed time in seconds.
	Elapsed float64 `json:"elapsed"`
	// Failed lists the nodes whose status is error or fail.
	Failed   []NodeResult `json:"failed,omitempty"`
	ExitCode int          `json:"exit_code"`
}

// Run statuses.
const (
	StatusSuccess = "success"
	StatusFail    = "fail"
	StatusError   = "error"
)

// Run runs dbt (dbtBin, e.g. "dbt" or a venv's bin/dbt) with args (e.g.
// "build") on the project in projectDir with the profiles in profilesDir
// ("" = dbt's default), streaming its output to out (may be nil), and
// reads target/run_results.json. Anonymous usage statistics are off. A
// run in which nodes fail is not an error: the result says so (Status
// fail, Failed). The error is for dbt that cannot start, or that exits
// without writing results for a command that writes them.
func Run(ctx context.Context, dbtBin, projectDir, profilesDir string, args []string, out io.Writer) (*RunResult, error) {
	return RunEnv(ctx, dbtBin, projectDir, profilesDir, nil, args, out)
}

// RunEnv is Run with extra environment variables ("KEY=value") for dbt,
// e.g. the secrets a profile reads with env_var, so they never have to be
// written to a file.
func RunEnv(ctx context.Context, dbtBin, projectDir, profilesDir string, env []string, args []string, out io.Writer) (*RunResult, error) {
	if dbtBin == "" {
		dbtBin = "dbt"
	}
	if out == nil {
		out = io.Discard
	}
	resultsPath := filepath.Join(projectDir, "target", "run_results.json")
	_ = os.Remove(resultsPath) // never read a previous run's results
	full := append([]string{}, args...)
	full = append(full, "--project-dir", projectDir)
	if profilesDir != "" {
		full = append(full, "--profiles-dir", profilesDir)
	}
	cmd := exec.CommandContext(ctx, dbtBin, full...)
	cmd.Dir = projectDir
	cmd.Env = append(append(os.Environ(), env...), "DBT_SEND_ANONYMOUS_USAGE_STATS=false", "DO_NOT_TRACK=1")
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	runErr := cmd.Run()
	res := &RunResult{Status: StatusSuccess, Results: []NodeResult{}}
	var exit *exec.ExitError
	switch {
	case runErr == nil:
	case errors.As(runErr, &exit):
		res.ExitCode = exit.ExitCode()
		res.Status = StatusFail
		if res.ExitCode != 1 {
			res.Status = StatusError
		}
	default:
		return nil, fmt.Errorf("run %s: %w", dbtBin, runErr)
	}
	data, err := os.ReadFile(resultsPath)
	if err != nil {
		res.Elapsed = time.Since(start).Seconds()
		if res.ExitCode != 0 {
			// dbt stopped before running nodes (bad project, no profile).
			res.Status = StatusError
			return res, fmt.Errorf("dbt %v exited with code %d before running any node (see its output)", args, res.ExitCode)
		}
		return res, nil // parse, deps, debug write no results
	}
	var rr struct {
		Elapsed float64 `json:"elapsed_time"`
		Results []struct {
			UniqueID      string  `json:"unique_id"`
			Status        string  `json:"status"`
			Message       *string `json:"message"`
			Failures      *int    `json:"failures"`
			ExecutionTime float64 `json:"execution_time"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &rr); err != nil {
		return res, fmt.Errorf("read %s: %w", resultsPath, err)
	}
	res.Elapsed = rr.Elapsed
	for _, r := range rr.Results {
		n := NodeResult{UniqueID: r.UniqueID, Status: r.Status, ExecutionTime: r.ExecutionTime}
		if r.Message != nil {
			n.Message = *r.Message
		}
		if r.Failures != nil {
			n.Failures = *r.Failures
		}
		res.Results = append(res.Results, n)
		if r.Status == "error" || r.Status == "fail" || r.Status == "runtime error" {
			res.Failed = append(res.Failed, n)
		}
	}
	if len(res.Failed) > 0 && res.Status == StatusSuccess {
		res.Status = StatusFail
	}
	return res, nil
}

// Counts tallies the results by status.
func (r *RunResult) Counts() map[string]int {
	out := map[string]int{}
	for _, n := range r.Results {
		out[n.Status]++
	}
	return out
}
