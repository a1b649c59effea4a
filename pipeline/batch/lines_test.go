package batch

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
)

func TestReadLines(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // id|doc_id|text
		wantErr []string // errors, in order
	}{
		{"one line, no newline", "Italy calls for dialogue.", []string{"1|1|Italy calls for dialogue."}, nil},
		{"blank lines counted", "One.\n\n  \t\nTwo.\n", []string{"1|1|One.", "4|4|Two."},
			[]string{"-:2: blank line: no sentence", "-:3: blank line: no sentence"}},
		{"CRLF, BOM and spaces", "\uFEFF One. \r\nTwo.\r\n", []string{"1|1|One.", "2|2|Two."}, nil},
		{"commas are text", "Italy, France and Spain agree.\n", []string{"1|1|Italy, France and Spain agree."}, nil},
		{"invalid UTF-8", "One.\n\xff\xfe\nThree.\n", []string{"1|1|One.", "3|3|Three."}, []string{"-:2: invalid UTF-8: line skipped"}},
		{"empty input", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got, errs []string
			for s, err := range ReadLines(strings.NewReader(tt.in), "-") {
				if err != nil {
					errs = append(errs, err.Error())
					continue
				}
				got = append(got, fmt.Sprintf("%s|%s|%s", s.ID, s.DocID, s.Text))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("sentences = %q, want %q", got, tt.want)
			}
			if fmt.Sprint(errs) != fmt.Sprint(tt.wantErr) {
				t.Errorf("errors = %q, want %q", errs, tt.wantErr)
			}
		})
	}
}

func TestReadLinesTooLong(t *testing.T) {
	in := "One.\n" + strings.Repeat("x", pipeline.MaxDocumentBytes+10) + "\nThree.\n"
	var n int
	var last error
	for _, err := range ReadLines(strings.NewReader(in), "big") {
		if err != nil {
			last = err
			continue
		}
		n++
	}
	var se *pipeline.SkipError
	if n != 1 || !errors.As(last, &se) || se.Reason != pipeline.ReasonTooLarge || se.Line != 2 {
		t.Errorf("%d sentences, last error %v; want 1 sentence and a too large line 2", n, last)
	}
}

func TestSniffInput(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain sentence", "Italy calls for renewed dialogue with Moscow.\n", holdsLines},
		{"sentence with commas", "Rome, Paris and Madrid agree.\n", holdsLines},
		{"sentence with a colon", "Note: talks resume.\nMore text.\n", holdsLines},
		{"empty", "", holdsLines},
		{"jsonl", "  {\"id\":\"a\",\"date\":\"2020\",\"text\":\"x\"}\n", holdsDocuments},
		{"document CSV", "id,date,text\na,2020,x\n", holdsDocuments},
		{"sentence CSV", "id,doc_id,date,source,index,text\n", holdsSentences},
		{"id,text CSV", "\uFEFFid,text\n1,x\n", holdsSentences},
		{"gold file", "id,doc_id,date,source,text,russia_dialogue\n", holdsSentences},
		{"dated txt", "date: 2020-01-02\nsource: paper\n\nTalks resume.\n", holdsDocuments},
		{"gzip", "\x1f\x8b\x08\x00", holdsDocuments},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := bufio.NewReader(strings.NewReader(tt.in))
			if got := sniffInput(br); got != tt.want {
				t.Errorf("sniffInput(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if rest, _ := br.Peek(len(tt.in)); string(rest) != tt.in {
				t.Errorf("sniffInput consumed input: %q left", rest)
			}
		})
	}
}

// TestInputsPlainLines checks that standard input and, with presplit,
// files not named .csv are read one sentence a line when they have no
// header, and that other inputs are read as before.
func TestInputsPlainLines(t *testing.T) {
	dir := t.TempDir()
	lines := filepath.Join(dir, "lines.txt")
	os.WriteFile(lines, []byte("First.\n\nSecond.\n"), 0o644)
	noHeader := filepath.Join(dir, "bad.csv")
	os.WriteFile(noHeader, []byte("First.\n"), 0o644)
	tests := []struct {
		name     string
		paths    []string
		presplit bool
		stdin    string
		want     []string // ids
		wantErr  []string // substrings of the errors, in order
	}{
		{"stdin lines", []string{"-"}, false, "One.\n\nTwo.\n", []string{"1", "3"}, []string{"-:2: blank line"}},
		{"stdin lines, presplit", []string{"-"}, true, "One.\n", []string{"1"}, nil},
		{"stdin sentence CSV", []string{"-"}, false, "id,text\ns1,One.\n", []string{"s1"}, nil},
		{"stdin jsonl documents", []string{"-"}, false, `{"id":"a","date":"2020","text":"One. Two."}` + "\n", []string{"a"}, nil},
		{"file of lines, presplit", []string{lines}, true, "", []string{"1", "3"}, []string{"lines.txt:2: blank line"}},
		{"file of lines without presplit is a document", []string{lines}, false, "", nil, []string{"no date"}},
		{".csv without header stays an error", []string{noHeader}, true, "", nil, []string{"missing column"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ids, errs []string
			for u, err := range Inputs(tt.paths, tt.presplit, strings.NewReader(tt.stdin), pipeline.ReadOptions{}) {
				if err != nil {
					errs = append(errs, err.Error())
					continue
				}
				if u.Sentences == nil {
					ids = append(ids, u.Doc.ID)
				}
				for _, s := range u.Sentences {
					ids = append(ids, s.ID)
				}
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
				t.Errorf("ids = %q, want %q", ids, tt.want)
			}
			if len(errs) != len(tt.wantErr) {
				t.Fatalf("errors = %q, want %d", errs, len(tt.wantErr))
			}
			for i, w := range tt.wantErr {
				if !strings.Contains(errs[i], w) {
					t.Errorf("error %d = %q, want it to contain %q", i, errs[i], w)
				}
			}
		})
	}
}

func TestJSONLWriter(t *testing.T) {
	tax := labels.Taxonomy{Targets: []labels.Target{{Name: "rd", Values: []string{"favor", "against", "none"}}}}
	var b strings.Builder
	w := NewJSONLWriter(&b, tax, []string{"id", "country"})
	if err := w.Write([]string{"1", "ITA"}, `He said "no" – née`, labels.Prediction{Values: []string{"favor"}, Probs: [][]float64{{0.7, 0.1, 0.2}}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"2", ""}, "x", labels.Prediction{Values: []string{"none"}, Probs: [][]float64{{math.NaN(), 0, 1}}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"3"}, "x", labels.Prediction{Values: []string{"none"}, Probs: [][]float64{{0, 0, 1}}}); err == nil {
		t.Error("a row with too few metadata fields was written")
	}
	w.Flush()
	want := `{"id":"1","country":"ITA","text":"He said \"no\" – née","rd":"favor","p_rd_favor":0.70000,"p_rd_against":0.10000,"p_rd_none":0.20000}` + "\n" +
		`{"id":"2","country":"","text":"x","rd":"none","p_rd_favor":null,"p_rd_against":0.00000,"p_rd_none":1.00000}` + "\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("invalid JSON: %s", line)
		}
	}
}

// ReadSentences reads ingest's is_title column into Sentence.Title, and
// refuses a value that is not a boolean, going on with the next row.
func TestReadSentencesIsTitle(t *testing.T) {
	in := "id,doc_id,date,source,index,is_title,text\n" +
		"d:0,d,2020,x,0,true,Rome speaks\n" +
		"d:1,d,2020,x,1,false,Talks resume.\n" +
		"d:2,d,2020,x,2,,No value.\n" +
		"d:3,d,2020,x,3,maybe,Bad value.\n" +
		"d:4,d,2020,x,4,TRUE,Upper case.\n"
	var got, errs []string
	for s, err := range ReadSentences(strings.NewReader(in), "s.csv") {
		if err != nil {
			errs = append(errs, err.Error())
			if Fatal(err) {
				t.Fatalf("fatal: %v", err)
			}
			continue
		}
		got = append(got, fmt.Sprintf("%s=%v", s.ID, s.Title))
		for _, m := range s.Meta {
			t.Errorf("%s: is_title kept as metadata %q", s.ID, m.Key)
		}
	}
	want := []string{"d:0=true", "d:1=false", "d:2=false", "d:4=true"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], `s.csv:5:16: invalid is_title: "maybe" is not true or false`) {
		t.Errorf("errors %q", errs)
	}
}
