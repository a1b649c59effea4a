package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/gocarina/gocsv"

	"github.com/stance-project/stance/internal/bom"
	"github.com/stance-project/stance/labels"
)

// num is a float written with at most four decimals, and as an empty cell
// when undefined (NaN).
type num float64

// MarshalCSV implements gocsv.TypeMarshaller.
func (n num) MarshalCSV() (string, error) { return formatNum(float64(n)), nil }

func formatNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	r := math.Round(v*1e4) / 1e4
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

type metricRow struct {
	System   string `csv:"system"`
	Fold     string `csv:"fold"`
	Target   string `csv:"target"`
	Value    string `csv:"value"`
	Metric   string `csv:"metric"`
	Estimate num    `csv:"estimate"`
	CILow    num    `csv:"ci_low"`
	CIHigh   num    `csv:"ci_high"`
	N        int    `csv:"n"`
}

type confusionRow struct {
	System    string `csv:"system"`
	Target    string `csv:"target"`
	Gold      string `csv:"gold"`
	Predicted string `csv:"predicted"`
	Count     int    `csv:"count"`
}

type calibrationRow struct {
	System     string `csv:"system"`
	Target     string `csv:"target"`
	Bin        int    `csv:"bin"`
	Lower      num    `csv:"lower"`
	Upper      num    `csv:"upper"`
	N          int    `csv:"n"`
	Confidence num    `csv:"confidence"`
	Accuracy   num    `csv:"accuracy"`
}

type errorRow struct {
	Fold       string `csv:"fold"`
	ID         string `csv:"id"`
	DocID      string `csv:"doc_id"`
	Target     string `csv:"target"`
	Gold       string `csv:"gold"`
	Predicted  string `csv:"predicted"`
	Confidence num    `csv:"confidence"`
	PFavor     num    `csv:"p_favor"`
	PAgainst   num    `csv:"p_against"`
	PNone      num    `csv:"p_none"`
	TopTokens  string `csv:"top_tokens"`
	TopWords   string `csv:"top_words"`
	Text       string `csv:"text"`
}

type comparisonRow struct {
	System    string `csv:"system"`
	Fold      string `csv:"fold"`
	Target    string `csv:"target"`
	Value     string `csv:"value"`
	Metric    string `csv:"metric"`
	Old       num    `csv:"old"`
	New       num    `csv:"new"`
	Change    num    `csv:"change"`
	OldCILow  num    `csv:"old_ci_low"`
	OldCIHigh num    `csv:"old_ci_high"`
	NewCILow  num    `csv:"new_ci_low"`
	NewCIHigh num    `csv:"new_ci_high"`
	OldN      string `csv:"old_n"`
	NewN      string `csv:"new_n"`
	Flag      string `csv:"flag"`
}

// WriteMetricsCSV writes metrics.csv: one row per system × fold × target ×
// value × metric, columns system,fold,target,value,metric,estimate,
// ci_low,ci_high,n. Undefined estimates and missing intervals are empty
// cells.
func (r *Report) WriteMetricsCSV(w io.Writer) error {
	var rows []metricRow
	for _, s := range r.Systems {
		for _, m := range s.Metrics {
			rows = append(rows, metricRow{m.System, m.Fold, m.Target, m.Value, m.Name, num(m.Estimate), num(m.Low), num(m.High), m.N})
		}
	}
	return gocsv.Marshal(rows, w)
}

// WriteConfusionCSV writes confusion.csv: system,target,gold,predicted,
// count, nine rows per system and target.
func (r *Report) WriteConfusionCSV(w io.Writer) error {
	var rows []confusionRow
	for _, s := range r.Systems {
		for t, c := range s.Confusion {
			tg := r.Taxonomy.Targets[t]
			for g := range 3 {
				for p := range 3 {
					rows = append(rows, confusionRow{s.Name, tg.Name, tg.Values[g], tg.Values[p], c[g][p]})
				}
			}
		}
	}
	return gocsv.Marshal(rows, w)
}

// WriteCalibrationCSV writes calibration.csv: system,target,bin,lower,
// upper,n,confidence,accuracy for every calibrated system (the baselines
// have no probabilities and no rows).
func (r *Report) WriteCalibrationCSV(w io.Writer) error {
	rows := []calibrationRow{}
	for _, s := range r.Systems {
		for _, b := range s.Calibration {
			rows = append(rows, calibrationRow{s.Name, b.Target, b.Bin, num(b.Lower), num(b.Upper), b.N, num(b.Confidence), num(b.Accuracy)})
		}
	}
	return gocsv.Marshal(rows, w)
}

// WriteErrorsCSV writes errors.csv: every misclassified (sentence, target)
// pair of the evaluated system with its probabilities and the tokens that
// pushed the prediction most as the explainer names them (top_tokens:
// "token:+0.123" separated by spaces, with "→value" after the token when
// the explainer names the value), and in words (top_words: the words of
// the sentence that pushed toward the predicted value, ExplainWords).
func (r *Report) WriteErrorsCSV(w io.Writer) error {
	rows := make([]errorRow, 0, len(r.Errors))
	for _, e := range r.Errors {
		row := errorRow{Fold: e.Fold, ID: e.ID, DocID: e.DocID, Target: e.Target, Gold: e.Gold, Predicted: e.Predicted,
			Confidence: num(e.Confidence), PFavor: num(math.NaN()), PAgainst: num(math.NaN()), PNone: num(math.NaN()),
			TopTokens: FormatTokens(e.Tokens), TopWords: formatWords(e.Words), Text: e.Text}
		if len(e.Probs) == 3 {
			row.PFavor, row.PAgainst, row.PNone = num(e.Probs[0]), num(e.Probs[1]), num(e.Probs[2])
		}
		rows = append(rows, row)
	}
	return gocsv.Marshal(rows, w)
}

// formatWords renders ExplainWords' result as "word:+0.123" separated by
// spaces (the value pushed toward is the predicted column).
func formatWords(cs []labels.Contribution) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%+.3f", c.Token, c.Score)
	}
	return b.String()
}

// FormatTokens renders contributions as "token:+0.123" separated by
// spaces, with "→value" after the token when Value is set.
func FormatTokens(cs []labels.Contribution) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.Token)
		if c.Value != "" {
			b.WriteString("→")
			b.WriteString(c.Value)
		}
		fmt.Fprintf(&b, ":%+.3f", c.Score)
	}
	return b.String()
}

// WriteComparisonCSV writes comparison.csv from r.Changes (see Compare):
// system,fold,target,value,metric,old,new,change,old_ci_low,old_ci_high,
// new_ci_low,new_ci_high,old_n,new_n,flag.
func (r *Report) WriteComparisonCSV(w io.Writer) error {
	rows := make([]comparisonRow, 0, len(r.Changes))
	for _, c := range r.Changes {
		m := c.Metric()
		row := comparisonRow{m.System, m.Fold, m.Target, m.Value, m.Name, num(c.Old.Estimate), num(c.New.Estimate), num(c.Delta),
			num(c.Old.Low), num(c.Old.High), num(c.New.Low), num(c.New.High), "", "", c.Flag}
		if c.Flag != FlagNew {
			row.OldN = strconv.Itoa(c.Old.N)
		}
		if c.Flag != FlagGone {
			row.NewN = strconv.Itoa(c.New.N)
		}
		rows = append(rows, row)
	}
	return gocsv.Marshal(rows, w)
}

// ErrMetricsFormat is wrapped by every *labels.ParseError about the
// content of a metrics file (as opposed to I/O or CSV syntax).
var ErrMetricsFormat = errors.New("not a metrics.csv")

// ReadMetricsFile reads a metrics.csv written by WriteMetricsCSV.
func ReadMetricsFile(path string) ([]Metric, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadMetrics(f, path)
}

// ReadMetrics reads metrics.csv content from r; name labels errors. The
// fold column may be missing (read as ""); every other column of
// WriteMetricsCSV is required, in any order. Empty numeric cells read as
// NaN. Every problem is reported as a *labels.ParseError with its line
// and column; the first one stops the read.
func ReadMetrics(r io.Reader, name string) ([]Metric, error) {
	cr := csv.NewReader(bom.NewReader(r))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &labels.ParseError{File: name, Line: 1, Err: fmt.Errorf("%w: empty file", ErrMetricsFormat)}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	col := columnIndex(header)
	need := []string{"system", "target", "value", "metric", "estimate", "ci_low", "ci_high", "n"}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return nil, &labels.ParseError{File: name, Line: 1, Err: fmt.Errorf("%w: missing column %q", ErrMetricsFormat, c)}
		}
	}
	var out []Metric
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		bad := func(c string, err error) error {
			_, column := cr.FieldPos(col[c])
			return &labels.ParseError{File: name, Line: line, Column: column, Err: fmt.Errorf("%w: column %s: %v", ErrMetricsFormat, c, err)}
		}
		m := Metric{System: get("system"), Fold: get("fold"), Target: get("target"), Value: get("value"), Name: get("metric")}
		for _, f := range []struct {
			c   string
			dst *float64
		}{{"estimate", &m.Estimate}, {"ci_low", &m.Low}, {"ci_high", &m.High}} {
			s := strings.TrimSpace(get(f.c))
			if s == "" {
				*f.dst = math.NaN()
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return out, bad(f.c, fmt.Errorf("%q is not a finite number", s))
			}
			*f.dst = v
		}
		if s := strings.TrimSpace(get("n")); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return out, bad("n", fmt.Errorf("%q is not a count", s))
			}
			m.N = n
		}
		if m.System == "" || m.Name == "" {
			return out, bad("system", errors.New("empty system or metric"))
		}
		out = append(out, m)
	}
}

// csvError is labels.CSVError with encoding/csv's message as the
// problem, as metrics and fingerprint errors have always read.
func csvError(name string, err error) error {
	pe := labels.CSVError(name, err)
	var ce *csv.ParseError
	if errors.As(err, &ce) {
		pe.Err, pe.Detail = ce.Err, ""
	}
	return pe
}

// columnIndex maps the names of a CSV header, trimmed and without a
// byte-order mark, to their positions.
func columnIndex(header []string) map[string]int {
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\uFEFF")] = i
	}
	return col
}
