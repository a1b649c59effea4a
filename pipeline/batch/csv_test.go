package batch

import (
	"bytes"
	"context"
	"encoding/csv"
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
)

// nonePredictor predicts none for every target of its taxonomy.
type nonePredictor struct{ tax labels.Taxonomy }

func (p nonePredictor) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i := range out {
		for range p.tax.Targets {
			out[i].Values = append(out[i].Values, labels.None)
			out[i].Probs = append(out[i].Probs, []float64{0.1, 0.2, 0.7})
		}
	}
	return out, nil
}

// classifyCSV runs in through `stance classify`'s path for sentence
// CSVs (Classify, CSVWriter, the prediction columns reserved) with skip
// as Options.Skip, and returns the CSV written.
func classifyCSV(in iter.Seq2[Unit, error], tax labels.Taxonomy, skip func(error) error) ([]byte, Summary, error) {
	var out bytes.Buffer
	var pw *CSVWriter
	wo := WriteOptions{Reserved: labels.PredictionColumns(tax), NewWriter: func(cols []string) (RowWriter, error) {
		var err error
		pw, err = NewCSVWriter(&out, tax, cols)
		return pw, err
	}}
	sum, err := Classify(context.Background(), in, nonePredictor{tax}, Options{Workers: 2, Skip: skip}, wo)
	if err == nil && pw != nil {
		err = pw.Flush()
	}
	return out.Bytes(), sum, err
}

// Sentence CSVs classified as `stance classify -presplit` does: the
// header is the base and metadata columns, then labels.PredictionColumns;
// an input column named like a prediction column is not copied; problems
// carry file and line. (These were the cases of models.ClassifyCSV, a
// copy of this path used only by tests.)
func TestClassifyPresplitCSV(t *testing.T) {
	tax := labels.Default()
	for _, tc := range []struct {
		name       string
		in         string
		wantHeader []string
		wantRows   int
		notCopied  []string
		wantErr    error
		wantMsg    string
	}{
		{
			name:       "id text and metadata",
			in:         "country,text,id\nFRA,We will raise defence spending.,a1\nITA,\"Quoted, text\",a2\n",
			wantHeader: append(slices.Clone(BaseColumns), "country", "text", "russia_dialogue"),
			wantRows:   2,
		},
		{
			name:       "column named like a target not copied",
			in:         "id,text,ukraine_support\nx,Support for Kyiv.,favor\n",
			wantHeader: append(slices.Clone(BaseColumns), "text"),
			wantRows:   1,
			notCopied:  []string{"ukraine_support"},
		},
		{name: "header only", in: "id,text\n", wantErr: &NoSentencesError{}, wantMsg: "no sentence to classify"},
		{name: "empty", in: "", wantErr: labels.ErrMissingColumn, wantMsg: "in.csv:1"},
		{name: "no text column", in: "id,sentence\na,b\n", wantErr: labels.ErrMissingColumn, wantMsg: "in.csv:1"},
		{name: "empty id", in: "id,text\n,hello\n", wantErr: labels.ErrEmptyID, wantMsg: "in.csv:2"},
		{name: "bad quote", in: "id,text\na,\"open\nb,c\n", wantErr: labels.ErrSyntax, wantMsg: "in.csv:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.csv")
			if err := os.WriteFile(path, []byte(tc.in), 0o644); err != nil {
				t.Fatal(err)
			}
			out, sum, err := classifyCSV(Inputs([]string{path}, true, nil, pipeline.ReadOptions{}), tax, nil)
			if tc.wantErr != nil {
				var none *NoSentencesError
				if _, want := tc.wantErr.(*NoSentencesError); want && !errors.As(err, &none) || !want && !errors.Is(err, tc.wantErr) || !strings.Contains(fmt.Sprint(err), tc.wantMsg) {
					t.Fatalf("error %v, want %v mentioning %q", err, tc.wantErr, tc.wantMsg)
				}
				if len(out) > 0 {
					t.Errorf("wrote %q after an error", out)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if sum.Sentences != tc.wantRows || len(recs) != tc.wantRows+1 {
				t.Fatalf("%d rows reported, %d records written, want %d", sum.Sentences, len(recs)-1, tc.wantRows)
			}
			if !slices.Equal(recs[0][:len(tc.wantHeader)], tc.wantHeader) {
				t.Errorf("header %v, want prefix %v", recs[0], tc.wantHeader)
			}
			pred := labels.PredictionColumns(tax)
			want := append(slices.Clone(recs[0][:len(recs[0])-len(pred)]), pred...)
			if !slices.Equal(recs[0], want) {
				t.Errorf("header %v, want %v", recs[0], want)
			}
			if !slices.Equal(sum.NotCopied, tc.notCopied) {
				t.Errorf("not copied %q, want %q", sum.NotCopied, tc.notCopied)
			}
		})
	}
}

// Sentence CSVs with different headers are classified together: the
// first file's columns are the output's, another file's extra column is
// counted as dropped (models.ClassifyFiles refused them instead).
func TestClassifyPresplitHeadersDiffer(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	os.WriteFile(a, []byte("id,text\n1,one\n"), 0o644)
	os.WriteFile(b, []byte("id,text,extra\n2,two,x\n"), 0o644)
	tax := labels.Default()
	for _, paths := range [][]string{{a, a}, {a, b}} {
		out, sum, err := classifyCSV(Inputs(paths, true, nil, pipeline.ReadOptions{}), tax, nil)
		if err != nil || sum.Sentences != 2 || bytes.Count(out, []byte("\n")) != 3 {
			t.Fatalf("%v: %d rows, %v:\n%s", paths, sum.Sentences, err, out)
		}
		if paths[1] == b && sum.Dropped["extra"] != 1 {
			t.Errorf("%v: dropped %v, want extra once", paths, sum.Dropped)
		}
	}
}

// FuzzClassifyCSV runs any sentence CSV through the production path of
// `stance classify -presplit` (ReadSentences, SentenceUnits, Classify,
// CSVWriter), with problems skipped as the command does: it never
// panics, and what it writes is CSV with one record per sentence
// classified after the header.
func FuzzClassifyCSV(f *testing.F) {
	f.Add("id,text\na,hello world\n")
	f.Add("text,id,x\n\"a, b\",1,2\n")
	f.Add("id,text\n,\n")
	f.Add("id,doc_id,index,text,p_russia_dialogue_favor\n1,d,0,x,0.5\n2,d,1,y,\n")
	tax := labels.Default()
	f.Fuzz(func(t *testing.T, in string) {
		out, sum, err := classifyCSV(SentenceUnits(ReadSentences(strings.NewReader(in), "fuzz.csv")), tax, func(error) error { return nil })
		if err != nil {
			return
		}
		recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("output is not CSV: %v", err)
		}
		if len(recs) != sum.Sentences+1 {
			t.Fatalf("%d rows reported, %d written", sum.Sentences, len(recs)-1)
		}
	})
}
