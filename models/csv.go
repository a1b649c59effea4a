package models

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/stance-project/stance/labels"
)

// PredictionWriter writes predictions as CSV: the metadata columns given
// at creation (id first, by convention), then labels.PredictionColumns
// (text, one column per target holding the decided value, then
// p_<target>_<value> for each target and value). It streams: each Write
// is one record.
type PredictionWriter struct {
	cw    *csv.Writer
	tax   labels.Taxonomy
	nMeta int
	rec   []string
}

// NewPredictionWriter writes the header and returns a writer for rows
// with len(meta) metadata fields. It refuses metadata names that collide
// with an output column.
func NewPredictionWriter(w io.Writer, tax labels.Taxonomy, meta []string) (*PredictionWriter, error) {
	h := append(slices.Clone(meta), labels.PredictionColumns(tax)...)
	seen := map[string]bool{}
	for _, c := range h {
		if seen[c] {
			return nil, fmt.Errorf("prediction writer: column %q appears twice", c)
		}
		seen[c] = true
	}
	pw := &PredictionWriter{cw: csv.NewWriter(w), tax: tax, nMeta: len(meta)}
	if err := pw.cw.Write(h); err != nil {
		return nil, err
	}
	return pw, nil
}

// Write writes one prediction row. meta must have as many fields as the
// header's metadata columns; p must be aligned with the taxonomy.
func (pw *PredictionWriter) Write(meta []string, text string, p labels.Prediction) error {
	if len(meta) != pw.nMeta {
		return fmt.Errorf("prediction writer: %d metadata fields, header has %d", len(meta), pw.nMeta)
	}
	if len(p.Values) != len(pw.tax.Targets) || len(p.Probs) != len(pw.tax.Targets) {
		return fmt.Errorf("prediction writer: prediction has %d values, taxonomy has %d targets", len(p.Values), len(pw.tax.Targets))
	}
	pw.rec = append(pw.rec[:0], meta...)
	pw.rec = append(pw.rec, text)
	pw.rec = append(pw.rec, p.Values...)
	for t := range pw.tax.Targets {
		for _, x := range p.Probs[t] {
			pw.rec = append(pw.rec, strconv.FormatFloat(x, 'f', 5, 64))
		}
	}
	return pw.cw.Write(pw.rec)
}

// Flush flushes buffered rows and reports any write error.
func (pw *PredictionWriter) Flush() error {
	pw.cw.Flush()
	return pw.cw.Error()
}

// ErrPresplit is wrapped by ClassifyFiles' errors about input layout.
var ErrPresplit = errors.New("presplit input")

// ClassifyFiles classifies pre-split sentence files: CSVs with a header
// holding at least an id and a text column, one sentence per row. It
// writes one prediction row per input row to out (PredictionWriter), in
// input order: the id column, the other columns in input order (a column
// named like an output column is renamed input_<name>), text, values and
// probabilities. Rows are streamed, never all loaded. Every file must
// have the same header. It returns the number of rows classified.
func ClassifyFiles(ctx context.Context, m *Model, out io.Writer, paths ...string) (int, error) {
	var pw *PredictionWriter
	var header []string
	total := 0
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return total, err
		}
		n, err := classifyCSV(ctx, m, f, path, &pw, &header, out)
		f.Close()
		total += n
		if err != nil {
			return total, err
		}
	}
	if pw == nil {
		return 0, fmt.Errorf("%w: no input files", ErrPresplit)
	}
	return total, pw.Flush()
}

// ClassifyCSV is ClassifyFiles for one reader; name is used in messages.
func ClassifyCSV(ctx context.Context, m *Model, r io.Reader, name string, out io.Writer) (int, error) {
	var pw *PredictionWriter
	var header []string
	n, err := classifyCSV(ctx, m, r, name, &pw, &header, out)
	if err != nil {
		return n, err
	}
	return n, pw.Flush()
}

func classifyCSV(ctx context.Context, m *Model, r io.Reader, name string, pw **PredictionWriter, header *[]string, out io.Writer) (int, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	h, err := cr.Read()
	if err == io.EOF {
		return 0, &labels.ParseError{File: name, Line: 1, Err: labels.ErrEmptyFile}
	}
	if err != nil {
		return 0, csvErr(name, err)
	}
	h = slices.Clone(h)
	if *header != nil && !slices.Equal(h, *header) {
		return 0, fmt.Errorf("%s:1: %w: header %v differs from the first file's %v", name, ErrPresplit, h, *header)
	}
	idCol, textCol := slices.Index(h, "id"), slices.Index(h, "text")
	if idCol < 0 || textCol < 0 {
		return 0, &labels.ParseError{File: name, Line: 1, Err: labels.ErrMissingColumn, Detail: "presplit input needs id and text columns"}
	}
	// Metadata: id first, then the other non-text columns in order.
	metaCols := []int{idCol}
	for i := range h {
		if i != idCol && i != textCol {
			metaCols = append(metaCols, i)
		}
	}
	if *pw == nil {
		reserved := map[string]bool{"text": true}
		for _, c := range labels.PredictionColumns(m.tax) {
			reserved[c] = true
		}
		names := make([]string, len(metaCols))
		for j, c := range metaCols {
			names[j] = h[c]
			if reserved[names[j]] {
				names[j] = "input_" + names[j]
			}
		}
		if *pw, err = NewPredictionWriter(out, m.tax, names); err != nil {
			return 0, fmt.Errorf("%s:1: %w", name, err)
		}
		*header = h
	}
	meta := make([]string, len(metaCols))
	var pred labels.Prediction
	n := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, csvErr(name, err)
		}
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
		line, _ := cr.FieldPos(0)
		if rec[idCol] == "" {
			return n, &labels.ParseError{File: name, Line: line, Err: labels.ErrEmptyID}
		}
		for j, c := range metaCols {
			meta[j] = rec[c]
		}
		m.PredictTo(&pred, rec[textCol])
		if err := (*pw).Write(meta, rec[textCol], pred); err != nil {
			return n, err
		}
		n++
	}
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &labels.ParseError{File: name, Line: pe.Line, Column: pe.Column, Err: labels.ErrSyntax, Detail: pe.Err.Error()}
	}
	return fmt.Errorf("%s: %w", name, err)
}
