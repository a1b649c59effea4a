package batch

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/stance-project/stance/labels"
)

// CSVWriter is a RowWriter that writes the prediction CSV: the metadata
// columns given at creation (id first, by convention), then
// labels.PredictionColumns (text, one column per target holding the
// decided value, then p_<target>_<value> for each target and value). It
// streams: each Write is one record. Call Flush at the end.
type CSVWriter struct {
	cw    *csv.Writer
	tax   labels.Taxonomy
	nMeta int
	rec   []string
}

// NewCSVWriter writes the header and returns a writer for rows with
// len(meta) metadata fields. It refuses metadata names that collide with
// an output column.
func NewCSVWriter(w io.Writer, tax labels.Taxonomy, meta []string) (*CSVWriter, error) {
	h := append(slices.Clone(meta), labels.PredictionColumns(tax)...)
	seen := map[string]bool{}
	for _, c := range h {
		if seen[c] {
			return nil, fmt.Errorf("prediction writer: column %q appears twice", c)
		}
		seen[c] = true
	}
	pw := &CSVWriter{cw: csv.NewWriter(w), tax: tax, nMeta: len(meta)}
	if err := pw.cw.Write(h); err != nil {
		return nil, err
	}
	return pw, nil
}

// Write writes one prediction row. meta must have as many fields as the
// header's metadata columns; p must be aligned with the taxonomy.
func (pw *CSVWriter) Write(meta []string, text string, p labels.Prediction) error {
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
func (pw *CSVWriter) Flush() error {
	pw.cw.Flush()
	return pw.cw.Error()
}
