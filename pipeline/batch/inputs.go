package batch

// This file holds the general input readers: they turn the files given on
// a command line into the stream of Units that Run classifies.
//
// Inputs is the entry point for `stance classify` and `stance suggest`:
// given paths, it reads every sentence CSV (as `stance ingest` writes them,
// or a gold label file) with ReadSentences, groups consecutive sentences of
// a document into presplit Units with SentenceUnits, and reads all other
// paths (files of any ingest format, folders) as whole documents with
// pipeline.ReadDocuments, for Options.Split to split. Problems come as
// *labels.ParseError (a bad row, reading goes on; Fatal tells when it does not)
// or *pipeline.SkipError, so a caller's Options.Skip can count and report
// them.

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stance-project/stance/internal/bom"
	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
)

// Fatal reports whether err ends a ReadSentences stream (a bad header, an
// I/O error) rather than spoiling one row, after which reading goes on.
func Fatal(err error) bool {
	var pe *labels.ParseError
	if !errors.As(err, &pe) {
		return true
	}
	return pe.Line <= 1 || !(errors.Is(err, labels.ErrFieldCount) || errors.Is(err, labels.ErrEmptyID) ||
		errors.Is(err, labels.ErrEmptyText) || errors.Is(err, labels.ErrBadDate) || errors.Is(err, labels.ErrBadIndex) || errors.Is(err, labels.ErrBadIsTitle) ||
		errors.Is(err, labels.ErrSyntax))
}

// ReadSentences streams the rows of a sentence CSV: a header naming at
// least the columns id and text, optionally doc_id, date, source, index
// and is_title (as `stance ingest` and gold label files have them; is_title
// true or false, empty for false, sets Sentence.Title); any other column
// is kept in Sentence.Meta. A UTF-8 BOM, CRLF line ends and quoted newlines
// are accepted. name is used in errors.
//
// Dates are normalised with pipeline.NormalizeDate (empty means unknown).
// A row without doc_id is a document of its own (DocID = its id).
//
// A row with a problem (wrong field count, empty id or text, bad date or
// index, malformed quoting) yields a *labels.ParseError with its line and column
// and reading goes on; a missing column or an I/O error yields an error
// after which the sequence ends. Use Fatal to tell them apart.
func ReadSentences(r io.Reader, name string) iter.Seq2[pipeline.Sentence, error] {
	return func(yield func(pipeline.Sentence, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		bom.Skip(br)
		cr := csv.NewReader(br)
		cr.FieldsPerRecord = -1
		header, err := cr.Read()
		if err != nil {
			if err == io.EOF {
				yield(pipeline.Sentence{}, &labels.ParseError{File: name, Line: 1, Err: labels.ErrMissingColumn, Detail: "empty file, want a header with id and text"})
				return
			}
			yield(pipeline.Sentence{}, labels.CSVError(name, err))
			return
		}
		col := map[string]int{}
		for i, h := range header {
			h = strings.TrimSpace(h)
			if _, dup := col[h]; !dup {
				col[h] = i
			}
		}
		var missing []string
		for _, c := range []string{"id", "text"} {
			if _, ok := col[c]; !ok {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			yield(pipeline.Sentence{}, &labels.ParseError{File: name, Line: 1, Err: labels.ErrMissingColumn,
				Detail: fmt.Sprintf("%s (header has %s)", strings.Join(missing, ", "), strings.Join(header, ","))})
			return
		}
		known := map[string]bool{"id": true, "doc_id": true, "date": true, "source": true, "index": true, "is_title": true, "text": true}
		var metaCols []int
		for i, h := range header {
			if h = strings.TrimSpace(h); !known[h] && h != "" {
				metaCols = append(metaCols, i)
			}
		}
		get := func(rec []string, c string) (string, int) {
			i, ok := col[c]
			if !ok {
				return "", -1
			}
			return rec[i], i
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				pe := labels.CSVError(name, err)
				if !yield(pipeline.Sentence{}, pe) || Fatal(pe) {
					return
				}
				continue
			}
			line, _ := cr.FieldPos(0)
			problem := func(c int, e error, format string, args ...any) bool {
				col := 0
				if c >= 0 {
					line, col = cr.FieldPos(c)
				}
				return yield(pipeline.Sentence{}, &labels.ParseError{File: name, Line: line, Column: col, Err: e, Detail: fmt.Sprintf(format, args...)})
			}
			if len(rec) != len(header) {
				if !problem(-1, labels.ErrFieldCount, "%d, the header has %d", len(rec), len(header)) {
					return
				}
				continue
			}
			s := pipeline.Sentence{}
			var c int
			s.ID, c = get(rec, "id")
			s.ID = strings.TrimSpace(s.ID)
			if s.ID == "" {
				if !problem(c, labels.ErrEmptyID, "") {
					return
				}
				continue
			}
			s.Text, c = get(rec, "text")
			if strings.TrimSpace(s.Text) == "" {
				if !problem(c, labels.ErrEmptyText, "id %q", s.ID) {
					return
				}
				continue
			}
			s.DocID, _ = get(rec, "doc_id")
			if s.DocID = strings.TrimSpace(s.DocID); s.DocID == "" {
				s.DocID = s.ID
			}
			s.Source, _ = get(rec, "source")
			if d, c := get(rec, "date"); strings.TrimSpace(d) != "" {
				nd, err := pipeline.NormalizeDate(d)
				if err != nil {
					if !problem(c, labels.ErrBadDate, "%v", err) {
						return
					}
					continue
				}
				s.Date = nd
			}
			if v, c := get(rec, "index"); strings.TrimSpace(v) != "" {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || n < 0 {
					if !problem(c, labels.ErrBadIndex, "%q is not a non-negative integer", v) {
						return
					}
					continue
				}
				s.Index = n
			}
			if v, c := get(rec, "is_title"); strings.TrimSpace(v) != "" {
				b, err := strconv.ParseBool(strings.TrimSpace(v))
				if err != nil {
					if !problem(c, labels.ErrBadIsTitle, "%q is not true or false", v) {
						return
					}
					continue
				}
				s.Title = b
			}
			for _, i := range metaCols {
				s.Meta = append(s.Meta, pipeline.Meta{Key: strings.TrimSpace(header[i]), Value: rec[i]})
			}
			if !yield(s, nil) {
				return
			}
		}
	}
}

// maxUnitSentences bounds how many consecutive sentences of one document
// SentenceUnits puts in one unit, so a huge document cannot make a huge
// unit.
const maxUnitSentences = 256

// SentenceUnits groups a stream of already split sentences into batch
// units: consecutive sentences of the same document (at most 256) form
// one unit. Errors of in are passed through unchanged, in order, after
// the sentences read before them.
func SentenceUnits(in iter.Seq2[pipeline.Sentence, error]) iter.Seq2[Unit, error] {
	return func(yield func(Unit, error) bool) {
		var cur []pipeline.Sentence
		flush := func() bool {
			if len(cur) == 0 {
				return true
			}
			u := Unit{Sentences: cur}
			cur = nil
			return yield(u, nil)
		}
		for s, err := range in {
			if err != nil {
				if !flush() || !yield(Unit{}, err) {
					return
				}
				continue
			}
			if len(cur) > 0 && (cur[0].DocID != s.DocID || len(cur) == maxUnitSentences) {
				if !flush() {
					return
				}
			}
			cur = append(cur, s)
		}
		flush()
	}
}

// IsSentenceCSV reports whether the file at path is a sentence CSV (as
// `stance ingest` writes them, or a gold label file) rather than a CSV of
// whole documents: its name ends in .csv and its header has id, text and
// doc_id or index. Anything unreadable is not.
func IsSentenceCSV(path string) bool {
	if !strings.EqualFold(filepath.Ext(path), ".csv") {
		return false
	}
	has := csvHeader(path)
	return has["id"] && has["text"] && (has["doc_id"] || has["index"])
}

// csvHeader returns the column names of the CSV file at path, as
// ReadSentences reads them (BOM and surrounding spaces removed, case
// kept), or nil if the file or its header cannot be read.
func csvHeader(path string) map[string]bool {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	cr := csv.NewReader(bom.NewReader(f))
	header, err := cr.Read()
	if err != nil {
		return nil
	}
	has := map[string]bool{}
	for _, h := range header {
		has[strings.TrimSpace(h)] = true
	}
	return has
}

// presplitHint adds a hint to use -presplit to err when it is the skip of
// a CSV read as documents whose header lacks date but has id and text:
// most likely a sentence CSV without doc_id and index, which IsSentenceCSV
// does not recognise. Any other error is returned as it is.
func presplitHint(err error) error {
	if err == nil { // every document: no allocation for the errors.As target
		return nil
	}
	var se *pipeline.SkipError
	if !errors.As(err, &se) || se.Reason != pipeline.ReasonMalformed || se.Line != 1 || se.File == "-" {
		return err
	}
	has := csvHeader(se.File)
	if !has["id"] || !has["text"] || has["date"] {
		return err
	}
	return &pipeline.SkipError{File: se.File, Line: se.Line, Reason: se.Reason,
		Err: fmt.Errorf("%w; if its rows are sentences, use -presplit", se.Err)}
}

// Inputs streams the units of paths for Run.
// Sentence CSVs (every path when presplit is true, otherwise those
// IsSentenceCSV recognises) are read with ReadSentences and grouped with
// SentenceUnits; with presplit, a path not named .csv whose first line is
// no header with id and text is plain text, one sentence a line
// (ReadLines). "-" is stdin: without presplit or ro.Format, what it
// holds is told from its first bytes, a JSON object, a document CSV
// header (id, date, text), a txt header block with a date or gzip data
// making it documents, a sentence CSV header making it sentences, and
// anything else plain lines. The other paths — files of
// any ingest format and folders — are read together with
// pipeline.ReadDocuments as whole documents, to be split by Options.Split
// (pipeline.Sentences by default). Sentence CSVs come first, in argument
// order.
//
// Errors are those of the readers: *pipeline.SkipError (one input
// skipped, reading goes on; a sentence CSV that cannot be opened is one,
// with pipeline.ReasonUnreadable) or *labels.ParseError (see Fatal). A CSV read
// as documents whose header has id and text but no date is skipped with a
// hint to use -presplit.
func Inputs(paths []string, presplit bool, stdin io.Reader, ro pipeline.ReadOptions) iter.Seq2[Unit, error] {
	return func(yield func(Unit, error) bool) {
		var docs []string
		if ro.Stdin == nil {
			ro.Stdin = stdin
		}
		for _, p := range paths {
			if p == "-" && !presplit && ro.Format == "" {
				// Standard input cannot be read twice: what it holds is
				// told from its first bytes, kept in br.
				br := bufio.NewReaderSize(stdin, 256<<10)
				if sniffInput(br) == holdsDocuments {
					ro.Stdin = br
					docs = append(docs, p)
					continue
				}
				if !sentenceFile(p, br, yield) {
					return
				}
				continue
			}
			if !presplit && (p == "-" || !IsSentenceCSV(p)) {
				docs = append(docs, p)
				continue
			}
			if !sentenceFile(p, stdin, yield) {
				return
			}
		}
		if len(docs) == 0 {
			return
		}
		for d, err := range pipeline.ReadDocuments(docs, ro) {
			if !yield(Unit{Doc: d}, presplitHint(err)) {
				return
			}
		}
	}
}

// sentenceFile yields the units of one sentence CSV, or of plain text
// one sentence a line (ReadLines) when the input is not named .csv and
// has no CSV header with id and text; false means stop. A file that
// cannot be opened is skipped (ReasonUnreadable), as
// pipeline.ReadDocuments skips one, so the inputs after it are still read.
func sentenceFile(path string, stdin io.Reader, yield func(Unit, error) bool) bool {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the SkipError names the path
			}
			return yield(Unit{}, &pipeline.SkipError{File: path, Reason: pipeline.ReasonUnreadable, Err: err})
		}
		defer f.Close()
		r = f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	read := ReadSentences
	if !strings.EqualFold(filepath.Ext(path), ".csv") && sniffInput(br) == holdsLines {
		read = ReadLines
	}
	for u, err := range SentenceUnits(read(br, path)) {
		if !yield(u, err) {
			return false
		}
	}
	return true
}
