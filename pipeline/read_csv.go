package pipeline

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance/internal/bom"
)

// ReadCSV reads CSV documents from in, as ReadDocuments does for a .csv
// file: a header naming at least id, date and text (any order, any case;
// source optional; other columns become metadata in header order), then
// one document per row. name is used in File and in messages; Line is the
// line where the row starts.
func ReadCSV(in io.Reader, name string) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		r := &reader{seen: map[string]struct{}{}, yield: yield}
		r.csv(name, bom.NewReader(in))
	}
}

// csvColumns maps the header of a document CSV.
type csvColumns struct {
	id, date, text, source int
	names                  []string
}

func parseCSVHeader(header []string) (csvColumns, error) {
	c := csvColumns{id: -1, date: -1, text: -1, source: -1, names: make([]string, len(header))}
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			return c, fmt.Errorf("column %d has no name", i+1)
		}
		if seen[h] {
			return c, fmt.Errorf("column %q appears twice", h)
		}
		seen[h] = true
		c.names[i] = h
		switch h {
		case "id":
			c.id = i
		case "date":
			c.date = i
		case "text":
			c.text = i
		case "source":
			c.source = i
		}
	}
	var missing []string
	for _, m := range []struct {
		name string
		i    int
	}{{"id", c.id}, {"date", c.date}, {"text", c.text}} {
		if m.i < 0 {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("header lacks %s (need id, date, text)", strings.Join(missing, ", "))
	}
	return c, nil
}

func (r *reader) csv(path string, in io.Reader) bool {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return r.skip(skipf(path, 1, ReasonMalformed, "empty file, no header"))
	}
	if err != nil {
		return r.skip(csvSkip(path, err))
	}
	cols, err := parseCSVHeader(header)
	if err != nil {
		return r.skip(&SkipError{File: path, Line: 1, Reason: ReasonMalformed, Err: err})
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return true
		}
		if err != nil {
			e := csvSkip(path, err)
			if !r.skip(e) {
				return false
			}
			if e.Reason == ReasonUnreadable {
				return true
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols.names) {
			if !r.skip(skipf(path, line, ReasonMalformed, "%d fields, the header has %d", len(rec), len(cols.names))) {
				return false
			}
			continue
		}
		if i := invalidField(rec); i >= 0 {
			l, c := cr.FieldPos(i)
			if !r.skip(skipf(path, l, ReasonInvalidUTF8, "column %d (%s), field starting at column %d", i+1, cols.names[i], c)) {
				return false
			}
			continue
		}
		d := Document{ID: strings.TrimSpace(rec[cols.id]), Text: rec[cols.text], File: path, Line: line}
		if cols.source >= 0 {
			d.Source = strings.TrimSpace(rec[cols.source])
		}
		for i, name := range cols.names {
			if i != cols.id && i != cols.date && i != cols.text && i != cols.source {
				d.Meta = append(d.Meta, Meta{Key: name, Value: rec[i]})
			}
		}
		var skip *SkipError
		switch date := strings.TrimSpace(rec[cols.date]); {
		case d.ID == "":
			skip = skipf(path, line, ReasonNoID, "empty id")
		case date == "":
			skip = skipf(path, line, ReasonNoDate, "document %q: empty date", d.ID)
		case len(d.Text) > MaxDocumentBytes:
			skip = skipf(path, line, ReasonTooLarge, "document %q: text over %d bytes", d.ID, MaxDocumentBytes)
		default:
			nd, err := NormalizeDate(date)
			if err != nil {
				skip = &SkipError{File: path, Line: line, Reason: ReasonBadDate, Err: fmt.Errorf("document %q: %w", d.ID, err)}
			}
			d.Date = nd
		}
		if skip != nil {
			if !r.skip(skip) {
				return false
			}
			continue
		}
		if !r.emit(d) {
			return false
		}
	}
}

// csvSkip turns a csv.Reader error into a skip: parse errors are
// malformed rows (reading goes on) at the line and column where
// encoding/csv found the problem, which in a quoted field spanning lines
// is after the line where the row starts; others make the rest unreadable.
func csvSkip(path string, err error) *SkipError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SkipError{File: path, Line: pe.Line, Column: pe.Column, Reason: ReasonMalformed, Err: pe.Err}
	}
	return skipf(path, 0, ReasonUnreadable, "%v (rest of file not read)", err)
}

// invalidField returns the index of the first field that is not valid
// UTF-8, or -1.
func invalidField(rec []string) int {
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return i
		}
	}
	return -1
}
