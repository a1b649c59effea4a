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
	const corpusSentences = 17 // what classify makes of examples/corpus: 15 sentences and 2 titles

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
	// Folders of inputs, in a subfolder so that the files check below
	// does not see them: the corpus with files that are no input, the
	// files alone, and the corpus with documents without sentences.
	in := filepath.Join(dir, "in")
	const noProse = "date: 2020-01-01\n\nSubscribe\nLog in\n" // no sentence left after cleaning
	writeInputs(t, in, map[string]string{
		"readme/README.md": "# About this corpus\n", "readme/.DS_Store": "Bud1", "readme/scan.png": "\x89PNG\r\n", "readme/notes.txt~": "a backup",
		"junk/README.md": "# Nothing to classify\n", "junk/.DS_Store": "Bud1",
		"empty1/a_empty.txt": noProse,
		"empty4/a_empty.txt": noProse, "empty4/b_empty.txt": noProse, "empty4/c_empty.txt": noProse, "empty4/d_empty.txt": noProse,
		// Gold label files: their target columns clash with the
		// predictions' own.
		"gold/labels.csv": "id,doc_id,date,source,text,russia_dialogue,ukraine_support\n" +
			"g1,D1,2020-01-02,S,We must talk to Moscow about sanctions.,favor,none\n" +
			"g2,D1,2020-01-02,S,Defence spending has to rise.,none,none\n",
		"gold/annotated.csv": "id,doc_id,date,source,annotator,text,russia_dialogue,p_ukraine_support_favor,notes\n" +
			"g1,D1,2020-01-02,S,ann,We must talk to Moscow about sanctions.,favor,0.5,n1\n",
	})
	for _, f := range []string{"readme", "empty1", "empty4"} {
		copyFiles(t, corpus, filepath.Join(in, f))
	}
	readme, junk, empty1, empty4 := filepath.Join(in, "readme"), filepath.Join(in, "junk"), filepath.Join(in, "empty1"), filepath.Join(in, "empty4")
	gold, annotated := filepath.Join(in, "gold", "labels.csv"), filepath.Join(in, "gold", "annotated.csv")
	const notCopied = "classify: warning: input columns russia_dialogue, ukraine_support are not copied: the predictions use those names"

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
			cols: []string{"id", "doc_id", "date", "source", "index", "is_title"}, want: []string{"-> standard output"}},

		// 4. A sentence CSV read as documents hints at -presplit.
		{name: "sentence csv without -presplit", args: []string{sentences}, code: 1, rows: -1,
			want: []string{"sentences.csv:1: malformed record: header lacks date", "use -presplit"}},
		{name: "sentence csv with -presplit", args: []string{"-presplit", sentences}, code: 0, rows: 2},

		// 5. -meta is repeatable and takes comma lists; a column no input
		// has is named in one warning.
		{name: "meta repeated", args: []string{"-meta", "country", "-meta", "year", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"index", "is_title", "country", "year", "text"}},
		{name: "meta comma list", args: []string{"-meta", "year,country", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"index", "is_title", "year", "country", "text"}},
		{name: "meta none", args: []string{"-meta", "none", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"index", "is_title", "text"}},
		{name: "meta column in no input", args: []string{"-meta", "country", "-meta", "yaer", corpus}, code: 0, rows: corpusSentences,
			cols: []string{"index", "is_title", "country", "yaer", "text"}, once: `-meta column "yaer" is in no input`,
			unwant: []string{`"country" is in no input`}},
		{name: "meta column warning even with -quiet", args: []string{"-quiet", "-meta", "yaer", corpus}, code: 0, rows: corpusSentences,
			once: `-meta column "yaer" is in no input`},

		// 6. In a folder, hidden files and files of other extensions are
		// ignored and counted, not skipped, even with -strict; a file
		// named as PATH is still read.
		{name: "folder with a README, -strict", args: []string{"-strict", readme}, code: 0, rows: corpusSentences,
			want: []string{"0 skipped, 4 other files ignored;"}, unwant: []string{"README.md", "unsupported"}},
		{name: "folder of files that are no input", args: []string{junk}, code: 1, rows: -1,
			want: []string{"no sentence to classify: 2 other files ignored (hidden, or not .txt, .jsonl, .ndjson or .csv); no file written"}},
		{name: "README named as PATH is read", args: []string{filepath.Join(junk, "README.md"), corpus}, code: 0, rows: corpusSentences,
			want: []string{"classify: skipped " + filepath.Join(junk, "README.md") + ": no date", "1 skipped;"}, unwant: []string{"ignored"}},

		// 7. A gold file's target columns are not copied: the
		// predictions win, with one warning; the other columns keep
		// their order.
		{name: "gold file, -presplit", args: []string{"-presplit", gold}, code: 0, rows: 2,
			cols: []string{"index", "is_title", "text", "russia_dialogue", "southern_flank"}, once: notCopied},
		{name: "gold file recognised", args: []string{gold}, code: 0, rows: 2,
			cols: []string{"index", "is_title", "text", "russia_dialogue", "southern_flank"}, once: notCopied},
		{name: "gold file, warning even with -quiet", args: []string{"-quiet", gold}, code: 0, rows: 2, once: notCopied},
		{name: "annotated gold file: other columns kept, in order", args: []string{annotated}, code: 0, rows: 1,
			cols: []string{"index", "is_title", "annotator", "notes", "text", "russia_dialogue"},
			once: "classify: warning: input columns russia_dialogue, p_ukraine_support_favor are not copied: the predictions use those names"},
		{name: "-meta naming a prediction column", args: []string{"-meta", "annotator,russia_dialogue", annotated}, code: 0, rows: 1,
			cols: []string{"index", "is_title", "annotator", "text", "russia_dialogue"},
			once: "input columns russia_dialogue, p_ukraine_support_favor are not copied", want: []string{`metadata "notes" has no column`},
			unwant: []string{`"russia_dialogue" has no column`, `"p_ukraine_support_favor" has no column`}},

		// 8. Documents without sentences are named (at most 3) as ingest
		// names them, and fail -strict as they fail ingest -strict.
		{name: "document without sentences named", args: []string{empty1}, code: 0, rows: corpusSentences,
			want:   []string{"(1 without sentences)", "classify: " + filepath.Join(empty1, "a_empty.txt") + `:3: no sentences: document "a_empty": no prose left after cleaning`},
			unwant: []string{"more documents without sentences"}},
		{name: "at most 3 documents without sentences named", args: []string{empty4}, code: 0, rows: corpusSentences,
			want:   []string{"(4 without sentences)", filepath.Join(empty4, "c_empty.txt") + ":3: no sentences", "classify: and 1 more documents without sentences"},
			unwant: []string{"d_empty"}},
		{name: "document without sentences, -strict", args: []string{"-strict", empty1}, code: 1, rows: -1,
			want: []string{"classify: " + filepath.Join(empty1, "a_empty.txt") + `:3: no sentences: document "a_empty": no prose left after cleaning; out.csv not written`}},
		{name: "only documents without sentences", args: []string{filepath.Join(empty4, "a_empty.txt")}, code: 1, rows: -1,
			want: []string{"no sentence to classify: 1 documents without sentences: " + filepath.Join(empty4, "a_empty.txt") + `:3: no sentences: document "a_empty"`}},
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
			checkContains(t, "stderr", errs, tc.want, tc.unwant)
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

// writeInputs writes files (by slash-separated path under dir).
func writeInputs(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// copyFiles copies the files of folder from (not its subfolders) into to.
func copyFiles(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	writeInputs(t, to, files)
}

// TestFolderInputsCLI: ingest and classify agree on a folder's files that
// are no input (ignored, counted, never failing -strict) and on
// documents without sentences (named alike, failing -strict in both); and
// both list .ndjson among their inputs.
func TestFolderInputsCLI(t *testing.T) {
	ctx := context.Background()
	model, err := filepath.Abs(filepath.Join("..", "..", "models", "testdata", "v2.stance"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeInputs(t, dir, map[string]string{
		"readme/a.ndjson":  `{"id":"a","date":"2020","text":"We must talk to Moscow about sanctions."}` + "\n",
		"readme/README.md": "# About this corpus\n",
		"readme/.DS_Store": "Bud1",
		"readme/scan.png":  "\x89PNG\r\n",
		"empty/a.jsonl":    `{"id":"a","date":"2020","text":"We must talk to Moscow about sanctions."}` + "\n" + `{"id":"b","date":"2020","text":"Subscribe\nLog in"}` + "\n",
	})
	readme, empty := filepath.Join(dir, "readme"), filepath.Join(dir, "empty")
	out := filepath.Join(dir, "out.csv")
	emptyDoc := filepath.Join(empty, "a.jsonl") + `:2: no sentences: document "b": no prose left after cleaning`
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string // substrings of stdout+stderr
	}{
		{"ingest -strict, folder with a README", []string{"ingest", "-strict", "-out", out, readme}, 0,
			[]string{"ingest: skipped: 0\n", "ingest: other files ignored: 3 (hidden, or not .txt, .jsonl, .ndjson or .csv)"}},
		{"classify -strict, folder with a README", []string{"classify", "-strict", "-model", model, "-out", out, readme}, 0,
			[]string{"0 skipped, 3 other files ignored;"}},
		{"ingest, document without sentences", []string{"ingest", "-out", out, empty}, 0,
			[]string{emptyDoc, "ingest: skipped: 1 (1 no sentences)"}},
		{"classify, document without sentences", []string{"classify", "-model", model, "-out", out, empty}, 0,
			[]string{"classify: " + emptyDoc}},
		{"ingest -strict, document without sentences", []string{"ingest", "-strict", "-out", out, empty}, 1,
			[]string{emptyDoc, "no file written"}},
		{"classify -strict, document without sentences", []string{"classify", "-strict", "-model", model, "-out", out, empty}, 1,
			[]string{emptyDoc, "not written"}},
		{"ingest help", []string{"ingest", "-h"}, 0, []string{".ndjson", "hidden files"}},
		{"classify help", []string{"classify", "-h"}, 0, []string{".ndjson", "hidden files"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := stance(t, ctx, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout+stderr, w) {
					t.Errorf("output lacks %q:\n%s%s", w, stdout, stderr)
				}
			}
		})
	}
}
