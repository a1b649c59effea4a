package atomicfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// endedPID returns the id of a process that has ended.
func endedPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// RemoveStale removes the temporary files of runs that ended and old
// ones, keeps those of runs that may still be writing, and touches
// nothing else.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	ended := strconv.Itoa(endedPID(t))
	live := strconv.Itoa(os.Getppid()) // the go command, or a shell: running
	old := time.Now().Add(-2 * StaleAge)
	files := []struct {
		name    string
		old     bool
		removed bool
		kept    bool
	}{
		{".out.csv.tmp-" + ended + "-123", false, true, false},                   // its run was killed
		{".out.csv.tmp-" + live + "-456", false, false, true},                    // its run is still writing
		{".out.csv.tmp-" + live + "-789", true, true, false},                     // unmodified for long: a reused pid
		{".out.csv.tmp-2938475", false, false, true},                             // an older name: too recent to tell
		{".out.csv.tmp-1122334", true, true, false},                              // an older name, old
		{".out.csv.tmp-" + strconv.Itoa(os.Getpid()) + "-1", true, false, false}, // this process's own
		{"out.csv", true, false, false},                                          // the output itself
		{".out.csv.tmp-notes.txt", true, false, false},                           // not a temporary file
		{".other.csv.tmp-" + ended + "-1", true, false, false},                   // another output's
		{".out.csv.tmp-" + ended + "-x", true, false, false},                     // not Create's pattern
	}
	var wantRemoved, wantKept []string
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		if f.old {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
		if f.removed {
			wantRemoved = append(wantRemoved, p)
		}
		if f.kept {
			wantKept = append(wantKept, p)
		}
	}
	removed, kept, err := RemoveStale(path)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	slices.Sort(kept)
	slices.Sort(wantRemoved)
	slices.Sort(wantKept)
	if !slices.Equal(removed, wantRemoved) {
		t.Errorf("removed %q, want %q", removed, wantRemoved)
	}
	if !slices.Equal(kept, wantKept) {
		t.Errorf("kept %q, want %q", kept, wantKept)
	}
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, f.name))
		if exists := err == nil; exists == f.removed {
			t.Errorf("%s exists %v after RemoveStale", f.name, exists)
		}
	}
	// A folder that does not exist holds no stale file.
	if r, k, err := RemoveStale(filepath.Join(dir, "no", "out.csv")); r != nil || k != nil || err != nil {
		t.Errorf("missing folder: %q, %q, %v", r, k, err)
	}
}

// Create's temporary file carries the process id, which RemoveStale
// reads, and a temporary file left by Create in this process is not
// removed while the process lives.
func TestCreateNamesPID(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	base := filepath.Base(f.f.Name())
	pid, ok := tempPID(base[len(tempPrefix("out.csv")):])
	if !ok || pid != os.Getpid() {
		t.Fatalf("temporary file %s: pid %d, %v; want %d", base, pid, ok, os.Getpid())
	}
	if removed, kept, err := RemoveStale(path); len(removed)+len(kept) != 0 || err != nil {
		t.Errorf("RemoveStale during a write: removed %q, kept %q, %v", removed, kept, err)
	}
}
