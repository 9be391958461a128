package project

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// LockFile is the advisory lock inside .databridge/ that serialises writers
// (CLI commands and a running MCP server) across processes.
const LockFile = ".lock"

// DefaultLockTimeout bounds how long a writer waits for another.
var DefaultLockTimeout = 30 * time.Second

// Lock takes the project's exclusive advisory lock, waiting up to timeout.
// The returned function releases it.
func (p *Project) Lock(ctx context.Context, timeout time.Duration) (func(), error) {
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	fl := flock.New(filepath.Join(p.Dir, LockFile))
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, err := fl.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !ok {
		if err == nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("another databridge process is writing to %s (waited %s): %w", p.Dir, timeout, err)
	}
	return func() { _ = fl.Unlock() }, nil
}
