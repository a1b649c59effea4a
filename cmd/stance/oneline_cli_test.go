package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClassifyPlainLines is the one-sentence use, as with `fasttext
// predict model.bin -`: plain lines on standard input (or, with
// -presplit, in a file not named .csv) are sentences, ids are line
// numbers, blank lines are skipped and counted, and the output has the
// decisions and probabilities as CSV or JSON lines.
func TestClassifyPlainLines(t *testing.T) {
	dir := guardFixture(t)
	writeFile(t, filepath.Join(dir, "lines.txt"), "Italy calls for renewed dialogue with Moscow.\n\nWe must spend more on defence.\n")
	const sentence = "Italy calls for renewed dialogue with Moscow."
	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		jsonl   bool
		ids     []string // the id column of the output, in order
		stderr  []string
		wantErr string
		file    string // an output file that must hold JSON lines
	}{
		{name: "one sentence on stdin", stdin: sentence + "\n", args: []string{"-out", "-", "-"},
			ids: []string{"1"}, stderr: []string{"1 sentences"}},
		{name: "blank lines skipped and counted", stdin: sentence + "\n\n\nWe must spend more on defence.\n", args: []string{"-out", "-", "-"},
			ids: []string{"1", "4"}, stderr: []string{"-:2: blank line", "-:3: blank line", "2 skipped; 2 sentences"}},
		{name: "jsonl output", stdin: sentence + "\n", args: []string{"-out", "-", "-out-format", "jsonl", "-"},
			jsonl: true, ids: []string{"1"}},
		{name: "jsonl by the -out name", stdin: sentence + "\n", args: []string{"-out", "o.jsonl", "-"}, file: "o.jsonl"},
		{name: "presplit file of lines", args: []string{"-out", "-", "-presplit", "lines.txt"},
			ids: []string{"1", "3"}, stderr: []string{"lines.txt:2: blank line"}},
		{name: "a dated document on stdin is still an article", stdin: "date: 2020-01-02\n\nTalks with Moscow must resume. More money for defence.\n", args: []string{"-out", "-", "-"},
			ids: []string{"stdin:0", "stdin:1"}},
		{name: "only blank lines", stdin: "\n\n", args: []string{"-out", "-", "-"}, code: 1,
			wantErr: "no sentence to classify: 2 inputs skipped"},
		{name: "bad -out-format", stdin: sentence, args: []string{"-out", "-", "-out-format", "xml", "-"}, code: 2,
			wantErr: `-out-format "xml": want csv or jsonl`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"classify", "-model", "m.stance"}, tt.args...)
			code, out, errs := stanceIn(t, tt.stdin, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			checkContains(t, "stderr", errs, append(tt.stderr, tt.wantErr), nil)
			if tt.file != "" {
				b, err := os.ReadFile(tt.file)
				if err != nil || !json.Valid(bytes.TrimSpace(b)) || !bytes.Contains(b, []byte(`"p_russia_dialogue_favor":`)) {
					t.Errorf("%s is not one JSON object a line: %v\n%s", tt.file, err, b)
				}
			}
			if code != 0 || tt.ids == nil {
				return
			}
			var ids []string
			if tt.jsonl {
				for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
					var row map[string]any
					if err := json.Unmarshal([]byte(line), &row); err != nil {
						t.Fatalf("%v: %s", err, line)
					}
					if row["text"] != sentence || row["russia_dialogue"] == nil || row["p_russia_dialogue_favor"] == nil {
						t.Errorf("row lacks text, decision or probability: %s", line)
					}
					ids = append(ids, row["id"].(string))
				}
			} else {
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if h := strings.Join(rows[0], ","); !strings.HasPrefix(h, "id,doc_id,") || !strings.Contains(h, ",russia_dialogue,") || !strings.Contains(h, "p_russia_dialogue_favor") {
					t.Errorf("header %s", h)
				}
				for _, r := range rows[1:] {
					ids = append(ids, r[0])
				}
			}
			if strings.Join(ids, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("ids %q, want %q", ids, tt.ids)
			}
		})
	}
}
