package pipeline

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mkfifo makes a named pipe at path, or skips the test where there are
// none.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

// TestReadDocumentsSkipsNonRegular: a folder walk never opens a named
// pipe (opening one waits for a writer, forever: ingest hung in open()
// and ignored SIGTERM), directly or through a symbolic link; it reports
// it as an unreadable skip and reads the rest.
func TestReadDocumentsSkipsNonRegular(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"d/a.jsonl": `{"id":"a","date":"2020","text":"A sentence here."}` + "\n",
		"d/z.jsonl": `{"id":"z","date":"2020","text":"Another sentence."}` + "\n",
	})
	mkfifo(t, filepath.Join(dir, "d", "p.txt"))
	mkfifo(t, filepath.Join(dir, "elsewhere.jsonl"))
	if err := os.Symlink(filepath.Join(dir, "elsewhere.jsonl"), filepath.Join(dir, "d", "link.jsonl")); err != nil {
		t.Fatal(err)
	}
	type result struct {
		ids   []string
		skips []string
	}
	done := make(chan result, 1)
	go func() {
		var r result
		for d, err := range ReadDocuments([]string{filepath.Join(dir, "d")}, ReadOptions{}) {
			if err != nil {
				r.skips = append(r.skips, filepath.Base(err.Error()))
				continue
			}
			r.ids = append(r.ids, d.ID)
		}
		done <- r
	}()
	select {
	case r := <-done:
		if strings.Join(r.ids, ",") != "a,z" {
			t.Errorf("ids %v, want a,z", r.ids)
		}
		want := []string{"link.jsonl: unreadable: not a regular file (a named pipe)", "p.txt: unreadable: not a regular file (a named pipe)"}
		if strings.Join(r.skips, "|") != strings.Join(want, "|") {
			t.Errorf("skips\n%q\nwant\n%q", r.skips, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the walk blocked on a named pipe")
	}
}

// TestIngestStopsWhileReadBlocks: a named pipe given as a path is read
// (a process substitution is one), and opening it blocks until a writer
// comes; cancelling ctx must still end Ingest at once, with ctx's error.
func TestIngestStopsWhileReadBlocks(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.jsonl")
	mkfifo(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := Ingest(ctx, []string{p}, IngestOptions{}, io.Discard)
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond) // let it block in open()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Ingest did not return within a second of the cancellation")
	}
	// Release the blocked open, so the reader goroutine ends.
	if f, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
		f.Close()
	}
}

// TestIngestAllSkipped: a run whose every input is skipped (a misspelt
// path) is an error, not an output of a header alone; in strict mode the
// error stays ErrSkipped.
func TestIngestAllSkipped(t *testing.T) {
	dir := t.TempDir()
	for _, strict := range []bool{false, true} {
		var out strings.Builder
		_, err := Ingest(context.Background(), []string{filepath.Join(dir, "no-such.jsonl")}, IngestOptions{Strict: strict}, &out)
		want := ErrAllSkipped
		if strict {
			want = ErrSkipped
		}
		if !errors.Is(err, want) {
			t.Errorf("strict %v: error %v, want %v", strict, err, want)
		}
	}
}

// TestReadDocumentsFollowsLinkedFolder: a path given on the command line
// that is a symbolic link to a folder is read as that folder (it was
// taken for a file of no known format and ignored), and its documents
// are named under the path given.
func TestReadDocumentsFollowsLinkedFolder(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"real/a.jsonl": `{"id":"a","date":"2020","text":"A sentence here."}` + "\n",
	})
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	var ids, files []string
	for d, err := range ReadDocuments([]string{link}, ReadOptions{OnIgnored: func(p string) { t.Errorf("ignored %s", p) }}) {
		if err != nil {
			t.Fatalf("skip: %v", err)
		}
		ids, files = append(ids, d.ID), append(files, d.File)
	}
	if len(ids) != 1 || ids[0] != "a" {
		t.Fatalf("ids %v, want [a]", ids)
	}
	if want := filepath.Join(link, "a.jsonl"); files[0] != want {
		t.Errorf("file %q, want %q", files[0], want)
	}
}
