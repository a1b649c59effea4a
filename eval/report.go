package eval

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/stance-project/stance/labels"
)

//go:embed report.html.tmpl
var reportTemplate string

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"score": fmtScore,
	"ci":    fmtCI,
	"delta": fmtDelta,
	"pct":   func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) },
	"f1":    func(v float64) string { return fmt.Sprintf("%.1f", v) },
	// pipeline-friendly arithmetic for SVG geometry: x | addf a = x+a,
	// x | subf a = x−a, size | add2pad pad = size+2·pad.
	"addf":    func(a, x float64) float64 { return x + a },
	"subf":    func(a, x float64) float64 { return x - a },
	"add2pad": func(pad, size float64) float64 { return size + 2*pad },
	"half":    func(x float64) float64 { return x / 2 },
}).Parse(reportTemplate))

// MostConfidentErrors is how many errors the HTML report lists.
const MostConfidentErrors = 20

// WriteHTML writes report.html: one self-contained page (inline CSS and
// SVG, no scripts, nothing fetched) with the headline against the
// baselines, the comparison with an earlier evaluation if any, a chart and
// a table of per-target scores, confusion matrices, reliability charts,
// per-fold scores for a cross-validation, and the most confident errors.
func (r *Report) WriteHTML(w io.Writer) error {
	return pageTemplate.Execute(w, r.page())
}

// page is the view model of report.html: every number preformatted and
// every chart's geometry computed, so the template only lays out.
type page struct {
	Title   string
	Kind    string
	Meta    Meta
	Rows    int
	Targets int
	Options Options
	// Headline is the evaluated system's mean F_avg; Compare the cards
	// beside it: the baselines but majority, and the earlier evaluation's
	// model after Compare.
	Headline card
	Compare  []card
	// Figures are the other summary figures, each explained, below the
	// headline.
	Figures   []figure
	Micro     string
	MicroFAvg string
	// FAvgNotes name the targets whose F_avg is one F1 alone or
	// undefined (fAvgNotes).
	FAvgNotes []string
	Changes   *changeView
	Chart     barChart
	Table     []targetRow
	Confusion []confusionView
	Reliab    []reliabilityChart
	HasCalib  bool
	Folds     []foldRow
	FoldMean  []string // per system: mean ± sd of the per-fold mean F_avg
	Errors    []errorView
	NErrors   int
	HasTokens bool // some listed error has an explanation
	CV        bool
	Systems   []string
	// MinJudgeRows is eval.MinJudgeRows, for the notes.
	MinJudgeRows int
}

type card struct {
	System string
	Score  string
	CI     string
	Diff   string // "model − keywords = +0.123 [0.05, 0.2]"
	Main   bool
	// What says in words what the system is.
	What string
}

// figure is one summary figure under the headline, with what it means.
type figure struct {
	Name, Value, Meaning string
}

type targetRow struct {
	Name                   string
	N, Unlabelled          int
	Favor, Against         valueCells
	FAvg, FAvgCI           string
	Detect, Acc, ECE       string
	DetectCI, ECECI, AccCI string
	Baselines              []string
	// a value with no gold example: F_avg is the other F1
	FavorUndefined, AgainstUndefined bool
}

type valueCells struct {
	F1, CI, P, R string
	Support      int
	Predicted    int
}

type confusionView struct {
	Target string
	Values []string
	Cells  [][]confCell
	Total  int
}

type confCell struct {
	Count int
	Share string // of the gold row
	Style template.CSS
	Diag  bool
}

type errorView struct {
	ID, Target, Gold, Predicted, Conf, Text, Fold string
	// Words pushed the prediction toward Predicted (ErrorRow.Words).
	Words []labels.Contribution
}

type foldRow struct {
	Fold   string
	N      int
	Scores []string // per system mean F_avg
	Micro  string
}

type changeView struct {
	Baseline string
	Headline string
	// HeadlineNote names the targets left out of the headline's change.
	HeadlineNote string
	// Warnings say why the comparison is not like for like (CompareGold).
	Warnings []string
	Worse    int
	Better   int
	Rows     []changeRow
	// NotHeldOut says why a rise is not judged better: the model was
	// trained on evaluated rows ("" when held out).
	NotHeldOut string
	// Judged counts the changes judged against the earlier interval (of
	// every system); Thin those not judged for a thin earlier interval,
	// and ThinReason says what that is.
	Judged, Thin int
	ThinReason   string
	// Main is the evaluated system and ThinMain its changes among Thin.
	Main     string
	ThinMain int
}

type changeRow struct {
	System, Target, Value, Metric string
	Old, New, Delta, OldCI, Flag  string
	OldN, NewN                    int
	// Shown is the flag as the page shows it: Flag, or "higher" for a
	// better flag on rows the model was trained on; Class its CSS class.
	Shown, Class string
}

// systemColours are the bar colours of the systems, in order.
var systemColours = []string{"#2563eb", "#9ca3af", "#f59e0b", "#10b981", "#ef4444"}

type barChart struct {
	Width, Height float64
	PlotTop       float64
	PlotBottom    float64
	Left          float64
	Grid          []gridLine
	Groups        []barGroup
	Legend        []legendItem
}

type gridLine struct {
	Y     float64
	Label string
}

type barGroup struct {
	Label string
	X     float64 // centre
	Bars  []bar
}

type bar struct {
	X, Y, W, H      float64
	Colour          string
	Label           string
	Undefined       bool
	Whisker         bool
	WLow, WHigh, WX float64
	LX, LY          float64 // value label position (above the whisker)
	Title           string
}

type legendItem struct {
	X      float64
	Colour string
	Name   string
}

type reliabilityChart struct {
	Target     string
	ECE        string
	N          int
	Size, Pad  float64
	Bars       []relBar
	Ticks      []relTick
	Diag       string
	Undefined  bool
	PlotOrigin float64
}

type relBar struct {
	X, Y, W, H float64
	DotX, DotY float64
	Opacity    float64
	Title      string
}

type relTick struct {
	Pos   float64
	Label string
}

func (r *Report) page() *page {
	main := r.Systems[0]
	p := &page{Title: orDefault(r.Meta.Title, "Stance evaluation"), Meta: r.Meta, Rows: r.Rows, Targets: len(r.Taxonomy.Targets), Options: r.Options,
		MinJudgeRows: MinJudgeRows}
	p.Kind = "Held-out evaluation"
	if r.Meta.Trained > 0 {
		p.Kind = "Evaluation " + r.trainedNote()
	}
	if r.Folds > 0 {
		p.Kind = fmt.Sprintf("%d-fold cross-validation, folds grouped by document; scores over the pooled out-of-fold predictions", r.Folds)
	}
	for _, s := range r.Systems {
		p.Systems = append(p.Systems, s.Name)
	}
	p.Headline, p.Compare, p.Figures = r.headlineCards()
	mf, _ := main.Lookup("", AllTargets, "", MetricMicroF1)
	p.Micro = withCI(mf)
	mfa, _ := main.Lookup("", AllTargets, "", MetricMicroFAvg)
	p.MicroFAvg = withCI(mfa)
	p.FAvgNotes = r.fAvgNotes()

	for t, tg := range r.Taxonomy.Targets {
		get := func(s *SystemResult, value, name string) Metric {
			m, ok := s.Lookup("", tg.Name, value, name)
			if !ok {
				return Metric{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}
			}
			return m
		}
		vc := func(v int) valueCells {
			m := get(main, tg.Values[v], MetricF1)
			return valueCells{F1: fmtScore(m.Estimate), CI: shortCI(m.Low, m.High),
				P: fmtScore(get(main, tg.Values[v], MetricPrecision).Estimate), R: fmtScore(get(main, tg.Values[v], MetricRecall).Estimate),
				Support: main.Confusion[t].Support(v), Predicted: main.Confusion[t].Predicted(v)}
		}
		fa := get(main, "", MetricFAvg)
		det := get(main, "", MetricDetectionF1)
		acc := get(main, "", MetricAccuracy)
		ece := get(main, "", MetricECE)
		row := targetRow{Name: tg.Name, N: r.Labelled[t], Unlabelled: r.Unlabelled[t], Favor: vc(labels.FavorIndex), Against: vc(labels.AgainstIndex),
			FAvg: fmtScore(fa.Estimate), FAvgCI: shortCI(fa.Low, fa.High), Detect: fmtScore(det.Estimate), DetectCI: shortCI(det.Low, det.High),
			Acc: fmtScore(acc.Estimate), AccCI: shortCI(acc.Low, acc.High), ECE: fmtScore(ece.Estimate), ECECI: shortCI(ece.Low, ece.High)}
		row.FavorUndefined = math.IsNaN(main.Confusion[t].F1(labels.FavorIndex))
		row.AgainstUndefined = math.IsNaN(main.Confusion[t].F1(labels.AgainstIndex))
		for _, s := range r.Systems[1:] {
			row.Baselines = append(row.Baselines, fmtScore(get(s, "", MetricFAvg).Estimate))
		}
		p.Table = append(p.Table, row)
		p.Confusion = append(p.Confusion, confusionOf(tg.Name, tg.Values, main.Confusion[t]))
	}
	p.Chart = r.barChart()
	if main.Calibrated {
		p.HasCalib = true
		p.Reliab = r.reliability(main)
	}
	if r.Folds > 0 {
		for f := range r.Folds {
			name := fmt.Sprint(f + 1)
			fr := foldRow{Fold: name}
			for _, s := range r.Systems {
				m, _ := s.Lookup(name, AllTargets, "", MetricMeanFAvg)
				fr.Scores = append(fr.Scores, fmtScore(m.Estimate))
				fr.N = m.N
			}
			mi, _ := main.Lookup(name, AllTargets, "", MetricMicroF1)
			fr.Micro = fmtScore(mi.Estimate)
			p.Folds = append(p.Folds, fr)
		}
		for _, s := range r.Systems {
			var vs []float64
			for _, m := range s.Metrics {
				if m.Fold != "" && m.Name == MetricMeanFAvg {
					vs = append(vs, m.Estimate)
				}
			}
			mean, sd := meanSD(vs)
			p.FoldMean = append(p.FoldMean, fmtScore(mean)+" ± "+fmtScore(sd))
		}
	}
	p.NErrors = len(r.Errors)
	p.CV = r.Folds > 0
	for _, e := range topErrors(r.Errors, MostConfidentErrors) {
		p.Errors = append(p.Errors, errorView{ID: e.ID, Target: e.Target, Gold: e.Gold, Predicted: e.Predicted,
			Conf: fmtScore(e.Confidence), Words: e.Words, Text: e.Text, Fold: e.Fold})
		p.HasTokens = p.HasTokens || len(e.Words) > 0
	}
	if r.Changes != nil {
		p.Changes = r.changeView(main.Name)
	}
	return p
}

// systemWhat says in words what a system is.
var systemWhat = map[string]string{
	SystemModel:    "the evaluated model",
	SystemMajority: "each target's most frequent gold value",
	SystemKeywords: "keyword rules from each target's description",
}

// headlineCards returns the headline card (the evaluated system's mean
// F_avg), the cards to compare it with (every baseline but majority, and
// after Compare the earlier evaluation's model), and the other summary
// figures, each with what it means, as stdout (WriteSummary) gives them.
func (r *Report) headlineCards() (card, []card, []figure) {
	main := r.Systems[0]
	m, _ := main.Lookup("", AllTargets, "", MetricMeanFAvg)
	head := card{System: main.Name, Score: fmtScore(m.Estimate), CI: fmtCI(m.Low, m.High), Main: true,
		What: "mean F_avg over targets: (F1 favor + F1 against)/2 per target, averaged"}
	var cmpCards []card
	var majority []figure
	for i, s := range r.Systems[1:] {
		sm, _ := s.Lookup("", AllTargets, "", MetricMeanFAvg)
		d := r.Diffs[i]
		diff := fmt.Sprintf("%s − %s = %s %s", main.Name, s.Name, fmtDelta(d.Estimate), fmtCI(d.Low, d.High))
		if s.Name == SystemMajority {
			meaning := "predicts " + systemWhat[SystemMajority] + "; " + diff
			if sm.Estimate == 0 {
				meaning = "predicts " + systemWhat[SystemMajority] + ", none here, and F_avg scores only favor and against: 0 by construction, so it gets no card (it stays in the chart, the table and metrics.csv)"
			}
			majority = append(majority, figure{Name: "Majority baseline, mean F_avg", Value: fmtScore(sm.Estimate), Meaning: meaning})
			continue
		}
		c := card{System: s.Name + " baseline", Score: fmtScore(sm.Estimate), CI: fmtCI(sm.Low, sm.High), Diff: diff, What: orDefault(systemWhat[s.Name], "a baseline")}
		cmpCards = append(cmpCards, c)
	}
	if c, ok := r.previousCard(main.Name); ok {
		cmpCards = append(cmpCards, c)
	}
	mf, _ := main.Lookup("", AllTargets, "", MetricMicroF1)
	mfa, _ := main.Lookup("", AllTargets, "", MetricMicroFAvg)
	figs := []figure{
		{Name: "Micro F1", Value: withCI(mf),
			Meaning: "F1 of favor and against with the counts of every target pooled: common targets weigh more than in the headline"},
		{Name: "SemEval-2016 official F_avg", Value: withCI(mfa),
			Meaning: "F1 favor and F1 against each over the pooled counts of every target, then averaged, as the SemEval-2016 Task 6 scorer computes it: comparable with published SemEval scores, not with the headline"},
	}
	figs = append(figs, majority...)
	if r.Folds > 0 {
		fs, mean, sd := foldScores(main)
		figs = append(figs, figure{Name: "Per-fold mean F_avg", Value: strings.Join(fs, ", "),
			Meaning: fmt.Sprintf("each fold's held-out rows scored alone (mean %s, sd %s): how much the score moves with the split; the headline pools every fold's predictions", fmtScore(mean), fmtScore(sd))})
	}
	return head, cmpCards, figs
}

// previousCard is the card of the earlier evaluation's model, from the
// headline's Change after Compare, with how the headline moved.
func (r *Report) previousCard(main string) (card, bool) {
	for _, c := range r.Changes {
		m := c.Metric()
		if m.System != main || m.Fold != "" || m.Target != AllTargets || m.Name != MetricMeanFAvg || math.IsNaN(c.Old.Estimate) {
			continue
		}
		pc := card{System: "previous " + main, Score: fmtScore(c.Old.Estimate), CI: fmtCI(c.Old.Low, c.Old.High),
			What: "the headline of " + orDefault(r.Meta.Baseline, "the earlier evaluation")}
		note := headlineNote(c)
		if c.Flag == FlagBetter && r.Meta.Trained > 0 {
			note = "above the earlier interval, but not judged better: " + r.notHeldOutReason()
		}
		pc.Diff = fmt.Sprintf("%s now − before = %s, %s", main, fmtDelta(c.Delta), note)
		if h, paired := r.Headline(main); paired && h.Unpaired {
			pc.Diff = fmt.Sprintf("%s now − before = %s over the %d targets scored in both, not judged", main, fmtDelta(h.New-h.Old), h.Paired)
		}
		return pc, true
	}
	return card{}, false
}

// notHeldOutReason says why a rise on rows the model was trained on is
// not judged better.
func (r *Report) notHeldOutReason() string {
	return fmt.Sprintf("the model was trained on %d of these %d rows, so a rise may be memory, not skill", r.Meta.Trained, r.Rows)
}

// topErrors returns the n errors with the highest confidence (errors
// without a confidence last), ties in row order.
func topErrors(errs []ErrorRow, n int) []ErrorRow {
	s := slices.Clone(errs)
	key := func(e ErrorRow) float64 {
		if math.IsNaN(e.Confidence) {
			return -1
		}
		return e.Confidence
	}
	slices.SortStableFunc(s, func(a, b ErrorRow) int {
		ka, kb := key(a), key(b)
		switch {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		}
		return 0
	})
	return s[:min(n, len(s))]
}

func confusionOf(name string, values []string, c labels.Confusion) confusionView {
	v := confusionView{Target: name, Values: values, Total: c.Total()}
	for g := range 3 {
		row := make([]confCell, 3)
		sup := c.Support(g)
		for pr := range 3 {
			share := 0.0
			if sup > 0 {
				share = float64(c[g][pr]) / float64(sup)
			}
			colour := "37, 99, 235" // blue on the diagonal, red off it
			if g != pr {
				colour = "220, 38, 38"
			}
			style := fmt.Sprintf("background: rgba(%s, %.2f)", colour, 0.08+0.6*share)
			if c[g][pr] == 0 {
				style = "background: #fff"
			}
			sh := ""
			if sup > 0 {
				sh = fmt.Sprintf("%.0f%%", share*100)
			}
			row[pr] = confCell{Count: c[g][pr], Share: sh, Style: template.CSS(style), Diag: g == pr}
		}
		v.Cells = append(v.Cells, row)
	}
	return v
}

// barChart lays out F_avg per target (and the mean) for every system,
// with interval whiskers.
func (r *Report) barChart() barChart {
	groups := len(r.Taxonomy.Targets) + 1
	ns := len(r.Systems)
	ch := barChart{Width: 1100, Height: 330, PlotTop: 40, PlotBottom: 280, Left: 50}
	plotH := ch.PlotBottom - ch.PlotTop
	y := func(v float64) float64 { return ch.PlotBottom - v*plotH }
	for _, g := range []float64{0, 0.25, 0.5, 0.75, 1} {
		ch.Grid = append(ch.Grid, gridLine{Y: y(g), Label: fmt.Sprintf("%.2f", g)})
	}
	gw := (ch.Width - ch.Left - 10) / float64(groups)
	bw := math.Min(40, gw*0.8/float64(ns))
	for gi := range groups {
		name, target, metric := AllTargets, AllTargets, MetricMeanFAvg
		if gi < len(r.Taxonomy.Targets) {
			name = r.Taxonomy.Targets[gi].Name
			target, metric = name, MetricFAvg
		} else {
			name = "mean F_avg (headline)"
		}
		cx := ch.Left + gw*(float64(gi)+0.5)
		g := barGroup{Label: name, X: cx}
		for si, s := range r.Systems {
			m, _ := s.Lookup("", target, "", metric)
			x := cx - bw*float64(ns)/2 + bw*float64(si)
			b := bar{X: x + 1, W: bw - 2, Colour: systemColours[si%len(systemColours)], Title: fmt.Sprintf("%s %s: %s %s", s.Name, name, fmtScore(m.Estimate), fmtCI(m.Low, m.High))}
			if math.IsNaN(m.Estimate) {
				b.Undefined = true
				b.Y = ch.PlotBottom - 4
				b.Label = "n/a"
			} else {
				b.Y = y(m.Estimate)
				b.H = ch.PlotBottom - b.Y
				b.Label = fmt.Sprintf("%.2f", m.Estimate)
				b.LX, b.LY = x+bw/2, b.Y
				if !math.IsNaN(m.Low) {
					b.Whisker = true
					b.WLow, b.WHigh, b.WX = y(m.Low), y(m.High), x+bw/2
					b.LY = math.Min(b.Y, b.WHigh)
				}
			}
			g.Bars = append(g.Bars, b)
		}
		ch.Groups = append(ch.Groups, g)
	}
	for si, s := range r.Systems {
		ch.Legend = append(ch.Legend, legendItem{X: ch.Left + float64(si)*150, Colour: systemColours[si%len(systemColours)], Name: s.Name})
	}
	return ch
}

// reliability lays out one reliability chart for ALL and one per target.
func (r *Report) reliability(s *SystemResult) []reliabilityChart {
	byTarget := map[string][]CalibrationBin{}
	var order []string
	for _, b := range s.Calibration {
		if _, ok := byTarget[b.Target]; !ok {
			order = append(order, b.Target)
		}
		byTarget[b.Target] = append(byTarget[b.Target], b)
	}
	// ALL first.
	slices.SortStableFunc(order, func(a, b string) int {
		switch {
		case a == AllTargets && b != AllTargets:
			return -1
		case b == AllTargets && a != AllTargets:
			return 1
		}
		return 0
	})
	const size, pad = 200.0, 36.0
	var out []reliabilityChart
	for _, t := range order {
		bins := byTarget[t]
		ece, _ := s.Lookup("", t, "", MetricECE)
		c := reliabilityChart{Target: t, ECE: withCI(ece), Size: size, Pad: pad, PlotOrigin: pad + size}
		maxN := 0
		for _, b := range bins {
			c.N += b.N
			maxN = max(maxN, b.N)
		}
		c.Diag = fmt.Sprintf("M %.1f %.1f L %.1f %.1f", pad, pad+size, pad+size, pad)
		for _, v := range []float64{0, 0.5, 1} {
			c.Ticks = append(c.Ticks, relTick{Pos: v * size, Label: fmt.Sprintf("%.1f", v)})
		}
		for _, b := range bins {
			if b.N == 0 {
				continue
			}
			x := pad + b.Lower*size
			w := (b.Upper - b.Lower) * size
			h := b.Accuracy * size
			c.Bars = append(c.Bars, relBar{X: x + 1, W: w - 2, Y: pad + size - h, H: h,
				DotX: pad + b.Confidence*size, DotY: pad + size - b.Confidence*size,
				Opacity: 0.35 + 0.65*float64(b.N)/float64(max(maxN, 1)),
				Title:   fmt.Sprintf("confidence %.1f–%.1f: %d predictions, mean confidence %.3f, accuracy %.3f", b.Lower, b.Upper, b.N, b.Confidence, b.Accuracy)})
		}
		c.Undefined = len(c.Bars) == 0
		out = append(out, c)
	}
	return out
}

// changeView lays out the comparison with the earlier evaluation as
// WriteSummary prints it: counts and rows of the evaluated system's
// metrics only (every system's are in comparison.csv), and on rows the
// model was trained on a rise shown as "higher", neutral, with the
// reason, never as better.
func (r *Report) changeView(main string) *changeView {
	jc := r.judgeCounts(main)
	v := &changeView{Baseline: orDefault(r.Meta.Baseline, "the earlier evaluation"), Warnings: r.GoldWarnings,
		Worse: jc.Worse, Better: jc.Better, Judged: jc.Judged, Thin: jc.Thin, Main: main, ThinMain: jc.Thin,
		ThinReason: fmt.Sprintf("their earlier interval had no width or rested on fewer than %d sentences or gold examples", MinJudgeRows)}
	if r.Meta.Trained > 0 {
		v.NotHeldOut = r.notHeldOutReason()
	}
	h, paired := r.Headline(main)
	if paired {
		v.HeadlineNote = h.Note()
	}
	for _, c := range r.Changes {
		m := c.Metric()
		headline := m.Fold == "" && m.Target == AllTargets && m.Name == MetricMeanFAvg
		if headline && m.System == main {
			note := headlineNote(c)
			if c.Flag == FlagBetter && v.NotHeldOut != "" {
				note = "above the earlier interval, not judged better: not held out"
			}
			v.Headline = fmt.Sprintf("%s → %s (%s, %s)", fmtScore(c.Old.Estimate), fmtScore(c.New.Estimate), fmtDelta(c.Delta), note)
			if paired && h.Unpaired {
				v.Headline = fmt.Sprintf("%s → %s (%s) over the %d targets scored in both, not judged against the earlier interval, which is over other targets; each evaluation's own headline: %s → %s",
					fmtScore(h.Old), fmtScore(h.New), fmtDelta(h.New-h.Old), h.Paired, fmtScore(c.Old.Estimate), fmtScore(c.New.Estimate))
			}
		}
		if m.System != main || m.Name == MetricSupport || (!headline && c.Flag != FlagWorse && c.Flag != FlagBetter) {
			continue
		}
		row := changeRow{System: m.System, Target: m.Target + foldSuffix(m.Fold), Value: m.Value, Metric: m.Name,
			Old: fmtScore(c.Old.Estimate), New: fmtScore(c.New.Estimate), Delta: fmtDelta(c.Delta), OldCI: fmtCI(c.Old.Low, c.Old.High), Flag: c.Flag,
			OldN: c.Old.N, NewN: c.New.N, Shown: c.Flag, Class: "flag-" + c.Flag}
		if c.Flag == FlagBetter && v.NotHeldOut != "" {
			row.Shown, row.Class = "higher (not held out)", "flag-neutral"
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// shortCI formats an interval compactly for table cells: "0.62–0.71".
func shortCI(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return ""
	}
	return fmt.Sprintf("%.2f–%.2f", lo, hi)
}

func headlineNote(c Change) string {
	switch c.Flag {
	case FlagWorse:
		return "below the earlier interval"
	case FlagBetter:
		return "above the earlier interval"
	}
	if c.Thin {
		return "not judged: the earlier interval has no width or too few sentences"
	}
	if !c.Judged {
		return "not judged"
	}
	return "within the earlier interval"
}

func foldSuffix(f string) string {
	if f == "" {
		return ""
	}
	return " (fold " + f + ")"
}
