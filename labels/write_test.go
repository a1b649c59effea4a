package labels

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := WriteFiles(OutputFile{path, func(w io.Writer) error { _, err := io.WriteString(w, "old"); return err }}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := WriteFiles(OutputFile{path, func(w io.Writer) error { io.WriteString(w, "half"); return boom }}); !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("file holds %q after a failed write, want the old content", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files left in the directory, want 1", len(ents))
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
		files func(dir string) []OutputFile
		want  string // substring of the error; "" for success
	}{
		{"all written", func(dir string) []OutputFile {
			return []OutputFile{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, "b.csv"), text("new b")}}
		}, ""},
		{"last writer fails", func(dir string) []OutputFile {
			return []OutputFile{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, "b.csv"), fail}}
		}, "write DIR/b.csv: boom"},
		{"last folder missing", func(dir string) []OutputFile {
			return []OutputFile{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, "b.csv"), text("new b")},
				{filepath.Join(dir, "no", "c.png"), text("c")}}
		}, "create DIR/no/c.png: "},
		{"a path is a folder", func(dir string) []OutputFile {
			// The folder fails only the rename, after the files before it
			// would have been renamed: it must be refused up front.
			if err := os.Mkdir(filepath.Join(dir, "c.csv"), 0o755); err != nil {
				t.Fatal(err)
			}
			return []OutputFile{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, "b.csv"), text("new b")},
				{filepath.Join(dir, "c.csv"), text("c")}}
		}, "write DIR/c.csv: is a directory"},
		{"same path twice", func(dir string) []OutputFile {
			return []OutputFile{{filepath.Join(dir, "a.csv"), text("new a")}, {filepath.Join(dir, ".", "a.csv"), text("new b")}}
		}, "the same file is given for two outputs"},
		{"same file, relative and absolute", func(dir string) []OutputFile {
			t.Chdir(dir)
			return []OutputFile{{"a.csv", text("new a")}, {filepath.Join(dir, "a.csv"), text("new b")}}
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
