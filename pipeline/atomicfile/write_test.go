package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteFile checks that a failed write leaves the old content and no
// temporary file, and names the path, not the temporary file.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "old"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFile(path, func(w io.Writer) error { io.WriteString(w, "half"); return boom })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("err = %v, want boom naming %s and not the temporary file", err, path)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("file holds %q after a failed write, want the old content", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files left in the directory, want 1", len(ents))
	}
	missing := filepath.Join(dir, "no", "such", "dir", "out.csv")
	err = WriteFile(missing, func(w io.Writer) error { return nil })
	if err == nil || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), ".tmp") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, want an error naming %s (not the temporary file) that is fs.ErrNotExist", err, missing)
	}
}

// TestWriteFiles checks that WriteFiles writes every file or none: when
// one output fails, whether it cannot be created or its writer fails,
// no path is touched and no temporary file is left behind.
func TestWriteFiles(t *testing.T) {
	boom := errors.New("boom")
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	fail := func(w io.Writer) error { io.WriteString(w, "half"); return boom }
	tests := []struct {
		name  string
		files func(dir string) []Output
		want  string // substring of the error; "" for success
	}{
		{"all written", func(dir string) []Output {
			return []Output{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, "b.csv"), text("new b")}}
		}, ""},
		{"last writer fails", func(dir string) []Output {
			return []Output{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, "b.csv"), fail}}
		}, "write DIR/b.csv: boom"},
		{"last folder missing", func(dir string) []Output {
			return []Output{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, "b.csv"), text("new b")},
				{filepath.Join(dir, "no", "c.png"), text("c")}}
		}, "create DIR/no/c.png: "},
		{"a path is a folder", func(dir string) []Output {
			// The folder fails only the rename, after the files before it
			// would have been renamed: it must be refused up front.
			if err := os.Mkdir(filepath.Join(dir, "c.csv"), 0o755); err != nil {
				t.Fatal(err)
			}
			return []Output{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, "b.csv"), text("new b")},
				{filepath.Join(dir, "c.csv"), text("c")}}
		}, "write DIR/c.csv: is a folder: want the path of a file"},
		{"same path twice", func(dir string) []Output {
			return []Output{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, ".", "a.csv"), text("new b")}}
		}, "the same file is given for two outputs"},
		{"same file, relative and absolute", func(dir string) []Output {
			t.Chdir(dir)
			return []Output{{"a.csv", text("new a")}, {filepath.Join(dir, "a.csv"), text("new b")}}
		}, "the same file is given for two outputs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []string{"a.csv", "b.csv"} {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteFiles(tt.files(dir)...)
			want := map[string]string{"a.csv": "old", "b.csv": "old"}
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want == "":
				want = map[string]string{"a.csv": "new a", "b.csv": "new b"}
			case err == nil:
				t.Fatalf("no error, want %q", tt.want)
			case !strings.Contains(err.Error(), strings.ReplaceAll(tt.want, "DIR", dir)):
				t.Errorf("error %q lacks %q", err, tt.want)
			}
			ents, _ := os.ReadDir(dir)
			var names []string
			for _, e := range ents {
				if !e.IsDir() { // a folder a case put in the way
					names = append(names, e.Name())
				}
			}
			if len(names) != len(want) {
				t.Errorf("files %q left in the folder, want only a.csv and b.csv", names)
			}
			for name, content := range want {
				if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != content {
					t.Errorf("%s holds %q, want %q", name, got, content)
				}
			}
		})
	}
}

func TestWithoutTempName(t *testing.T) {
	const tmp = "dir/.out.csv.tmp-1"
	other := &fs.PathError{Op: "open", Path: "dir/other.csv", Err: fs.ErrNotExist}
	tests := []struct {
		name string
		err  error
		tmp  string
		want error
	}{
		{"nil", nil, tmp, nil},
		{"about the temporary file", &fs.PathError{Op: "write", Path: tmp, Err: fs.ErrClosed}, tmp, fs.ErrClosed},
		{"about another file", other, tmp, other},
		{"creating it (name unknown)", &fs.PathError{Op: "createtemp", Path: "dir/.out.csv.tmp-*", Err: fs.ErrNotExist}, "", fs.ErrNotExist},
		{"the rename", &os.LinkError{Op: "rename", Old: tmp, New: "dir/out.csv", Err: fs.ErrExist}, tmp, fs.ErrExist},
		{"not about a file", io.ErrUnexpectedEOF, tmp, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := withoutTempName(tt.err, tt.tmp); got != tt.want {
				t.Errorf("withoutTempName(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestWriteOutputs checks that "-" goes to stdout without a file named
// "-", and that a failing output writes nothing, to stdout or the files.
func TestWriteOutputs(t *testing.T) {
	boom := errors.New("boom")
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	fail := func(w io.Writer) error { io.WriteString(w, "half"); return boom }
	tests := []struct {
		name       string
		outputs    func(dir string) []Output
		wantStdout string
		wantFile   string // content of DIR/a.csv afterwards
		wantErr    string
	}{
		{"stdout alone", func(dir string) []Output { return []Output{{Stdout, text("rows")}} }, "rows", "old", ""},
		{"stdout and a file", func(dir string) []Output {
			return []Output{{Stdout, text("rows")}, {filepath.Join(dir, "a.csv"), text("new")}}
		}, "rows", "new", ""},
		{"file fails: stdout untouched", func(dir string) []Output {
			return []Output{{Stdout, text("rows")}, {filepath.Join(dir, "a.csv"), fail}}
		}, "", "old", "boom"},
		{"stdout fails: file untouched", func(dir string) []Output {
			return []Output{{Stdout, fail}, {filepath.Join(dir, "a.csv"), text("new")}}
		}, "", "old", "write -: boom"},
		{"stdout twice", func(dir string) []Output {
			return []Output{{Stdout, text("x")}, {Stdout, text("y")}}
		}, "", "old", "standard output is given for 2 outputs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			a := filepath.Join(dir, "a.csv")
			os.WriteFile(a, []byte("old"), 0o644)
			var stdout strings.Builder
			err := WriteOutputs(&stdout, tt.outputs(dir)...)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if stdout.String() != tt.wantStdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.wantStdout)
			}
			if got, _ := os.ReadFile(a); string(got) != tt.wantFile {
				t.Errorf("a.csv = %q, want %q", got, tt.wantFile)
			}
			if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
				t.Error("a file named - was created")
			}
		})
	}
}
