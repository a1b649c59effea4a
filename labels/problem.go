package labels

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors wrapped by ParseError, so callers can test a problem's
// kind with errors.Is. Every reader of the project's CSV inputs (gold
// labels, sentence and prediction CSVs) wraps these, so one test works
// whichever read the file.
var (
	ErrSyntax          = errors.New("malformed CSV")
	ErrFieldCount      = errors.New("wrong number of fields")
	ErrMissingColumn   = errors.New("missing column")
	ErrDuplicateCol    = errors.New("duplicate column")
	ErrUnknownTarget   = errors.New("unknown target column")
	ErrBadValue        = errors.New("invalid value")
	ErrEmptyID         = errors.New("empty id")
	ErrEmptyText       = errors.New("empty text")
	ErrBadDate         = errors.New("invalid date")
	ErrBadIndex        = errors.New("invalid index")
	ErrBadIsTitle      = errors.New("invalid is_title")
	ErrDuplicateID     = errors.New("duplicate id")
	ErrTextMismatch    = errors.New("id's text differs")
	ErrEmptyFile       = errors.New("empty file")
	ErrInvalidUTF8     = errors.New("invalid UTF-8")
	ErrInvalidTaxonomy = errors.New("invalid taxonomy")
)

// ParseError is one problem in an input file, with its position. Line and
// Column are 1-based (Column counts bytes, as encoding/csv does); zero
// means unknown. Err is one of the package's sentinel errors, or an
// underlying I/O error; Detail says what exactly is wrong.
type ParseError struct {
	File   string
	Line   int
	Column int
	Err    error
	Detail string
}

// Error formats the problem as "file:line:col: problem".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	switch {
	case e.Detail != "" && e.Err != nil:
		fmt.Fprintf(&b, "%v: %s", e.Err, e.Detail)
	case e.Detail != "":
		b.WriteString(e.Detail)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel (or I/O) error.
func (e *ParseError) Unwrap() error { return e.Err }

// CSVError turns an error of an encoding/csv Reader of file name into a
// *ParseError: a *csv.ParseError becomes, at its line and column,
// ErrFieldCount for a record with the wrong number of fields (the kind
// says it all) and otherwise ErrSyntax with encoding/csv's message as
// Detail; any other error (I/O) is kept as Err, without a position.
func CSVError(name string, err error) *ParseError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return &ParseError{File: name, Line: pe.Line, Column: pe.Column, Err: ErrFieldCount}
		}
		return &ParseError{File: name, Line: pe.Line, Column: pe.Column, Err: ErrSyntax, Detail: pe.Err.Error()}
	}
	return &ParseError{File: name, Err: err}
}

// ErrorList is every problem found in one or more inputs, in file order.
// A non-empty ErrorList is an error; its message lists one problem a line.
type ErrorList []*ParseError

// Error lists the problems, one a line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.Is(list, ErrBadValue) reports
// whether any problem is an invalid value.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns l as an error, or nil when l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
