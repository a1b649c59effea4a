//go:build unix

package atomicfile

import (
	"errors"
	"syscall"
)

// processEnded reports whether no process has the id pid: signal 0
// checks that it exists without signalling it (EPERM: it exists, another
// user's).
func processEnded(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
