package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes (ARCHITECTURE.md).
const (
	ExitOK           = 0
	ExitError        = 1
	ExitUsage        = 2
	ExitChecksFailed = 3
)

// UsageError is a bad invocation: unknown flag, wrong arguments.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef builds a UsageError.
func Usagef(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// ChecksFailedError means the command ran but its checks failed
// (validation failures, reconciliation differences, a failed connection
// test). The result has already been printed.
type ChecksFailedError struct{ Msg string }

func (e *ChecksFailedError) Error() string { return e.Msg }

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	var ce *ChecksFailedError
	if errors.As(err, &ce) {
		return ExitChecksFailed
	}
	return ExitError
}
