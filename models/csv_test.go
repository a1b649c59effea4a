package models

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

func goldenModel(t testing.TB) *Model {
	t.Helper()
	m, err := Load("testdata/v1.stance")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestClassifyCSV(t *testing.T) {
	m := goldenModel(t)
	for _, tc := range []struct {
		name       string
		in         string
		wantHeader []string
		wantRows   int
		wantErr    error
		wantMsg    string
	}{
		{
			name:       "id text and metadata",
			in:         "country,text,id\nFRA,We will raise defence spending.,a1\nITA,\"Quoted, text\",a2\n",
			wantHeader: []string{"id", "country", "text", "russia_dialogue"},
			wantRows:   2,
		},
		{
			name:       "colliding column renamed",
			in:         "id,text,ukraine_support\nx,Support for Kyiv.,favor\n",
			wantHeader: []string{"id", "input_ukraine_support", "text"},
			wantRows:   1,
		},
		{name: "header only", in: "id,text\n", wantHeader: []string{"id", "text"}, wantRows: 0},
		{name: "empty", in: "", wantErr: labels.ErrEmptyFile},
		{name: "no text column", in: "id,sentence\na,b\n", wantErr: labels.ErrMissingColumn, wantMsg: "in.csv:1"},
		{name: "empty id", in: "id,text\n,hello\n", wantErr: labels.ErrEmptyID, wantMsg: "in.csv:2"},
		{name: "bad quote", in: "id,text\na,\"open\nb,c\n", wantErr: labels.ErrSyntax, wantMsg: "in.csv:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			n, err := ClassifyCSV(context.Background(), m, strings.NewReader(tc.in), "in.csv", &out)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
					t.Fatalf("error %v, want %v mentioning %q", err, tc.wantErr, tc.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.wantRows || len(recs) != tc.wantRows+1 {
				t.Fatalf("%d rows reported, %d records written, want %d", n, len(recs)-1, tc.wantRows)
			}
			if !slices.Equal(recs[0][:len(tc.wantHeader)], tc.wantHeader) {
				t.Errorf("header %v, want prefix %v", recs[0], tc.wantHeader)
			}
			want := append(slices.Clone(recs[0][:len(recs[0])-4-12-1]), labels.PredictionColumns(m.Taxonomy())...)
			if !slices.Equal(recs[0], want) {
				t.Errorf("header %v, want %v", recs[0], want)
			}
		})
	}
}

func TestClassifyFilesHeadersMustAgree(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	os.WriteFile(a, []byte("id,text\n1,one\n"), 0o644)
	os.WriteFile(b, []byte("id,text,extra\n2,two,x\n"), 0o644)
	var out bytes.Buffer
	m := goldenModel(t)
	if n, err := ClassifyFiles(context.Background(), m, &out, a, a); err != nil || n != 2 {
		t.Fatalf("same headers: %d rows, %v", n, err)
	}
	out.Reset()
	if _, err := ClassifyFiles(context.Background(), m, &out, a, b); !errors.Is(err, ErrPresplit) {
		t.Fatalf("different headers: error %v, want ErrPresplit", err)
	}
}

func FuzzClassifyCSV(f *testing.F) {
	f.Add("id,text\na,hello world\n")
	f.Add("text,id,x\n\"a, b\",1,2\n")
	f.Add("id,text\n,\n")
	m := goldenModel(f)
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		n, err := ClassifyCSV(context.Background(), m, strings.NewReader(in), "fuzz.csv", &out)
		if err != nil {
			return
		}
		recs, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatalf("output is not CSV: %v", err)
		}
		if len(recs) != n+1 {
			t.Fatalf("%d rows reported, %d written", n, len(recs)-1)
		}
	})
}
