package batch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/shard"
)

type rowRecorder struct {
	cols []string
	rows []string
}

func (r *rowRecorder) Write(meta []string, text string, p labels.Prediction) error {
	r.rows = append(r.rows, strings.Join(meta, ",")+"|"+text+"|"+p.Values[0])
	return nil
}

func metaDocs(yield func(Unit, error) bool) {
	docs := []pipeline.Document{
		{ID: "a", Date: "2020", Source: "S", Text: "yes no", Meta: []pipeline.Meta{{Key: "country", Value: "LOR"}}},
		{ID: "b", Date: "2021", Text: "no", Meta: []pipeline.Meta{{Key: "country", Value: "POR"}, {Key: "title", Value: "T"}}},
	}
	for _, d := range docs {
		if !yield(Unit{Doc: d}, nil) {
			return
		}
	}
}

// splitMeta is splitWords carrying the document's metadata, as
// pipeline.Sentences does.
func splitMeta(d pipeline.Document) []pipeline.Sentence {
	out := splitWords(d)
	for i := range out {
		out[i].Date, out[i].Source, out[i].Meta = d.Date, d.Source, d.Meta
	}
	return out
}

func TestClassifyRows(t *testing.T) {
	for _, tc := range []struct {
		name      string
		meta      []string
		reserved  []string // WriteOptions.Reserved
		wantCols  string
		wantRows  []string
		dropped   map[string]int
		absent    []string
		notCopied []string
	}{
		{"columns from the first document", nil, nil,
			"id,doc_id,date,source,index,is_title,country",
			[]string{"a:0,a,2020,S,0,false,LOR|yes|favor", "a:1,a,2020,S,1,false,LOR|no|none", "b:0,b,2021,,0,false,POR|no|none"},
			map[string]int{"title": 1}, nil, nil},
		{"fixed columns", []string{"title"}, nil,
			"id,doc_id,date,source,index,is_title,title",
			[]string{"a:0,a,2020,S,0,false,|yes|favor", "a:1,a,2020,S,1,false,|no|none", "b:0,b,2021,,0,false,T|no|none"},
			map[string]int{"country": 3}, nil, nil},
		{"fixed columns, two in no document", []string{"yaer", "country", "titel"}, nil,
			"id,doc_id,date,source,index,is_title,yaer,country,titel",
			[]string{"a:0,a,2020,S,0,false,,LOR,|yes|favor", "a:1,a,2020,S,1,false,,LOR,|no|none", "b:0,b,2021,,0,false,,POR,|no|none"},
			map[string]int{"title": 1}, []string{"yaer", "titel"}, nil},
		// Metadata named like a prediction column is not copied, and not
		// counted as dropped; the other columns keep their order.
		{"first document's column named like a prediction column", nil, []string{"text", "country", "p_country_x"},
			"id,doc_id,date,source,index,is_title",
			[]string{"a:0,a,2020,S,0,false|yes|favor", "a:1,a,2020,S,1,false|no|none", "b:0,b,2021,,0,false|no|none"},
			map[string]int{"title": 1}, nil, []string{"country"}},
		{"later document's key named like a prediction column", nil, []string{"title"},
			"id,doc_id,date,source,index,is_title,country",
			[]string{"a:0,a,2020,S,0,false,LOR|yes|favor", "a:1,a,2020,S,1,false,LOR|no|none", "b:0,b,2021,,0,false,POR|no|none"},
			map[string]int{}, nil, []string{"title"}},
		{"fixed columns, one named like a prediction column", []string{"yaer", "country", "title"}, []string{"country"},
			"id,doc_id,date,source,index,is_title,yaer,title",
			[]string{"a:0,a,2020,S,0,false,,|yes|favor", "a:1,a,2020,S,1,false,,|no|none", "b:0,b,2021,,0,false,,T|no|none"},
			map[string]int{}, []string{"yaer"}, []string{"country"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &rowRecorder{}
			sum, err := Classify(context.Background(), metaDocs, &fakePredictor{}, Options{Split: splitMeta},
				WriteOptions{Meta: tc.meta, Reserved: tc.reserved, NewWriter: func(cols []string) (RowWriter, error) { rec.cols = cols; return rec, nil }})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(rec.cols, ","); got != tc.wantCols {
				t.Errorf("columns %s, want %s", got, tc.wantCols)
			}
			if fmt.Sprint(rec.rows) != fmt.Sprint(tc.wantRows) {
				t.Errorf("rows\n%v\nwant\n%v", rec.rows, tc.wantRows)
			}
			if fmt.Sprint(sum.Dropped) != fmt.Sprint(tc.dropped) || sum.Sentences != 3 || sum.Emitted != 2 {
				t.Errorf("summary %+v", sum)
			}
			if !slices.Equal(sum.Absent, tc.absent) {
				t.Errorf("absent columns %q, want %q", sum.Absent, tc.absent)
			}
			if !slices.Equal(sum.NotCopied, tc.notCopied) {
				t.Errorf("not copied %q, want %q", sum.NotCopied, tc.notCopied)
			}
		})
	}
}

// Classify fails with a *NoSentencesError, calling no NewWriter, when
// nothing was classified, naming the first skipped inputs and documents
// without sentences; an empty shard gets the columns alone.
func TestClassifyNothing(t *testing.T) {
	skip := func(name string) error {
		return &pipeline.SkipError{File: name, Reason: pipeline.ReasonUnreadable, Err: errors.New("no such file")}
	}
	units := func(items ...any) iter.Seq2[Unit, error] {
		return func(yield func(Unit, error) bool) {
			for i, it := range items {
				var ok bool
				switch it := it.(type) {
				case error:
					ok = yield(Unit{}, it)
				case string: // a document's text, on line i+1 of in.jsonl
					ok = yield(Unit{Doc: pipeline.Document{ID: fmt.Sprintf("d%q", it), File: "in.jsonl", Line: i + 1, Text: it}}, nil)
				}
				if !ok {
					return
				}
			}
		}
	}
	strict := errors.New("strict")
	for _, tc := range []struct {
		name     string
		in       iter.Seq2[Unit, error]
		shard    string // "" for all
		skip     func(error) error
		empty    func(*pipeline.SkipError) error
		wantErr  string // "" for none
		none     bool   // the error is a *NoSentencesError
		wantCols string // the writer's columns; "" for no writer
		classify int    // sentences classified
	}{
		{name: "empty input", in: units(),
			wantErr: "no sentence to classify: the inputs are empty", none: true},
		{name: "every input skipped", in: units(skip("a"), skip("b")),
			wantErr: "no sentence to classify: 2 inputs skipped: a: unreadable: no such file; b: unreadable: no such file", none: true},
		{name: "at most 3 problems named", in: units(skip("a"), skip("b"), skip("c"), skip("d"), skip("e")),
			wantErr: "no sentence to classify: 5 inputs skipped: a: unreadable: no such file; b: unreadable: no such file; c: unreadable: no such file; and 2 more", none: true},
		{name: "documents without sentences", in: units(skip("a"), "", " "),
			wantErr: `no sentence to classify: 1 inputs skipped, 2 documents without sentences: a: unreadable: no such file; ` +
				`in.jsonl:2: no sentences: document "d\"\"": no prose left after cleaning; in.jsonl:3: no sentences: document "d\" \"": no prose left after cleaning`, none: true},
		{name: "at most 3 documents without sentences named", in: units("", " ", "  ", "   ", skip("a"), "    "),
			wantErr: `no sentence to classify: 1 inputs skipped, 5 documents without sentences: a: unreadable: no such file; ` +
				`in.jsonl:1: no sentences: document "d\"\"": no prose left after cleaning; in.jsonl:2: no sentences: document "d\" \"": no prose left after cleaning; ` +
				`in.jsonl:3: no sentences: document "d\"  \"": no prose left after cleaning; and 2 more without sentences`, none: true},
		{name: "document without sentences refused (strict)", in: units("yes", "", "no"),
			empty:   func(se *pipeline.SkipError) error { return fmt.Errorf("strict: %w", se) },
			wantErr: `strict: in.jsonl:2: no sentences: document "d\"\"": no prose left after cleaning`, wantCols: strings.Join(BaseColumns, ","), classify: 1},
		{name: "document without sentences accepted", in: units("yes", "", "no"),
			empty:    func(se *pipeline.SkipError) error { return nil },
			wantCols: strings.Join(BaseColumns, ","), classify: 2},
		{name: "something classified", in: units(skip("a"), "yes"), wantCols: strings.Join(BaseColumns, ","), classify: 1},
		{name: "skip refused (strict)", in: units(skip("a"), "yes"), skip: func(error) error { return strict },
			wantErr: "strict"},
		{name: "every document in other shards", in: units("yes", "no", "yes no"), shard: "3/4",
			wantCols: strings.Join(BaseColumns, ",")},
		{name: "nothing in any shard", in: units(skip("a")), shard: "3/4",
			wantErr: "no sentence to classify: 1 inputs skipped: a: unreadable: no such file", none: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Split: splitMeta, Skip: tc.skip}
			if opts.Skip == nil {
				opts.Skip = func(error) error { return nil }
			}
			if tc.shard != "" {
				var err error
				if opts.Shard, opts.Shards, err = shard.Parse(tc.shard); err != nil {
					t.Fatal(err)
				}
			}
			var cols []string
			sum, err := Classify(context.Background(), tc.in, &fakePredictor{}, opts,
				WriteOptions{Empty: tc.empty, NewWriter: func(c []string) (RowWriter, error) { cols = c; return &rowRecorder{}, nil }})
			if got := fmt.Sprint(err); tc.wantErr == "" && err != nil || tc.wantErr != "" && got != tc.wantErr {
				t.Fatalf("error %q, want %q", got, tc.wantErr)
			}
			var none *NoSentencesError
			if errors.As(err, &none) != tc.none {
				t.Fatalf("error %#v: is a *NoSentencesError: %v, want %v", err, !tc.none, tc.none)
			}
			if got := strings.Join(cols, ","); got != tc.wantCols {
				t.Fatalf("writer columns %q, want %q", got, tc.wantCols)
			}
			if sum.Sentences != tc.classify {
				t.Fatalf("%d sentences classified, want %d", sum.Sentences, tc.classify)
			}
			if sum.Absent != nil && sum.Sentences == 0 {
				t.Fatalf("absent columns %q with nothing classified", sum.Absent)
			}
		})
	}
}

// TestJoinProblems checks the problem list shared by NoSentencesError and
// stance suggest: the named problems, then how many more there are.
func TestJoinProblems(t *testing.T) {
	tests := []struct {
		name  string
		named []string
		total int
		tail  string
		want  string
	}{
		{"none", nil, 0, "", ""},
		{"a count alone names nothing", nil, 4, "", ""},
		{"all named", []string{"a", "b"}, 2, "", "a; b"},
		{"more than named", []string{"a", "b", "c"}, 5, "", "a; b; c; and 2 more"},
		{"with tail", []string{"e"}, 3, " without sentences", "e; and 2 more without sentences"},
		{"tail unused when all named", []string{"e"}, 1, " without sentences", "e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JoinProblems(tt.named, tt.total, tt.tail); got != tt.want {
				t.Errorf("JoinProblems(%q, %d, %q) = %q, want %q", tt.named, tt.total, tt.tail, got, tt.want)
			}
		})
	}
}

func TestInputBytes(t *testing.T) {
	dir := t.TempDir()
	text := strings.Repeat("the same sentence again. ", 400) // 10,000 bytes
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	zw.Close()
	os.WriteFile(filepath.Join(dir, "a.jsonl.gz"), gz.Bytes(), 0o644)
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "b.txt"), []byte("12345"), 0o644)
	if got := InputBytes([]string{dir, filepath.Join(dir, "missing")}); got != 10005 {
		t.Fatalf("InputBytes = %d, want 10005 (gzip counted uncompressed)", got)
	}
}

func TestProgressSummary(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, false, 0)
	for range p.Count(metaDocs) {
	}
	if p.done.Load() != int64(len("yes no")+len("no")) {
		t.Fatalf("counted %d text bytes", p.done.Load())
	}
	p.Update(Stats{Emitted: 1})
	if buf.Len() != 0 {
		t.Fatalf("no progress line off a terminal, got %q", buf.String())
	}
	p.Done(Summary{Stats: Stats{Units: 3, Emitted: 2, OutOfShard: 1, Sentences: 7}, Dropped: map[string]int{"title": 2}}, "out.csv")
	got := buf.String()
	for _, want := range []string{"3 documents read, 2 classified", "1 left to other shards", "7 sentences", "-> out.csv", `"title" has no column`} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q lacks %q", got, want)
		}
	}
}

// The summary line and the error of a run that classified nothing report
// the files the folder walks ignored and name the first documents
// without sentences as stance ingest does.
func TestSummaryMessages(t *testing.T) {
	empty := func(n int) []*pipeline.SkipError {
		var out []*pipeline.SkipError
		for i := range n {
			out = append(out, pipeline.SkipNoSentences(pipeline.Document{ID: fmt.Sprint("e", i), File: "in.jsonl", Line: i + 1}))
		}
		return out
	}
	for _, tc := range []struct {
		name       string
		sum        Summary
		done       []string // substrings of Progress.Done's output
		notDone    []string
		err        string // NoSentencesError's message
		doneTimes1 string // a substring Done's output holds once
	}{
		{name: "nothing ignored, no empty document",
			sum:     Summary{Stats: Stats{Units: 2, Emitted: 2, Sentences: 5}},
			done:    []string{"2 documents read, 2 classified (0 without sentences), 0 left to other shards, 0 skipped; 5 sentences"},
			notDone: []string{"ignored", "no sentences"},
			err:     "no sentence to classify: the inputs are empty"},
		{name: "files ignored",
			sum:  Summary{Stats: Stats{Units: 2, Emitted: 2, Sentences: 5}, Ignored: 3},
			done: []string{"0 skipped, 3 other files ignored; 5 sentences"},
			err:  "no sentence to classify: 3 other files ignored (hidden, or not .txt, .jsonl, .ndjson or .csv)"},
		{name: "documents without sentences named",
			sum: Summary{Stats: Stats{Units: 3, Emitted: 3, Empty: 2, Sentences: 5}, EmptyDocs: empty(2)},
			done: []string{"3 classified (2 without sentences)",
				"\nclassify: in.jsonl:1: no sentences: document \"e0\": no prose left after cleaning\nclassify: in.jsonl:2: no sentences: document \"e1\": no prose left after cleaning\n"},
			notDone: []string{"more documents without sentences"},
			err:     `no sentence to classify: 2 documents without sentences: in.jsonl:1: no sentences: document "e0": no prose left after cleaning; in.jsonl:2: no sentences: document "e1": no prose left after cleaning`},
		{name: "at most 3 documents without sentences named",
			sum:        Summary{Stats: Stats{Units: 6, Emitted: 6, Empty: 5, Sentences: 5}, EmptyDocs: empty(3), Ignored: 1},
			done:       []string{"6 classified (5 without sentences)", "1 other files ignored", `in.jsonl:3: no sentences: document "e2"`, "\nclassify: and 2 more documents without sentences\n"},
			notDone:    []string{`"e3"`},
			doneTimes1: "no prose left after cleaning\nclassify: and 2 more",
			err:        `no sentence to classify: 5 documents without sentences, 1 other files ignored (hidden, or not .txt, .jsonl, .ndjson or .csv): in.jsonl:1: no sentences: document "e0": no prose left after cleaning; in.jsonl:2: no sentences: document "e1": no prose left after cleaning; in.jsonl:3: no sentences: document "e2": no prose left after cleaning; and 2 more without sentences`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			NewProgress(&buf, false, 0).Done(tc.sum, "out.csv")
			got := buf.String()
			for _, w := range tc.done {
				if !strings.Contains(got, w) {
					t.Errorf("summary lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.notDone {
				if strings.Contains(got, w) {
					t.Errorf("summary has %q:\n%s", w, got)
				}
			}
			if tc.doneTimes1 != "" && strings.Count(got, tc.doneTimes1) != 1 {
				t.Errorf("summary has %q %d times, want once:\n%s", tc.doneTimes1, strings.Count(got, tc.doneTimes1), got)
			}
			if msg := (&NoSentencesError{Summary: tc.sum}).Error(); msg != tc.err {
				t.Errorf("error\n%s\nwant\n%s", msg, tc.err)
			}
		})
	}
}
