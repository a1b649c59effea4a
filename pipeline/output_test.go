package pipeline

import (
	"os"
	"path/filepath"
	"testing"
)

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
