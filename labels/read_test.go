package labels

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-project/stance/internal/bom"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// describeRead renders what ReadGold made of a file: problems, warnings,
// extras and rows, one a line, for comparison with a golden file.
func describeRead(g *GoldFile, err error) string {
	var b strings.Builder
	var list ErrorList
	if errors.As(err, &list) {
		for _, p := range list {
			fmt.Fprintf(&b, "%v\n", p)
		}
	} else if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	for _, w := range g.Warnings {
		fmt.Fprintf(&b, "warning: %v\n", w)
	}
	fmt.Fprintf(&b, "extras: %q\n", g.ExtraNames)
	for _, r := range g.Rows {
		fmt.Fprintf(&b, "line %d: %q %q %q %q %q %q", r.Line, r.ID, r.DocID, r.Date, r.Source, r.Text, r.Labels)
		for _, e := range g.ExtraNames {
			fmt.Fprintf(&b, " %s=%q", e, r.Extra[e])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestReadGoldGolden(t *testing.T) {
	tests := []struct {
		name    string
		wantErr []error // sentinels the error must wrap; nil: valid file
	}{
		{"ok", nil},
		{"bom_crlf", nil},
		{"bad_value", []error{ErrBadValue}},
		{"missing_column", []error{ErrMissingColumn}},
		{"duplicate_id", []error{ErrDuplicateID}},
		{"unknown_target", []error{ErrUnknownTarget, ErrMissingColumn}},
		{"bad_date", []error{ErrBadDate}},
		{"empty_text", []error{ErrEmptyText, ErrEmptyID}},
		{"syntax", []error{ErrSyntax, ErrFieldCount}},
		{"corrupted", []error{ErrBadValue, ErrBadDate, ErrEmptyText, ErrDuplicateID, ErrUnknownTarget, ErrMissingColumn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join("testdata", "read", tt.name+".csv")
			g, err := ReadGold(path, Default())
			if tt.wantErr == nil && err != nil {
				t.Errorf("unexpected error:\n%v", err)
			}
			if tt.wantErr != nil && err == nil {
				t.Errorf("no error, want %v", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !errors.Is(err, w) {
					t.Errorf("error does not wrap %v:\n%v", w, err)
				}
			}
			checkGolden(t, filepath.Join("testdata", "read", tt.name+".golden"), describeRead(g, err))
		})
	}
}

// Every problem carries file, line and column (line only for a missing
// column, which has no cell to point at).
func TestReadGoldPositions(t *testing.T) {
	_, err := ReadGold(filepath.Join("testdata", "read", "corrupted.csv"), Default())
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an ErrorList, got %v", err)
	}
	for _, p := range list {
		if p.File == "" || p.Line == 0 {
			t.Errorf("problem without position: %v", p)
		}
		if p.Column == 0 && !errors.Is(p, ErrMissingColumn) {
			t.Errorf("problem without column: %v", p)
		}
	}
}

func TestReadGoldBOMShift(t *testing.T) {
	// With a BOM, header columns count the BOM's 3 bytes, like an editor
	// showing byte columns of the file on disk.
	in := bom.BOM + "id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_suport\n"
	_, err := ParseGold(strings.NewReader(in), "x.csv", Default())
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want problems, got %v", err)
	}
	want := len(bom.BOM) + strings.Index(in[len(bom.BOM):], "ukraine_suport") + 1
	found := false
	for _, p := range list {
		if errors.Is(p, ErrUnknownTarget) {
			found = true
			if p.Line != 1 || p.Column != want {
				t.Errorf("position %d:%d, want 1:%d", p.Line, p.Column, want)
			}
		}
	}
	if !found {
		t.Errorf("no unknown-target problem in %v", err)
	}
}

func TestReadGoldFilesAcross(t *testing.T) {
	dir := t.TempDir()
	h := "id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_support,note\n"
	a := filepath.Join(dir, "a.csv")
	b := filepath.Join(dir, "b.csv")
	os.WriteFile(a, []byte(h+"r1,D,2020,S,One.,none,none,none,none,x\n"), 0o644)
	os.WriteFile(b, []byte("id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_support,who\n"+
		"r2,D,2020,S,Two.,none,none,none,favor,y\nr1,D,2020,S,One.,none,none,none,favor,z\n"), 0o644)
	g, err := ReadGoldFiles(Default(), a, b)
	if err == nil {
		t.Fatal("want a duplicate-id conflict across files")
	}
	want := b + ":3:1: duplicate id: \"r1\" also at " + a + ":2 with different labels (ukraine_support: favor here, none there)"
	if err.Error() != want {
		t.Errorf("got  %v\nwant %v", err, want)
	}
	if got := strings.Join(g.ExtraNames, ","); got != "note,who" {
		t.Errorf("extras %q, want note,who", got)
	}
	if g.File(1) != b {
		t.Errorf("File(1) = %q, want %q", g.File(1), b)
	}
}

func TestReadGoldMissingFile(t *testing.T) {
	_, err := ReadGoldFiles(Default(), "testdata/read/ok.csv", "testdata/read/nope.csv")
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nope.csv") {
		t.Errorf("got %v, want a not-exist error naming the file", err)
	}
}

func TestReadGoldEmpty(t *testing.T) {
	for _, in := range []string{"", bom.BOM, "\n\n"} {
		_, err := ParseGold(strings.NewReader(in), "e.csv", Default())
		if !errors.Is(err, ErrEmptyFile) {
			t.Errorf("%q: got %v, want ErrEmptyFile", in, err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join("testdata", "read", "ok.csv")
	g, err := ReadGold(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteGold(&buf, Default(), g.ExtraNames, g.Rows); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(path)
	if buf.String() != string(want) {
		t.Errorf("round trip differs:\n--- got\n%s--- want\n%s", buf.String(), want)
	}
	h, err := ParseGold(&buf, "again", Default())
	if err != nil {
		t.Fatal(err)
	}
	if describeRead(h, nil) != describeRead(g, nil) {
		t.Errorf("reread differs:\n%s\n%s", describeRead(h, nil), describeRead(g, nil))
	}
}

// WriteGold refuses a row whose labels do not match the taxonomy, naming
// it, rather than write a file ReadGold would reject.
func TestWriteGoldChecksLabels(t *testing.T) {
	var b strings.Builder
	rows := []Gold{{ID: "1", DocID: "d", Text: "t", Labels: []string{"none", "none", "none", "none"}}}
	if err := WriteGold(&b, Default(), nil, rows); err != nil {
		t.Fatal(err)
	}
	bad := []Gold{{ID: "2", Labels: []string{"none"}}}
	err := WriteGold(io.Discard, Default(), nil, bad)
	if err == nil || !strings.Contains(err.Error(), `row 1 (id "2") has 1 labels, taxonomy has 4 targets`) {
		t.Fatalf("got %v, want an error naming the row with too few labels", err)
	}
}

// The shared training file must pass the checks.
func TestReadSharedTrain(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "labels", "train.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared labels absent (%v); skipping", err)
	}
	g, err := ReadGold(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Rows) == 0 {
		t.Fatal("no rows")
	}
}
