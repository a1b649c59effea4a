package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("a,b\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("target exists before Commit: %v", err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "a,b\n" {
		t.Fatalf("after Commit: %q, %v", got, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	if err := f.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("Abort after Commit removed the file: %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("%d files left, want 1", len(es))
	}
	if err := f.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("Write after Commit succeeded")
	}
}

func TestAbortKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	os.WriteFile(path, []byte("old\n"), 0o644)
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half a fi"))
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old\n" {
		t.Errorf("old file changed to %q", got)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("%d files left, want 1", len(es))
	}
}

// A failure at any step names the output the user asked for, never the
// hidden temporary file, and leaves no file behind.
func TestErrorsNameOutput(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  string // the output, relative to an empty folder
		// fail writes path and returns the first error.
		fail func(t *testing.T, path string) error
		is   error // the cause the error must still match, if any
	}{
		{"missing folder", filepath.Join("nodir", "out.csv"), func(t *testing.T, path string) error {
			_, err := Create(path)
			return err
		}, fs.ErrNotExist},
		{"output is a folder", "out.csv", func(t *testing.T, path string) error {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
			// Refused at once, not with "file exists" at the rename
			// after all the work.
			_, err := Create(path)
			return err
		}, ErrFolder},
		{"write fails", "out.csv", func(t *testing.T, path string) error {
			f, err := Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Abort()
			f.f.Close() // every write to the temporary file now fails
			_, err = f.Write(make([]byte, 1<<20))
			return err
		}, fs.ErrClosed},
		{"flush at commit fails", "out.csv", func(t *testing.T, path string) error {
			f, err := Create(path)
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte("a,b\n"))
			f.f.Close()
			return f.Commit()
		}, fs.ErrClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.out)
			err := tc.fail(t, path)
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); !strings.Contains(msg, path) || strings.Contains(msg, ".tmp") {
				t.Errorf("error %q: want it to name %s and not the temporary file", msg, path)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			es, _ := os.ReadDir(dir)
			for _, e := range es {
				if strings.Contains(e.Name(), ".tmp") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
}
