package batch

import (
	"bufio"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
)

// FuzzReadSentences checks that any input either yields sentences with an
// id and a text or errors that carry the file name, and never panics.
func FuzzReadSentences(f *testing.F) {
	f.Add("id,doc_id,date,source,index,text\nd:0,d,2020-01-02,x,0,Hello.\n")
	f.Add("\uFEFFtext,id\r\n\"a\r\nb\",1\r\n")
	f.Add("id,text\n\"unterminated,1\n")
	f.Add("id,date,text\n1,31 April 2020,x\n2,,y\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		for s, err := range ReadSentences(strings.NewReader(in), "fuzz.csv") {
			if err != nil {
				var pe *labels.ParseError
				if !errors.As(err, &pe) || pe.File != "fuzz.csv" {
					t.Fatalf("error without position: %v", err)
				}
				continue
			}
			if strings.TrimSpace(s.ID) == "" || strings.TrimSpace(s.Text) == "" || s.DocID == "" {
				t.Fatalf("sentence without id, doc or text: %+v", s)
			}
		}
	})
}

// FuzzReadLines checks that every line of any input is accounted for:
// a sentence whose id is its line number, or a skip naming the file and
// the line; and that sniffInput never panics on it.
func FuzzReadLines(f *testing.F) {
	f.Add("Italy calls for dialogue.\n\nTwo.\r\n")
	f.Add("\uFEFF  \n\xff\n")
	f.Add("id,text\n1,x\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		sniffInput(bufio.NewReader(strings.NewReader(in)))
		last := 0
		for s, err := range ReadLines(strings.NewReader(in), "-") {
			line := 0
			if err != nil {
				var se *pipeline.SkipError
				if !errors.As(err, &se) || se.File != "-" || se.Line <= last {
					t.Fatalf("skip without file or a later line: %v", err)
				}
				line = se.Line
			} else {
				n, convErr := strconv.Atoi(s.ID)
				if convErr != nil || n <= last || s.DocID != s.ID || strings.TrimSpace(s.Text) == "" || s.Text != strings.TrimSpace(s.Text) {
					t.Fatalf("bad sentence after line %d: %+v", last, s)
				}
				line = n
			}
			if line != last+1 {
				t.Fatalf("line %d follows line %d: a line unaccounted for", line, last)
			}
			last = line
		}
		lines := strings.Count(in, "\n")
		if in != "" && !strings.HasSuffix(in, "\n") {
			lines++
		}
		if last != lines {
			t.Fatalf("%d lines accounted for, input has %d", last, lines)
		}
	})
}
