package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"unicode/utf8"

	"github.com/stance-project/stance/internal/bom"
)

// ReadJSONL reads JSON Lines documents from in, as ReadDocuments does for
// a .jsonl file; name is used in File and in messages. Ids are checked
// for duplicates within this stream only.
func ReadJSONL(in io.Reader, name string) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		r := &reader{seen: map[string]struct{}{}, yield: yield}
		br := bufio.NewReaderSize(in, 256<<10)
		bom.Skip(br)
		r.jsonl(name, br)
	}
}

func (r *reader) jsonl(path string, br *bufio.Reader) bool {
	var buf []byte
	for line := 1; ; line++ {
		b, err := readLine(br, buf, MaxDocumentBytes)
		buf = b
		switch {
		case err == io.EOF:
			return true
		case errors.Is(err, errLineTooLong):
			if !r.skip(&SkipError{File: path, Line: line, Reason: ReasonTooLarge, Err: err}) {
				return false
			}
			continue
		case err != nil:
			// A read or decompression error: the rest of the file is lost.
			return r.skip(skipf(path, line, ReasonUnreadable, "%v (rest of file not read)", err))
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if !utf8.Valid(b) {
			if !r.skip(skipf(path, line, ReasonInvalidUTF8, "at column %d", invalidAt(b)+1)) {
				return false
			}
			continue
		}
		d, reason, err := parseJSONLine(b)
		if err != nil {
			if !r.skip(&SkipError{File: path, Line: line, Reason: reason, Err: err}) {
				return false
			}
			continue
		}
		d.File, d.Line = path, line
		if !r.emit(d) {
			return false
		}
	}
}

// invalidAt returns the byte offset of the first invalid UTF-8 sequence.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// parseJSONLine decodes one JSON object into a document, keeping the order
// of its metadata fields. On failure it returns the reason and the error.
func parseJSONLine(b []byte) (Document, string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	malformed := func(err error) (Document, string, error) {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return Document{}, ReasonMalformed, fmt.Errorf("column %d: %v", se.Offset, err)
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return Document{}, ReasonMalformed, fmt.Errorf("column %d: unexpected end of line", len(b))
		}
		return Document{}, ReasonMalformed, fmt.Errorf("column %d: %v", dec.InputOffset(), err)
	}
	tok, err := dec.Token()
	if err != nil {
		return malformed(err)
	}
	if tok != json.Delim('{') {
		return Document{}, ReasonMalformed, errors.New("not a JSON object")
	}
	var d Document
	var date string
	hasID, hasDate, hasText := false, false, false
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return malformed(err)
		}
		key, _ := kt.(string)
		vt, err := dec.Token()
		if err != nil {
			return malformed(err)
		}
		var val string
		switch v := vt.(type) {
		case json.Delim: // an object or array: not a scalar
			for depth := 1; depth > 0; {
				t, err := dec.Token()
				if err != nil {
					return malformed(err)
				}
				if dl, ok := t.(json.Delim); ok {
					if dl == '{' || dl == '[' {
						depth++
					} else {
						depth--
					}
				}
			}
			switch key {
			case "id", "date", "text", "source":
				return Document{}, ReasonMalformed, fmt.Errorf("field %q: want a string, got an %s", key, map[json.Delim]string{'{': "object", '[': "array"}[v])
			}
			continue // non-scalar metadata is ignored
		case string:
			val = v
		case json.Number:
			val = v.String()
		case bool:
			val = strconv.FormatBool(v)
		case nil:
			continue // null: as if absent
		}
		switch key {
		case "id":
			d.ID, hasID = val, val != ""
		case "date":
			date, hasDate = val, val != ""
		case "text":
			if _, ok := vt.(string); !ok {
				return Document{}, ReasonMalformed, fmt.Errorf("field \"text\": want a string")
			}
			d.Text, hasText = val, true
		case "source":
			d.Source = val
		default:
			d.Meta = setMeta(d.Meta, key, val)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return malformed(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Document{}, ReasonMalformed, fmt.Errorf("column %d: data after the JSON object", dec.InputOffset())
	}
	switch {
	case !hasID:
		return Document{}, ReasonNoID, errors.New(`no "id" field`)
	case !hasDate:
		return Document{}, ReasonNoDate, fmt.Errorf(`document %q: no "date" field`, d.ID)
	case !hasText:
		return Document{}, ReasonNoText, fmt.Errorf(`document %q: no "text" field`, d.ID)
	case len(d.Text) > MaxDocumentBytes:
		return Document{}, ReasonTooLarge, fmt.Errorf("document %q: text over %d bytes", d.ID, MaxDocumentBytes)
	}
	nd, err := NormalizeDate(date)
	if err != nil {
		return Document{}, ReasonBadDate, fmt.Errorf("document %q: %w", d.ID, err)
	}
	d.Date = nd
	return d, "", nil
}

// setMeta sets key to val in meta, replacing an earlier value of the same
// key and otherwise appending.
func setMeta(meta []Meta, key, val string) []Meta {
	for i := range meta {
		if meta[i].Key == key {
			meta[i].Value = val
			return meta
		}
	}
	return append(meta, Meta{Key: key, Value: val})
}

// addMeta appends key unless it is already there (earlier sources win).
func addMeta(meta []Meta, key, val string) []Meta {
	for i := range meta {
		if meta[i].Key == key {
			return meta
		}
	}
	return append(meta, Meta{Key: key, Value: val})
}
