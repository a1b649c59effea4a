package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestMessagesCLI checks the messages of issue 18 point 9: the version,
// did-you-mean for a mistyped command, help that names no internal
// function, and labels check's counts.
func TestMessagesCLI(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		code      int
		out       []string // substrings of stdout+stderr
		notOut    []string
		firstLine string // prefix of stdout's first line
	}{
		{name: "--version", args: []string{"--version"}, firstLine: "stance "},
		{name: "version", args: []string{"version"}, firstLine: "stance "},
		{name: "misspelt command", args: []string{"clasify"}, code: 2,
			out: []string{`unknown command "clasify"; did you mean classify?`}},
		{name: "transposed letters", args: []string{"trian", "-labels", "x"}, code: 2,
			out: []string{"did you mean train?"}},
		{name: "nothing close", args: []string{"frobnicate"}, code: 2,
			out: []string{`unknown command "frobnicate"`}, notOut: []string{"did you mean"}},
		{name: "misspelt labels command", args: []string{"labels", "chek", "x.csv"}, code: 2,
			out: []string{"did you mean check?"}},
		{name: "labels split -h", args: []string{"labels", "split", "-h"},
			out: []string{"usage: stance labels split", "tested in"}, notOut: []string{"GroupFolds", "labels."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := stance(t, context.Background(), tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			checkContains(t, "output", out+errs, tt.out, tt.notOut)
			if tt.firstLine != "" && !strings.HasPrefix(out, tt.firstLine) {
				t.Errorf("stdout = %q, want it to start with %q", out, tt.firstLine)
			}
		})
	}
}

func TestVersionString(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, "stance (version unknown: built without module information)"},
		{"checkout without VCS", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, true,
			"stance (devel), go1.26.8"},
		{"tagged module", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}}, true,
			"stance v1.2.0, go1.26.8"},
		{"checkout with a commit", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs", "git", "vcs.revision", "4fea9c9abc", "vcs.time", "2026-12-05T08:00:00Z", "vcs.modified", "true")}, true,
			"stance (devel) commit 4fea9c9abc (2026-12-05T08:00:00Z) with uncommitted changes, go1.26.8"},
		{"clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "4fea9c9abc", "vcs.modified", "false")}, true,
			"stance (devel) commit 4fea9c9abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := version(tt.info, tt.ok); got != tt.want {
				t.Errorf("version() = %q, want %q", got, tt.want)
			}
		})
	}
}

// A prediction file given twice to report makes every row a duplicate:
// the one-line diagnosis comes first, and the repeated problems are
// capped.
func TestReportFileTwiceDiagnosisFirst(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,doc_id,date,text,rd,p_rd_favor,p_rd_against,p_rd_none\n")
	for i := range 150 {
		fmt.Fprintf(&b, "s%d,d%d,2019,x,favor,1,0,0\n", i, i/3)
	}
	pred := filepath.Join(dir, "p.csv")
	writeFile(t, pred, b.String())
	code, _, errs := stance(t, context.Background(), "report", "-in", pred, "-out", filepath.Join(dir, "t.csv"), pred)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if !strings.Contains(lines[0], "sentence ids repeat: give each file once") {
		t.Errorf("first line = %q, want the diagnosis", lines[0])
	}
	if n := strings.Count(errs, "duplicate id"); n != maxProblemLines {
		t.Errorf("%d duplicate id lines, want %d", n, maxProblemLines)
	}
	checkContains(t, "stderr", errs, []string{"... and 90 more problems", "too many problems, stopped reading", "nothing written"}, nil)
	if _, err := os.Stat(filepath.Join(dir, "t.csv")); err == nil {
		t.Error("t.csv written")
	}
}

// labels check on the shared gold file: no duplicate, and the two pairs
// of ids that label one text differently, named with file:line of both.
func TestLabelsCheckSharedTrain(t *testing.T) {
	train := filepath.Join("..", "..", "..", "shared", "labels", "train.csv")
	if _, err := os.Stat(train); err != nil {
		t.Skip("no ../shared/labels/train.csv")
	}
	code, out, errs := stance(t, context.Background(), "labels", "check", train)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	checkContains(t, "stdout", out, []string{"0 duplicates dropped", "2 texts labelled differently under another id"}, nil)
	checkContains(t, "stderr", errs, []string{
		train + `:1314: same text, different labels: "v0112" has the text of "s0788" at ` + train + ":790",
		train + `:1454: same text, different labels: "w0102" has the text of "s0090" at ` + train + ":92",
	}, nil)
}

// labels check counts a repeated row once as a duplicate, and a row
// whose cell is merely respelt ("Favor") is no duplicate.
func TestLabelsCheckCounts(t *testing.T) {
	dir := t.TempDir()
	const header = "id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_support\n"
	tests := []struct {
		name, body, want string
	}{
		{"respelt value, no duplicate", header + "a,d,2020,s,One.,Favor,none,none,none\n", "0 duplicates dropped, 0 texts"},
		{"one duplicate", header + "a,d,2020,s,One.,favor,none,none,none\na,d,2020,s,One.,favor,none,none,none\n", "1 duplicates dropped, 0 texts"},
		{"conflict", header + "a,d,2020,s,One.,favor,none,none,none\nb,d,2020,s,One.,against,none,none,none\n", "0 duplicates dropped, 1 texts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "g.csv")
			writeFile(t, path, tt.body)
			code, out, errs := stance(t, context.Background(), "labels", "check", path)
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, stdout lacks %q:\n%s%s", code, tt.want, out, errs)
			}
		})
	}
}
