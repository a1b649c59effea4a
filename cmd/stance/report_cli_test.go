package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/eval/trends"
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
			name:    "-groups chooses the groups drawn",
			args:    []string{"-in", "TESTDATA/predictions.csv", "-by", "country", "-chart", "DIR/c.svg", "-groups", "FR"},
			written: []string{"c.svg", "t.csv"},
		},
		{
			name:   "-groups names a group the report lacks",
			args:   []string{"-in", "TESTDATA/predictions.csv", "-by", "country", "-chart", "DIR/c.svg", "-groups", "FR,ITA"},
			code:   1,
			stderr: []string{`chart: no country "ITA" in the report (2 groups, the largest DE, FR)`, "nothing written"},
		},
		{
			name:   "-groups without -by",
			args:   []string{"-in", "TESTDATA/predictions.csv", "-chart", "DIR/c.svg", "-groups", "FR"},
			code:   2,
			stderr: []string{"-groups chooses the groups -chart draws: it needs -by and -chart"},
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

// TestReportChangeLines runs stance report on countries whose favor
// level each rises in 2016, by more the later the country (c00 by 8 of 40
// documents, c01 by 9, ...): one change of level per country, in PCC
// from 0.1 + 0.7·4/40 = 0.170 to 0.1 + 0.7·(12+i)/40 for country i.
// Stdout shows at most the 20 largest, largest first.
func TestReportChangeLines(t *testing.T) {
	dir := t.TempDir()
	input := func(countries int) string {
		var b strings.Builder
		b.WriteString("id,doc_id,date,country,text,rd,p_rd_favor,p_rd_against,p_rd_none\n")
		for g := range countries {
			for y := 2012; y <= 2019; y++ {
				favor := 4
				if y >= 2016 {
					favor = 12 + g
				}
				for d := range 40 {
					v, p := "none", "0.1,0.1,0.8"
					if d < favor {
						v, p = "favor", "0.8,0.1,0.1"
					}
					fmt.Fprintf(&b, "c%02d-%d-%d,c%02d-%d-%d,%d,c%02d,x,%s,%s\n", g, y, d, g, y, d, y, g, v, p)
				}
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("pred-%d.csv", countries))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	changes := filepath.Join(dir, "changes.csv")
	tests := []struct {
		name      string
		countries int // = changes of level
		args      []string
		lines     int    // change: lines on stdout
		first     string // prefix of stdout's first line
		last      string // stdout's last line, "" for none
	}{
		{"with -changes", 25, []string{"-changes", changes}, 20, "change: country=c24 rd favor", "... and 5 more (all in " + changes + ")"},
		{"without -changes", 25, nil, 20, "change: country=c24 rd favor", "... and 5 more (write them all with -changes FILE)"},
		{"-quiet", 25, []string{"-quiet", "-changes", changes}, 0, "", ""},
		{"-quiet without -changes", 25, []string{"-quiet"}, 0, "", ""},
		{"exactly 20", 20, []string{"-changes", changes}, 20, "change: country=c19 rd favor", "change: country=c00 rd favor (pcc) from 2016: 0.170 -> 0.310"},
		{"fewer than 20", 3, nil, 3, "change: country=c02 rd favor", "change: country=c00 rd favor (pcc) from 2016: 0.170 -> 0.310"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"report", "-boot", "0", "-by", "country", "-in", input(tc.countries), "-out", filepath.Join(dir, "t.csv")}, tc.args...)
			code, stdout, stderr := stance(t, context.Background(), args...)
			if code != 0 {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr)
			}
			if want := fmt.Sprintf(", %d changes of level", tc.countries); !strings.Contains(stderr, want) {
				t.Errorf("summary lacks %q:\n%s", want, stderr)
			}
			var lines []string
			if stdout != "" {
				lines = strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			}
			n := 0
			for _, l := range lines {
				if strings.HasPrefix(l, "change: ") {
					n++
				}
			}
			if n != tc.lines {
				t.Errorf("%d change lines, want %d:\n%s", n, tc.lines, stdout)
			}
			first, last := "", ""
			if len(lines) > 0 {
				first, last = lines[0], lines[len(lines)-1]
			}
			if !strings.HasPrefix(first, tc.first) {
				t.Errorf("first line %q, want the largest change, %q", first, tc.first)
			}
			if last != tc.last {
				t.Errorf("last line %q, want %q", last, tc.last)
			}
			if slices.Contains(tc.args, changes) {
				data, err := os.ReadFile(changes)
				if err != nil {
					t.Fatal(err)
				}
				if rows := strings.Count(string(data), "\n") - 1; rows != tc.countries {
					t.Errorf("%s has %d changes, want all %d", changes, rows, tc.countries)
				}
			}
		})
	}
}

// TestPrintChangesClipped checks that a change line says when its series
// is in PCC because ACC was clipped, and only then.
func TestPrintChangesClipped(t *testing.T) {
	tests := []struct {
		name string
		c    trends.Change
		want string
	}{
		{"clipped", trends.Change{Group: "ITA", Target: "rd", Value: "favor", Estimator: trends.PCC, Period: trends.Period{Label: "2019"}, Before: 0.118, After: 0.09, ACCClipped: 3},
			"change: country=ITA rd favor (pcc; acc clipped in 3 periods) from 2019: 0.118 -> 0.090\n"},
		{"not clipped", trends.Change{Group: "ITA", Target: "rd", Value: "favor", Estimator: trends.ACC, Period: trends.Period{Label: "2019"}, Before: 0.118, After: 0.2},
			"change: country=ITA rd favor (acc) from 2019: 0.118 -> 0.200\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			printChanges(&b, &trends.Report{By: "country", Changes: []trends.Change{tt.c}}, "")
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}
