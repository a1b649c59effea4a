package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeLabels writes the header of src and its data rows [from, to) to
// dst, with the cells of column blank (if not "") emptied.
func writeLabels(t *testing.T, src, dst string, from, to int, blank string) {
	t.Helper()
	recs := readCSV(t, src)
	col := -1
	for i, h := range recs[0] {
		if h == blank {
			col = i
		}
	}
	out := [][]string{recs[0]}
	for _, r := range recs[1+from : 1+min(to, len(recs)-1)] {
		if col >= 0 {
			r[col] = ""
		}
		out = append(out, r)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.WriteAll(out)
	if err := os.WriteFile(dst, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// joinLabels writes to dst the header of the first of srcs and the data
// rows of all of them.
func joinLabels(t *testing.T, dst string, srcs ...string) {
	t.Helper()
	var b strings.Builder
	for i, src := range srcs {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if i > 0 {
			s = s[strings.Index(s, "\n")+1:]
		}
		b.WriteString(s)
	}
	if err := os.WriteFile(dst, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// relabel writes src to dst with the cells of column that hold from set
// to to.
func relabel(t *testing.T, src, dst, column, from, to string) {
	t.Helper()
	recs := readCSV(t, src)
	col := slices.Index(recs[0], column)
	if col < 0 {
		t.Fatalf("%s has no column %s", src, column)
	}
	for _, r := range recs[1:] {
		if r[col] == from {
			r[col] = to
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.WriteAll(recs)
	if err := os.WriteFile(dst, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// stance eval with the small v2 model: what it refuses, and what it warns
// about the rows it scores and the baseline it compares with.
func TestEvalWarnings(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	model := filepath.Join("..", "..", "models", "testdata", "v2.stance")
	trained := filepath.Join("..", "..", "models", "testdata", "fixture.csv") // what v2.stance was trained on
	gold := filepath.Join("..", "..", "examples", "labels.csv")
	at := func(name string) string { return filepath.Join(dir, name) }
	writeLabels(t, gold, at("header.csv"), 0, 0, "")
	writeLabels(t, gold, at("fold1.csv"), 0, 30, "")
	writeLabels(t, gold, at("fold2.csv"), 30, 60, "")
	writeLabels(t, gold, at("no_defense.csv"), 0, 60, "defense_spending")
	// Ten rows the model was trained on among thirty it was not.
	writeLabels(t, trained, at("some_trained.csv"), 0, 10, "")
	writeLabels(t, gold, at("unseen.csv"), 0, 30, "")
	joinLabels(t, at("mixed.csv"), at("some_trained.csv"), at("unseen.csv"))
	relabel(t, gold, at("no_against.csv"), "southern_flank", "against", "none")
	evalTo := func(out, labels string, extra ...string) {
		t.Helper()
		args := append([]string{"eval", "-model", model, "-labels", labels, "-out", out, "-resamples", "50"}, extra...)
		if code, stdout, stderr := stance(t, ctx, args...); code != 0 {
			t.Fatalf("stance %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	evalTo(at("base-all"), gold)
	evalTo(at("base-fold1"), at("fold1.csv"))
	// A baseline written before eval saved the gold rows' fingerprint.
	evalTo(at("base-old"), gold)
	if err := os.Remove(filepath.Join(at("base-old"), "fingerprint.csv")); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		labels     string
		baseline   string
		code       int
		stdout     []string
		stderr     []string
		html       []string // in report.html
		notOutput  []string // in neither stdout nor stderr
		notWritten bool
		unflagged  []string // comparison.csv has a line with this prefix, and no flag
	}{
		{name: "header only", labels: at("header.csv"), code: 1,
			stderr: []string{"eval: " + at("header.csv") + ": no labelled rows"}, notWritten: true},
		{name: "training rows", labels: trained,
			stdout:    []string{"evaluation on the model's training rows (not held out: the scores are optimistic): 40 sentences"},
			stderr:    []string{"warning: " + model + " was trained on 40 of these 40 rows", "not held out"},
			html:      []string{"Not held out:</strong> the model was trained on 40 of these 40 sentences"},
			notOutput: []string{"held-out evaluation:"}},
		{name: "some training rows", labels: at("mixed.csv"),
			stdout: []string{"with 10 of the 40 rows from the model's training data (not held out"},
			stderr: []string{"warning: " + model + " was trained on 10 of these 40 rows"}},
		{name: "held-out rows", labels: gold,
			stdout: []string{"held-out evaluation: 60 sentences"}, notOutput: []string{"trained on", "not held out"}},
		{name: "same baseline", labels: gold, baseline: at("base-all"),
			stdout:    []string{"  headline 0.", "within the old interval"},
			notOutput: []string{"warning", "headline*"}},
		{name: "baseline on another fold", labels: at("fold2.csv"), baseline: at("base-fold1"),
			stderr: []string{"warning: -baseline: the gold rows differ: " + at("base-fold1") + " was evaluated on 30 sentences (" + at("fold1.csv") +
				"), this evaluation on 30 sentences (" + at("fold2.csv") + "), with other ids, so the comparison is not like for like"},
			html: []string{`<p class="warn"><strong>Warning:</strong> the gold rows differ`}},
		{name: "baseline with a target's cells now empty", labels: at("no_defense.csv"), baseline: at("base-all"),
			stdout: []string{"headline* ", "(+0.000), not judged: the old interval is over other targets",
				"* mean of the 3 of 4 targets scored in both evaluations; left out: defense_spending (new n/a)"},
			stderr: []string{"warning: -baseline: the gold labels differ"},
			html:   []string{"left out: defense_spending (new n/a)"}},
		{name: "no gold against for a target", labels: at("no_against.csv"),
			stdout: []string{"micro F1 0.", "\n  note: F_avg of southern_flank is favor's F1 alone: no gold against\n"},
			html:   []string{"In the headline: F_avg of southern_flank is favor&#39;s F1 alone: no gold against"}},
		// The first 30 rows hold 4 gold russia_dialogue favor, none
		// predicted right: old F1 0 [0, 0], new 0.421.
		{name: "baseline with intervals of no width", labels: gold, baseline: at("base-fold1"),
			stdout: []string{"0 worse, 3 better of the 22 metrics of model that could be judged",
				"\n  21 more could not be judged: the old interval has no width or rests on fewer than 5 sentences or gold examples\n"},
			html:      []string{"could not be judged: their earlier interval had no width"},
			unflagged: []string{"model,,russia_dialogue,favor,f1,0,0.4211,"}},
		{name: "baseline without a fingerprint", labels: gold, baseline: at("base-old"),
			stderr: []string{"warning: -baseline: cannot check that " + at("base-old") + " was evaluated on the same gold rows: it has no fingerprint.csv"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := at("out" + string(rune('a'+i)))
			args := []string{"eval", "-model", model, "-labels", tc.labels, "-out", out, "-resamples", "50"}
			if tc.baseline != "" {
				args = append(args, "-baseline", tc.baseline)
			}
			code, stdout, stderr := stance(t, ctx, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			checkContains(t, "stdout", stdout, tc.stdout, nil)
			checkContains(t, "stderr", stderr, tc.stderr, nil)
			checkContains(t, "output", stdout+stderr, nil, tc.notOutput)
			if _, err := os.Stat(out); tc.notWritten != os.IsNotExist(err) {
				t.Errorf("output directory: %v, want written %v", err, !tc.notWritten)
			}
			if len(tc.unflagged) > 0 {
				data, err := os.ReadFile(filepath.Join(out, "comparison.csv"))
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(string(data), "\n")
				for _, p := range tc.unflagged {
					switch i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, p) }); {
					case i < 0:
						t.Errorf("comparison.csv has no line %s...", p)
					case !strings.HasSuffix(lines[i], ","):
						t.Errorf("comparison.csv flags %s", lines[i])
					}
				}
			}
			if len(tc.html) > 0 {
				page, err := os.ReadFile(filepath.Join(out, "report.html"))
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range tc.html {
					if !strings.Contains(string(page), w) {
						t.Errorf("report.html lacks %q", w)
					}
				}
			}
		})
	}
}
