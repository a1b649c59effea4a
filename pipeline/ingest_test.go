package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestIngestGolden(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		meta  []string
	}{
		{"ingest_mixed", []string{"testdata/read/docs.jsonl", "testdata/read/txt", "testdata/read/docs.csv"}, nil},
		{"ingest_meta_flag", []string{"testdata/read/txt"}, []string{"title", "country", "id"}},
		{"ingest_no_meta", []string{"testdata/read/docs.csv"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			var skips []string
			opts := IngestOptions{Meta: tt.meta, Workers: 3, OnSkip: func(e *SkipError) {
				skips = append(skips, filepath.ToSlash(e.Error()))
			}}
			sum, err := Ingest(context.Background(), tt.paths, opts, &out)
			if err != nil {
				t.Fatal(err)
			}
			got := out.String() + "--- skips\n" + strings.Join(skips, "\n") + "\n--- summary\n" + sum.String()
			checkGolden(t, filepath.Join("testdata", "ingest", tt.name+".golden"), got)

			// Independent checks: every row has the header's width, ids are
			// "<doc_id>:<index>" and unique, and the counts add up.
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows)-1 != sum.Sentences {
				t.Errorf("%d rows, summary says %d sentences", len(rows)-1, sum.Sentences)
			}
			seen := map[string]bool{}
			for _, r := range rows[1:] {
				if r[0] != r[1]+":"+r[4] || seen[r[0]] {
					t.Errorf("bad or repeated id %q (doc %q index %q)", r[0], r[1], r[4])
				}
				seen[r[0]] = true
			}
			if sum.DocumentsRead != sum.DocumentsWritten+sum.Skipped[ReasonNoSentences] {
				t.Errorf("read %d != written %d + empty %d", sum.DocumentsRead, sum.DocumentsWritten, sum.Skipped[ReasonNoSentences])
			}
			if len(skips) != sum.SkippedTotal() {
				t.Errorf("%d skips reported, summary counts %d", len(skips), sum.SkippedTotal())
			}
		})
	}
}

func TestIngestDeterministicAcrossWorkers(t *testing.T) {
	paths := []string{"testdata/read/txt", "testdata/read/docs.jsonl", "testdata/clean"}
	var outs []string
	for _, w := range []int{1, 2, 7} {
		var out bytes.Buffer
		if _, err := Ingest(context.Background(), paths, IngestOptions{Workers: w, ReadOptions: ReadOptions{}}, &out); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out.String())
	}
	if outs[0] != outs[1] || outs[0] != outs[2] {
		t.Error("output depends on the number of workers")
	}
}

func TestIngestEmpty(t *testing.T) {
	var out bytes.Buffer
	sum, err := Ingest(context.Background(), nil, IngestOptions{}, &out)
	if err != nil || out.String() != "id,doc_id,date,source,index,is_title,text\n" || sum.DocumentsRead != 0 {
		t.Errorf("empty ingest: %q %+v %v", out.String(), sum, err)
	}
}

func TestSentencesIDs(t *testing.T) {
	d := Document{ID: "d1", Date: "2020", Source: "S", Meta: []Meta{{"k", "v"}},
		Text: "Listen Live\nThe first sentence is here. The second one too.\n\n2015.\n\nA third sentence ends it."}
	got := Sentences(d)
	want := []string{"The first sentence is here.", "The second one too.", "A third sentence ends it."}
	if len(got) != len(want) {
		t.Fatalf("got %d sentences: %+v", len(got), got)
	}
	for i, s := range got {
		if s.Text != want[i] || s.Index != i || s.ID != "d1:"+string(rune('0'+i)) || s.DocID != "d1" || s.Date != "2020" || s.Source != "S" || len(s.Meta) != 1 {
			t.Errorf("sentence %d: %+v", i, s)
		}
	}
	// A page number and blank lines inside a sentence (PDF page break).
	pb := Sentences(Document{ID: "p", Text: "It will enter into force in November. The\n28\n\n\nConvention is historic."})
	if len(pb) != 2 || pb[1].Text != "The Convention is historic." {
		t.Errorf("page break: %+v", pb)
	}
	if Sentences(Document{ID: "e", Text: "Subscribe\nLog in"}) != nil {
		t.Error("boilerplate-only document gave sentences")
	}
}

// TestIngestFolderFiles: files of a folder that are no input are counted
// as ignored, not skipped, so Strict does not fail on them; a file named
// explicitly and a document without sentences are skips, and fail Strict.
func TestIngestFolderFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"corpus/a.jsonl":    `{"id":"a","date":"2020","text":"The first document has a sentence."}` + "\n",
		"corpus/README.md":  "# About this corpus\n",
		"corpus/.DS_Store":  "Bud1",
		"corpus/scan.png":   "\x89PNG\r\n",
		"empty/b.jsonl":     `{"id":"b","date":"2020","text":"Subscribe\nLog in"}` + "\n",
		"empty/notes.txt~":  "a backup",
		"named/README.md":   "# Named on the command line\n",
		"named/other.jsonl": `{"id":"c","date":"2020","text":"Another document has a sentence."}` + "\n",
	})
	for _, tc := range []struct {
		name    string
		paths   []string // relative to dir
		strict  bool
		wantErr bool     // ErrSkipped
		skips   []string // reported skips, after the folder
		summary []string // lines of Summary.String
	}{
		{name: "non-input files in a folder, strict", paths: []string{"corpus"}, strict: true,
			summary: []string{"documents: 1 read, 1 written, 1 sentences", "skipped: 0", "other files ignored: 3 (hidden, or not .txt, .jsonl, .ndjson or .csv)"}},
		{name: "nothing ignored: no line", paths: []string{"named/other.jsonl"},
			summary: []string{"documents: 1 read, 1 written, 1 sentences", "skipped: 0"}},
		{name: "a file named explicitly is read, and skipped", paths: []string{"named/README.md", "corpus"}, strict: true, wantErr: true,
			skips:   []string{"named/README.md: no date: "},
			summary: []string{"documents: 1 read, 1 written, 1 sentences", "skipped: 1 (1 no date)", "other files ignored: 3 (hidden, or not .txt, .jsonl, .ndjson or .csv)"}},
		{name: "document without sentences, strict", paths: []string{"empty"}, strict: true, wantErr: true,
			skips:   []string{`empty/b.jsonl:1: no sentences: document "b": no prose left after cleaning`},
			summary: []string{"documents: 1 read, 0 written, 0 sentences", "skipped: 1 (1 no sentences)", "other files ignored: 1 (hidden, or not .txt, .jsonl, .ndjson or .csv)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(dir)
			var skips []string
			opts := IngestOptions{Strict: tc.strict, OnSkip: func(e *SkipError) { skips = append(skips, filepath.ToSlash(e.Error())) }}
			sum, err := Ingest(context.Background(), tc.paths, opts, io.Discard)
			if errors.Is(err, ErrSkipped) != tc.wantErr || err != nil && !tc.wantErr {
				t.Fatalf("error %v, want ErrSkipped: %v", err, tc.wantErr)
			}
			if len(skips) != len(tc.skips) {
				t.Fatalf("skips %q, want %q", skips, tc.skips)
			}
			for i := range skips {
				if !strings.HasPrefix(skips[i], tc.skips[i]) {
					t.Errorf("skip %q, want it to start with %q", skips[i], tc.skips[i])
				}
			}
			if got, want := sum.String(), strings.Join(tc.summary, "\n")+"\n"; got != want {
				t.Errorf("summary\n%s\nwant\n%s", got, want)
			}
		})
	}
}
