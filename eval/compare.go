package eval

import (
	"math"
	"sort"
)

// Flags of a Change.
const (
	FlagWorse  = "worse" // outside the old interval, in the bad direction
	FlagBetter = "better"
	FlagNew    = "new"  // no such metric in the old evaluation
	FlagGone   = "gone" // no such metric in the new evaluation
)

// Change is one metric of a new evaluation beside the same metric of an
// earlier one. Delta is New.Estimate − Old.Estimate (NaN if either is
// undefined). Flag is FlagWorse when the new estimate lies outside the
// old bootstrap interval in the bad direction (below ci_low; above
// ci_high for ece, where lower is better), FlagBetter when outside in the
// good direction, FlagNew or FlagGone when one side lacks the metric, and
// "" otherwise (within the old interval, or no interval to judge by).
type Change struct {
	Old, New Metric
	Delta    float64
	Flag     string
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

// Compare sets r.Changes to the change of every metric of r against old
// (metrics read from an earlier metrics.csv, see ReadMetrics), joined on
// system, fold, target, value and metric name. Changes come in r's metric
// order, followed by the old metrics that r no longer has. It returns the
// changes flagged FlagWorse.
func (r *Report) Compare(old []Metric) []Change {
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
			c := judge(o, m)
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

// judge compares one metric across two evaluations.
func judge(o, n Metric) Change {
	c := Change{Old: o, New: n, Delta: n.Estimate - o.Estimate}
	if math.IsNaN(n.Estimate) || math.IsNaN(o.Low) || math.IsNaN(o.High) {
		return c
	}
	below, above := n.Estimate < o.Low, n.Estimate > o.High
	switch {
	case below && !lowerIsBetter(n.Name), above && lowerIsBetter(n.Name):
		c.Flag = FlagWorse
	case below, above:
		c.Flag = FlagBetter
	}
	return c
}
