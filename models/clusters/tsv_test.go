package clusters

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// small is the clustering of testdata/small.tsv.
func small() *Clusters {
	return &Clusters{
		Levels: []int{2, 4},
		Words:  []string{"the", "moscow", "kremlin", "sahel", "2024", "münchen", "kyiv"},
		IDs:    [][]uint16{{0, 0}, {1, 3}, {1, 3}, {0, 2}, {0, 1}, {1, 2}, {1, 3}},
	}
}

// TestTSVRoundTrip writes small() (compared with the golden file, which
// -update rewrites) and reads it back.
func TestTSVRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := small().WriteTSV(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "small.tsv")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("WriteTSV:\n%s\nwant (%s):\n%s", b.Bytes(), golden, want)
	}
	got, err := ReadTSV(&b, "small.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, small()) {
		t.Fatalf("read back %+v, want %+v", got, small())
	}
}

func TestReadTSVAccepts(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     *Clusters
	}{
		{"crlf and bom", "\ufeffword\tc2\r\nrome\t1\r\nparis\t0\r\n", &Clusters{Levels: []int{2}, Words: []string{"rome", "paris"}, IDs: [][]uint16{{1}, {0}}}},
		{"blank lines", "word\tc2\nrome\t1\n\nparis\t0\n\n", &Clusters{Levels: []int{2}, Words: []string{"rome", "paris"}, IDs: [][]uint16{{1}, {0}}}},
		{"no final newline", "word\tc3\tc2\nrome\t2\t1", &Clusters{Levels: []int{3, 2}, Words: []string{"rome"}, IDs: [][]uint16{{2, 1}}}},
		{"largest level", "word\tc65535\nrome\t65534\n", &Clusters{Levels: []int{65535}, Words: []string{"rome"}, IDs: [][]uint16{{65534}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadTSV(strings.NewReader(tc.in), "f.tsv")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReadTSVErrors(t *testing.T) {
	const head = "word\tc2\tc4\n"
	for _, tc := range []struct {
		name, in string
		want     []string // substrings of the error, in order
		is       error
	}{
		{"empty file", "", []string{"f.tsv:1: empty file"}, labels.ErrEmptyFile},
		{"header only", head, []string{"f.tsv:1: empty file", "no word line"}, labels.ErrEmptyFile},
		{"first column", "token\tc2\nrome\t1\n", []string{"f.tsv:1: bad header", `first column "token"`}, ErrHeader},
		{"no level", "word\nrome\n", []string{"f.tsv:1: bad header", "no level column"}, ErrHeader},
		{"bad column name", "word\tk64\tc+3\n", []string{"f.tsv:1: bad header", `"k64" is not c<k>`, `"c+3" is not c<k>`}, ErrHeader},
		{"level out of range", "word\tc1\tc65536\n", []string{"f.tsv:1: bad header", "level 1: want 2..65535", "level 65536"}, ErrHeader},
		{"level twice", "word\tc4\tc4\n", []string{"f.tsv:1: bad header", "level 4 given twice"}, ErrHeader},
		{"too few fields", head + "rome\t1\n", []string{"f.tsv:2: wrong number of fields: 2 fields, want 3"}, labels.ErrFieldCount},
		{"too many fields", head + "rome\t1\t2\t3\n", []string{"f.tsv:2: wrong number of fields: 4 fields, want 3"}, labels.ErrFieldCount},
		{"empty word", head + "\t1\t2\n", []string{"f.tsv:2: not one lower-case word: empty word"}, ErrWord},
		{"upper case", head + "rome\t1\t2\nMoscow\t1\t2\n", []string{`f.tsv:3: not one lower-case word: "Moscow"`}, ErrWord},
		{"two words", head + "new york\t1\t2\n", []string{`f.tsv:2: not one lower-case word: "new york"`}, ErrWord},
		{"punctuation", head + "u.s\t1\t2\n", []string{`f.tsv:2: not one lower-case word: "u.s"`}, ErrWord},
		{"invalid utf-8", head + "r\xffme\t1\t2\n", []string{"f.tsv:2: invalid UTF-8"}, labels.ErrInvalidUTF8},
		{"duplicate word", head + "rome\t1\t2\nparis\t0\t0\nrome\t1\t2\n", []string{`f.tsv:4: duplicate word: "rome", first on line 2`}, ErrDuplicateWord},
		{"not an integer", head + "rome\tx\t2\n", []string{`f.tsv:2: bad cluster id: column c2: "x" is not a non-negative integer`}, ErrClusterID},
		{"negative id", head + "rome\t-1\t2\n", []string{`f.tsv:2: bad cluster id: column c2: "-1"`}, ErrClusterID},
		{"id out of level", head + "rome\t1\t4\n", []string{"f.tsv:2: bad cluster id: column c4: 4: want 0..3"}, ErrClusterID},
		{"id out of uint16", head + "rome\t70000\t1\n", []string{"f.tsv:2: bad cluster id: column c2: 70000: want 0..1"}, ErrClusterID},
		{"empty id", head + "rome\t\t1\n", []string{`f.tsv:2: bad cluster id: column c2: "" is not`}, ErrClusterID},
		{"every problem listed", head + "Rome\t1\t2\nparis\t9\t1\nx\t1\n", []string{"f.tsv:2: ", "f.tsv:3: ", "f.tsv:4: "}, ErrWord},
		{"long line", head + strings.Repeat("a", maxLineBytes+1) + "\t1\t2\n", []string{"f.tsv:2: wrong number of fields: line longer than"}, labels.ErrFieldCount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ReadTSV(strings.NewReader(tc.in), "f.tsv")
			if err == nil {
				t.Fatalf("no error; read %+v", c)
			}
			if c != nil {
				t.Errorf("clusters %+v returned with the error", c)
			}
			msg := err.Error()
			rest := msg
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q lacks %q (in order)", msg, w)
				}
				rest = rest[i+len(w):]
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", msg, tc.is)
			}
			var pe *labels.ParseError
			if !errors.As(err, &pe) || pe.File != "f.tsv" || pe.Line == 0 {
				t.Errorf("error %q: want a *labels.ParseError with file and line", msg)
			}
		})
	}
}

func TestReadTSVManyProblems(t *testing.T) {
	in := "word\tc2\n" + strings.Repeat("Bad\t0\n", 25)
	_, err := ReadTSV(strings.NewReader(in), "f.tsv")
	if err == nil || !strings.Contains(err.Error(), "f.tsv:21: ") || strings.Contains(err.Error(), "f.tsv:22: ") ||
		!strings.HasSuffix(err.Error(), "and 5 more problems") {
		t.Fatalf("error %v: want the first 20 problems listed and the 5 others counted", err)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *Clusters)
		want   string // substring of the error; "" for none
	}{
		{"valid", func(c *Clusters) {}, ""},
		{"valid with counts", func(c *Clusters) { c.Counts = []int64{9, 8, 7, 6, 5, 4, 3} }, ""},
		{"no level", func(c *Clusters) { c.Levels = nil }, "levels: none given"},
		{"no words", func(c *Clusters) { c.Words, c.IDs = nil, nil }, "no words"},
		{"rows", func(c *Clusters) { c.IDs = c.IDs[1:] }, "6 rows of cluster ids for 7 words"},
		{"counts", func(c *Clusters) { c.Counts = []int64{1} }, "1 counts for 7 words"},
		{"negative count", func(c *Clusters) { c.Counts = []int64{9, 8, 7, 6, 5, 4, -3} }, `word 6 ("kyiv"): count -3`},
		{"not a word", func(c *Clusters) { c.Words[1] = "Moscow" }, `word 1: "Moscow" is not one lower-case word`},
		{"duplicate", func(c *Clusters) { c.Words[2] = "moscow" }, `word 2: "moscow" repeats word 1`},
		{"ids per level", func(c *Clusters) { c.IDs[3] = []uint16{1} }, `word 3 ("sahel"): 1 cluster ids for 2 levels`},
		{"id range", func(c *Clusters) { c.IDs[0][1] = 4 }, `word 0 ("the"): cluster 4 at level 4: want 0..3`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := small()
			tc.change(c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Validate: %v, want an error containing %q", err, tc.want)
			}
			if tc.want != "" {
				if werr := c.WriteTSV(&bytes.Buffer{}); werr == nil {
					t.Errorf("WriteTSV wrote invalid clusters")
				}
			}
		})
	}
}
