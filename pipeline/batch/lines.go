package batch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance/internal/bom"
	"github.com/stance-project/stance/pipeline"
)

// ReadLines streams plain text one sentence a line, as `fasttext predict
// model.bin -` reads it: each non-blank line is a Sentence whose ID and
// DocID are its 1-based line number, with no date or source, its text
// trimmed of surrounding space. A UTF-8 BOM and CRLF line ends are
// accepted. name is used in errors.
//
// Every line is accounted for: a blank (or all-space) line yields a
// *pipeline.SkipError (ReasonBlankLine) and one that is not valid UTF-8
// one with ReasonInvalidUTF8, and reading goes on; a line over
// pipeline.MaxDocumentBytes or an I/O error yields a *pipeline.SkipError
// (ReasonTooLarge, ReasonUnreadable) after which the sequence ends.
func ReadLines(r io.Reader, name string) iter.Seq2[pipeline.Sentence, error] {
	return func(yield func(pipeline.Sentence, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		bom.Skip(br)
		sc := bufio.NewScanner(br)
		sc.Buffer(make([]byte, 0, 64<<10), pipeline.MaxDocumentBytes)
		line := 0
		for sc.Scan() {
			line++
			text := strings.TrimSpace(sc.Text())
			var err error
			switch {
			case text == "":
				err = &pipeline.SkipError{File: name, Line: line, Reason: pipeline.ReasonBlankLine, Err: errors.New("no sentence")}
			case !utf8.ValidString(text):
				err = &pipeline.SkipError{File: name, Line: line, Reason: pipeline.ReasonInvalidUTF8, Err: errors.New("line skipped")}
			}
			if err != nil {
				if !yield(pipeline.Sentence{}, err) {
					return
				}
				continue
			}
			id := strconv.Itoa(line)
			if !yield(pipeline.Sentence{ID: id, DocID: id, Text: text}, nil) {
				return
			}
		}
		switch err := sc.Err(); {
		case errors.Is(err, bufio.ErrTooLong):
			yield(pipeline.Sentence{}, &pipeline.SkipError{File: name, Line: line + 1, Reason: pipeline.ReasonTooLarge, Err: errors.New("line over the size limit; rest not read")})
		case err != nil:
			yield(pipeline.Sentence{}, &pipeline.SkipError{File: name, Line: line + 1, Reason: pipeline.ReasonUnreadable, Err: err})
		}
	}
}

// What an input holds, as sniffInput tells from its first bytes.
const (
	holdsLines     = "lines"     // plain text, one sentence a line
	holdsSentences = "sentences" // a sentence CSV (id, text, ...)
	holdsDocuments = "documents" // an input of stance ingest: jsonl, a document CSV, a dated txt, gzip
)

// sniffInput tells what the input that br reads holds, from its first
// 64 KiB, without consuming them: gzip data, a JSON object, a CSV header
// with id, date and text (and neither doc_id nor index), or a txt header
// block with a date are documents; a CSV header with id and text is a
// sentence CSV; anything else is plain lines.
func sniffInput(br *bufio.Reader) string {
	head, _ := br.Peek(64 << 10)
	head = bytes.TrimPrefix(head, []byte("\uFEFF"))
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		return holdsDocuments
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return holdsDocuments
	}
	if has := headerColumns(head); has["id"] && has["text"] {
		if has["date"] && !has["doc_id"] && !has["index"] {
			return holdsDocuments
		}
		return holdsSentences
	}
	if pipeline.HasDatedHeader(string(head)) {
		return holdsDocuments
	}
	return holdsLines
}

// headerColumns returns the names of the first line of head read as a
// CSV header (trimmed, case kept), or nil if it is not one.
func headerColumns(head []byte) map[string]bool {
	first := head
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	rec, err := csv.NewReader(bytes.NewReader(first)).Read()
	if err != nil {
		return nil
	}
	has := map[string]bool{}
	for _, h := range rec {
		has[strings.TrimSpace(h)] = true
	}
	return has
}
