package trends

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/stance-project/stance/internal/bom"
	"github.com/stance-project/stance/labels"
)

// ErrConflict is wrapped by a ParseError for a document whose sentences
// disagree on its date or its group.
var ErrConflict = errors.New("document metadata conflict")

// maxProblems bounds how many problems Read collects before it gives up.
const maxProblems = 100

// values are the predicted values a report counts, in index order.
var values = labels.DefaultValues

// doc is what a report keeps of one document: its cell and per-target
// sums over its sentences, so the bootstrap can resample documents.
type doc struct {
	id        string
	date      string
	period    *Period
	group     string
	sentences int
	// counts[3t+v] is the number of sentences predicted value v for
	// target t; probs[3t+v] the sum of their probabilities of v.
	counts []int32
	probs  []float64
	file   string
	line   int
}

// Accumulator reads prediction files as written by `stance classify` and
// keeps, per document, the sentence count and the per-target counts and
// probability sums, and the set of sentence ids read, so that a sentence
// read twice (overlapping inputs) is an error rather than counted twice.
// The zero value is not usable; call NewAccumulator.
//
// Memory grows with documents, not sentences, for classify's output: the
// per-document sums, and an id set that keeps ids of classify's form
// "<doc_id>:<index>" as runs of consecutive indexes on consecutive lines
// (16 bytes a run, one run a document unless its sentences are spread
// over several files or lines). Ids of any other form are kept whole:
// about 80 bytes a sentence.
type Accumulator struct {
	unit    Unit
	by      string
	targets []string // in the first file's column order
	docs    map[string]*doc
	periods map[string]*Period // by date string
	groups  map[string]string  // interned group values
	seen    idSet              // every sentence id read, where first read
	names   []string           // file names, indexed by place.file

	files, sentences int
}

// place is where a sentence id was first read: names[file], line.
type place struct {
	file, line int32
}

// NewAccumulator returns an Accumulator that buckets dates into periods
// of unit u and groups documents by the metadata column by ("" for one
// group holding everything).
func NewAccumulator(u Unit, by string) *Accumulator {
	return &Accumulator{
		unit:    u,
		by:      by,
		docs:    make(map[string]*doc),
		periods: make(map[string]*Period),
		groups:  make(map[string]string),
		seen:    newIDSet(),
	}
}

// Targets returns the targets found in the files read so far: every
// column T such that p_T_favor, p_T_against and p_T_none exist, in the
// first file's column order.
func (a *Accumulator) Targets() []string { return slices.Clone(a.targets) }

// Files, Sentences and Documents count what has been read so far.
func (a *Accumulator) Files() int { return a.files }

// Sentences returns the number of sentence rows read so far.
func (a *Accumulator) Sentences() int { return a.sentences }

// Documents returns the number of distinct doc_id values read so far.
func (a *Accumulator) Documents() int { return len(a.docs) }

// header is the column layout of one file.
type header struct {
	id, docID, date, by int
	// target[i] is the column of a.targets[i]'s predicted value, and
	// prob[i][v] the column of p_<target>_<value>.
	target []int
	prob   [][3]int
}

// Read streams one prediction file (name is used in errors) into the
// accumulator. The header must hold id, doc_id, date, the -by column if
// any, and at least one target; every file must have the same targets (in
// any order). Sentences of one document may be spread over several files
// (the shards of one run) but must agree on date and group. A sentence id
// may occur only once over all the files read: a repeated id is a problem
// (labels.ErrDuplicateID) naming where it was first read, so a file given
// twice, or a whole run given with one of its shards, is an error and
// not counted twice.
//
// A row with a problem is not counted. Read collects the problems (up to
// 100) and returns them as a labels.ErrorList of *labels.ParseError with
// file:line:column; a malformed header stops the file at once.
func (a *Accumulator) Read(name string, r io.Reader) error {
	cr := csv.NewReader(bom.NewReader(r))
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if err == io.EOF {
		return labels.ErrorList{{File: name, Err: labels.ErrEmptyFile, Detail: "no header"}}
	}
	if err != nil {
		return labels.ErrorList{labels.CSVError(name, err)}
	}
	h, err := a.parseHeader(name, rec)
	if err != nil {
		return err
	}
	a.files++
	a.names = append(a.names, name)
	var problems labels.ErrorList
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			problems = append(problems, labels.CSVError(name, err))
			var pe *csv.ParseError
			if !errors.As(err, &pe) || len(problems) >= maxProblems {
				break
			}
			continue
		}
		if p := a.addRow(name, cr, h, rec); p != nil {
			problems = append(problems, p)
			if len(problems) >= maxProblems {
				problems = append(problems, &labels.ParseError{File: name, Detail: "too many problems, stopped reading"})
				break
			}
		}
	}
	return problems.Err()
}

func (a *Accumulator) parseHeader(name string, rec []string) (header, error) {
	col := make(map[string]int, len(rec))
	var problems labels.ErrorList
	for i, c := range rec {
		if _, dup := col[c]; dup {
			problems = append(problems, &labels.ParseError{File: name, Line: 1, Err: labels.ErrDuplicateCol, Detail: strconv.Quote(c)})
		}
		col[c] = i
	}
	h := header{by: -1}
	need := func(c string) int {
		i, ok := col[c]
		if !ok {
			problems = append(problems, &labels.ParseError{File: name, Line: 1, Err: labels.ErrMissingColumn,
				Detail: fmt.Sprintf("no %q column (the header has: %s)", c, strings.Join(rec, ","))})
			return -1
		}
		return i
	}
	h.id = need("id")
	h.docID = need("doc_id")
	h.date = need("date")
	if a.by != "" {
		h.by = need(a.by)
	}
	var found []string
	for _, c := range rec {
		_, f := col[labels.ProbColumn(c, labels.Favor)]
		_, ag := col[labels.ProbColumn(c, labels.Against)]
		_, no := col[labels.ProbColumn(c, labels.None)]
		if f && ag && no {
			found = append(found, c)
		}
	}
	// The probabilities of a target without its decided column: the
	// target would be dropped without a word (its rows are the ones
	// that matter most).
	undecided := false
	for _, c := range rec {
		t, ok := labels.ProbTarget(c, labels.Favor)
		if !ok {
			continue
		}
		_, ag := col[labels.ProbColumn(t, labels.Against)]
		_, no := col[labels.ProbColumn(t, labels.None)]
		if _, decided := col[labels.DecisionColumn(t)]; ag && no && !decided {
			undecided = true
			problems = append(problems, &labels.ParseError{File: name, Line: 1, Err: labels.ErrMissingColumn,
				Detail: fmt.Sprintf("no %q column, the decided value of target %s (%s are there)", labels.DecisionColumn(t), t, labels.ProbColumn(t, "*"))})
		}
	}
	if len(found) == 0 && !undecided {
		problems = append(problems, &labels.ParseError{File: name, Line: 1, Err: labels.ErrMissingColumn,
			Detail: "no target columns (a column T with p_T_favor, p_T_against and p_T_none)"})
	}
	if a.targets == nil && len(problems) == 0 {
		a.targets = found
	}
	if a.targets != nil && len(found) > 0 {
		a1, f1 := slices.Sorted(slices.Values(a.targets)), slices.Sorted(slices.Values(found))
		if !slices.Equal(a1, f1) {
			problems = append(problems, &labels.ParseError{File: name, Line: 1, Err: labels.ErrUnknownTarget,
				Detail: fmt.Sprintf("targets %s differ from the first file's %s", strings.Join(f1, ","), strings.Join(a1, ","))})
		}
	}
	if len(problems) > 0 {
		return h, problems
	}
	for _, t := range a.targets {
		h.target = append(h.target, col[labels.DecisionColumn(t)])
		var p [3]int
		for v, val := range values {
			p[v] = col[labels.ProbColumn(t, val)]
		}
		h.prob = append(h.prob, p)
	}
	return h, nil
}

// addRow adds one sentence row, or returns its first problem.
func (a *Accumulator) addRow(name string, cr *csv.Reader, h header, rec []string) *labels.ParseError {
	at := func(field int, kind error, format string, args ...any) *labels.ParseError {
		line, col := cr.FieldPos(field)
		return &labels.ParseError{File: name, Line: line, Column: col, Err: kind, Detail: fmt.Sprintf(format, args...)}
	}
	// The sentence id is checked and recorded first, even if the row
	// has another problem, so that a repeat is found wherever it is.
	// Fields share one string per record: keep copies, not the record.
	sid := rec[h.id]
	if sid == "" {
		return at(h.id, labels.ErrEmptyID, "empty sentence id")
	}
	file := int32(len(a.names) - 1)
	line, _ := cr.FieldPos(h.id)
	if first, ok := a.seen.add(sid, place{file: file, line: int32(line)}); !ok {
		again := ""
		if first.file != file && a.names[first.file] == name {
			again = " (the same file, given twice)"
		}
		return at(h.id, labels.ErrDuplicateID, "sentence %q also at %s:%d%s", sid, a.names[first.file], first.line, again)
	}

	id := rec[h.docID]
	if id == "" {
		return at(h.docID, labels.ErrBadValue, "empty doc_id")
	}
	date := rec[h.date]
	p, ok := a.periods[date]
	if !ok {
		if date == "" {
			return at(h.date, labels.ErrBadDate, "empty date")
		}
		q, err := Bucket(date, a.unit)
		if err != nil {
			return at(h.date, labels.ErrBadDate, "%v", err)
		}
		p = &q
		a.periods[strings.Clone(date)] = p
	}
	group := ""
	if h.by >= 0 {
		group = rec[h.by]
	}
	nt := len(a.targets)
	// Parse the whole row before touching the document, so a bad row
	// leaves no trace.
	var buf [16]int32
	var pbuf [16]float64
	counts, probs := buf[:0], pbuf[:0]
	if 3*nt > len(buf) {
		counts, probs = make([]int32, 0, 3*nt), make([]float64, 0, 3*nt)
	}
	for t := range nt {
		v := slices.Index(values, rec[h.target[t]])
		if v < 0 {
			return at(h.target[t], labels.ErrBadValue, "%s = %q, want favor, against or none", a.targets[t], rec[h.target[t]])
		}
		var c [3]int32
		c[v] = 1
		counts = append(counts, c[:]...)
		for v := range 3 {
			f := h.prob[t][v]
			x, err := strconv.ParseFloat(rec[f], 64)
			if err != nil || math.IsNaN(x) || x < -1e-6 || x > 1+1e-6 {
				return at(f, labels.ErrBadValue, "%s = %q, want a probability in [0,1]", labels.ProbColumn(a.targets[t], values[v]), rec[f])
			}
			probs = append(probs, x)
		}
	}
	d := a.docs[id]
	if d == nil {
		g, ok := a.groups[group]
		if !ok {
			g = strings.Clone(group)
			a.groups[g] = g
		}
		line, _ := cr.FieldPos(0)
		id = strings.Clone(id)
		d = &doc{id: id, date: strings.Clone(date), period: p, group: g, counts: make([]int32, 3*nt), probs: make([]float64, 3*nt), file: name, line: line}
		a.docs[id] = d
	} else {
		if d.date != date {
			return at(h.date, ErrConflict, "document %q has date %q here but %q at %s:%d", id, date, d.date, d.file, d.line)
		}
		if d.group != group {
			return at(h.by, ErrConflict, "document %q has %s %q here but %q at %s:%d", id, a.by, group, d.group, d.file, d.line)
		}
	}
	d.sentences++
	for i := range counts {
		d.counts[i] += counts[i]
		d.probs[i] += probs[i]
	}
	a.sentences++
	return nil
}
