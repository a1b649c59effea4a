package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// StaleAge is how long a temporary file must have gone unmodified for
// RemoveStale to remove it when it cannot tell from the name whether
// its process has ended.
const StaleAge = time.Hour

// tempPrefix is the start of the names of the temporary files of the
// output named base: ".<base>.tmp-".
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// RemoveStale removes the temporary files that earlier runs writing path
// left in its folder when they were killed before Commit or Abort
// (".<name>.tmp-<pid>-<random>", or ".<name>.tmp-<random>" from before
// names carried the pid), so that they do not pile up, and returns the
// paths removed. A temporary file is stale when the process named in it
// has ended, or when it was last modified StaleAge ago or earlier
// (an older name, a process id since reused). The others, whose run may
// still be writing path, are left and returned as kept; the files of the
// calling process are neither removed nor returned. A folder that does
// not exist holds none: nil, nil, nil. The error is the first failure to
// read the folder or remove a file; the other files are still tried.
func RemoveStale(path string) (removed, kept []string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, rerr := os.ReadDir(dir)
	if errors.Is(rerr, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if rerr != nil {
		return nil, nil, fmt.Errorf("look for stale temporary files of %s: %w", path, rerr)
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || !e.Type().IsRegular() {
			continue
		}
		pid, ok := tempPID(strings.TrimPrefix(name, prefix))
		if !ok || pid == os.Getpid() {
			continue // not a temporary file of ours, or one this process writes
		}
		p := filepath.Join(dir, name)
		stale := pid > 0 && processEnded(pid)
		if !stale {
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) >= StaleAge {
				stale = true
			}
		}
		if !stale {
			kept = append(kept, p)
			continue
		}
		if rmErr := os.Remove(p); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
			if err == nil {
				err = fmt.Errorf("remove stale temporary file: %w", rmErr)
			}
			continue
		}
		removed = append(removed, p)
	}
	return removed, kept, err
}

// tempPID parses the part of a temporary file's name after its prefix:
// "<pid>-<random>" gives pid, an older "<random>" 0, anything else is
// not a temporary file of Create (ok false).
func tempPID(suffix string) (pid int, ok bool) {
	digits := func(s string) bool {
		if s == "" {
			return false
		}
		for _, c := range s {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	p, r, found := strings.Cut(suffix, "-")
	if !found {
		return 0, digits(suffix)
	}
	if !digits(p) || !digits(r) {
		return 0, false
	}
	pid, err := strconv.Atoi(p)
	return pid, err == nil
}
