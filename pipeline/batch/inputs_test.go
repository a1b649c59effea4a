package batch

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
)

// noneModel labels every sentence none on one target.
type noneModel struct{}

func (noneModel) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i := range out {
		out[i] = labels.Prediction{Values: []string{labels.None}, Probs: [][]float64{{0, 0, 1}}}
	}
	return out, nil
}

func TestReadSentences(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    []string // id|doc|date|source|index|text|meta
		wantErr []string // error strings, in order
	}{
		{
			name: "ingest header",
			in:   "id,doc_id,date,source,index,text,country\nd1:0,d1,2019-09-24,UN,0,First one.,FRA\nd1:1,d1,2019-09-24,UN,1,\"Second, quoted.\",FRA\n",
			want: []string{"d1:0|d1|2019-09-24|UN|0|First one.|country=FRA", "d1:1|d1|2019-09-24|UN|1|Second, quoted.|country=FRA"},
		},
		{
			name: "id and text only, BOM and CRLF, columns in any order",
			in:   "\uFEFFtext,id\r\nHello there.,s1\r\n\"Two\r\nlines.\",s2\r\n",
			want: []string{"s1|s1|||0|Hello there.|", "s2|s2|||0|Two\nlines.|"},
		},
		{
			name: "gold file as input, dates normalised",
			in:   "id,doc_id,date,source,text,ukraine_support\ng1,D,2021-09,x,Text a.,favor\ng2,D,\"10 July 2018\",x,Text b.,\n",
			want: []string{"g1|D|2021-09|x|0|Text a.|ukraine_support=favor", "g2|D|2018-07-10|x|0|Text b.|ukraine_support="},
		},
		{
			name:    "missing text column is fatal",
			in:      "id,doc_id\na,b\n",
			wantErr: []string{"in.csv:1: missing column: text (header has id,doc_id)"},
		},
		{
			name:    "empty file",
			in:      "",
			wantErr: []string{"in.csv:1: missing column: empty file, want a header with id and text"},
		},
		{
			name: "row problems are reported and skipped",
			in:   "id,date,text\n,2020,No id.\ns2,2020,\ns3,2020-13-01,Bad month.\ns4,2020\ns5,2020,Good.\n",
			want: []string{"s5|s5|2020||0|Good.|"},
			wantErr: []string{
				"in.csv:2:1: empty id",
				`in.csv:3:9: empty text: id "s2"`,
				`in.csv:4:4: invalid date: `,
				"in.csv:5: wrong number of fields: 2, the header has 3",
			},
		},
		{
			name:    "bad index",
			in:      "id,index,text\na,-1,x\n",
			wantErr: []string{`in.csv:2:3: invalid index: "-1" is not a non-negative integer`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got, gotErr []string
			for s, err := range ReadSentences(strings.NewReader(tc.in), "in.csv") {
				if err != nil {
					gotErr = append(gotErr, err.Error())
					continue
				}
				var meta []string
				for _, m := range s.Meta {
					meta = append(meta, m.Key+"="+m.Value)
				}
				got = append(got, fmt.Sprintf("%s|%s|%s|%s|%d|%s|%s", s.ID, s.DocID, s.Date, s.Source, s.Index, s.Text, strings.Join(meta, ";")))
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
				t.Errorf("sentences\n got %q\nwant %q", got, tc.want)
			}
			if len(gotErr) != len(tc.wantErr) {
				t.Fatalf("errors\n got %q\nwant %q", gotErr, tc.wantErr)
			}
			for i := range gotErr {
				if !strings.HasPrefix(gotErr[i], tc.wantErr[i]) {
					t.Errorf("error %d: got %q, want prefix %q", i, gotErr[i], tc.wantErr[i])
				}
			}
		})
	}
}

func TestFatal(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"header", &labels.ParseError{Line: 1, Err: labels.ErrMissingColumn}, true},
		{"row", &labels.ParseError{Line: 3, Err: labels.ErrEmptyText}, false},
		{"wrapped row", fmt.Errorf("x: %w", &labels.ParseError{Line: 3, Err: labels.ErrBadDate}), false},
		{"io", errors.New("disk on fire"), true},
		{"io in a row", &labels.ParseError{Line: 9, Err: errors.New("disk on fire")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fatal(tc.err); got != tc.want {
				t.Fatalf("Fatal(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

// sentenceSeq yields a sentence per id ("doc:n"), and an error for "ERR".
func sentenceSeq(ids ...string) iter.Seq2[pipeline.Sentence, error] {
	return func(yield func(pipeline.Sentence, error) bool) {
		for _, id := range ids {
			if id == "ERR" {
				if !yield(pipeline.Sentence{}, errors.New("bad row")) {
					return
				}
				continue
			}
			doc, _, _ := strings.Cut(id, ":")
			if !yield(pipeline.Sentence{ID: id, DocID: doc, Text: id}, nil) {
				return
			}
		}
	}
}

func TestSentenceUnits(t *testing.T) {
	long := make([]string, 300)
	for i := range long {
		long[i] = fmt.Sprintf("big:%d", i)
	}
	for _, tc := range []struct {
		name string
		in   []string
		want string // units as doc×count, errors as ERR
	}{
		{"empty", nil, "[]"},
		{"grouped by consecutive doc", []string{"a:0", "a:1", "b:0", "a:2"}, "[a×2 b×1 a×1]"},
		{"error flushes first", []string{"a:0", "ERR", "a:1"}, "[a×1 ERR a×1]"},
		{"long document split", long, "[big×256 big×44]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := []string{}
			for u, err := range SentenceUnits(sentenceSeq(tc.in...)) {
				if err != nil {
					got = append(got, "ERR")
					continue
				}
				got = append(got, fmt.Sprintf("%s×%d", u.DocID(), len(u.Sentences)))
			}
			if fmt.Sprint(got) != tc.want {
				t.Fatalf("got %v, want %s", got, tc.want)
			}
		})
	}
}

func TestInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sents := write("sentences.csv", "id,doc_id,date,source,index,text\ns:0,s,2020,x,0,One sentence here.\ns:1,s,2020,x,1,Two sentences here.\n")
	gold := write("gold.csv", "\uFEFFid,doc_id,date,source,text,a,b\ng1,g,2019,x,A gold row.,favor,\n")
	docs := write("docs.csv", "id,date,text\nD1,2021-01-02,First sentence of a document. Second sentence of it.\n")
	jsonl := write("more.jsonl", `{"id":"J1","date":"2022","text":"A JSON document. It has two sentences."}`+"\n")
	bad := write("bad.csv", "id,text,doc_id\n,empty id,d\n")
	for _, tc := range []struct {
		name     string
		paths    []string
		presplit bool
		want     string // units: S<n> for n sentences, D<id> for a document, E for an error
		offered  int    // sentences classified by Run
	}{
		{"sentence csv detected", []string{sents}, false, "[S2]", 2},
		{"gold file is sentences", []string{gold}, false, "[S1]", 1},
		{"documents", []string{docs, jsonl}, false, "[DD1 DJ1]", 4},
		{"mixed, sentence files first", []string{docs, sents, jsonl}, false, "[S2 DD1 DJ1]", 6},
		{"row error passed on", []string{bad, sents}, false, "[E S2]", 2},
		{"presplit reads a document csv as sentences", []string{docs}, true, "[S1]", 1},
		{"missing file", []string{filepath.Join(dir, "nope.csv")}, true, "[E]", 0},
		{"missing file does not stop the others", []string{filepath.Join(dir, "nope.csv"), sents}, true, "[E S2]", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for u, err := range Inputs(tc.paths, tc.presplit, nil, pipeline.ReadOptions{}) {
				switch {
				case err != nil:
					got = append(got, "E")
				case u.Sentences != nil:
					got = append(got, fmt.Sprintf("S%d", len(u.Sentences)))
				default:
					got = append(got, "D"+u.Doc.ID)
				}
			}
			if fmt.Sprint(got) != tc.want {
				t.Fatalf("units %v, want %s", got, tc.want)
			}
			classified := 0
			_, err := Run(context.Background(), Inputs(tc.paths, tc.presplit, nil, pipeline.ReadOptions{}), noneModel{},
				Options{Workers: 2, Skip: func(error) error { return nil }},
				func(r Result) error { classified += len(r.Sentences); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if classified != tc.offered {
				t.Fatalf("classified %d sentences, want %d", classified, tc.offered)
			}
		})
	}
}

// A CSV read as documents that could have been read with presplit gets a
// hint to use -presplit in its skip; other skips are left as they are.
func TestInputsPresplitHint(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, file, content string
		want                string // the skip's message; "" for no skip
	}{
		{"sentence csv without date", "s.csv", "id,text\na1,One sentence.\n",
			"s.csv:1: malformed record: header lacks date (need id, date, text); if its rows are sentences, use -presplit"},
		{"with a BOM and spaces", "b.csv", "\uFEFFid, text ,other\na1,One sentence.,x\n",
			"b.csv:1: malformed record: header lacks date (need id, date, text); if its rows are sentences, use -presplit"},
		{"no text column: presplit would not help", "n.csv", "id,body\na1,One sentence.\n",
			"n.csv:1: malformed record: header lacks date, text (need id, date, text)"},
		{"no id column", "i.csv", "text\nOne sentence.\n",
			"i.csv:1: malformed record: header lacks id, date (need id, date, text)"},
		{"document csv", "d.csv", "id,date,text\nD1,2021,One sentence.\n", ""},
		{"bad row of a document csv", "r.csv", "id,date,text\nD1,2021\n",
			"r.csv:2: malformed record: 2 fields, the header has 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, err := range Inputs([]string{path}, false, nil, pipeline.ReadOptions{}) {
				if err != nil {
					got = append(got, strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
				}
			}
			want := []string{}
			if tc.want != "" {
				want = append(want, tc.want)
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
				t.Fatalf("errors %q, want %q", got, want)
			}
		})
	}
}

// sentenceCSV is a sentence CSV of n rows, perDoc sentences a document.
func sentenceCSV(n, perDoc int) string {
	var b strings.Builder
	b.WriteString("id,doc_id,date,source,index,text\n")
	for i := range n {
		doc := i / perDoc
		fmt.Fprintf(&b, "d%03d:%d,d%03d,%d-05-01,paper,%d,\"Sentence %d of document %d talks about topic %d, plainly.\"\n",
			doc, i%perDoc, doc, 2015+doc%6, i%perDoc, i, doc, i*7919%1000)
	}
	return b.String()
}

// BenchmarkReadSentences measures parsing a sentence CSV and grouping it
// into units, the input side of `stance classify -presplit`.
func BenchmarkReadSentences(b *testing.B) {
	const n = 20_000
	in := sentenceCSV(n, 10)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		got := 0
		for u, err := range SentenceUnits(ReadSentences(strings.NewReader(in), "b.csv")) {
			if err != nil {
				b.Fatal(err)
			}
			got += len(u.Sentences)
		}
		if got != n {
			b.Fatalf("%d sentences, want %d", got, n)
		}
	}
	b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}
