//go:build unix

package deploy

import (
	"errors"
	"syscall"
	"time"
)

// processAlive reports whether pid is a live process that started no
// later than since (a later start means the pid was reused).
func processAlive(pid int, since time.Time) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	if started, zombie, ok := processStart(pid); ok {
		if zombie || started.After(since.Add(2*time.Second)) {
			return false
		}
	}
	return true
}
