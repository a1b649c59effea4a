package batch

import (
	"errors"
	"strings"
	"testing"
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
				var pe *ParseError
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
