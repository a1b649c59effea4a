package pipeline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance/internal/bom"
)

// SourceUNGeneralDebate is the source given to a .txt file named like the
// UN General Debate corpus (ISO_session_year.txt) when nothing else names
// its source.
const SourceUNGeneralDebate = "UN General Debate"

// ReadText reads one plain-text document from in, as ReadDocuments does
// for a .txt file, except that no sidecar index.csv is consulted: the id
// comes from name (its base name without extensions), date and source from
// a header block at the top or from name. See ReadDocuments.
func ReadText(in io.Reader, name string) (Document, error) {
	var doc Document
	var skip error
	r := &reader{seen: map[string]struct{}{}, yield: func(d Document, err error) bool {
		doc, skip = d, err
		return false
	}}
	r.txtFrom(name, bom.NewReader(in), nil)
	return doc, skip
}

// txt reads one .txt document. Where its fields come from, in order of
// precedence:
//
//  1. the row of a sidecar index.csv in the same folder whose "file"
//     column is the file's name (or its name without extension): columns
//     id, date and source, every other column (title, notes, ...)
//     metadata;
//  2. a header block: "key: value" lines at the very top, ended by a blank
//     line, with at least a date or source key; the block is removed from
//     the text and its other keys become metadata;
//  3. the file name: ISO_<session>_<year> (the UN General Debate corpus)
//     gives date=year and metadata country, session and year, and source
//     "UN General Debate"; otherwise a YYYY-MM-DD anywhere in the name
//     gives the date.
//
// The id is the file name without its extensions unless the sidecar or
// header gives one. Each field comes from the first place that has it;
// metadata keys from an earlier place win. A document with no date from
// any of them is skipped (ReasonNoDate). Source stays empty when nothing
// gives one. An empty file (no bytes, or only a UTF-8 BOM) is skipped
// (ReasonNoText, "empty file") whatever the sidecar or its name says.
func (r *reader) txt(path string, in io.Reader) bool {
	var sc *sidecar
	if path != "-" {
		var ok bool
		if sc, ok = r.sidecarFor(filepath.Dir(path)); !ok {
			return false
		}
	}
	return r.txtFrom(path, in, sc)
}

func (r *reader) txtFrom(path string, in io.Reader, sc *sidecar) bool {
	data, err := io.ReadAll(io.LimitReader(in, MaxDocumentBytes+1))
	if err != nil {
		return r.skip(&SkipError{File: path, Reason: ReasonUnreadable, Err: unwrapPath(err)})
	}
	if len(data) > MaxDocumentBytes {
		return r.skip(skipf(path, 0, ReasonTooLarge, "over %d bytes", MaxDocumentBytes))
	}
	if !utf8.Valid(data) {
		at := invalidAt(data)
		line := 1 + bytes.Count(data[:at], []byte("\n"))
		col := at - bytes.LastIndexByte(data[:at], '\n')
		return r.skip(skipf(path, line, ReasonInvalidUTF8, "at column %d", col))
	}
	text := string(data) // a BOM was dropped by bom.Skip in file or ReadText
	if text == "" {
		return r.skip(skipf(path, 0, ReasonNoText, "empty file"))
	}
	base := filepath.Base(path)
	d := Document{ID: stem(base), File: path, Line: 1}
	if path == "-" {
		d.ID = "stdin"
	}

	var date string
	dateFrom, dateLine := path, 1 // where the date came from, for messages

	// 1. Sidecar.
	if sc != nil {
		row, ok := sc.rows[base]
		if !ok {
			row, ok = sc.rows[d.ID]
		}
		if ok {
			if row.id != "" {
				d.ID = row.id
			}
			if row.date != "" {
				date, dateFrom, dateLine = row.date, sc.path, row.line
			}
			d.Source = row.source
			for _, m := range row.meta {
				d.Meta = addMeta(d.Meta, m.Key, m.Value)
			}
		}
	}
	// 2. Header block.
	if fields, body, n, ok := parseHeaderBlock(text); ok {
		text = body
		d.Line = n + 2 // the text starts after the block and its blank line
		for i, f := range fields {
			switch f.Key {
			case "date":
				if date == "" {
					date, dateFrom, dateLine = f.Value, path, i+1
				}
			case "source":
				if d.Source == "" {
					d.Source = f.Value
				}
			case "id":
				if sc == nil || d.ID == stem(base) {
					d.ID = f.Value
				}
			default:
				d.Meta = addMeta(d.Meta, f.Key, f.Value)
			}
		}
	}
	// 3. File name.
	fnDate, fnMeta, un := parseFileName(stem(base))
	if date == "" && fnDate != "" {
		date, dateFrom, dateLine = fnDate, path, 0
	}
	for _, m := range fnMeta {
		d.Meta = addMeta(d.Meta, m.Key, m.Value)
	}
	if d.Source == "" && un {
		d.Source = SourceUNGeneralDebate
	}
	d.Text = text
	if date == "" {
		return r.skip(skipf(path, 0, ReasonNoDate, "document %q: none in an index.csv, a header block or the file name", d.ID))
	}
	nd, err := NormalizeDate(date)
	if err != nil {
		return r.skip(&SkipError{File: dateFrom, Line: dateLine, Reason: ReasonBadDate, Err: fmt.Errorf("document %q: %w", d.ID, err)})
	}
	d.Date = nd
	if d.ID == "" {
		return r.skip(skipf(path, 0, ReasonNoID, "empty id"))
	}
	return r.emit(d)
}

// stem returns a file name without its extensions (.txt, .txt.gz).
func stem(name string) string {
	name = strings.TrimSuffix(name, ".gz")
	return strings.TrimSuffix(name, filepath.Ext(name))
}

var headerKey = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9 _-]{0,30}):\s*(\S.*)$`)

// parseHeaderBlock recognises "key: value" lines at the top of text ended
// by a blank line (or the end of text), with at least a "date" or
// "source" key. Keys are lower-cased with spaces and hyphens made "_".
// It returns the fields in order, the text after the block and the
// number of header lines.
func parseHeaderBlock(text string) (fields []Meta, body string, n int, ok bool) {
	rest := text
	hasKey := false
	for {
		var line string
		i := strings.IndexByte(rest, '\n')
		if i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			line, rest = rest, ""
		}
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			if n == 0 {
				return nil, text, 0, false
			}
			break
		}
		m := headerKey.FindStringSubmatch(line)
		if m == nil || n >= 30 {
			return nil, text, 0, false
		}
		key := strings.ToLower(strings.TrimSpace(m[1]))
		key = strings.NewReplacer(" ", "_", "-", "_").Replace(key)
		if key == "date" || key == "source" {
			hasKey = true
		}
		fields = append(fields, Meta{Key: key, Value: strings.TrimSpace(m[2])})
		n++
		if i < 0 {
			break
		}
	}
	if !hasKey {
		return nil, text, 0, false
	}
	return fields, rest, n, true
}

var (
	unName    = regexp.MustCompile(`^([A-Z]{2,3})_([0-9]{1,3})_([0-9]{4})$`)
	isoInName = regexp.MustCompile(`(?:^|[^0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[^0-9]|$)`)
)

// parseFileName reads a date and metadata from a file name without
// extension: "ITA_79_2024" (UN General Debate: country, session, year;
// un is true) or any name containing YYYY-MM-DD. The date is not yet
// validated.
func parseFileName(name string) (date string, meta []Meta, un bool) {
	if m := unName.FindStringSubmatch(name); m != nil {
		session := strings.TrimLeft(m[2], "0")
		if session == "" {
			session = "0"
		}
		return m[3], []Meta{{"country", m[1]}, {"session", session}, {"year", m[3]}}, true
	}
	if m := isoInName.FindStringSubmatch(name); m != nil {
		return m[1], nil, false
	}
	return "", nil, false
}

// sidecar is a folder's index.csv: rows by file name.
type sidecar struct {
	path string
	rows map[string]sidecarRow
}

type sidecarRow struct {
	line             int
	id, date, source string
	meta             []Meta
}

// sidecarFor returns the sidecar of dir (nil if there is none), loading
// it once. A malformed sidecar is reported once (ReasonBadSidecar) and
// then ignored; ok is false if the consumer stopped the iteration.
func (r *reader) sidecarFor(dir string) (sc *sidecar, ok bool) {
	if sc, seen := r.sidecars[dir]; seen {
		return sc, true
	}
	if r.sidecars == nil {
		r.sidecars = map[string]*sidecar{}
	}
	path := filepath.Join(dir, "index.csv")
	sc, err := loadSidecar(path)
	r.sidecars[dir] = sc
	if err != nil {
		var se *SkipError
		if !errors.As(err, &se) {
			se = &SkipError{File: path, Reason: ReasonBadSidecar, Err: err}
		}
		return sc, r.skip(se)
	}
	return sc, true
}

// loadSidecar reads an index.csv: a header with a "file" column and
// optionally id, date, source; other columns are metadata. A missing file
// gives (nil, nil).
func loadSidecar(path string) (*sidecar, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &SkipError{File: path, Reason: ReasonBadSidecar, Err: unwrapPath(err)}
	}
	defer f.Close()
	cr := csv.NewReader(bom.NewReader(f))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, sidecarErr(path, err)
	}
	col := map[string]int{}
	names := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		names[i] = h
		if _, dup := col[h]; dup || h == "" {
			return nil, &SkipError{File: path, Line: 1, Reason: ReasonBadSidecar, Err: fmt.Errorf("column %d: empty or repeated name %q", i+1, h)}
		}
		col[h] = i
	}
	fileCol, ok := col["file"]
	if !ok {
		return nil, &SkipError{File: path, Line: 1, Reason: ReasonBadSidecar, Err: errors.New(`header has no "file" column`)}
	}
	sc := &sidecar{path: path, rows: map[string]sidecarRow{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return sc, nil
		}
		if err != nil {
			return nil, sidecarErr(path, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(names) {
			return nil, &SkipError{File: path, Line: line, Reason: ReasonBadSidecar, Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(names))}
		}
		if i := invalidField(rec); i >= 0 {
			return nil, &SkipError{File: path, Line: line, Reason: ReasonBadSidecar, Err: fmt.Errorf("column %d: invalid UTF-8", i+1)}
		}
		row := sidecarRow{line: line}
		for i, name := range names {
			v := strings.TrimSpace(rec[i])
			switch name {
			case "file":
			case "id":
				row.id = v
			case "date":
				row.date = v
			case "source":
				row.source = v
			default:
				row.meta = append(row.meta, Meta{Key: name, Value: v})
			}
		}
		sc.rows[strings.TrimSpace(rec[fileCol])] = row
	}
}

func sidecarErr(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SkipError{File: path, Line: pe.Line, Column: pe.Column, Reason: ReasonBadSidecar, Err: pe.Err}
	}
	return &SkipError{File: path, Reason: ReasonBadSidecar, Err: err}
}

// HasDatedHeader reports whether text starts with a header block (see
// ReadDocuments' txt format) that gives a date: the mark of a txt
// document, as opposed to plain sentences, one a line.
func HasDatedHeader(text string) bool {
	fields, _, _, ok := parseHeaderBlock(text)
	return ok && slices.ContainsFunc(fields, func(m Meta) bool { return m.Key == "date" })
}
