package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stance-project/stance/pipeline"
)

// ingestInputs writes a JSON lines file with good and bad documents in
// dir and returns its path.
func ingestInputs(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "docs.jsonl")
	in := `{"id": "a1", "date": "2019-09-24", "text": "Rome spoke first. Paris spoke second."}
{"id": "a3", "text": "No date here."}
{"id": "a4", "date": "2019-13-01", "text": "Month thirteen."}
{"id": "a1", "date": "2019-09-24", "text": "Same id again."}
{"id": "a9", "date": "2001", "text": "Last line is fine."}
`
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// leftovers lists the files in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestIngestStrict(t *testing.T) {
	dir, inDir := t.TempDir(), t.TempDir()
	out := filepath.Join(dir, "sent.csv")
	_, err := ingestFile(context.Background(), out, []string{ingestInputs(t, inDir)}, pipeline.IngestOptions{Strict: true})
	if !errors.Is(err, pipeline.ErrSkipped) {
		t.Fatalf("strict with skips: err %v, want ErrSkipped", err)
	}
	if n := leftovers(t, dir); len(n) != 0 {
		t.Errorf("strict failure left files: %v", n)
	}
	// Without skips strict succeeds.
	clean := filepath.Join(inDir, "ok.jsonl")
	os.WriteFile(clean, []byte(`{"id":"x","date":"2020","text":"One sentence here."}`+"\n"), 0o644)
	sum, err := ingestFile(context.Background(), out, []string{clean}, pipeline.IngestOptions{Strict: true})
	if err != nil || sum.Sentences != 1 {
		t.Fatalf("strict without skips: %v, %+v", err, sum)
	}
}

// TestIngestInterrupted: a cancelled run (Ctrl-C) leaves no output file and
// no temporary file, and an older output stays as it was.
func TestIngestInterrupted(t *testing.T) {
	dir := t.TempDir()
	in := ingestInputs(t, t.TempDir())
	out := filepath.Join(dir, "sent.csv")
	os.WriteFile(out, []byte("previous run\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	opts := pipeline.IngestOptions{Workers: 2, OnSkip: func(*pipeline.SkipError) {
		n++
		if n == 2 {
			cancel() // interrupted in the middle of the run
		}
	}}
	_, err := ingestFile(ctx, out, []string{in, in}, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if got, _ := os.ReadFile(out); string(got) != "previous run\n" {
		t.Errorf("output changed to %q", got)
	}
	if n := leftovers(t, dir); len(n) != 1 {
		t.Errorf("files left: %v", n)
	}
	// And with no earlier file, nothing appears.
	os.Remove(out)
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := ingestFile(ctx, out, []string{in}, pipeline.IngestOptions{}); err == nil {
		t.Fatal("cancelled run succeeded")
	}
	if n := leftovers(t, dir); len(n) != 0 {
		t.Errorf("files left: %v", n)
	}
}
