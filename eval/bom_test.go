package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReadBOM: metrics.csv and fingerprint.csv (the -baseline inputs)
// saved with a UTF-8 BOM read as without, even with a quoted first header
// field.
func TestReadBOM(t *testing.T) {
	rep, err := syntheticReport(30, 0)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteMetricsCSV(&buf); err != nil {
		t.Fatal(err)
	}
	plain, err := ReadMetrics(bytes.NewReader(buf.Bytes()), "metrics.csv")
	if err != nil {
		t.Fatal(err)
	}
	quoted := append([]byte("\ufeff\""), buf.Bytes()...)
	i := bytes.IndexByte(quoted, ',')
	quoted = append(quoted[:i:i], append([]byte(`"`), quoted[i:]...)...)
	got, err := ReadMetrics(bytes.NewReader(quoted), "metrics.csv")
	if err != nil || len(got) != len(plain) {
		t.Errorf("metrics with a BOM: %d rows, %v; want %d", len(got), err, len(plain))
	}

	dir := t.TempDir()
	if err := writeDir(rep, dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileFingerprint)
	want, err := ReadFingerprintFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	os.WriteFile(path, append([]byte("\ufeff"), data...), 0o644)
	fp, err := ReadFingerprintFile(path)
	if err != nil || *fp != *want {
		t.Errorf("fingerprint with a BOM: %+v, %v; want %+v", fp, err, want)
	}
}
