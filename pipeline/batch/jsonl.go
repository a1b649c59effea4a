package batch

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/stance-project/stance/labels"
)

// JSONLWriter is a RowWriter that writes one JSON object a line, with the
// keys and order of the prediction CSV's columns (labels.PredictionColumns):
// the metadata columns and text as strings, then each target's decided
// value, then each p_<target>_<value> as a number (null if NaN). Writes are buffered:
// call Flush at the end.
type JSONLWriter struct {
	w    *bufio.Writer
	tax  labels.Taxonomy
	cols []string
	keys []byte // scratch
}

// NewJSONLWriter returns a JSONLWriter to w for rows with the metadata
// columns cols, predicting the targets of tax.
func NewJSONLWriter(w io.Writer, tax labels.Taxonomy, cols []string) *JSONLWriter {
	return &JSONLWriter{w: bufio.NewWriterSize(w, 64<<10), tax: tax, cols: cols}
}

// Write writes one row. meta must be aligned with the columns and p with
// the taxonomy, as for CSVWriter.
func (j *JSONLWriter) Write(meta []string, text string, p labels.Prediction) error {
	if len(meta) != len(j.cols) {
		return fmt.Errorf("jsonl writer: %d metadata fields, want %d", len(meta), len(j.cols))
	}
	if len(p.Values) != len(j.tax.Targets) || len(p.Probs) != len(j.tax.Targets) {
		return fmt.Errorf("jsonl writer: prediction has %d values, taxonomy has %d targets", len(p.Values), len(j.tax.Targets))
	}
	b := append(j.keys[:0], '{')
	str := func(v string) {
		q, _ := json.Marshal(v) // valid JSON for any string, invalid UTF-8 replaced
		b = append(b, q...)
	}
	field := func(key string) {
		if len(b) > 1 {
			b = append(b, ',')
		}
		str(key)
		b = append(b, ':')
	}
	for i, c := range j.cols {
		field(c)
		str(meta[i])
	}
	field(labels.TextColumn)
	str(text)
	for t, tg := range j.tax.Targets {
		field(labels.DecisionColumn(tg.Name))
		str(p.Values[t])
	}
	for t, tg := range j.tax.Targets {
		for v, name := range tg.Values {
			field(labels.ProbColumn(tg.Name, name))
			x := 0.0
			if v < len(p.Probs[t]) {
				x = p.Probs[t][v]
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				b = append(b, "null"...) // JSON has no NaN
				continue
			}
			b = strconv.AppendFloat(b, x, 'f', 5, 64)
		}
	}
	b = append(b, '}', '\n')
	j.keys = b
	_, err := j.w.Write(b)
	return err
}

// Flush writes any buffered rows.
func (j *JSONLWriter) Flush() error { return j.w.Flush() }
