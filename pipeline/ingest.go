package pipeline

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stance-project/stance/pipeline/ordered"
)

// SentenceColumns are the fixed leading columns of a sentences CSV;
// metadata columns follow them.
// is_title is "true" for a document's title (Sentence.Title), else
// "false".
var SentenceColumns = []string{"id", "doc_id", "date", "source", "index", "is_title", "text"}

// IngestOptions configures Ingest.
type IngestOptions struct {
	ReadOptions

	// Meta fixes the metadata columns, in order. Nil means: the metadata
	// keys of the first document read, in its order (the header has to be
	// written before the second document is read). An empty non-nil slice
	// means no metadata columns. Keys a document has but that are not
	// columns are dropped from its rows and counted in
	// Summary.DroppedMeta; columns a document lacks are left empty. Keys
	// equal to a fixed column name (SentenceColumns) are never metadata
	// columns.
	Meta []string

	// Workers is the number of documents cleaned and split at once; 0
	// means GOMAXPROCS. Output order is input order whatever the number.
	Workers int

	// Strict makes Ingest return an error wrapping ErrSkipped when any
	// input was skipped (after writing everything else).
	Strict bool

	// OnSkip, if set, is called with every skip, in input order, from the
	// goroutine that called Ingest.
	OnSkip func(*SkipError)
}

// ErrSkipped is wrapped by Ingest's error in strict mode when inputs were
// skipped.
var ErrSkipped = errors.New("inputs skipped")

// ErrAllSkipped is wrapped by Ingest's error when every input was
// skipped (a misspelt path, say) and no document written: an output of
// a header alone would pass for an empty corpus.
var ErrAllSkipped = errors.New("no document written: every input was skipped")

// Summary counts what Ingest did. Every input is accounted for: a
// document read is either written or skipped with ReasonNoSentences,
// every input that did not become a document is in Skipped by reason, and
// every file of a folder that is no input (see ReadOptions.OnIgnored) is
// in Ignored.
type Summary struct {
	DocumentsRead    int            // documents the readers produced
	DocumentsWritten int            // documents with at least one sentence
	Sentences        int            // rows written
	Skipped          map[string]int // by Reason
	Ignored          int            // files in folders that are no input: hidden, or of another extension
	DroppedMeta      map[string]int // metadata key not in the columns -> documents that had it
	Columns          []string       // the header written
}

// SkippedTotal is the number of skips of every reason.
func (s Summary) SkippedTotal() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}

// String renders the summary in a few lines for people, e.g.
//
//	documents: 10 read, 9 written, 212 sentences
//	skipped: 2 (1 bad date, 1 no sentences)
//	other files ignored: 3 (hidden, or not .txt, .jsonl, .ndjson or .csv)
//
// The last line is left out when no file was ignored.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "documents: %d read, %d written, %d sentences\n", s.DocumentsRead, s.DocumentsWritten, s.Sentences)
	fmt.Fprintf(&b, "skipped: %d", s.SkippedTotal())
	if len(s.Skipped) > 0 {
		var parts []string
		for _, k := range sortedMetaKeys(s.Skipped) {
			parts = append(parts, fmt.Sprintf("%d %s", s.Skipped[k], k))
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	b.WriteString("\n")
	if s.Ignored > 0 {
		fmt.Fprintf(&b, "other files ignored: %d (%s)\n", s.Ignored, IgnoredFiles)
	}
	if len(s.DroppedMeta) > 0 {
		var parts []string
		for _, k := range sortedMetaKeys(s.DroppedMeta) {
			n := s.DroppedMeta[k]
			parts = append(parts, fmt.Sprintf("%s (in %d document%s)", k, n, map[bool]string{true: "s"}[n != 1]))
		}
		fmt.Fprintf(&b, "metadata not in the columns, dropped: %s; choose columns with -meta\n", strings.Join(parts, ", "))
	}
	return b.String()
}

// SkipNoSentences is the skip of document d when it has no sentence left
// after cleaning: ReasonNoSentences at d's file and line, naming its id.
// Ingest reports such documents with it, and stance classify names them
// the same way.
func SkipNoSentences(d Document) *SkipError {
	return &SkipError{File: d.File, Line: d.Line, Reason: ReasonNoSentences, Err: fmt.Errorf("document %q: no prose left after cleaning", d.ID)}
}

// ingestJob is one input in order: a document to split, a skip or an
// ignored file.
type ingestJob struct {
	doc     Document
	skip    *SkipError
	ignored string // the path of a file the folder walk ignored
	sents   []Sentence
}

// Ingest reads documents from paths (ReadDocuments), turns each into
// sentences (Sentences) and writes them to w as CSV: a header of
// SentenceColumns plus the metadata columns (see IngestOptions.Meta), then
// one row per sentence, documents in input order. A document that yields
// no sentence is skipped with ReasonNoSentences (SkipNoSentences). Files
// the folder walks ignore (see ReadOptions.OnIgnored) are no skips, so
// Strict does not fail on them: Summary.Ignored counts them, and
// opts.ReadOptions.OnIgnored, if set, is called with each, in input
// order, from the goroutine that called Ingest, as OnSkip is.
//
// Documents are processed by a small pool of workers (pipeline/ordered);
// at most a few documents per worker are in memory at once, so memory
// does not grow with the corpus (except the set of document ids). Ingest stops at the
// first write error or when ctx is cancelled, returning that error (the
// output is then incomplete: write to an atomicfile.File and Abort, as
// stance ingest does); when ctx is cancelled it returns at once, even if a
// read is blocked (standard input, a named pipe given in paths). When
// inputs were skipped and no document written, the error is ErrAllSkipped
// (ErrSkipped in strict mode). The summary counts what was done either way.
//
// The rows are written with encoding/csv rather than gocsv: the columns
// are known only at run time and rows are streamed one at a time, which
// gocsv's struct-tag marshalling does not fit.
func Ingest(ctx context.Context, paths []string, opts IngestOptions, w io.Writer) (Summary, error) {
	sum := Summary{Skipped: map[string]int{}, DroppedMeta: map[string]int{}}

	// The input: documents to split, skips and ignored files, in input
	// order; every job goes through the pool so that all of them are
	// emitted in that order.
	in := func(yield func(*ingestJob) bool) {
		stopped := false
		put := func(j *ingestJob) bool {
			stopped = stopped || !yield(j)
			return !stopped
		}
		ro := opts.ReadOptions
		ro.OnIgnored = func(path string) {
			if !stopped {
				put(&ingestJob{ignored: path})
			}
		}
		for doc, err := range ReadDocuments(paths, ro) {
			j := &ingestJob{doc: doc}
			if err != nil {
				var se *SkipError
				if !errors.As(err, &se) {
					se = &SkipError{Reason: ReasonUnreadable, Err: err}
				}
				j.skip = se
			}
			if !put(j) {
				return
			}
		}
	}
	split := func(j *ingestJob) *ingestJob {
		if j.skip == nil && j.ignored == "" {
			j.sents = Sentences(j.doc)
		}
		return j
	}

	cw := csv.NewWriter(w)
	var cols []string // metadata columns
	var colIdx map[string]int
	var row []string
	headerDone := false
	writeHeader := func(first *Document) error {
		headerDone = true
		switch {
		case opts.Meta != nil:
			cols = opts.Meta
		case first != nil:
			for _, m := range first.Meta {
				cols = append(cols, m.Key)
			}
		}
		fixed := map[string]bool{}
		for _, c := range SentenceColumns {
			fixed[c] = true
		}
		colIdx = map[string]int{}
		var kept []string
		for _, c := range cols {
			if _, dup := colIdx[c]; dup || fixed[c] || c == "" {
				continue
			}
			colIdx[c] = len(kept)
			kept = append(kept, c)
		}
		cols = kept
		sum.Columns = append(append([]string(nil), SentenceColumns...), cols...)
		row = make([]string, len(sum.Columns))
		return cw.Write(sum.Columns)
	}

	err := ordered.Run(ctx, opts.Workers, in, split, func(j *ingestJob) error {
		if j.ignored != "" {
			sum.Ignored++
			if opts.OnIgnored != nil {
				opts.OnIgnored(j.ignored)
			}
			return nil
		}
		if j.skip != nil {
			sum.Skipped[j.skip.Reason]++
			if opts.OnSkip != nil {
				opts.OnSkip(j.skip)
			}
			return nil
		}
		sum.DocumentsRead++
		if !headerDone {
			if err := writeHeader(&j.doc); err != nil {
				return err
			}
		}
		if len(j.sents) == 0 {
			se := SkipNoSentences(j.doc)
			sum.Skipped[se.Reason]++
			if opts.OnSkip != nil {
				opts.OnSkip(se)
			}
			return nil
		}
		for _, m := range j.doc.Meta {
			if _, ok := colIdx[m.Key]; !ok {
				sum.DroppedMeta[m.Key]++
			}
		}
		n := len(SentenceColumns)
		for _, s := range j.sents {
			row[0], row[1], row[2], row[3], row[4], row[5], row[6] = s.ID, s.DocID, s.Date, s.Source, strconv.Itoa(s.Index), strconv.FormatBool(s.Title), s.Text
			for i := n; i < len(row); i++ {
				row[i] = ""
			}
			for _, m := range s.Meta {
				if i, ok := colIdx[m.Key]; ok {
					row[n+i] = m.Value
				}
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		sum.DocumentsWritten++
		sum.Sentences += len(j.sents)
		return nil
	})
	if err != nil {
		return sum, err
	}
	if !opts.Strict && sum.DocumentsWritten == 0 && sum.SkippedTotal() > 0 {
		cw.Flush() // a header, if the documents read had no sentence
		return sum, ErrAllSkipped
	}
	if !headerDone {
		if err := writeHeader(nil); err != nil {
			return sum, err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return sum, err
	}
	if opts.Strict && sum.SkippedTotal() > 0 {
		return sum, fmt.Errorf("%w: %d (strict mode)", ErrSkipped, sum.SkippedTotal())
	}
	return sum, nil
}
