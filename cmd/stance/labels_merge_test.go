package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// labels merge tells the analyst what a filled todo file did: rows left
// partly empty, a file with no label at all, and an id whose text is not
// the one in the gold file (refused, naming the line).
func TestLabelsMergeReports(t *testing.T) {
	const header = "id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_support\n"
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(header+body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := write("base.csv", "a1,D1,2020,W,Talks with Moscow must resume.,favor,none,none,none\n")
	for _, tc := range []struct {
		name, body string
		code       int
		stdout     string // substring
		stderr     string // substring
		written    bool
	}{
		{"partial row", "n1,D2,2021,W,Aid to Kyiv must go on.,,,,favor\n", 0, "1 merged row(s) leave some target empty", "", true},
		{"nothing filled", "n1,D2,2021,W,Aid to Kyiv must go on.,,,,\n", 0, "still empty (ignored) 1", "nothing merged (was the filled file saved?)", true},
		{"id with another text", "n0,D2,2021,W,Aid to Kyiv must go on.,,,,favor\na1,D1,2020,W,A different sentence.,none,none,none,none\n", 1, "", "new.csv:3: id's text differs", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".csv")
			code, stdout, stderr := stance(t, context.Background(), "labels", "merge", "-out", out, base, write("new.csv", tc.body))
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\nwant %q on stdout and %q on stderr", code, tc.code, stdout, stderr, tc.stdout, tc.stderr)
			}
			if _, err := os.Stat(out); tc.written != !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("output written: %v, want %v", err == nil, tc.written)
			}
		})
	}
}
