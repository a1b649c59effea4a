package eval

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/stance-project/stance/labels"
)

// Output file names of Files.
const (
	FileMetrics     = "metrics.csv"
	FileConfusion   = "confusion.csv"
	FileCalibration = "calibration.csv"
	FileErrors      = "errors.csv"
	FileComparison  = "comparison.csv"
	FileReport      = "report.html"
)

// DirFiles returns the names of every file Files may return, whether or
// not a given report has it, so that a command can check before it
// starts that none of them is one of its inputs.
func DirFiles() []string {
	return []string{FileMetrics, FileConfusion, FileCalibration, FileErrors, FileReport, FileFingerprint, FileComparison}
}

// OutputFile is one file of a report's folder: its name there and what
// to write in it.
type OutputFile struct {
	Name  string
	Write func(io.Writer) error
}

// Files returns the files of the report's folder, in this order:
// metrics.csv, confusion.csv, calibration.csv, errors.csv, report.html,
// fingerprint.csv (when r.Gold is set, as Evaluate sets it) and, when
// Compare was called, comparison.csv. The caller writes them, all or
// none: stance eval writes each to a temporary file and renames them
// into place only when every one was written (atomicfile.WriteFiles), so
// a reader never sees half a file nor a mix of new files and an earlier
// run's.
func (r *Report) Files() []OutputFile {
	files := []OutputFile{
		{FileMetrics, r.WriteMetricsCSV},
		{FileConfusion, r.WriteConfusionCSV},
		{FileCalibration, r.WriteCalibrationCSV},
		{FileErrors, r.WriteErrorsCSV},
		{FileReport, r.WriteHTML},
	}
	if r.Gold.IDs != "" {
		files = append(files, OutputFile{FileFingerprint, r.WriteFingerprintCSV})
	}
	if r.Changes != nil {
		files = append(files, OutputFile{FileComparison, r.WriteComparisonCSV})
	}
	return files
}

// fmtScore formats a score with three decimals, "n/a" when undefined.
func fmtScore(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", v)
}

// fmtCI formats an interval as "[0.512, 0.634]", "" when there is none.
func fmtCI(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return ""
	}
	return fmt.Sprintf("[%.3f, %.3f]", lo, hi)
}

func fmtDelta(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%+.3f", v)
}

// withCI formats a metric as "0.581 [0.512, 0.634]".
func withCI(m Metric) string {
	s := fmtScore(m.Estimate)
	if ci := fmtCI(m.Low, m.High); ci != "" {
		s += " " + ci
	}
	return s
}

// WriteSummary writes a short plain-text summary for a terminal: per
// target the evaluated system's F1 of favor and against and F_avg with
// intervals and the baselines' F_avg, the headline with a note for each
// target whose F_avg is one F1 alone (no gold favor or against) or
// undefined, its paired differences from the baselines, and, after
// Compare, the headline's change, every metric of the evaluated system
// flagged worse, and how many of its metrics were judged and how many
// not for a thin old interval (see Change). When the two evaluations
// score different targets, the headline's change is the change of the
// mean over the targets scored in both (HeadlineChange), not judged
// against the old interval, and a footnote names the targets left out.
func (r *Report) WriteSummary(w io.Writer) error {
	ew := &errWriter{w: w}
	main := r.Systems[0]
	kind := "held-out evaluation"
	if r.Meta.Trained > 0 {
		kind = "evaluation " + r.trainedNote()
	}
	if r.Folds > 0 {
		kind = fmt.Sprintf("%d-fold cross-validation (pooled out-of-fold predictions)", r.Folds)
	}
	fmt.Fprintf(ew, "%s: %d sentences, %d targets; %.0f%% bootstrap intervals (%d resamples, seed %d)\n\n",
		kind, r.Rows, len(r.Taxonomy.Targets), r.Options.Level*100, r.Options.Resamples, r.Options.Seed)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	head := []string{"target", "n", "F1 favor", "F1 against", "F_avg", "detect F1"}
	for _, s := range r.Systems[1:] {
		head = append(head, s.Name+" F_avg")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for t, tg := range r.Taxonomy.Targets {
		get := func(s *SystemResult, value, name string) Metric {
			m, _ := s.Lookup("", tg.Name, value, name)
			return m
		}
		row := []string{tg.Name, fmt.Sprint(r.Labelled[t]),
			withCI(get(main, tg.Values[labels.FavorIndex], MetricF1)), withCI(get(main, tg.Values[labels.AgainstIndex], MetricF1)),
			withCI(get(main, "", MetricFAvg)), fmtScore(get(main, "", MetricDetectionF1).Estimate)}
		for _, s := range r.Systems[1:] {
			row = append(row, fmtScore(get(s, "", MetricFAvg).Estimate))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	hm, _ := main.Lookup("", AllTargets, "", MetricMeanFAvg)
	row := []string{"mean F_avg", fmt.Sprint(r.Rows), "", "", withCI(hm), ""}
	for _, s := range r.Systems[1:] {
		m, _ := s.Lookup("", AllTargets, "", MetricMeanFAvg)
		row = append(row, fmtScore(m.Estimate))
	}
	fmt.Fprintln(tw, strings.Join(row, "\t"))
	tw.Flush()
	fmt.Fprintln(ew)
	mf, _ := main.Lookup("", AllTargets, "", MetricMicroF1)
	fmt.Fprintf(ew, "headline mean F_avg %s; micro F1 %s\n", withCI(hm), withCI(mf))
	for _, n := range r.fAvgNotes() {
		fmt.Fprintf(ew, "  note: %s\n", n)
	}
	for _, d := range r.Diffs {
		fmt.Fprintf(ew, "  %s − %s: %s %s\n", main.Name, d.Baseline, fmtDelta(d.Estimate), fmtCI(d.Low, d.High))
	}
	if r.Folds > 0 {
		fs, mean, sd := foldScores(main)
		fmt.Fprintf(ew, "per-fold mean F_avg: %s (mean %s, sd %s)\n", strings.Join(fs, " "), fmtScore(mean), fmtScore(sd))
	}
	if r.Changes != nil {
		fmt.Fprintf(ew, "\nchange against %s:\n", orDefault(r.Meta.Baseline, "the earlier evaluation"))
		h, paired := r.Headline(main.Name)
		for _, c := range r.Changes {
			m := c.Metric()
			if m.System != main.Name || m.Fold != "" || m.Target != AllTargets || m.Name != MetricMeanFAvg {
				continue
			}
			switch {
			case paired && h.Unpaired:
				fmt.Fprintf(ew, "  headline* %s -> %s (%s), not judged: the old interval is over other targets\n",
					fmtScore(h.Old), fmtScore(h.New), fmtDelta(h.New-h.Old))
				fmt.Fprintf(ew, "  * %s; each evaluation's own headline: %s -> %s\n", h.Note(), fmtScore(c.Old.Estimate), fmtScore(c.New.Estimate))
			case paired && h.Note() != "":
				fmt.Fprintf(ew, "  headline* %s -> %s (%s)%s\n", fmtScore(c.Old.Estimate), fmtScore(c.New.Estimate), fmtDelta(c.Delta), r.flagNote(c))
				fmt.Fprintf(ew, "  * %s\n", h.Note())
			default:
				fmt.Fprintf(ew, "  headline %s -> %s (%s)%s\n", fmtScore(c.Old.Estimate), fmtScore(c.New.Estimate), fmtDelta(c.Delta), r.flagNote(c))
			}
		}
		n := 0
		for _, c := range r.Changes {
			m := c.Metric()
			if c.Flag == FlagWorse && m.System == main.Name {
				n++
				fmt.Fprintf(ew, "  WORSE %s: %s -> %s (%s), old interval %s\n", metricLabel(m),
					fmtScore(c.Old.Estimate), fmtScore(c.New.Estimate), fmtDelta(c.Delta), fmtCI(c.Old.Low, c.Old.High))
			}
		}
		if n == 0 {
			fmt.Fprintln(ew, "  no metric of the model fell outside its old interval")
		}
		jc := r.judgeCounts(main.Name)
		better := fmt.Sprintf("%d better", jc.Better)
		if r.Meta.Trained > 0 {
			better = fmt.Sprintf("%d higher (not judged better: %s)", jc.Better, r.notHeldOutReason())
		}
		fmt.Fprintf(ew, "  %d worse, %s of the %d metrics of %s that could be judged (both estimates defined, an old interval with width)\n",
			jc.Worse, better, jc.Judged, main.Name)
		if jc.Thin > 0 {
			fmt.Fprintf(ew, "  %d more could not be judged: %s\n", jc.Thin, thinReason)
		}
	}
	return ew.err
}

// thinReason says why a Change with Thin set is not judged.
var thinReason = fmt.Sprintf("the old interval has no width or rests on fewer than %d sentences or gold examples", MinJudgeRows)

// judgeTally counts changes by how they were judged.
type judgeTally struct {
	Judged        int // judged against the old interval (Change.Judged)
	Worse, Better int // of those, flagged
	Thin          int // not judged: the old interval is thin (Change.Thin)
}

// judgeCounts counts the changes of r.Changes, of one system or of all
// (system ""), by how they were judged.
func (r *Report) judgeCounts(system string) judgeTally {
	var jc judgeTally
	for _, c := range r.Changes {
		if system != "" && c.Metric().System != system {
			continue
		}
		switch {
		case c.Thin:
			jc.Thin++
		case c.Judged:
			jc.Judged++
		}
		switch c.Flag {
		case FlagWorse:
			jc.Worse++
		case FlagBetter:
			jc.Better++
		}
	}
	return jc
}

// fAvgNotes says which targets' F_avg is not the mean of two F1s, as
// the gold of a target lacks favor or against (or both): "F_avg of
// ukraine_support is favor's F1 alone: no gold against", or "F_avg of
// defense_spending is undefined: no gold favor or against; left out of
// the headline". Targets in taxonomy order.
func (r *Report) fAvgNotes() []string {
	var notes []string
	main := r.Systems[0]
	for t, tg := range r.Taxonomy.Targets {
		if t >= len(main.Confusion) {
			break
		}
		c := &main.Confusion[t]
		fv, av := tg.Values[labels.FavorIndex], tg.Values[labels.AgainstIndex]
		switch hasF, hasA := c.Support(labels.FavorIndex) > 0, c.Support(labels.AgainstIndex) > 0; {
		case hasF && hasA:
		case hasF:
			notes = append(notes, fmt.Sprintf("F_avg of %s is %s's F1 alone: no gold %s", tg.Name, fv, av))
		case hasA:
			notes = append(notes, fmt.Sprintf("F_avg of %s is %s's F1 alone: no gold %s", tg.Name, av, fv))
		default:
			notes = append(notes, fmt.Sprintf("F_avg of %s is undefined: no gold %s or %s; left out of the headline", tg.Name, fv, av))
		}
	}
	return notes
}

// trainedNote says how many evaluated rows the model was trained on
// (r.Meta.Trained above 0): "on the model's training rows (not held out:
// the scores are optimistic)".
func (r *Report) trainedNote() string {
	if r.Meta.Trained >= r.Rows {
		return "on the model's training rows (not held out: the scores are optimistic)"
	}
	return fmt.Sprintf("with %d of the %d rows from the model's training data (not held out: the scores are optimistic)", r.Meta.Trained, r.Rows)
}

// metricLabel names a metric for people: "defense_spending against f1".
func metricLabel(m Metric) string {
	parts := []string{m.Target}
	if m.Fold != "" {
		parts = append(parts, "fold "+m.Fold)
	}
	if m.Value != "" {
		parts = append(parts, m.Value)
	}
	return strings.Join(append(parts, m.Name), " ")
}

// foldScores returns each fold's mean F_avg of sys, formatted, and their
// mean and standard deviation, for the stdout summary and the page alike.
func foldScores(sys *SystemResult) (scores []string, mean, sd float64) {
	var vs []float64
	for _, m := range sys.Metrics {
		if m.Fold != "" && m.Name == MetricMeanFAvg {
			scores = append(scores, fmtScore(m.Estimate))
			vs = append(vs, m.Estimate)
		}
	}
	mean, sd = meanSD(vs)
	return scores, mean, sd
}

// meanSD returns the mean and sample standard deviation of the defined
// values (sd NaN with fewer than two).
func meanSD(vs []float64) (mean, sd float64) {
	var def []float64
	for _, v := range vs {
		if !math.IsNaN(v) {
			def = append(def, v)
		}
	}
	if len(def) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, v := range def {
		mean += v
	}
	mean /= float64(len(def))
	if len(def) < 2 {
		return mean, math.NaN()
	}
	for _, v := range def {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(def)-1))
}

// flagNote says how a change was judged; on rows the model was trained
// on, a rise is "higher", not better.
func (r *Report) flagNote(c Change) string {
	switch {
	case c.Flag == FlagWorse:
		return " WORSE: outside the old interval"
	case c.Flag == FlagBetter && r.Meta.Trained > 0:
		return " higher: outside the old interval, not judged better: " + r.notHeldOutReason()
	case c.Flag == FlagBetter:
		return " better: outside the old interval"
	case c.Flag == FlagNew:
		return " new"
	}
	if c.Thin {
		return ", not judged: " + thinReason
	}
	if !c.Judged {
		return ", not judged"
	}
	return ", within the old interval"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// errWriter keeps the first write error so formatting code can ignore it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
