package batch

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
)

// RowWriter receives one prediction row: the metadata values aligned with
// the columns it was created with, the sentence text and the prediction.
type RowWriter interface {
	Write(meta []string, text string, p labels.Prediction) error
}

// BaseColumns are the metadata columns every prediction row starts with;
// is_title is "true" for a document's title (pipeline.Sentence.Title).
var BaseColumns = []string{"id", "doc_id", "date", "source", "index", "is_title"}

// WriteOptions controls Classify's output.
type WriteOptions struct {
	// Meta fixes the extra metadata columns (after BaseColumns). Nil means
	// the metadata keys of the first sentence classified, as stance ingest
	// does; an empty non-nil slice means none.
	Meta []string
	// Reserved are the names of the columns the RowWriter adds after the
	// metadata (labels.PredictionColumns: text, the targets and
	// p_<target>_<value>). A
	// metadata key named like one is no column (the predictions win):
	// it is left out of the columns, Meta's too, keeping their order, and
	// listed in Summary.NotCopied rather than counted in Summary.Dropped.
	Reserved []string
	// NewWriter creates the row writer once the columns are known (on the
	// first result, or at the end for an empty input).
	NewWriter func(columns []string) (RowWriter, error)
	// Empty, if set, is called from the emitting goroutine with each
	// document that has no sentence after cleaning, as
	// pipeline.SkipNoSentences reports it (stance ingest skips such
	// documents); returning an error stops the run with it (stance
	// classify -strict does, as stance ingest -strict fails on one).
	// Nil, or a nil error, goes on; Summary.EmptyDocs names the first.
	Empty func(*pipeline.SkipError) error
}

// MaxProblems is how many skipped input errors Summary.Problems keeps.
const MaxProblems = 3

// JoinProblems formats the part of an error that names problems: named,
// the messages of the first few (usually MaxProblems) of total problems,
// as "p1; p2; p3; and 2 more", the messages joined by "; " and, when
// total is more than len(named), "and N more" followed by tail ("and 2
// more without sentences" for tail " without sentences"). It returns ""
// when named is empty. The lead sentence with the counts ("no sentence to
// classify: 5 inputs skipped") is the caller's, as NoSentencesError.Error
// and stance suggest each word their own.
func JoinProblems(named []string, total int, tail string) string {
	if len(named) == 0 {
		return ""
	}
	s := strings.Join(named, "; ")
	if more := total - len(named); more > 0 {
		s += fmt.Sprintf("; and %d more%s", more, tail)
	}
	return s
}

// Summary is what Classify did: Run's stats plus the metadata keys that
// had no column, with the number of sentences that carried each.
type Summary struct {
	Stats
	Dropped map[string]int
	// Problems are the first MaxProblems input errors that Options.Skip
	// skipped, in input order; Stats.Skipped counts them all.
	Problems []error
	// EmptyDocs are the first MaxProblems documents without sentences
	// after cleaning, in input order, as pipeline.SkipNoSentences names
	// them; Stats.Empty counts them all.
	EmptyDocs []*pipeline.SkipError
	// NotCopied lists, in the order met, the metadata keys not copied
	// because WriteOptions.Reserved has their names.
	NotCopied []string
	// Ignored counts the files that the folder walks of the inputs left
	// out (pipeline.ReadOptions.OnIgnored). Classify cannot see them in
	// its input and leaves it 0: the caller that counts them sets it,
	// for Progress.Done and NoSentencesError.Error to report.
	Ignored int
	// Absent lists, in column order, the metadata columns that no
	// classified sentence has (empty in every row): with WriteOptions.Meta
	// fixed, most likely a misspelt name. Nil when nothing was classified.
	Absent []string
}

// NoSentencesError is Classify's error when there was nothing to
// classify: no sentence was classified and no document was left to other
// shards (a shard that happens to get no document of a corpus is no
// error). Every input was skipped, was empty or had no sentence after
// cleaning; Summary says which, with the first problems.
type NoSentencesError struct {
	Summary Summary
}

// Error formats as "no sentence to classify: 5 inputs skipped, 2
// documents without sentences, 3 other files ignored (hidden, or not
// ...): p1; p2; p3; and 2 more; e1; e2", naming at most MaxProblems
// skipped inputs (p) and MaxProblems documents without sentences (e,
// followed by "and N more without sentences" when there are more), or
// "no sentence to classify: the inputs are empty".
func (e *NoSentencesError) Error() string {
	s := e.Summary
	var why []string
	if s.Skipped > 0 {
		why = append(why, fmt.Sprintf("%d inputs skipped", s.Skipped))
	}
	if s.Empty > 0 {
		why = append(why, fmt.Sprintf("%d documents without sentences", s.Empty))
	}
	if s.Ignored > 0 {
		why = append(why, fmt.Sprintf("%d other files ignored (%s)", s.Ignored, pipeline.IgnoredFiles))
	}
	if len(why) == 0 {
		why = append(why, "the inputs are empty")
	}
	msg := "no sentence to classify: " + strings.Join(why, ", ")
	var named []string
	problems := make([]string, len(s.Problems))
	for i, p := range s.Problems {
		problems[i] = p.Error()
	}
	if p := JoinProblems(problems, s.Skipped, ""); p != "" {
		named = append(named, p)
	}
	empty := make([]string, len(s.EmptyDocs))
	for i, d := range s.EmptyDocs {
		empty[i] = d.Error()
	}
	if e := JoinProblems(empty, s.Empty, " without sentences"); e != "" {
		named = append(named, e)
	}
	if len(named) > 0 {
		msg += ": " + strings.Join(named, "; ")
	}
	return msg
}

// Classify runs in through Run and writes every sentence's prediction
// through a RowWriter, in input order. See Run for errors and ordering,
// and WriteOptions for the columns and for documents without sentences.
//
// When the run classifies no sentence and leaves no document to other
// shards, Classify returns a *NoSentencesError and does not call
// WriteOptions.NewWriter, so the caller can write nothing; an empty shard
// gets a writer with the columns alone.
func Classify(ctx context.Context, in iter.Seq2[Unit, error], p labels.Classifier, opts Options, wo WriteOptions) (Summary, error) {
	sum := Summary{Dropped: map[string]int{}}
	if skip := opts.Skip; skip != nil {
		// Called from Run's reading goroutine, which ends before Run
		// returns; sum.Problems is read only after that.
		opts.Skip = func(err error) error {
			if serr := skip(err); serr != nil {
				return serr
			}
			if len(sum.Problems) < MaxProblems {
				sum.Problems = append(sum.Problems, err)
			}
			return nil
		}
	}
	reserved := map[string]bool{}
	for _, c := range wo.Reserved {
		reserved[c] = true
	}
	notCopied := map[string]bool{}
	// drop accounts for a metadata key that has no column.
	drop := func(key string) {
		switch {
		case !reserved[key]:
			sum.Dropped[key]++
		case !notCopied[key]:
			notCopied[key] = true
			sum.NotCopied = append(sum.NotCopied, key)
		}
	}
	var w RowWriter
	var cols []string  // extra metadata columns
	var present []bool // cols[i] seen in some sentence
	var row []string
	open := func(first []pipeline.Meta) error {
		meta := wo.Meta
		if meta == nil {
			meta = []string{}
			for _, m := range first {
				if !isBase(m.Key) {
					meta = append(meta, m.Key)
				}
			}
		}
		cols = []string{}
		for _, c := range meta {
			if reserved[c] {
				drop(c)
				continue
			}
			cols = append(cols, c)
		}
		present = make([]bool, len(cols))
		var err error
		w, err = wo.NewWriter(append(append([]string(nil), BaseColumns...), cols...))
		return err
	}
	st, err := Run(ctx, in, p, opts, func(r Result) error {
		if len(r.Sentences) == 0 {
			if len(sum.EmptyDocs) >= MaxProblems && wo.Empty == nil {
				return nil // counted in Stats; the error is built only for a use
			}
			se := pipeline.SkipNoSentences(r.Doc)
			if len(sum.EmptyDocs) < MaxProblems {
				sum.EmptyDocs = append(sum.EmptyDocs, se)
			}
			if wo.Empty != nil {
				return wo.Empty(se)
			}
			return nil
		}
		for i, s := range r.Sentences {
			if w == nil {
				if err := open(s.Meta); err != nil {
					return err
				}
			}
			row = sentenceRow(row[:0], s, cols, drop, present)
			if err := w.Write(row, s.Text, r.Predictions[i]); err != nil {
				return err
			}
		}
		return nil
	})
	sum.Stats = st
	if err != nil {
		return sum, err
	}
	if st.Sentences == 0 && st.OutOfShard == 0 {
		return sum, &NoSentencesError{Summary: sum}
	}
	if w == nil {
		return sum, open(nil)
	}
	for i, c := range cols {
		if !present[i] {
			sum.Absent = append(sum.Absent, c)
		}
	}
	return sum, nil
}

func isBase(key string) bool {
	for _, b := range BaseColumns {
		if key == b {
			return true
		}
	}
	return key == labels.TextColumn
}

// sentenceRow appends the values of BaseColumns and then of cols for s;
// each metadata key without a column is passed to drop, and present[i] is
// set when s has cols[i].
func sentenceRow(dst []string, s pipeline.Sentence, cols []string, drop func(key string), present []bool) []string {
	dst = append(dst, s.ID, s.DocID, s.Date, s.Source, strconv.Itoa(s.Index), strconv.FormatBool(s.Title))
	for i, c := range cols {
		v := ""
		for _, m := range s.Meta {
			if m.Key == c {
				v = m.Value
				present[i] = true
				break
			}
		}
		dst = append(dst, v)
	}
	for _, m := range s.Meta {
		if isBase(m.Key) {
			continue
		}
		found := false
		for _, c := range cols {
			if c == m.Key {
				found = true
				break
			}
		}
		if !found {
			drop(m.Key)
		}
	}
	return dst
}

// InputBytes estimates the bytes of text the inputs hold, for an ETA:
// file sizes, with a gzip file counted at its uncompressed size (from the
// gzip trailer, exact below 4 GiB). Unreadable paths count as 0.
func InputBytes(paths []string) int64 {
	var total int64
	for _, p := range paths {
		filepath.WalkDir(pipeline.FollowRoot(p), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			total += fileBytes(path)
			return nil
		})
	}
	return total
}

func fileBytes(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0
	}
	if !strings.HasSuffix(path, ".gz") || fi.Size() < 18 {
		return fi.Size()
	}
	var trailer [4]byte
	if _, err := f.ReadAt(trailer[:], fi.Size()-4); err != nil {
		return fi.Size()
	}
	return int64(binary.LittleEndian.Uint32(trailer[:]))
}

// Progress prints a run's progress to w: on a terminal, one line redrawn
// at most every 200 ms with documents, sentences, rate and (when total
// bytes are known) an ETA; otherwise nothing until Done prints a one-line
// summary.
type Progress struct {
	w        io.Writer
	terminal bool
	total    int64
	start    time.Time
	last     time.Time
	done     atomic.Int64 // text bytes read so far
}

// NewProgress returns a Progress; total is InputBytes of the inputs (0:
// unknown, no ETA).
func NewProgress(w io.Writer, terminal bool, total int64) *Progress {
	now := time.Now()
	return &Progress{w: w, terminal: terminal, total: total, start: now}
}

// Count wraps an input so that the text bytes of each unit read are
// counted towards the ETA.
func (p *Progress) Count(in iter.Seq2[Unit, error]) iter.Seq2[Unit, error] {
	return func(yield func(Unit, error) bool) {
		for u, err := range in {
			n := len(u.Doc.Text)
			for _, s := range u.Sentences {
				n += len(s.Text) + 1
			}
			p.done.Add(int64(n))
			if !yield(u, err) {
				return
			}
		}
	}
}

// Update is an Options.Progress function.
func (p *Progress) Update(s Stats) {
	if !p.terminal {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	line := fmt.Sprintf("classify: %d documents, %d sentences, %.0f sentences/s", s.Emitted, s.Sentences, float64(s.Sentences)/max(el, 1e-9))
	if done := p.done.Load(); p.total > 0 && done > 0 {
		frac := min(float64(done)/float64(p.total), 1)
		eta := time.Duration(el*(1-frac)/frac) * time.Second
		line += fmt.Sprintf(", %3.0f%%, ETA %s", 100*frac, eta.Round(time.Second))
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

// Done ends the progress line and prints the summary line, then one line
// for each document without sentences in s.EmptyDocs (worded as stance
// ingest words its skip) and one for each metadata key dropped.
func (p *Progress) Done(s Summary, out string) {
	if p.terminal && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
	el := time.Since(p.start).Seconds()
	ignored := ""
	if s.Ignored > 0 {
		ignored = fmt.Sprintf(", %d other files ignored", s.Ignored)
	}
	fmt.Fprintf(p.w, "classify: %d documents read, %d classified (%d without sentences), %d left to other shards, %d skipped%s; %d sentences in %.1fs (%.0f sentences/s) -> %s\n",
		s.Units, s.Emitted, s.Empty, s.OutOfShard, s.Skipped, ignored, s.Sentences, el, float64(s.Sentences)/max(el, 1e-9), out)
	for _, d := range s.EmptyDocs {
		fmt.Fprintf(p.w, "classify: %v\n", d)
	}
	if more := s.Empty - len(s.EmptyDocs); more > 0 && len(s.EmptyDocs) > 0 {
		fmt.Fprintf(p.w, "classify: and %d more documents without sentences\n", more)
	}
	for _, k := range sortedKeys(s.Dropped) {
		fmt.Fprintf(p.w, "classify: metadata %q has no column, dropped in %d sentences (choose columns with -meta)\n", k, s.Dropped[k])
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
