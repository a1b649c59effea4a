package pipeline

import (
	"bytes"
	"compress/gzip"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const utf8BOM = "\ufeff"

// TestReadBOM: a UTF-8 BOM at the start of any input format is dropped
// before the format's reader sees it, gzip'd or not, through
// ReadDocuments (by extension, by content, forced) and the stream
// readers. Before, a .jsonl file lost its first record ("invalid
// character 'ï'") and a CSV whose first header field is quoted lost all.
func TestReadBOM(t *testing.T) {
	jsonl := `{"id":"a","date":"2020-01-01","text":"First one."}` + "\n" + `{"id":"b","date":"2020-01-02","text":"Second one."}` + "\n"
	csvQuoted := "\"id\",\"date\",\"text\"\n\"a\",\"2020-01-01\",\"First one.\"\n\"b\",\"2020-01-02\",\"Second one.\"\n"
	csvPlain := "id,date,text\na,2020-01-01,First one.\nb,2020-01-02,Second one.\n"
	txt := "date: 2020-01-01\n\nFirst one.\n"
	tests := []struct {
		name, file, content string
		gz                  bool
		format              string
		want                string // ids, comma-separated
	}{
		{"jsonl", "d.jsonl", jsonl, false, "", "a,b"},
		{"ndjson", "d.ndjson", jsonl, false, "", "a,b"},
		{"jsonl gzip", "d.jsonl.gz", jsonl, true, "", "a,b"},
		{"jsonl by content", "d.data", jsonl, false, "", "a,b"},
		{"jsonl forced", "d.data", jsonl, false, FormatJSONL, "a,b"},
		{"csv quoted header", "d.csv", csvQuoted, false, "", "a,b"},
		{"csv plain header", "d.csv", csvPlain, false, "", "a,b"},
		{"csv gzip", "d.csv.gz", csvQuoted, true, "", "a,b"},
		{"csv by content", "d.data", csvQuoted, false, "", "a,b"},
		{"txt", "t.txt", txt, false, "", "t"},
		{"txt gzip", "t.txt.gz", txt, true, "", "t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(utf8BOM + tt.content)
			if tt.gz {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zw.Write(data)
				zw.Close()
				data = b.Bytes()
			}
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, texts := readIDs(t, ReadDocuments([]string{path}, ReadOptions{Format: tt.format}))
			if got != tt.want {
				t.Errorf("ids %q, want %q", got, tt.want)
			}
			if strings.Contains(texts, utf8BOM) {
				t.Errorf("a BOM is left in the text: %q", texts)
			}
		})
	}

	// The stream readers.
	streams := []struct {
		name string
		seq  iter.Seq2[Document, error]
		want string
	}{
		{"ReadJSONL", ReadJSONL(strings.NewReader(utf8BOM+jsonl), "x.jsonl"), "a,b"},
		{"ReadCSV", ReadCSV(strings.NewReader(utf8BOM+csvQuoted), "x.csv"), "a,b"},
	}
	for _, s := range streams {
		t.Run(s.name, func(t *testing.T) {
			if got, _ := readIDs(t, s.seq); got != s.want {
				t.Errorf("ids %q, want %q", got, s.want)
			}
		})
	}
	t.Run("ReadText", func(t *testing.T) {
		d, err := ReadText(strings.NewReader(utf8BOM+txt), "t.txt")
		if err != nil || d.Date != "2020-01-01" || strings.Contains(d.Text, utf8BOM) {
			t.Errorf("got %+v, %v", d, err)
		}
	})
	// A sidecar index.csv saved with a BOM and a quoted header.
	t.Run("sidecar", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "index.csv"), []byte(utf8BOM+"\"file\",\"date\",\"source\"\nx.txt,2021-03-04,Gazette\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "x.txt"), []byte("Some prose here.\n"), 0o644)
		for d, err := range ReadDocuments([]string{dir}, ReadOptions{}) {
			if err != nil {
				t.Fatal(err)
			}
			if d.Date != "2021-03-04" || d.Source != "Gazette" {
				t.Errorf("sidecar not used: %+v", d)
			}
		}
	})
}

// readIDs returns the ids of the documents read, comma-separated, and
// their texts joined; any skip fails the test.
func readIDs(t *testing.T, seq iter.Seq2[Document, error]) (ids, texts string) {
	t.Helper()
	var is, ts []string
	for d, err := range seq {
		if err != nil {
			t.Errorf("skip: %v", err)
			continue
		}
		is = append(is, d.ID)
		ts = append(ts, d.Text)
	}
	return strings.Join(is, ","), strings.Join(ts, "|")
}
