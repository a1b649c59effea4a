package shard

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	for _, tc := range []struct {
		template string
		s        Shard
		want     string
		wantErr  string
	}{
		{"preds/part-%i-of-%n.csv", Shard{3, 8, FromFlag}, "preds/part-3-of-8.csv", ""},
		{"preds/part-%i-of-%n.csv", Shard{3, 10, FromSlurm}, "preds/part-03-of-10.csv", ""},
		{"preds/part-%i-of-%n.csv", Shard{12, 100, FromSlurm}, "preds/part-012-of-100.csv", ""},
		{"preds/part-%i-of-%n.csv", Shard{}, "preds/part-0-of-1.csv", ""},
		{"100%%-%i.csv", Shard{1, 2, FromFlag}, "100%-1.csv", ""},
		{"plain.csv", Shard{1, 2, FromFlag}, "plain.csv", ""},
		{"50%.csv", Shard{1, 2, FromFlag}, "", "unknown %."},
		{"part-%d.csv", Shard{1, 2, FromFlag}, "", "unknown %d"},
		{"part-%", Shard{1, 2, FromFlag}, "", "a % at the end"},
	} {
		got, err := Expand(tc.template, tc.s)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Expand(%q) = %q, %v; want an error with %q", tc.template, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Expand(%q, %+v) = %q, %v; want %q", tc.template, tc.s, got, err, tc.want)
		}
	}
}

func TestHasIndex(t *testing.T) {
	for in, want := range map[string]bool{
		"part-%i-of-%n.csv": true, "%i": true, "part-%n.csv": false, "100%%i.csv": false, "%%%i": true, "x.csv": false, "%": false,
	} {
		if got := HasIndex(in); got != want {
			t.Errorf("HasIndex(%q) = %v", in, got)
		}
	}
}

func TestParsePart(t *testing.T) {
	for _, tc := range []struct {
		path     string
		ok       bool
		i, n     int
		expected string // the name of part 1 of the same run
	}{
		{"preds/part-3-of-8.csv", true, 3, 8, "preds/part-1-of-8.csv"},
		{"preds/part-03-of-10.csv", true, 3, 10, "preds/part-01-of-10.csv"},
		{"2024-of-2025/ungdc.2-of-4.jsonl", true, 2, 4, "2024-of-2025/ungdc.1-of-4.jsonl"},
		{"run-1-of-2-part-0-of-3.csv", true, 0, 3, "run-1-of-2-part-1-of-3.csv"},
		{"3-of-8", true, 3, 8, "1-of-8"},
		{"preds/predictions.csv", false, 0, 0, ""},
		{"part-3of8.csv", false, 0, 0, ""},
		{"part-99999999999999999999-of-2.csv", false, 0, 0, ""},
	} {
		p, ok := ParsePart(tc.path)
		if ok != tc.ok || ok && (p.Index != tc.i || p.Count != tc.n || p.name(1) != filepath.FromSlash(tc.expected)) {
			t.Errorf("ParsePart(%q) = %+v, %v; part 1: %q", tc.path, p, ok, p.name(1))
		}
	}
}

func TestCheckParts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		paths []string
		want  []string // the problems, each a substring of the error; nil for none
	}{
		{"complete", []string{"p/part-1-of-3.csv", "p/part-0-of-3.csv", "p/part-2-of-3.csv"}, nil},
		{"no parts", []string{"a.csv", "b.csv"}, nil},
		{"whole runs beside parts", []string{"a.csv", "p/part-0-of-1.csv"}, nil},
		{"missing", []string{"preds/part-0-of-8.csv", "preds/part-1-of-8.csv", "preds/part-2-of-8.csv", "preds/part-4-of-8.csv",
			"preds/part-5-of-8.csv", "preds/part-6-of-8.csv", "preds/part-7-of-8.csv"},
			[]string{"part 3 of 8 missing: expected " + filepath.FromSlash("preds/part-3-of-8.csv")}},
		{"missing padded", []string{"p/part-00-of-10.csv"}, []string{"part 1 of 10 missing: expected " + filepath.FromSlash("p/part-01-of-10.csv"), "part 9 of 10 missing"}},
		{"twice", []string{"a/part-0-of-2.csv", "a/part-1-of-2.csv", "b/part-1-of-2.csv"}, []string{"part 1 of 2 given twice: a/part-1-of-2.csv and b/part-1-of-2.csv"}},
		{"same part, other padding", []string{"a/part-0-of-2.csv", "a/part-1-of-2.csv", "a/part-01-of-2.csv"}, []string{"part 1 of 2 given twice"}},
		{"mixed counts", []string{"p/part-0-of-2.csv", "p/part-1-of-2.csv", "q/part-0-of-3.csv", "q/part-1-of-3.csv", "q/part-2-of-3.csv"},
			[]string{"parts of runs split differently: 2 of 2 (p/part-0-of-2.csv), 3 of 3 (q/part-0-of-3.csv)"}},
		{"index past count", []string{"p/part-0-of-1.csv", "p/part-1-of-1.csv"}, []string{"p/part-1-of-1.csv: part 1 of 1: no such part"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckParts(tc.paths)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestInputs(t *testing.T) {
	dir := t.TempDir()
	touch := func(names ...string) {
		for _, n := range names {
			p := filepath.Join(dir, filepath.FromSlash(n))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	touch("preds/part-1-of-2.csv", "preds/part-0-of-2.csv", "preds/.part-1-of-2.csv.tmp-123",
		"mixed/part-0-of-1.csv", "mixed/notes.txt", "empty/.hidden", "whole.csv")
	os.MkdirAll(filepath.Join(dir, "preds", "sub"), 0o755)
	j := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join(dir, filepath.FromSlash(n)))
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		args    []string
		want    []string
		wantErr string
	}{
		{"folder", j("preds"), j("preds/part-0-of-2.csv", "preds/part-1-of-2.csv"), ""},
		{"glob", j("preds/part-*-of-2.csv"), j("preds/part-0-of-2.csv", "preds/part-1-of-2.csv"), ""},
		{"files and stdin", append(j("whole.csv"), "-"), append(j("whole.csv"), "-"), ""},
		{"missing file is left to its reader", j("nothing.csv"), j("nothing.csv"), ""},
		{"glob matching nothing", j("preds/x-*.csv"), nil, "no file matches"},
		{"folder with another file", j("mixed"), nil, "notes.txt: not a part of a split run"},
		{"folder without parts", j("empty"), nil, "no part in this folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Inputs(tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, %v; want an error with %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestOutput(t *testing.T) {
	for _, tc := range []struct {
		template string
		s        Shard
		want     string
		wantErr  string
	}{
		{"p/part-%i-of-%n.csv", Shard{1, 4, FromSlurm}, "p/part-1-of-4.csv", ""},
		{"p/part-%i.csv", Shard{1, 4, FromKubernetes}, "p/part-1.csv", ""},
		{"-", Shard{1, 4, FromSlurm}, "-", ""},
		{"p/pred.csv", Shard{1, 4, FromFlag}, "p/pred.csv", ""},
		{"p/pred.csv", Shard{}, "p/pred.csv", ""},
		{"p/pred-%n.csv", Shard{1, 4, FromSlurm}, "", "p/pred-%n.csv: every process of the Slurm array would write this file: put %i"},
		{"p/pred.csv", Shard{1, 4, FromKubernetes}, "", "every process of the Kubernetes Indexed Job would write"},
		{"p/%x-%i.csv", Shard{1, 4, FromSlurm}, "", "unknown %x"},
	} {
		got, err := Output(tc.template, tc.s)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Output(%q, %+v) = %q, %v; want an error with %q", tc.template, tc.s, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Output(%q, %+v) = %q, %v; want %q", tc.template, tc.s, got, err, tc.want)
		}
	}
}
