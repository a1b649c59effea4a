package pipeline

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

func TestAtomicCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	f, err := CreateAtomic(path)
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
	if n := leftovers(t, dir); len(n) != 1 {
		t.Errorf("files left: %v", n)
	}
	if err := f.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("Write after Commit succeeded")
	}
}

func TestAtomicAbortKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	os.WriteFile(path, []byte("old\n"), 0o644)
	f, err := CreateAtomic(path)
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
	if n := leftovers(t, dir); len(n) != 1 {
		t.Errorf("files left: %v", n)
	}
}

// A failure at any step names the output the user asked for, never the
// hidden temporary file, and leaves no file behind.
func TestAtomicErrorsNameOutput(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  string // the output, relative to an empty folder
		// fail writes path and returns the first error.
		fail func(t *testing.T, path string) error
		is   error // the cause the error must still match, if any
	}{
		{"missing folder", filepath.Join("nodir", "out.csv"), func(t *testing.T, path string) error {
			_, err := CreateAtomic(path)
			return err
		}, fs.ErrNotExist},
		{"rename onto a folder", "out.csv", func(t *testing.T, path string) error {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
			f, err := CreateAtomic(path)
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte("a,b\n"))
			return f.Commit()
		}, nil},
		{"write fails", "out.csv", func(t *testing.T, path string) error {
			f, err := CreateAtomic(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Abort()
			f.f.Close() // every write to the temporary file now fails
			_, err = f.Write(make([]byte, 1<<20))
			return err
		}, fs.ErrClosed},
		{"flush at commit fails", "out.csv", func(t *testing.T, path string) error {
			f, err := CreateAtomic(path)
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
			for _, n := range leftovers(t, dir) {
				if strings.Contains(n, ".tmp") {
					t.Errorf("temporary file %s left behind", n)
				}
			}
		})
	}
}

func TestInputAsOutput(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		out    string
		inputs []string
		want   string
	}{
		{"the same path", a, []string{b, a}, a},
		{"another spelling", filepath.Join(dir, ".", "a.csv"), []string{a}, a},
		{"a link to an input", link, []string{a}, a},
		{"another file", b, []string{a}, ""},
		{"a new output", filepath.Join(dir, "new.csv"), []string{a}, ""},
		{"in an input folder", a, []string{dir}, dir},
		{"a new file in an input folder", filepath.Join(dir, "sub", "new.csv"), []string{dir}, dir},
		{"beside an input folder", filepath.Join(filepath.Dir(dir), "elsewhere.csv"), []string{dir}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := InputAsOutput(tc.out, tc.inputs)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("InputAsOutput(%s) = %q, %v; want %q", tc.out, got, ok, tc.want)
			}
		})
	}
}
