package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stance-project/stance/labels"
)

// A warm start from a model whose targets differ from this run's taxonomy
// fails (exit 1, no model written) with an error that names the model
// file, says where this run's targets come from, and how to fix it.
func TestTrainInitTargetsMismatch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	gold4 := filepath.Join("..", "..", "examples", "labels.csv")
	model4 := filepath.Join("..", "..", "models", "testdata", "v2.stance") // the default four targets

	// A three-target taxonomy, the example labels without the dropped
	// target's column, and a model trained on them.
	tax := labels.Default()
	tax.Targets = slices.DeleteFunc(slices.Clone(tax.Targets), func(tg labels.Target) bool { return tg.Name == "defense_spending" })
	tax3, gold3, model3 := filepath.Join(dir, "tax3.csv"), filepath.Join(dir, "labels3.csv"), filepath.Join(dir, "m_tax3.stance")
	var b bytes.Buffer
	if err := tax.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tax3, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	writeWithoutColumn(t, gold4, gold3, "defense_spending")
	if code, out, errs := stance(t, ctx, "train", "-quiet", "-labels", gold3, "-taxonomy", tax3, "-calib-folds", "2", "-out", model3); code != 0 {
		t.Fatalf("training the three-target model: exit %d\n%s%s", code, out, errs)
	}

	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		want  []string // substrings of stderr
		lacks []string
	}{
		{
			name: "default taxonomy, three-target model",
			args: []string{"-labels", gold4, "-init", model3},
			code: 1,
			want: []string{"-init model " + model3 + " has targets [russia_dialogue southern_flank ukraine_support]",
				"the built-in default taxonomy (no -taxonomy given) has [russia_dialogue southern_flank defense_spending ukraine_support]",
				"pass the taxonomy " + model3 + " was trained with as -taxonomy FILE", "drop -init"},
		},
		{
			name: "taxonomy file, default-target model",
			args: []string{"-labels", gold3, "-taxonomy", tax3, "-init", model4},
			code: 1,
			want: []string{"-init model " + model4 + " has targets [russia_dialogue southern_flank defense_spending ukraine_support]",
				"the -taxonomy file " + tax3 + " has [russia_dialogue southern_flank ukraine_support]",
				"leave out -taxonomy", "drop -init"},
		},
		{
			// -init keeps the old tokenizer and features: a flag that
			// would change them is a usage error, not silently ignored.
			name: "feature flags",
			args: []string{"-labels", gold3, "-taxonomy", tax3, "-init", model3, "-buckets", "64", "-char-max", "0"},
			code: 2,
			want: []string{"-buckets, -char-max cannot be given with it"},
		},
		{
			name:  "same targets",
			args:  []string{"-labels", gold3, "-taxonomy", tax3, "-init", model3, "-calib-folds", "2"},
			code:  0,
			want:  []string{"since the old model"},
			lacks: []string{"has targets"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "x.stance")
			code, stdout, errs := stance(t, ctx, append(append([]string{"train"}, tc.args...), "-out", out)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, errs)
			}
			checkContains(t, "stderr", errs, tc.want, tc.lacks)
			if _, err := os.Stat(out); (err == nil) != (tc.code == 0) {
				t.Errorf("model written: %v, want %v", err == nil, tc.code == 0)
			}
		})
	}
}

// writeWithoutColumn copies the CSV file src to dst without the column
// named col.
func writeWithoutColumn(t *testing.T, src, dst, col string) {
	t.Helper()
	recs := readCSV(t, src)
	i := slices.Index(recs[0], col)
	if i < 0 {
		t.Fatalf("%s has no column %q", src, col)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, r := range recs {
		w.Write(slices.Delete(r, i, i+1))
	}
	w.Flush()
	if err := os.WriteFile(dst, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
