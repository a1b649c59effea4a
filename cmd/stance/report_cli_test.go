package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReportInputsAndOutputs runs stance report on overlapping inputs,
// on outputs that cannot all be written, and on bad -chart-groups values.
// Every run starts with an old trends file DIR/t.csv; a failed run must
// leave it as it was and write nothing else.
func TestReportInputsAndOutputs(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "..", "eval", "trends", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	pred := filepath.Join(testdata, "predictions.csv")
	const header = "id,doc_id,date,text,rd,p_rd_favor,p_rd_against,p_rd_none\n"
	tests := []struct {
		name    string
		inputs  map[string]string // files written to DIR first
		args    []string          // after -out DIR/t.csv; DIR and TESTDATA are replaced
		code    int
		stderr  []string // substrings of stderr
		written []string // files of DIR written by the run
	}{
		{
			name:    "shards of one run",
			args:    []string{"-in", "TESTDATA/shard-1.csv,TESTDATA/shard-2.csv"},
			stderr:  []string{"2 files, 8 sentences, 4 documents"},
			written: []string{"t.csv"},
		},
		{
			name: "one file twice",
			args: []string{"-in", "TESTDATA/predictions.csv,TESTDATA/predictions.csv"},
			code: 1,
			stderr: []string{
				pred + `:2:1: duplicate id: sentence "d1-1" also at ` + pred + ":2 (the same file, given twice)",
				pred + `:9:1: duplicate id: sentence "d4-1" also at ` + pred + ":9",
				"give each file once", "nothing written"},
		},
		{
			name: "whole run and one of its shards",
			args: []string{"-in", "TESTDATA/predictions.csv", "TESTDATA/shard-2.csv"},
			code: 1,
			stderr: []string{
				filepath.Join(testdata, "shard-2.csv") + `:2:1: duplicate id: sentence "d1-2" also at ` + pred + ":3",
				"nothing written"},
		},
		{
			name:   "sentence twice in one file",
			inputs: map[string]string{"dup.csv": header + "s1,d1,2019,x,favor,1,0,0\ns2,d1,2019,x,none,0,0,1\ns1,d1,2019,x,favor,1,0,0\n"},
			args:   []string{"-in", "DIR/dup.csv"},
			code:   1,
			stderr: []string{`dup.csv:4:1: duplicate id: sentence "s1" also at DIR/dup.csv:2`, "nothing written"},
		},
		{
			name:   "chart folder missing",
			args:   []string{"-in", "TESTDATA/predictions.csv", "-changes", "DIR/changes.csv", "-chart", "DIR/no/z.png"},
			code:   1,
			stderr: []string{"report: nothing written: -chart DIR/no/z.png: no folder DIR/no"},
		},
		{
			name:   "changes folder missing",
			args:   []string{"-in", "TESTDATA/predictions.csv", "-changes", "DIR/no/changes.csv"},
			code:   1,
			stderr: []string{"report: nothing written: -changes DIR/no/changes.csv: no folder DIR/no"},
		},
		{
			// The folders exist, but no period is precise enough to draw.
			name:   "chart cannot be drawn",
			inputs: map[string]string{"years.csv": header + "s1,d1,2019,x,favor,1,0,0\ns2,d2,2020,x,none,0,0,1\n"},
			args:   []string{"-in", "DIR/years.csv", "-period", "month", "-changes", "DIR/changes.csv", "-chart", "DIR/c.svg"},
			code:   1,
			stderr: []string{"report: nothing written: write DIR/c.svg: chart: no period"},
		},
		{
			name:    "every output",
			args:    []string{"-in", "TESTDATA/predictions.csv", "-by", "country", "-changes", "DIR/changes.csv", "-chart", "DIR/c.svg", "-chart-groups", "1"},
			written: []string{"c.svg", "changes.csv", "t.csv"},
		},
		{
			name:   "-chart-groups 0",
			args:   []string{"-in", "TESTDATA/predictions.csv", "-by", "country", "-chart", "DIR/c.svg", "-chart-groups", "0"},
			code:   2,
			stderr: []string{"-chart-groups must be at least 1"},
		},
		{
			name:   "-chart-groups negative",
			args:   []string{"-in", "TESTDATA/predictions.csv", "-chart-groups", "-2"},
			code:   2,
			stderr: []string{"-chart-groups must be at least 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			expand := func(s string) string {
				return strings.NewReplacer("DIR/", dir+string(filepath.Separator), "TESTDATA/", testdata+string(filepath.Separator)).Replace(s)
			}
			before := map[string]string{"t.csv": "old"}
			for name, text := range tt.inputs {
				before[name] = text
			}
			for name, text := range before {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"report", "-boot", "20", "-out", filepath.Join(dir, "t.csv")}
			for _, a := range tt.args {
				args = append(args, expand(a))
			}
			code, _, stderr := stance(t, context.Background(), args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, expand(s)) {
					t.Errorf("stderr lacks %q:\n%s", expand(s), stderr)
				}
			}
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				name := e.Name()
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				old, existed := before[name]
				switch wrote := slices.Contains(tt.written, name); {
				case wrote && (string(got) == old || len(got) == 0):
					t.Errorf("%s was not written", name)
				case !wrote && !existed:
					t.Errorf("%s was written", name)
				case !wrote && string(got) != old:
					t.Errorf("%s was overwritten:\n%s", name, got)
				}
			}
			for _, name := range tt.written {
				if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
					t.Errorf("%s was not written: %v", name, err)
				}
			}
		})
	}
}
