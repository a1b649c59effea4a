package eval

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/stance-project/stance/labels"
)

// AllTargets is the target name of rows that summarise every target
// (headline, micro averages, pooled calibration). Target names are lower
// case, so it cannot clash with one.
const AllTargets = "ALL"

// Metric names used in Metric.Name and metrics.csv.
const (
	MetricPrecision   = "precision"
	MetricRecall      = "recall"
	MetricF1          = "f1"
	MetricSupport     = "support"
	MetricFAvg        = "f_avg"
	MetricDetectionF1 = "detection_f1"
	MetricAccuracy    = "accuracy"
	MetricECE         = "ece"
	MetricMeanFAvg    = "mean_f_avg"
	MetricMicroF1     = "micro_f1"
	MetricMicroFAvg   = "micro_f_avg"
)

// Options controls the bootstrap, calibration and error listing. The zero
// value is not useful; start from DefaultOptions.
type Options struct {
	Seed      uint64  // seed of the bootstrap's PCG source
	Resamples int     // bootstrap resamples, 0 to MaxResamples; 0 disables intervals
	Level     float64 // confidence level of the intervals, in (0, 1)
	Bins      int     // reliability bins over [0, 1], at least 1
	TopTokens int     // tokens per error asked of an Explainer
}

// MaxResamples bounds Options.Resamples: the bootstrap keeps every
// metric of every resample (10 floats per target and 4 more: 35 MB for 4
// targets at the bound), and 100,000 resamples already pin a 95%
// interval's ends to well under a thousandth.
const MaxResamples = 100_000

// DefaultOptions returns seed 1, 1000 resamples, 95% intervals, 10 bins
// and 5 tokens per error.
func DefaultOptions() Options {
	return Options{Seed: 1, Resamples: 1000, Level: 0.95, Bins: 10, TopTokens: 5}
}

// System is one set of predictions to score: the model or a baseline.
// Preds is aligned with the evaluated rows (Preds[i] is the prediction for
// rows[i]); a non-empty Prediction.ID must equal the row's ID. Probs may
// be nil in every prediction (no calibration then) or set in all.
type System struct {
	Name  string
	Preds []labels.Prediction
	// Explain, if not nil, returns the k tokens that pushed the
	// prediction of target t for row i the most; used for errors.csv.
	Explain func(row, target, k int) []labels.Contribution
}

// Metric is one estimate: a row of metrics.csv. Fold is "" for metrics
// over all evaluated rows and "1".."K" for one cross-validation fold.
// Value is "favor", "against" or "none" for per-value metrics and ""
// otherwise. Low and High bound the bootstrap interval (NaN when there
// is none); Estimate is NaN when the metric is undefined. N is the number
// of sentences the estimate is computed on.
type Metric struct {
	System   string
	Fold     string
	Target   string
	Value    string
	Name     string
	Estimate float64
	Low      float64
	High     float64
	N        int
}

// Key identifies a metric across evaluations.
func (m Metric) Key() string {
	return m.System + "\x00" + m.Fold + "\x00" + m.Target + "\x00" + m.Value + "\x00" + m.Name
}

// CalibrationBin is one bin of a reliability table: predictions whose
// confidence is in [Lower, Upper) (the last bin includes 1). Confidence
// is their mean confidence and Accuracy the share that were right; both
// NaN for an empty bin.
type CalibrationBin struct {
	Target     string
	Bin        int
	Lower      float64
	Upper      float64
	N          int
	Confidence float64
	Accuracy   float64
}

// ErrorRow is one misclassified (sentence, target) pair of the evaluated
// system.
type ErrorRow struct {
	Fold       string // cross-validation fold, "" otherwise
	Row        int    // index into the evaluated rows
	ID         string
	DocID      string
	Text       string
	Target     string
	Gold       string
	Predicted  string
	Confidence float64   // probability of the predicted value, NaN if none
	Probs      []float64 // favor, against, none; nil if the system has none
	// Tokens are the explainer's k strongest contributions as it reports
	// them (features of the model: subword pieces, character n-grams).
	Tokens []labels.Contribution
	// Words are the words of Text that pushed the prediction toward the
	// predicted value, strongest first, at most k (ExplainWords).
	Words []labels.Contribution
}

// SystemResult is everything computed for one system.
type SystemResult struct {
	Name string
	// Confusion is aligned with the taxonomy's targets.
	Confusion []labels.Confusion
	// Metrics lists every estimate in a fixed order: per target, then
	// ALL, then per fold.
	Metrics []Metric
	// Calibration holds Options.Bins bins per target, then for ALL; nil
	// when the system has no probabilities.
	Calibration []CalibrationBin
	// Calibrated reports whether the system has probabilities.
	Calibrated bool

	headline []float64 // bootstrap samples of mean_f_avg
}

// Lookup returns the metric of the given fold, target, value and name, and
// whether it exists.
func (s *SystemResult) Lookup(fold, target, value, name string) (Metric, bool) {
	for _, m := range s.Metrics {
		if m.Fold == fold && m.Target == target && m.Value == value && m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// Diff is a paired bootstrap estimate of the headline difference between
// the evaluated system and a baseline (evaluated minus baseline).
type Diff struct {
	Baseline string
	Estimate float64
	Low      float64
	High     float64
}

// Report is the result of an evaluation. Systems[0] is the evaluated
// system; the others are baselines. Write it with Files, or piece by
// piece with the Write* methods.
type Report struct {
	Taxonomy labels.Taxonomy
	Options  Options
	// Rows is the number of evaluated rows; Labelled and Unlabelled count,
	// per target, the rows whose gold label is set or empty.
	Rows       int
	Labelled   []int
	Unlabelled []int
	// Folds is the number of cross-validation folds, 0 for a held-out
	// evaluation.
	Folds   int
	Systems []*SystemResult
	// Diffs compares Systems[0]'s headline with each baseline's.
	Diffs []Diff
	// Errors lists Systems[0]'s misclassified pairs, in row then target
	// order.
	Errors []ErrorRow
	// Gold identifies the evaluated rows; Files saves it so that a
	// later evaluation can check it compares like with like.
	Gold Fingerprint
	// Changes and Headlines are set by Compare.
	Changes   []Change
	Headlines []HeadlineChange
	// GoldWarnings is set by CompareGold: why the comparison is not like
	// for like, or cannot be checked.
	GoldWarnings []string
	// Meta describes the run for the report's header.
	Meta Meta
}

// Meta describes where an evaluation came from; every field is optional
// and only shown in the report.
type Meta struct {
	Title    string   // page title; "Stance evaluation" if empty
	Model    string   // model file
	Labels   []string // gold label files
	Baseline string   // directory of the earlier evaluation compared with
	// Trained is the number of evaluated rows the model was trained on,
	// when known; above 0 the summary and the page do not call the
	// evaluation held out.
	Trained int
}

// Evaluate scores each system's predictions against rows: metrics with
// bootstrap intervals, confusion matrices, calibration, the paired
// headline differences and the first system's errors. It returns an error
// when a system's predictions do not align with rows or hold a value the
// taxonomy does not have, or when a gold label is not a value of its
// target; it never modifies its arguments.
func Evaluate(tax labels.Taxonomy, rows []labels.Gold, systems []System, opts Options) (*Report, error) {
	return evaluate(context.Background(), tax, rows, systems, nil, 0, opts)
}

// rowData is one row encoded for fast resampling: per target the gold and
// predicted value indexes (-1 gold: unlabelled), the confidence bin and
// the confidence.
type rowData struct {
	gold, pred []int8
	bin        []int16
	conf       []float64
}

// evaluate is Evaluate with folds (for cross-validation) and a context
// that stops the bootstrap.
func evaluate(ctx context.Context, tax labels.Taxonomy, rows []labels.Gold, systems []System, folds []int, k int, opts Options) (*Report, error) {
	if len(systems) == 0 {
		return nil, fmt.Errorf("eval: no system to evaluate")
	}
	if opts.Bins < 1 {
		return nil, fmt.Errorf("eval: %d calibration bins, want at least 1", opts.Bins)
	}
	if opts.Resamples < 0 || opts.Resamples > MaxResamples {
		return nil, fmt.Errorf("eval: %d bootstrap resamples, want 0 to %d", opts.Resamples, MaxResamples)
	}
	if opts.Resamples > 0 && (opts.Level <= 0 || opts.Level >= 1) {
		return nil, fmt.Errorf("eval: confidence level %g not in (0, 1)", opts.Level)
	}
	T := len(tax.Targets)
	rep := &Report{Taxonomy: tax, Options: opts, Rows: len(rows), Labelled: make([]int, T), Unlabelled: make([]int, T), Folds: k,
		Gold: FingerprintRows(tax, rows)}
	gold := make([][]int8, len(rows))
	for i, r := range rows {
		if len(r.Labels) != T {
			return nil, fmt.Errorf("eval: row %d (id %q) has %d labels, taxonomy has %d targets", i+1, r.ID, len(r.Labels), T)
		}
		gold[i] = make([]int8, T)
		for t, v := range r.Labels {
			if v == "" {
				gold[i][t] = -1
				rep.Unlabelled[t]++
				continue
			}
			j := tax.ValueIndex(t, v)
			if j < 0 || j > 2 {
				return nil, fmt.Errorf("eval: row %d (id %q): gold %s = %q is not a value of the target", i+1, r.ID, tax.Targets[t].Name, v)
			}
			gold[i][t] = int8(j)
			rep.Labelled[t]++
		}
	}
	keys := metricKeys(tax)
	for si, sys := range systems {
		data, calibrated, err := encode(tax, rows, gold, sys, opts.Bins)
		if err != nil {
			return nil, err
		}
		res := &SystemResult{Name: sys.Name, Calibrated: calibrated}
		full := newStats(T, opts.Bins, calibrated)
		for i := range data {
			full.add(&data[i])
		}
		res.Confusion = slices.Clone(full.conf)
		point := full.vector(nil)
		samples, err := bootstrap(ctx, data, T, opts, calibrated, len(point))
		if err != nil {
			return nil, err
		}
		hi := headlineIndex(keys)
		if samples != nil {
			res.headline = samples[hi]
		}
		alpha := (1 - opts.Level) / 2
		for m, key := range keys {
			lo, up := math.NaN(), math.NaN()
			if samples != nil {
				lo, up = percentileCI(samples[m], alpha)
				if key.name == MetricECE && !math.IsNaN(point[m]) {
					// ECE is biased upward, and more so on a resample (its
					// duplicates make bins noisier): the percentile interval
					// can miss the estimate itself, and an unchanged model
					// would be flagged. Shift it by the resamples' median
					// bias, so that it holds the estimate.
					bias := percentileMedian(samples[m]) - point[m]
					lo, up = max(0, lo-bias), max(0, up-bias)
				}
			}
			if math.IsNaN(point[m]) {
				lo, up = math.NaN(), math.NaN()
			}
			n := len(rows)
			if key.t >= 0 {
				n = rep.Labelled[key.t]
			}
			if key.name == MetricECE && !calibrated {
				continue
			}
			res.Metrics = append(res.Metrics, Metric{System: sys.Name, Target: key.target, Value: key.value, Name: key.name, Estimate: point[m], Low: lo, High: up, N: n})
			if key.name == MetricAccuracy { // support rows follow each target's block
				for v := range 3 {
					res.Metrics = append(res.Metrics, Metric{System: sys.Name, Target: key.target, Value: tax.Targets[key.t].Values[v], Name: MetricSupport,
						Estimate: float64(full.conf[key.t].Support(v)), Low: math.NaN(), High: math.NaN(), N: n})
				}
			}
		}
		if folds != nil {
			for f := range k {
				fs := newStats(T, opts.Bins, false)
				nf := 0
				for i := range data {
					if folds[i] == f {
						fs.add(&data[i])
						nf++
					}
				}
				name := strconv.Itoa(f + 1)
				res.Metrics = append(res.Metrics,
					Metric{System: sys.Name, Fold: name, Target: AllTargets, Name: MetricMeanFAvg, Estimate: labels.MeanFAvg(fs.conf), Low: math.NaN(), High: math.NaN(), N: nf},
					Metric{System: sys.Name, Fold: name, Target: AllTargets, Name: MetricMicroF1, Estimate: labels.MicroF1(fs.conf), Low: math.NaN(), High: math.NaN(), N: nf})
			}
		}
		if calibrated {
			res.Calibration = full.calibration(tax, opts.Bins)
		}
		rep.Systems = append(rep.Systems, res)
		if si == 0 {
			rep.Errors = collectErrors(tax, rows, data, sys, folds, opts.TopTokens)
		}
	}
	base := rep.Systems[0]
	hb, _ := base.Lookup("", AllTargets, "", MetricMeanFAvg)
	for _, s := range rep.Systems[1:] {
		hs, _ := s.Lookup("", AllTargets, "", MetricMeanFAvg)
		d := Diff{Baseline: s.Name, Estimate: hb.Estimate - hs.Estimate, Low: math.NaN(), High: math.NaN()}
		if base.headline != nil && s.headline != nil {
			diff := make([]float64, len(base.headline))
			for i := range diff {
				diff[i] = base.headline[i] - s.headline[i]
			}
			d.Low, d.High = percentileCI(diff, (1-opts.Level)/2)
		}
		if math.IsNaN(d.Estimate) {
			d.Low, d.High = math.NaN(), math.NaN()
		}
		rep.Diffs = append(rep.Diffs, d)
	}
	return rep, nil
}

// encode checks a system's predictions against rows and encodes them.
func encode(tax labels.Taxonomy, rows []labels.Gold, gold [][]int8, sys System, bins int) ([]rowData, bool, error) {
	T := len(tax.Targets)
	if len(sys.Preds) != len(rows) {
		return nil, false, fmt.Errorf("eval: system %q has %d predictions for %d rows", sys.Name, len(sys.Preds), len(rows))
	}
	calibrated := len(rows) > 0 && sys.Preds[0].Probs != nil
	data := make([]rowData, len(rows))
	for i, p := range sys.Preds {
		if p.ID != "" && p.ID != rows[i].ID {
			return nil, false, fmt.Errorf("eval: system %q: prediction %d has id %q, row %d has id %q", sys.Name, i+1, p.ID, i+1, rows[i].ID)
		}
		if len(p.Values) != T {
			return nil, false, fmt.Errorf("eval: system %q: prediction for %q has %d values, taxonomy has %d targets", sys.Name, rows[i].ID, len(p.Values), T)
		}
		if (p.Probs != nil) != calibrated {
			return nil, false, fmt.Errorf("eval: system %q: prediction for %q: probabilities must be given for every row or for none", sys.Name, rows[i].ID)
		}
		if calibrated && len(p.Probs) != T {
			return nil, false, fmt.Errorf("eval: system %q: prediction for %q has probabilities for %d targets, taxonomy has %d", sys.Name, rows[i].ID, len(p.Probs), T)
		}
		d := rowData{gold: gold[i], pred: make([]int8, T)}
		if calibrated {
			d.bin = make([]int16, T)
			d.conf = make([]float64, T)
		}
		for t, v := range p.Values {
			j := tax.ValueIndex(t, v)
			if j < 0 || j > 2 {
				return nil, false, fmt.Errorf("eval: system %q: prediction for %q: %s = %q is not a value of the target", sys.Name, rows[i].ID, tax.Targets[t].Name, v)
			}
			d.pred[t] = int8(j)
			if calibrated {
				if len(p.Probs[t]) != 3 {
					return nil, false, fmt.Errorf("eval: system %q: prediction for %q: %s has %d probabilities, want 3", sys.Name, rows[i].ID, tax.Targets[t].Name, len(p.Probs[t]))
				}
				c := p.Probs[t][j]
				if math.IsNaN(c) || c < 0 || c > 1 {
					return nil, false, fmt.Errorf("eval: system %q: prediction for %q: %s probability %g not in [0, 1]", sys.Name, rows[i].ID, tax.Targets[t].Name, c)
				}
				d.conf[t] = c
				d.bin[t] = int16(binOf(c, bins))
			}
		}
		data[i] = d
	}
	return data, calibrated, nil
}

// binOf returns the equal-width bin of c in [0, 1]; 1 goes in the last.
func binOf(c float64, bins int) int {
	b := int(c * float64(bins))
	return min(max(b, 0), bins-1)
}

type calBin struct {
	n, correct int
	conf       float64
}

// stats accumulates what every metric needs: per-target confusion
// matrices and, for calibrated systems, per-target and pooled bins.
type stats struct {
	conf []labels.Confusion
	bins [][]calBin // T+1 rows (the last pools all targets), nil if uncalibrated
}

func newStats(T, bins int, calibrated bool) *stats {
	s := &stats{conf: make([]labels.Confusion, T)}
	if calibrated {
		s.bins = make([][]calBin, T+1)
		for i := range s.bins {
			s.bins[i] = make([]calBin, bins)
		}
	}
	return s
}

func (s *stats) reset() {
	clear(s.conf)
	for _, b := range s.bins {
		clear(b)
	}
}

func (s *stats) add(d *rowData) { s.addN(d, 1) }

// addN counts row d w times.
func (s *stats) addN(d *rowData, w int) {
	for t, g := range d.gold {
		if g < 0 {
			continue
		}
		p := d.pred[t]
		s.conf[t][g][p] += w
		if s.bins != nil {
			ok := 0
			if g == p {
				ok = w
			}
			c := float64(w) * d.conf[t]
			for _, row := range [2]int{t, len(d.gold)} {
				b := &s.bins[row][d.bin[t]]
				b.n += w
				b.correct += ok
				b.conf += c
			}
		}
	}
}

func (s *stats) ece(row int) float64 {
	if s.bins == nil {
		return math.NaN()
	}
	n := 0
	sum := 0.0
	for _, b := range s.bins[row] {
		if b.n == 0 {
			continue
		}
		n += b.n
		sum += math.Abs(float64(b.correct) - b.conf) // n_b·|acc_b − conf_b|
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

func (s *stats) calibration(tax labels.Taxonomy, bins int) []CalibrationBin {
	var out []CalibrationBin
	for row := range s.bins {
		name := AllTargets
		if row < len(tax.Targets) {
			name = tax.Targets[row].Name
		}
		for b, cb := range s.bins[row] {
			out = append(out, CalibrationBin{
				Target: name, Bin: b + 1,
				Lower: float64(b) / float64(bins), Upper: float64(b+1) / float64(bins),
				N: cb.n, Confidence: fratio(cb.conf, cb.n), Accuracy: labels.Ratio(cb.correct, cb.n),
			})
		}
	}
	return out
}

func fratio(a float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return a / float64(n)
}

// metricKey names one entry of the vector stats.vector returns.
type metricKey struct {
	t             int // target index, -1 for ALL
	target, value string
	name          string
}

// metricKeys lists the bootstrapped metrics in vector order: per target
// (precision, recall, F1 of favor and against; F_avg, detection F1,
// accuracy, ECE), then ALL (mean F_avg, micro F1, micro F_avg, ECE).
func metricKeys(tax labels.Taxonomy) []metricKey {
	var keys []metricKey
	for t, tg := range tax.Targets {
		for _, v := range []int{labels.FavorIndex, labels.AgainstIndex} {
			for _, name := range []string{MetricPrecision, MetricRecall, MetricF1} {
				keys = append(keys, metricKey{t, tg.Name, tg.Values[v], name})
			}
		}
		for _, name := range []string{MetricFAvg, MetricDetectionF1, MetricAccuracy, MetricECE} {
			keys = append(keys, metricKey{t, tg.Name, "", name})
		}
	}
	for _, name := range []string{MetricMeanFAvg, MetricMicroF1, MetricMicroFAvg, MetricECE} {
		keys = append(keys, metricKey{-1, AllTargets, "", name})
	}
	return keys
}

func headlineIndex(keys []metricKey) int {
	for i, k := range keys {
		if k.t < 0 && k.name == MetricMeanFAvg {
			return i
		}
	}
	panic("eval: no headline metric")
}

// vector appends every metric, in metricKeys order, to dst.
func (s *stats) vector(dst []float64) []float64 {
	for t := range s.conf {
		c := &s.conf[t]
		for _, v := range []int{labels.FavorIndex, labels.AgainstIndex} {
			dst = append(dst, c.Precision(v), c.Recall(v), c.F1(v))
		}
		dst = append(dst, c.FAvg(), c.DetectionF1(), c.Accuracy(), s.ece(t))
	}
	return append(dst, labels.MeanFAvg(s.conf), labels.MicroF1(s.conf), labels.MicroFAvg(s.conf), s.ece(len(s.conf)))
}

// bootstrap returns samples[m][r], metric m on resample r, or nil when
// resampling is off or there are no rows. Every call with the same seed
// and row count draws the same indices. Its memory is m × resamples
// floats plus one weight per row, never resamples × rows. It stops with
// ctx's error when ctx is cancelled.
func bootstrap(ctx context.Context, data []rowData, T int, opts Options, calibrated bool, m int) ([][]float64, error) {
	n := len(data)
	if opts.Resamples <= 0 || n == 0 {
		return nil, nil
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0xda3e39cb94b95bdb))
	samples := make([][]float64, m)
	for i := range samples {
		samples[i] = make([]float64, opts.Resamples)
	}
	s := newStats(T, opts.Bins, calibrated)
	vec := make([]float64, 0, m)
	weight := make([]int32, n) // how often each row is drawn in this resample
	for r := range opts.Resamples {
		if r%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		s.reset()
		clear(weight)
		for range n {
			weight[rng.IntN(n)]++
		}
		for i, w := range weight {
			if w > 0 {
				s.addN(&data[i], int(w))
			}
		}
		vec = s.vector(vec[:0])
		for i, v := range vec {
			samples[i][r] = v
		}
	}
	return samples, nil
}

// percentileCI returns the alpha and 1-alpha quantiles of the defined
// (non-NaN) samples, interpolated linearly between order statistics
// (Hyndman and Fan type 7, as R's quantile default); NaN, NaN if none is
// defined.
func percentileCI(samples []float64, alpha float64) (lo, hi float64) {
	def := make([]float64, 0, len(samples))
	for _, v := range samples {
		if !math.IsNaN(v) {
			def = append(def, v)
		}
	}
	if len(def) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(def)
	return quantile(def, alpha), quantile(def, 1-alpha)
}

// percentileMedian returns the median of the defined samples (NaN if
// none is).
func percentileMedian(samples []float64) float64 {
	lo, _ := percentileCI(samples, 0.5)
	return lo
}

// quantile returns the p quantile of sorted xs (type 7).
func quantile(xs []float64, p float64) float64 {
	h := p * float64(len(xs)-1)
	i := int(math.Floor(h))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

func collectErrors(tax labels.Taxonomy, rows []labels.Gold, data []rowData, sys System, folds []int, k int) []ErrorRow {
	var out []ErrorRow
	for i := range data {
		d := &data[i]
		for t, g := range d.gold {
			if g < 0 || g == d.pred[t] {
				continue
			}
			tg := tax.Targets[t]
			e := ErrorRow{Row: i, ID: rows[i].ID, DocID: rows[i].DocID, Text: rows[i].Text, Target: tg.Name,
				Gold: tg.Values[g], Predicted: tg.Values[d.pred[t]], Confidence: math.NaN()}
			if folds != nil {
				e.Fold = strconv.Itoa(folds[i] + 1)
			}
			if d.conf != nil {
				e.Confidence = d.conf[t]
				e.Probs = slices.Clone(sys.Preds[i].Probs[t])
			}
			if sys.Explain != nil && k > 0 {
				all := sys.Explain(i, t, 0)
				e.Tokens = all[:min(k, len(all))]
				e.Words = ExplainWords(rows[i].Text, e.Predicted, d.pred[t] == labels.NoneIndex, all, k)
			}
			out = append(out, e)
		}
	}
	return out
}
