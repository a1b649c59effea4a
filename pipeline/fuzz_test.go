package pipeline

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkReaderResults holds for every reader: documents are valid (id,
// normalised date, UTF-8 text), errors are *SkipError with a reason and
// a line, and ids are unique.
func checkReaderResults(t *testing.T, docs []Document, errs []error) {
	t.Helper()
	seen := map[string]bool{}
	for _, d := range docs {
		if d.ID == "" || seen[d.ID] {
			t.Errorf("empty or repeated id %q", d.ID)
		}
		seen[d.ID] = true
		if nd, err := NormalizeDate(d.Date); err != nil || nd != d.Date {
			t.Errorf("document %q: date %q not normalised (%v)", d.ID, d.Date, err)
		}
		if !utf8.ValidString(d.Text) {
			t.Errorf("document %q: invalid UTF-8 text", d.ID)
		}
		if d.Line < 1 {
			t.Errorf("document %q: line %d", d.ID, d.Line)
		}
		Sentences(d) // must not panic
	}
	for _, err := range errs {
		var se *SkipError
		if !errors.As(err, &se) || se.Reason == "" || se.File == "" {
			t.Errorf("bad skip %#v", err)
		}
	}
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","date":"2019-09-24","text":"One. Two.","country":"ITA","session":74}` + "\n"))
	f.Add([]byte(`{"id":1,"date":2001,"text":"x","tags":[1,{"a":[]}],"n":null}`))
	f.Add([]byte("{\"id\":\"a\",\"date\":\"2019\",\"text\":\"\xff\"}\n\n{\"id\":\"a\"}\n{"))
	f.Add([]byte(`{"id":"a","date":"31 April 2020","text":"t"} {"x":1}`))
	f.Add([]byte(`[1,2,3]` + "\n" + `"just a string"` + "\n" + `{"text":{"a":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var docs []Document
		var errs []error
		for d, err := range ReadJSONL(bytes.NewReader(data), "fuzz.jsonl") {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			docs = append(docs, d)
		}
		checkReaderResults(t, docs, errs)
		// Every non-blank line is accounted for.
		lines := 0
		for _, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) != "" {
				lines++
			}
		}
		if len(docs)+len(errs) != lines {
			t.Errorf("%d documents + %d skips for %d non-blank lines", len(docs), len(errs), lines)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("id,date,text,source,country\nc1,2020-01-02,\"A. B.\",Wire,ITA\n"))
	f.Add([]byte("ID,Date,Text\nc2,10 July 2018,\"multi\nline\"\nc3,2020\n"))
	f.Add([]byte("id,date,text\nc5,2020,a \"bare\" quote\nc6,2020-02-30,x\n,2020,y\n"))
	f.Add([]byte("\ufeffid,date,text,id\n"))
	f.Add([]byte("id,date,text\n\"unterminated,2020,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var docs []Document
		var errs []error
		for d, err := range ReadCSV(bytes.NewReader(data), "fuzz.csv") {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			docs = append(docs, d)
		}
		checkReaderResults(t, docs, errs)
	})
}

func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{
		"Mr. Smith went to Washington. He stayed.",
		"\"Now.\" He said... and left!? 1.7% of $29.2 billion. U.S. The end",
		"• a\n- b\n1. c\n\n92.\tPara.",
		"forty-\neighth … . . . ?!",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SplitSentences(s)
		// No sentence is empty or has outer space, and no letter is lost or
		// invented (markers and spaces may go).
		letters := func(s string) int {
			n := 0
			for _, r := range s {
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
					n++
				}
			}
			return n
		}
		total := 0
		for _, g := range got {
			if g == "" || strings.TrimSpace(g) != g {
				t.Errorf("bad sentence %q", g)
			}
			total += letters(g)
		}
		if total != letters(s) {
			t.Errorf("letters: %d in, %d out: %q -> %q", letters(s), total, s, got)
		}
		Clean(s) // must not panic
	})
}

func FuzzNormalizeDate(f *testing.F) {
	for _, s := range []string{"2018-07-10", "10 July 2018", "Oct. 2016", "2018/07/10", "31/12/2019", "2019-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := NormalizeDate(s)
		if err != nil {
			return
		}
		// The result is a fixed point.
		if d2, err := NormalizeDate(d); err != nil || d2 != d {
			t.Errorf("NormalizeDate(%q) = %q, which normalises to %q, %v", s, d, d2, err)
		}
	})
}
