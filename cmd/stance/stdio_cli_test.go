package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stanceIn is stance with stdin as standard input.
func stanceIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	code := exitCode(run(context.Background(), env, args), env.Stderr)
	return code, out.String(), errb.String()
}

// TestDashIsStandardInputOrOutput runs every command that reads or
// writes files with "-" in a file's place: it must read standard input or
// write standard output, and never create a file named "-".
func TestDashIsStandardInputOrOutput(t *testing.T) {
	dir := guardFixture(t)
	gold, err := os.ReadFile(filepath.Join(dir, "g.csv"))
	if err != nil {
		t.Fatal(err)
	}
	pred, err := os.ReadFile(filepath.Join(dir, "p.csv"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		stdin      string
		args       []string
		code       int
		stdout     []string // substrings of stdout
		stderr     []string // substrings of stderr
		notStdout  []string
		wantedFile string // a file the run writes
	}{
		{name: "labels check -", stdin: string(gold), args: []string{"labels", "check", "-"},
			stdout: []string{"ok: 60 rows"}},
		{name: "labels check - empty stdin", args: []string{"labels", "check", "-"}, code: 1,
			stderr: []string{"-:"}},
		{name: "labels stats -", stdin: string(gold), args: []string{"labels", "stats", "-"},
			stdout: []string{"russia_dialogue"}},
		{name: "export-fasttext -out -", args: []string{"labels", "export-fasttext", "-out", "-", "g.csv"},
			stdout: []string{"__label__russia_dialogue_favor"}, stderr: []string{"60 lines written"}},
		{name: "export-fasttext from -", stdin: string(gold), args: []string{"labels", "export-fasttext", "-target", "russia_dialogue", "-"},
			stdout: []string{"__label__favor"}},
		{name: "agree -out -", args: []string{"labels", "agree", "-out", "-", "g.csv", "b.csv"},
			stdout: []string{"id,text,target,a_value,b_value"}, notStdout: []string{"kappa", "common ids"},
			stderr: []string{"kappa", "disagreements: 0"}},
		{name: "agree with one file from -", stdin: string(gold), args: []string{"labels", "agree", "g.csv", "-"},
			stdout: []string{"common ids: 60", "disagreements: 0"}},
		{name: "merge -out -", args: []string{"labels", "merge", "-out", "-", "base.csv", "new.csv"},
			stdout: []string{"id,doc_id,date,source,text,", "ex060,"}, notStdout: []string{"added"},
			stderr: []string{"unchanged 60", "wrote standard output: 60 rows"}},
		{name: "merge NEW from -", stdin: string(gold), args: []string{"labels", "merge", "-out", "m.csv", "base.csv", "-"},
			stdout: []string{"unchanged 60"}, wantedFile: "m.csv"},
		{name: "report -in - -out -", stdin: string(pred), args: []string{"report", "-in", "-", "-out", "-", "-boot", "0"},
			stdout: []string{"period,", "russia_dialogue"}, stderr: []string{"1 files", "rows to standard output"}},
		{name: "report - as a path, changes to a file", stdin: string(pred), args: []string{"report", "-out", "-", "-changes", "ch.csv", "-boot", "0", "-"},
			stdout: []string{"period,"}, wantedFile: "ch.csv"},
		{name: "report two outputs to -", stdin: string(pred), args: []string{"report", "-in", "p.csv", "-out", "-", "-changes", "-"}, code: 2,
			stderr: []string{"only one of -out, -changes and -chart can be -"}},
		{name: "eval -labels -", stdin: string(gold), args: []string{"eval", "-model", "m.stance", "-labels", "-", "-out", "E", "-resamples", "0"},
			stdout: []string{"wrote E/report.html"}, wantedFile: "E/metrics.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := stanceIn(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			checkContains(t, "stdout", out, tt.stdout, tt.notStdout)
			checkContains(t, "stderr", errs, tt.stderr, nil)
			if _, err := os.Lstat(filepath.Join(dir, "-")); err == nil {
				t.Errorf("a file named - was written")
				os.Remove(filepath.Join(dir, "-"))
			}
			if tt.wantedFile != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.wantedFile)); err != nil {
					t.Errorf("%s not written: %v", tt.wantedFile, err)
				}
			}
		})
	}
}
