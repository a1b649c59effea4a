package eval

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Flags of a Change.
const (
	FlagWorse  = "worse" // outside the old interval, in the bad direction
	FlagBetter = "better"
	FlagNew    = "new"  // no such metric in the old evaluation
	FlagGone   = "gone" // no such metric in the new evaluation
)

// MinJudgeRows is the fewest sentences, and for a value's precision,
// recall and F1 the fewest gold examples of the value, that an old
// interval must rest on to judge a change (see Change).
const MinJudgeRows = 5

// Change is one metric of a new evaluation beside the same metric of an
// earlier one. Delta is New.Estimate − Old.Estimate (NaN if either is
// undefined). Flag is FlagWorse when the new estimate lies outside the
// old bootstrap interval in the bad direction (below ci_low; above
// ci_high for ece, where lower is better), FlagBetter when outside in the
// good direction, FlagNew or FlagGone when one side lacks the metric, and
// "" otherwise: within the old interval, or not judged.
//
// A change is judged (Judged) when both estimates are defined and the old
// interval can judge it. An old interval cannot (Thin) when it has no
// width (ci_low = ci_high, as for a precision on one prediction, or a
// baseline's F1 that is 0 on every resample), or when it rests on fewer
// than MinJudgeRows sentences (Old.N) or, for the precision, recall and
// F1 of a value, on fewer than MinJudgeRows gold examples of the value
// (the earlier evaluation's support row; when it has none, only N
// counts). metrics.csv does not record how often a value was predicted,
// so a precision on few predictions is caught by its width only. A
// change without an old interval (support rows, per-fold scores, no
// bootstrap) is neither judged nor thin.
type Change struct {
	Old, New Metric
	Delta    float64
	Flag     string
	Judged   bool
	Thin     bool
}

// Metric returns the metric the change is about (New, or Old when gone).
func (c Change) Metric() Metric {
	if c.Flag == FlagGone {
		return c.Old
	}
	return c.New
}

// lowerIsBetter reports metrics where a smaller estimate is an
// improvement.
func lowerIsBetter(name string) bool { return name == MetricECE }

// HeadlineChange compares one system's headline (mean F_avg over targets)
// with an earlier evaluation's over the same targets: those whose F_avg
// is defined in both. The headlines themselves average each evaluation's
// own defined targets, so a target scored on one side only (its gold
// cells left empty, say) would move them without any change in the
// model.
type HeadlineChange struct {
	System string
	// Old and New are the means of the paired targets' F_avg, NaN when no
	// target is defined on both sides.
	Old, New float64
	// Paired is the number of targets averaged, of Targets in all (the
	// union of both evaluations' targets).
	Paired, Targets int
	// LeftOut names the targets not averaged, each with the side that has
	// no score: "defense_spending (new n/a)", "(old n/a)" or "(both n/a)";
	// new targets in taxonomy order, then targets only the old evaluation
	// has.
	LeftOut []string
	// Unpaired reports whether a target is scored on one side only: the
	// two headlines then average different targets, Old and New are not
	// the headlines, and the old headline's interval says nothing about
	// New.
	Unpaired bool
}

// Compare sets r.Changes to the change of every metric of r against old
// (metrics read from an earlier metrics.csv, see ReadMetrics), joined on
// system, fold, target, value and metric name. Changes come in r's metric
// order, followed by the old metrics that r no longer has. It also sets
// r.Headlines to each system's headline against old's over the targets
// scored in both (see HeadlineChange); for a system with a target scored
// on one side only, the metrics over all targets (target ALL) are not
// flagged worse or better, as they average or pool different targets,
// nor judged. A change whose old interval is thin (see Change) is not
// flagged either. It returns the changes flagged FlagWorse.
func (r *Report) Compare(old []Metric) []Change {
	r.Headlines = r.Headlines[:0]
	unpaired := map[string]bool{}
	for _, s := range r.Systems {
		h, ok := pairedHeadline(s, old)
		if !ok {
			continue
		}
		r.Headlines = append(r.Headlines, h)
		unpaired[s.Name] = h.Unpaired
	}
	byKey := make(map[string]Metric, len(old))
	for _, m := range old {
		byKey[m.Key()] = m
	}
	seen := map[string]bool{}
	r.Changes = r.Changes[:0]
	var worse []Change
	for _, s := range r.Systems {
		for _, m := range s.Metrics {
			seen[m.Key()] = true
			o, ok := byKey[m.Key()]
			if !ok {
				r.Changes = append(r.Changes, Change{New: m, Delta: math.NaN(), Flag: FlagNew, Old: Metric{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}})
				continue
			}
			c := judge(o, m, oldSupport(byKey, o))
			if m.Target == AllTargets && unpaired[m.System] {
				c.Flag, c.Judged = "", false
			}
			if c.Flag == FlagWorse {
				worse = append(worse, c)
			}
			r.Changes = append(r.Changes, c)
		}
	}
	var gone []Change
	for _, o := range old {
		if !seen[o.Key()] {
			gone = append(gone, Change{Old: o, New: Metric{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}, Delta: math.NaN(), Flag: FlagGone})
		}
	}
	sort.SliceStable(gone, func(i, j int) bool { return gone[i].Old.Key() < gone[j].Old.Key() })
	r.Changes = append(r.Changes, gone...)
	return worse
}

// oldSupport returns the gold examples behind an old metric of a value's
// precision, recall or F1 (from old's support row of the value), and -1
// for other metrics or when old has no such row.
func oldSupport(old map[string]Metric, o Metric) int {
	switch o.Name {
	case MetricPrecision, MetricRecall, MetricF1:
	default:
		return -1
	}
	if o.Value == "" {
		return -1
	}
	s := o
	s.Name = MetricSupport
	m, ok := old[s.Key()]
	if !ok || math.IsNaN(m.Estimate) {
		return -1
	}
	return int(m.Estimate)
}

// judge compares one metric across two evaluations; support is the old
// gold examples of the metric's value (see oldSupport), -1 if unknown.
func judge(o, n Metric, support int) Change {
	c := Change{Old: o, New: n, Delta: n.Estimate - o.Estimate}
	if math.IsNaN(n.Estimate) || math.IsNaN(o.Estimate) || math.IsNaN(o.Low) || math.IsNaN(o.High) {
		return c
	}
	if o.Low >= o.High || o.N < MinJudgeRows || support >= 0 && support < MinJudgeRows {
		c.Thin = true
		return c
	}
	c.Judged = true
	below, above := n.Estimate < o.Low, n.Estimate > o.High
	switch {
	case below && !lowerIsBetter(n.Name), above && lowerIsBetter(n.Name):
		c.Flag = FlagWorse
	case below, above:
		c.Flag = FlagBetter
	}
	return c
}

// Headline returns the HeadlineChange of the named system set by Compare,
// and whether there is one (not when the earlier evaluation has no
// per-target F_avg of the system).
func (r *Report) Headline(system string) (HeadlineChange, bool) {
	for _, h := range r.Headlines {
		if h.System == system {
			return h, true
		}
	}
	return HeadlineChange{}, false
}

// Note describes the targets left out of the paired means, "" when none
// is or when no target has a score on either side: "mean of the 3 of 4
// targets scored in both evaluations; left out: defense_spending (new
// n/a)".
func (h HeadlineChange) Note() string {
	// With no target paired and none scored on one side only, every target
	// left out is n/a on both sides: nothing to explain.
	if len(h.LeftOut) == 0 || h.Paired == 0 && !h.Unpaired {
		return ""
	}
	return fmt.Sprintf("mean of the %d of %d targets scored in both evaluations; left out: %s",
		h.Paired, h.Targets, strings.Join(h.LeftOut, ", "))
}

// pairedHeadline compares s's per-target F_avg with old's (fold "", the
// whole evaluation); false when old has none of s's system.
func pairedHeadline(s *SystemResult, old []Metric) (HeadlineChange, bool) {
	var names []string
	olds, news := map[string]float64{}, map[string]float64{}
	add := func(name string) {
		if _, ok := olds[name]; !ok {
			names = append(names, name)
			olds[name], news[name] = math.NaN(), math.NaN()
		}
	}
	for _, m := range s.Metrics {
		if m.Fold == "" && m.Target != AllTargets && m.Value == "" && m.Name == MetricFAvg {
			add(m.Target)
			news[m.Target] = m.Estimate
		}
	}
	found := false
	for _, m := range old {
		if m.System == s.Name && m.Fold == "" && m.Target != AllTargets && m.Value == "" && m.Name == MetricFAvg {
			add(m.Target)
			olds[m.Target] = m.Estimate
			found = true
		}
	}
	if !found {
		return HeadlineChange{}, false
	}
	h := HeadlineChange{System: s.Name, Targets: len(names)}
	var so, sn float64
	for _, name := range names {
		oNaN, nNaN := math.IsNaN(olds[name]), math.IsNaN(news[name])
		switch {
		case oNaN && nNaN:
			h.LeftOut = append(h.LeftOut, name+" (both n/a)")
		case oNaN:
			h.LeftOut = append(h.LeftOut, name+" (old n/a)")
			h.Unpaired = true
		case nNaN:
			h.LeftOut = append(h.LeftOut, name+" (new n/a)")
			h.Unpaired = true
		default:
			so, sn = so+olds[name], sn+news[name]
			h.Paired++
		}
	}
	h.Old, h.New = math.NaN(), math.NaN()
	if h.Paired > 0 {
		h.Old, h.New = so/float64(h.Paired), sn/float64(h.Paired)
	}
	return h, true
}
