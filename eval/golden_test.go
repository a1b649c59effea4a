package eval

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/atomicfile"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenReport is the held-out evaluation the golden files are made of:
// 60 synthetic sentences, compared with an evaluation of other synthetic
// data so every section of the page is present.
func goldenReport(t testing.TB, n int) *Report {
	t.Helper()
	rep, err := syntheticReport(n, 200)
	if err != nil {
		t.Fatal(err)
	}
	tax := labels.Default()
	rows, preds := syntheticData(tax, n, 43)
	opts := DefaultOptions()
	opts.Resamples = 200
	old, err := EvaluateClassifier(context.Background(), tax, rows, newFixedClassifier(rows, preds), opts)
	if err != nil {
		t.Fatal(err)
	}
	var om []Metric
	for _, s := range old.Systems {
		om = append(om, s.Metrics...)
	}
	rep.Compare(om)
	rep.Meta.Baseline = "testdata/old-eval"
	return rep
}

func goldenCV(t testing.TB) *Report {
	t.Helper()
	tax := labels.Default()
	rows, preds := syntheticData(tax, 60, 44)
	c := newFixedClassifier(rows, preds)
	opts := DefaultOptions()
	opts.Resamples = 200
	res, err := CrossValidate(context.Background(), tax, rows, 3, 5, func(context.Context, []labels.Gold) (labels.Classifier, error) { return c, nil }, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res.Report
}

func checkGolden(t *testing.T, name string, write func(io.Writer) error) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./eval -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		got := filepath.Join(t.TempDir(), name)
		os.WriteFile(got, buf.Bytes(), 0o644)
		t.Errorf("%s differs from the golden file; got written to %s (diff them, then -update if intended)", path, got)
	}
}

func TestGolden(t *testing.T) {
	rep := goldenReport(t, 60)
	cv := goldenCV(t)
	tests := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"eval.metrics.golden.csv", rep.WriteMetricsCSV},
		{"eval.confusion.golden.csv", rep.WriteConfusionCSV},
		{"eval.calibration.golden.csv", rep.WriteCalibrationCSV},
		{"eval.errors.golden.csv", rep.WriteErrorsCSV},
		{"eval.comparison.golden.csv", rep.WriteComparisonCSV},
		{"eval.report.golden.html", rep.WriteHTML},
		{"eval.summary.golden.txt", rep.WriteSummary},
		{"cv.metrics.golden.csv", cv.WriteMetricsCSV},
		{"cv.report.golden.html", cv.WriteHTML},
		{"cv.summary.golden.txt", cv.WriteSummary},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, tc.name, tc.write) })
	}
}

// writeDir writes r.Files in dir as stance eval does: the folder made if
// needed, the files all or none.
func writeDir(r *Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var outs []atomicfile.Output
	for _, f := range r.Files() {
		outs = append(outs, atomicfile.Output{Path: filepath.Join(dir, f.Name), Write: f.Write})
	}
	return atomicfile.WriteFiles(outs...)
}

func TestWriteDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	rep := goldenReport(t, 40)
	if err := writeDir(rep, dir); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, _ := e.Info()
		if info.Size() == 0 {
			t.Errorf("%s is empty", e.Name())
		}
		if info.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %v", e.Name(), info.Mode().Perm())
		}
	}
	want := []string{FileCalibration, FileComparison, FileConfusion, FileErrors, FileFingerprint, FileMetrics, FileReport}
	if len(names) != len(want) {
		t.Fatalf("files %v, want %v (no temporary files left)", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("files %v, want %v", names, want)
			break
		}
	}
}

// TestWriteDirAllOrNone checks that the report's Files are written all or
// none: with one output blocked by a folder in its place, no earlier
// run's file is replaced, no missing one is created, no temporary file is
// left, and the error names the blocked output.
func TestWriteDirAllOrNone(t *testing.T) {
	rep := goldenReport(t, 40)
	all := []string{FileMetrics, FileConfusion, FileCalibration, FileErrors, FileReport, FileFingerprint, FileComparison}
	for _, blocked := range []string{FileMetrics, FileErrors, FileComparison} {
		t.Run(blocked, func(t *testing.T) {
			dir := t.TempDir()
			old := map[string]bool{FileMetrics: true, FileConfusion: true, FileCalibration: true} // report.html etc. missing
			for name := range old {
				if name != blocked {
					if err := os.WriteFile(filepath.Join(dir, name), []byte("old\n"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			path := filepath.Join(dir, blocked)
			if err := os.RemoveAll(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
			err := writeDir(rep, dir)
			if err == nil {
				t.Fatal("no error with a folder in the place of " + blocked)
			}
			if !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), ".tmp") {
				t.Errorf("error %q does not name %s (or names a temporary file)", err, path)
			}
			for _, name := range all {
				if name == blocked {
					continue
				}
				got, err := os.ReadFile(filepath.Join(dir, name))
				switch {
				case old[name] && string(got) != "old\n":
					t.Errorf("%s replaced after a failed WriteDir: %.40q", name, got)
				case !old[name] && !errors.Is(err, os.ErrNotExist):
					t.Errorf("%s created after a failed WriteDir", name)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
}

// TestReportSelfContained checks the page fetches nothing: no links to
// other resources, no scripts, no external stylesheets or images.
func TestReportSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := goldenReport(t, 60).WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"http://", "https://", "<script", "<link", "<img", "@import", "url("} {
		if bytes.Contains(buf.Bytes(), []byte(bad)) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	for _, want := range []string{"<style>", "<svg", `id="headline"`, `id="targets"`, `id="confusion"`, `id="calibration"`, `id="errors"`, `id="comparison"`} {
		if !bytes.Contains([]byte(page), []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
