package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestClassifyCLI runs stance classify with the v2 test model on the
// example corpus and on broken inputs: what it exits with, what it writes
// (to -out or standard output) and what it says on stderr.
func TestClassifyCLI(t *testing.T) {
	ctx := context.Background()
	model, err := filepath.Abs(filepath.Join("..", "..", "models", "testdata", "v2.stance"))
	if err != nil {
		t.Fatal(err)
	}
	corpus, err := filepath.Abs(filepath.Join("..", "..", "examples", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	const corpusSentences = 15 // what classify makes of examples/corpus

	dir := t.TempDir()
	// Relative outputs (and -out -, were it taken for a name) land in dir.
	t.Chdir(dir)
	missing := func(name string) string { return filepath.Join(dir, "missing", name) }
	emptyDir := filepath.Join(dir, "empty")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A sentence CSV without doc_id, index or date.
	sentences := filepath.Join(dir, "sentences.csv")
	if err := os.WriteFile(sentences, []byte("id,text\na1,We must talk to Moscow about sanctions.\na2,Defence spending has to rise.\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		args   []string // after -model MODEL; -out out.csv unless they give -out
		code   int
		rows   int      // rows written, to out.csv or (with -out -) stdout; -1: nothing written
		cols   []string // columns the output must have, in this order
		want   []string // substrings of stderr
		unwant []string
		once   string // a substring stderr must hold exactly once
	}{
		// 1. Nothing classified is an error, naming the problems.
		{name: "missing path", args: []string{missing("a")}, code: 1, rows: -1,
			want: []string{"no sentence to classify: 1 inputs skipped: " + missing("a") + ": unreadable", "no file written"}},
		{name: "empty folder", args: []string{emptyDir}, code: 1, rows: -1,
			want: []string{"no sentence to classify: the inputs are empty; no file written"}},
		{name: "only unusable inputs, at most 3 named", args: []string{missing("a"), missing("b"), missing("c"), missing("d"), missing("e")}, code: 1, rows: -1,
			want:   []string{"5 inputs skipped: " + missing("a") + ": unreadable", missing("c") + ": unreadable: no such file or directory; and 2 more"},
			unwant: []string{"such file or directory; " + missing("d")}},
		{name: "nothing to standard output", args: []string{"-out", "-", missing("a")}, code: 1, rows: -1,
			want: []string{"no sentence to classify", "nothing written"}},
		{name: "something classified: skip and report", args: []string{missing("a"), corpus}, code: 0, rows: corpusSentences,
			want: []string{"classify: skipped " + missing("a") + ": unreadable", "1 skipped"}},
		{name: "something classified, -strict", args: []string{"-strict", missing("a"), corpus}, code: 1, rows: -1,
			want: []string{missing("a") + ": unreadable", "out.csv not written"}},
		{name: "missing presplit file does not stop the others", args: []string{"-presplit", missing("a.csv"), sentences}, code: 0, rows: 2,
			want: []string{"classify: skipped " + missing("a.csv") + ": unreadable"}},

		// 2. An unknown -format is a usage error before anything is read.
		{name: "unknown format", args: []string{"-format", "xml", missing("a")}, code: 2, rows: -1,
			want: []string{`-format "xml": want txt, jsonl or csv`}, unwant: []string{"skipped"}},
		{name: "known format", args: []string{"-format", "txt", corpus}, code: 0, rows: corpusSentences},

		// 3. -out - is standard output.
		{name: "standard output", args: []string{"-out", "-", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"id", "doc_id", "date", "source", "index"}, want: []string{"-> standard output"}},

		// 4. A sentence CSV read as documents hints at -presplit.
		{name: "sentence csv without -presplit", args: []string{sentences}, code: 1, rows: -1,
			want: []string{"sentences.csv:1: malformed record: header lacks date", "use -presplit"}},
		{name: "sentence csv with -presplit", args: []string{"-presplit", sentences}, code: 0, rows: 2},

		// 5. -meta is repeatable and takes comma lists; a column no input
		// has is named in one warning.
		{name: "meta repeated", args: []string{"-meta", "country", "-meta", "year", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"index", "country", "year", "text"}},
		{name: "meta comma list", args: []string{"-meta", "year,country", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"index", "year", "country", "text"}},
		{name: "meta none", args: []string{"-meta", "none", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"index", "text"}},
		{name: "meta column in no input", args: []string{"-meta", "country", "-meta", "yaer", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"index", "country", "yaer", "text"}, once: `-meta column "yaer" is in no input`,
			unwant: []string{`"country" is in no input`}},
		{name: "meta column warning even with -quiet", args: []string{"-quiet", "-meta", "yaer", corpus}, code: 0, rows: corpusSentences,
			once: `-meta column "yaer" is in no input`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []string{"out.csv", "-"} {
				os.Remove(f)
			}
			args := append([]string{"classify", "-model", model}, tc.args...)
			stdout := slices.Contains(tc.args, "-out")
			if !stdout {
				args = append(args, "-out", "out.csv")
			}
			code, out, errs := stance(t, ctx, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			for _, w := range tc.unwant {
				if strings.Contains(errs, w) {
					t.Errorf("stderr has %q:\n%s", w, errs)
				}
			}
			if tc.once != "" && strings.Count(errs, tc.once) != 1 {
				t.Errorf("stderr has %q %d times, want once:\n%s", tc.once, strings.Count(errs, tc.once), errs)
			}

			// What was written: out.csv, or standard output and no file.
			entries, _ := os.ReadDir(".")
			var files []string
			for _, e := range entries {
				if !e.IsDir() && e.Name() != "sentences.csv" {
					files = append(files, e.Name())
				}
			}
			var text string
			switch {
			case stdout:
				if len(files) != 0 {
					t.Fatalf("-out - wrote files %v", files)
				}
				text = out
			case tc.rows < 0:
				if len(files) != 0 {
					t.Fatalf("wrote files %v, want none", files)
				}
			default:
				if !slices.Equal(files, []string{"out.csv"}) {
					t.Fatalf("wrote files %v, want out.csv", files)
				}
				b, err := os.ReadFile("out.csv")
				if err != nil {
					t.Fatal(err)
				}
				text = string(b)
			}
			if tc.rows < 0 {
				if out != "" {
					t.Fatalf("wrote to standard output:\n%s", out)
				}
				return
			}
			recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
			if err != nil || len(recs) == 0 {
				t.Fatalf("output is no CSV (%v):\n%s", err, text)
			}
			if got := len(recs) - 1; got != tc.rows {
				t.Errorf("%d rows, want %d", got, tc.rows)
			}
			if tc.cols != nil {
				i := slices.Index(recs[0], tc.cols[0])
				if i < 0 || len(recs[0]) < i+len(tc.cols) || !slices.Equal(recs[0][i:i+len(tc.cols)], tc.cols) {
					t.Errorf("header %v lacks %v in a row", recs[0], tc.cols)
				}
			}
		})
	}
}
