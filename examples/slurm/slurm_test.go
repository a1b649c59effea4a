// Package slurm_test runs the Slurm example (classify.sbatch, report.sbatch,
// submit.sh) on a real single-node Slurm cluster that
// test-local-cluster.sh starts and stops.
package slurm_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLocalCluster starts slurmctld, slurmd and munged, submits the
// classification array and the dependent report job, and compares the
// trends with a single run's, byte for byte. Debian's slurm-wlm and munge
// are installed when missing and this runs as root; the test skips only
// where they cannot be.
func TestLocalCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Slurm cluster")
	}
	if _, err := exec.LookPath("slurmctld"); err != nil {
		if why := install(t); why != "" {
			t.Skipf("no Slurm here, and %s: install slurm-wlm and munge (as .ci/run does) to run the Slurm example", why)
		}
	}
	corpus, _ := filepath.Abs(filepath.Join("..", "corpus"))
	// A few dozen real speeches too, when the shared data sit beside
	// the checkout: 4 parts of 4 documents leave some parts empty.
	if ita, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus", "ungdc", "ITA")); err == nil {
		if fi, err := os.Stat(ita); err == nil && fi.IsDir() {
			corpus += " " + ita
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "test-local-cluster.sh")
	cmd.Env = append(os.Environ(), "CORPUS="+corpus) // the script removes its temporary folder
	// On timeout, SIGTERM: the script's trap then stops the daemons.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 30 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	t.Logf("test-local-cluster.sh, %s:\n%s", time.Since(start).Round(100*time.Millisecond), out.String())
	if err != nil {
		t.Fatalf("test-local-cluster.sh: %v", err)
	}
}

// install tries apt-get install slurm-wlm munge and returns why it could
// not, or "" once slurmctld is there.
func install(t *testing.T) string {
	if os.Geteuid() != 0 {
		return "not root"
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return "no apt-get"
	}
	t.Log("installing slurm-wlm and munge with apt-get")
	for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "--no-install-recommends", "slurm-wlm", "munge"}} {
		cmd := exec.Command("apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "apt-get " + strings.Join(args, " ") + " failed: " + err.Error() + ": " + lastLines(string(out), 5)
		}
	}
	if _, err := exec.LookPath("slurmctld"); err != nil {
		return "apt-get installed no slurmctld"
	}
	return ""
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
