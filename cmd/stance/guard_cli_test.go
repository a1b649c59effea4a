package main

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Issues 18 and 21: no command writes over or into its own inputs. Each
// row names an output that is one of the inputs, a file an output folder
// would hold, or a file in an input folder (also through a symbolic
// link); each must be refused with exit 2 before anything is read or
// written, by a message naming the flag, the output and the input, and
// leave every file as it was, creating none (not even a temporary one).
// Flags come before and after the paths.
func TestNoOutputOverwritesAnInput(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		args []string
		out  string // "<flag> <path>" of the output, as the message must name it
		in   string // the input, as the message must name it
	}{
		{"ingest into its input folder through a link", []string{"ingest", "-out", "link/out.csv", "in"}, "-out link/out.csv", "in"},
		{"ingest, -out after the path", []string{"ingest", "in", "-out", "link/out.csv"}, "-out link/out.csv", "in"},
		{"ingest over its input", []string{"ingest", "-out", "x.jsonl", "./x.jsonl"}, "-out x.jsonl", "./x.jsonl"},
		{"train over -labels", []string{"train", "-labels", "g.csv", "-out", "g.csv"}, "-out g.csv", "-labels g.csv"},
		{"train over -labels, second of a list", []string{"train", "-labels", "b.csv,g.csv", "-out", "g.csv"}, "-out g.csv", "-labels g.csv"},
		{"train over -init", []string{"train", "-labels", "g.csv", "-init", "m.stance", "-out", "m.stance"}, "-out m.stance", "-init m.stance"},
		{"train over -taxonomy", []string{"train", "-labels", "g.csv", "-taxonomy", "tax.csv", "-out", "tax.csv"}, "-out tax.csv", "-taxonomy tax.csv"},
		{"eval over -baseline", []string{"eval", "-model", "m.stance", "-labels", "g.csv", "-out", "D", "-baseline", "D"}, "-out D", "-baseline " + filepath.Join("D", "metrics.csv")},
		{"eval over -labels in its folder", []string{"eval", "-model", "m.stance", "-labels", "D/metrics.csv", "-out", "D"}, "-out D", "-labels D/metrics.csv"},
		{"eval over -model in its folder", []string{"eval", "-model", "D/report.html", "-labels", "g.csv", "-out", "D"}, "-out D", "-model D/report.html"},
		{"cv over -baseline", []string{"cv", "-labels", "g.csv", "-out", "D", "-baseline", "D"}, "-out D", "-baseline " + filepath.Join("D", "metrics.csv")},
		{"cv over -labels", []string{"cv", "-labels", "D/fingerprint.csv", "-out", "D"}, "-out D", "-labels D/fingerprint.csv"},
		{"labels export-fasttext", []string{"labels", "export-fasttext", "-out", "g.csv", "g.csv"}, "-out g.csv", "the input g.csv"},
		{"labels export-fasttext, -out last", []string{"labels", "export-fasttext", "g.csv", "-out", "g.csv"}, "-out g.csv", "the input g.csv"},
		{"labels agree", []string{"labels", "agree", "-out", "g.csv", "g.csv", "b.csv"}, "-out g.csv", "the input g.csv"},
		{"labels agree, -out last", []string{"labels", "agree", "g.csv", "b.csv", "-out", "b.csv"}, "-out b.csv", "the input b.csv"},
		{"labels merge over NEW", []string{"labels", "merge", "-out", "new.csv", "base.csv", "new.csv"}, "-out new.csv", "the input new.csv"},
		{"labels merge over -taxonomy", []string{"labels", "merge", "-taxonomy", "tax.csv", "-out", "tax.csv", "base.csv", "new.csv"}, "-out tax.csv", "-taxonomy tax.csv"},
		{"labels split over a fold", []string{"labels", "split", "-out", "d", "d/fold1.train.csv"}, "-out d", "the input d/fold1.train.csv"},
		{"labels split, -out last", []string{"labels", "split", "d/fold1.train.csv", "-out", "d"}, "-out d", "the input d/fold1.train.csv"},
		{"labels split into its input folder through a link", []string{"labels", "split", "-out", "link/folds", "in"}, "-out link/folds", "the input folder in"},
		{"tokenize -train", []string{"tokenize", "-train", "g.csv", "-save", "g.csv"}, "-save g.csv", "-train g.csv"},
		{"tokenize -model", []string{"tokenize", "-model", "m.stance", "-save", "m.stance"}, "-save m.stance", "-model m.stance"},
		{"tokenize -tokenizer", []string{"tokenize", "-tokenizer", "tok.json", "-save", "./tok.json"}, "-save ./tok.json", "-tokenizer tok.json"},
		{"classify over -model", []string{"classify", "-model", "m.stance", "-out", "m.stance", "x.jsonl"}, "-out m.stance", "-model m.stance"},
		{"classify, flags last", []string{"classify", "x.jsonl", "-out", "m.stance", "-model", "m.stance"}, "-out m.stance", "-model m.stance"},
		{"report over -model", []string{"report", "-model", "m.stance", "-in", "p.csv", "-out", "m.stance"}, "-out m.stance", "-model m.stance"},
		{"report over -in, -out last", []string{"report", "p.csv", "-out", "p.csv"}, "-out p.csv", "p.csv"},
		{"report, -chart over -in", []string{"report", "-in", "p.csv", "-out", "t.csv", "-chart", "p.csv"}, "-chart p.csv", "-in p.csv"},
		{"report, two outputs one file", []string{"report", "-in", "p.csv", "-out", "t.csv", "-changes", "t.csv"}, "-changes t.csv", "-out t.csv"},
		{"suggest over -model", []string{"suggest", "-model", "m.stance", "-out", "m.stance", "ITA"}, "-out m.stance", "-model m.stance"},
		{"suggest over -labels", []string{"suggest", "-model", "m.stance", "-labels", "g.csv", "-out", "g.csv", "ITA"}, "-out g.csv", "-labels g.csv"},
		{"suggest into its input folder", []string{"suggest", "-model", "m.stance", "-out", "ITA/todo.csv", "ITA"}, "-out ITA/todo.csv", "the input folder ITA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := guardFixture(t)
			before := snapshot(t, dir)
			code, out, errs := stance(t, ctx, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2\n%s%s", code, out, errs)
			}
			for _, want := range []string{"stance: " + tc.args[0], tc.out, tc.in} {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}
			after := snapshot(t, dir)
			for _, name := range slices.Sorted(maps.Keys(after)) {
				if b, ok := before[name]; !ok {
					t.Errorf("%s created", name)
				} else if b != after[name] {
					t.Errorf("%s changed", name)
				}
			}
			for name := range before {
				if _, ok := after[name]; !ok {
					t.Errorf("%s removed", name)
				}
			}
		})
	}
}

// labels merge exists to update its BASE file: -out BASE is allowed
// (BASE is read whole before the atomic write replaces it).
func TestLabelsMergeInPlace(t *testing.T) {
	guardFixture(t)
	code, out, errs := stance(t, context.Background(), "labels", "merge", "-out", "base.csv", "base.csv", "new.csv")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "wrote base.csv") {
		t.Errorf("stdout lacks the file written:\n%s", out)
	}
}

// Issue 21, point 4: labels split writes every fold or none. A second
// split whose fifth fold cannot be written (a folder is in its place)
// leaves the first split's folds as they were.
func TestLabelsSplitAllOrNone(t *testing.T) {
	ctx := context.Background()
	guardFixture(t)
	if code, out, errs := stance(t, ctx, "labels", "split", "-folds", "5", "-out", "folds", "g.csv"); code != 0 {
		t.Fatalf("first split: exit %d\n%s%s", code, out, errs)
	}
	// Make fold 5 fail: a folder in the place of its test file.
	fold5 := filepath.Join("folds", "fold5.test.csv")
	if err := os.Remove(fold5); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(fold5, 0o755); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, "folds")
	code, out, errs := stance(t, ctx, "labels", "split", "-folds", "5", "-seed", "2", "-out", "folds", "g.csv")
	if code != 1 || !strings.Contains(errs, "fold5.test.csv") || !strings.Contains(errs, "no fold written") {
		t.Errorf("second split: exit %d (want 1), stderr should name fold5.test.csv and say no fold was written:\n%s%s", code, out, errs)
	}
	after := snapshot(t, "folds")
	if !maps.Equal(before, after) {
		for name := range after {
			if before[name] != after[name] {
				t.Errorf("%s changed or created by the failed split", name)
			}
		}
	}
}

// Issue 21, point 5: a run writing an output removes the temporary files
// of that output an earlier run left when it was killed, and says so.
func TestStaleTemporaryFilesRemoved(t *testing.T) {
	ctx := context.Background()
	dir := guardFixture(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$") // a process that has ended: the killed run
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	ended := strconv.Itoa(cmd.Process.Pid)
	stale := []string{".ua.txt.tmp-" + ended + "-123", filepath.Join("E", ".metrics.csv.tmp-"+ended+"-7")}
	other := filepath.Join(dir, ".g.csv.tmp-"+ended+"-5") // another output's: not this run's to judge
	for _, p := range append(slices.Clone(stale), other) {
		writeFile(t, p, "partial")
	}
	code, _, errs := stance(t, ctx, "labels", "export-fasttext", "-out", "ua.txt", "b.csv")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if _, err := os.Stat(stale[0]); !os.IsNotExist(err) {
		t.Errorf("%s still there: %v", stale[0], err)
	}
	if want := "labels export-fasttext: removed " + stale[0]; !strings.Contains(errs, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errs)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another output's temporary file was removed: %v", err)
	}
	// A folder output: every file it holds is looked after. The run
	// fails later (no model), but the guard ran first.
	code, _, errs = stance(t, ctx, "eval", "-model", "no-model.stance", "-labels", "g.csv", "-out", "E")
	if code != 1 {
		t.Fatalf("eval without a model: exit %d, want 1\n%s", code, errs)
	}
	if _, err := os.Stat(stale[1]); !os.IsNotExist(err) || !strings.Contains(errs, "eval: removed "+stale[1]) {
		t.Errorf("%s: %v; stderr:\n%s", stale[1], err, errs)
	}
}
