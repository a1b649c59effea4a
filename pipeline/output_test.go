package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckOverlap(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	write(a)
	write(b)
	in := filepath.Join(dir, "in")
	write(filepath.Join(in, "doc.txt"))
	folds := filepath.Join(dir, "folds")
	write(filepath.Join(folds, "fold1.train.csv"))
	link(a, filepath.Join(dir, "a-link.csv"))                            // a link to a file
	link(in, filepath.Join(dir, "in-link"))                              // a link to a folder
	link("in", filepath.Join(dir, "in-rel"))                             // the same, relative
	link(filepath.Join(dir, "in", "sub"), "sub-link")                    // a link into in, to a folder not made yet
	if err := os.Link(a, filepath.Join(dir, "a-hard.csv")); err != nil { // a second name of a
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "deep"), 0o755); err != nil {
		t.Fatal(err)
	}
	link(filepath.Join(dir, "deep"), filepath.Join(in, "up")) // in/up/.. is dir, not in

	out := func(p string) []PathArg { return []PathArg{{Flag: "-out", Path: p}} }
	folder := func(p string, files ...string) []PathArg { return []PathArg{{Flag: "-out", Path: p, Files: files}} }
	args := func(ps ...string) []PathArg { return Paths("", ps...) }
	for _, tc := range []struct {
		name     string
		outputs  []PathArg
		inputs   []PathArg
		relation string // "" for no overlap
		input    string // the input (or other output) named
		linkNote bool   // the message says a symbolic link was followed
	}{
		{"the same path", out(a), args(b, a), "same", a, false},
		{"another spelling", out(filepath.Join(dir, ".", "sub", "..", "a.csv")), args(a), "same", a, false},
		{"relative output, absolute input", out("a.csv"), args(a), "same", a, false},
		{"absolute output, relative input", out(a), args("./a.csv"), "same", "./a.csv", false},
		{"the input named by a flag", out(a), Paths("-labels", a), "same", a, false},
		{"a symbolic link to an input", out("a-link.csv"), args(a), "same", a, true},
		{"an input through a symbolic link", out(a), args("a-link.csv"), "same", "a-link.csv", true},
		{"a hard link to an input", out("a-hard.csv"), args(a), "same", a, false},
		{"another file", out(b), args(a), "", "", false},
		{"a new output", out("new.csv"), args(a), "", "", false},
		{"an input that does not exist", out("gone.csv"), args(filepath.Join(dir, "gone.csv")), "same", filepath.Join(dir, "gone.csv"), false},
		{"in an input folder", out(filepath.Join(in, "doc.txt")), args(in), "inside", in, false},
		{"a new file in an input folder", out(filepath.Join(in, "new", "x.csv")), args(in), "inside", in, false},
		{"new, in an input folder through a link", out(filepath.Join("in-link", "out.csv")), args("in"), "inside", "in", true},
		{"new, through a relative link", out(filepath.Join("in-rel", "out.csv")), args(in), "inside", in, true},
		{"new, through a link to a folder not made yet", out(filepath.Join("sub-link", "x", "out.csv")), args(in), "inside", in, true},
		{"beside an input folder", out(filepath.Join(dir, "in.csv")), args(in), "", "", false},
		{"the input folder itself", out(in), args(in), "same", in, false},
		{"dot-dot after a link leaves the input folder", out(in + "/up/../x.csv"), args(in), "", "", false},
		{"an output folder holding an input", folder(folds, "fold1.train.csv", "fold1.test.csv"), args(filepath.Join(folds, "fold1.train.csv")), "same", filepath.Join(folds, "fold1.train.csv"), false},
		{"an output folder beside its input", folder(folds, "fold2.train.csv", "fold2.test.csv"), args(filepath.Join(folds, "fold1.train.csv")), "", "", false},
		{"an output folder that is an input folder", folder(in, "metrics.csv"), args(in), "inside", in, false},
		{"an in-place input", out(a), []PathArg{{Path: a, InPlace: true}, {Path: b}}, "", "", false},
		{"two outputs, one file", []PathArg{{Flag: "-out", Path: a}, {Flag: "-changes", Path: "a.csv"}}, nil, "output", a, false},
		{"standard input and output", []PathArg{{Flag: "-out", Path: "-"}, {Flag: "-chart", Path: ""}}, args("-", ""), "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckOverlap(tc.outputs, tc.inputs)
			var oe *OverlapError
			switch {
			case tc.relation == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.relation == "":
				return
			case !errors.As(err, &oe):
				t.Fatalf("err = %v, want an *OverlapError", err)
			}
			if oe.Relation != tc.relation || oe.Input.Path != tc.input {
				t.Errorf("relation %q, input %q; want %q, %q (%v)", oe.Relation, oe.Input.Path, tc.relation, tc.input, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.outputs[0].Flag) || !strings.Contains(msg, tc.input) {
				t.Errorf("message %q does not name the flag %s and %s", msg, tc.outputs[0].Flag, tc.input)
			}
			if got := strings.Contains(msg, "symbolic link"); got != tc.linkNote {
				t.Errorf("message %q: mentions a link %v, want %v", msg, got, tc.linkNote)
			}
		})
	}
}

func TestOverlapErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		err  OverlapError
		want string
	}{
		{OverlapError{Output: PathArg{Flag: "-out", Path: "g.csv"}, Input: PathArg{Flag: "-labels", Path: "g.csv"}, Relation: "same"},
			"-out g.csv is the input -labels g.csv: the output would replace it"},
		{OverlapError{Output: PathArg{Flag: "-out", Path: "d", Files: []string{"fold1.train.csv"}}, File: "d/fold1.train.csv", Input: PathArg{Path: "d/fold1.train.csv"}, Relation: "same"},
			"-out d (its file d/fold1.train.csv) is the input d/fold1.train.csv: the output would replace it"},
		{OverlapError{Output: PathArg{Flag: "-out", Path: "link/o.csv"}, Input: PathArg{Path: "in"}, Relation: "inside", OutputResolved: "/w/in/o.csv", InputResolved: "/w/in"},
			"-out link/o.csv is in the input folder in: a later run would read it as input (through a symbolic link: the output is /w/in/o.csv, the input is /w/in)"},
		{OverlapError{Output: PathArg{Flag: "-changes", Path: "t.csv"}, Input: PathArg{Flag: "-out", Path: "t.csv"}, Relation: "output"},
			"-changes t.csv and -out t.csv are the same file: give each output its own name"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

func TestResolvePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll(filepath.Join(dir, "real", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "real", "x"), filepath.Join(dir, "l")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"real/x", filepath.Join(dir, "real", "x")},
		{"l", filepath.Join(dir, "real", "x")},
		{"l/new/file.csv", filepath.Join(dir, "real", "x", "new", "file.csv")},
		{"l/../y.csv", filepath.Join(dir, "real", "y.csv")}, // .. of the link's target, as the kernel reads it
		{"l/./new/", filepath.Join(dir, "real", "x", "new")},
		{filepath.Join(dir, "none", "a.csv"), filepath.Join(dir, "none", "a.csv")},
	} {
		if got := resolvePath(tc.in); got != tc.want {
			t.Errorf("resolvePath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOutputFiles(t *testing.T) {
	got := OutputFiles([]PathArg{{Flag: "-out", Path: "d", Files: []string{"a.csv", "b.csv"}}, {Flag: "-chart", Path: "c.png"}, {Flag: "-changes"}, {Flag: "-x", Path: "-"}})
	want := []string{filepath.Join("d", "a.csv"), filepath.Join("d", "b.csv"), "c.png"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("OutputFiles = %q, want %q", got, want)
	}
}
