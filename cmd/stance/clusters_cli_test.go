package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Word clusters from stance pretrain reach the model through train -clusters
// and cv -clusters; a retrain keeps them and refuses others; a bad clusters
// file is an error naming its line.
func TestTrainWithClusters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	gold := filepath.Join("..", "..", "examples", "labels.csv")
	corpus := filepath.Join("..", "..", "examples", "corpus")
	clus := filepath.Join(dir, "clusters.tsv")
	if code, out, errs := stance(t, ctx, "pretrain", "-quiet", "-min-count", "1", "-levels", "4,16", "-threads", "1", "-out", clus, corpus); code != 0 {
		t.Fatalf("pretrain: exit %d\n%s%s", code, out, errs)
	}
	model, plain := filepath.Join(dir, "m.stance"), filepath.Join(dir, "plain.stance")
	code, out, errs := stance(t, ctx, "train", "-labels", gold, "-calib-folds", "2", "-clusters", clus, "-out", model)
	if code != 0 {
		t.Fatalf("train -clusters: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(errs, "word clusters: ") || !strings.Contains(errs, "levels 4 16") {
		t.Errorf("train's summary does not describe the clusters:\n%s", errs)
	}
	if code, out, errs := stance(t, ctx, "train", "-quiet", "-labels", gold, "-calib-folds", "2", "-out", plain); code != 0 {
		t.Fatalf("train: exit %d\n%s%s", code, out, errs)
	}
	withC, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	without, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	if len(withC) <= len(without) {
		t.Errorf("the model with clusters (%d bytes) is no larger than without (%d)", len(withC), len(without))
	}
	// A retrain keeps the clusters; it cannot take others.
	re := filepath.Join(dir, "re.stance")
	code, _, errs = stance(t, ctx, "train", "-labels", gold, "-calib-folds", "2", "-init", model, "-out", re)
	if code != 0 || !strings.Contains(errs, "levels 4 16") {
		t.Errorf("retrain: exit %d, want 0 and the old model's clusters\n%s", code, errs)
	}
	if code, _, errs := stance(t, ctx, "train", "-labels", gold, "-init", model, "-clusters", clus, "-out", filepath.Join(dir, "x.stance")); code != 2 || !strings.Contains(errs, "-clusters") {
		t.Errorf("retrain with -clusters: exit %d, want 2 naming -clusters\n%s", code, errs)
	}
	// cv trains its fold models with the clusters: its out-of-fold
	// probabilities differ from those of a cv without them.
	outputs := func(name string, extra ...string) string {
		args := append([]string{"cv", "-labels", gold, "-folds", "2", "-calib-folds", "2", "-resamples", "0", "-out", filepath.Join(dir, name)}, extra...)
		if code, _, errs := stance(t, ctx, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
		var all []byte
		for _, f := range []string{"calibration.csv", "errors.csv"} {
			b, err := os.ReadFile(filepath.Join(dir, name, f))
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return string(all)
	}
	if outputs("cv", "-clusters", clus) == outputs("cv-plain") {
		t.Error("cv -clusters wrote the same calibration and errors as cv without clusters")
	}
	// A clusters file with a bad line: the error names the file and line.
	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(bad, []byte("word\tc4\nrussia\t1\nmoscow\tseven\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{
		{"train", "-labels", gold, "-clusters", bad, "-out", filepath.Join(dir, "y.stance")},
		{"cv", "-labels", gold, "-folds", "2", "-clusters", bad, "-out", filepath.Join(dir, "cv2")},
	} {
		code, _, errs := stance(t, ctx, cmd...)
		if code != 1 || !strings.Contains(errs, bad+":3:") {
			t.Errorf("%s with a bad clusters file: exit %d, want 1 and %s:3: in\n%s", cmd[0], code, bad, errs)
		}
		if _, err := os.Stat(cmd[len(cmd)-1]); err == nil {
			t.Errorf("%s with a bad clusters file wrote %s", cmd[0], cmd[len(cmd)-1])
		}
	}
}
