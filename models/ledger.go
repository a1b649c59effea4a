package models

import (
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/stance-project/stance/labels"
)

// A ledger records, per target, which sentences a model was trained on
// and with which value: a 64-bit fingerprint of the sentence's text (see
// textKey) mapped to the value index. It is saved in the model file (format
// version 2 on), so a warm-started retrain can say what the new labels are
// without the old label files. Fingerprints, not texts: the model file
// does not carry the gold data.
type ledger []map[uint64]int8

// texts is the set of the texts (textKey) with a label for some target.
func (l ledger) texts() map[uint64]bool {
	out := map[uint64]bool{}
	for _, t := range l {
		for k := range t {
			out[k] = true
		}
	}
	return out
}

// textKey fingerprints a sentence: FNV-1a of labels.TextKey(s), so
// re-exports that only change spacing, line endings or typographic
// quotes and dashes match.
func textKey(s string) uint64 { return fingerprint(labels.TextKey(s)) }

// wordsKey is the fingerprint of s's words joined by single spaces, the
// key of models saved before the ledger folded typography: it differs
// from textKey only for texts with typographic quotes, dashes or
// ellipses.
func wordsKey(s string) uint64 { return fingerprint(strings.Join(strings.Fields(s), " ")) }

func fingerprint(s string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, s)
	return h.Sum64()
}

// rekey returns l with each entry that rows know under its wordsKey only
// (a ledger saved before the keys folded typography) moved to the row's
// textKey, so such a model still recognises its training texts. l is
// returned as it is when nothing moves.
func (l ledger) rekey(rows []labels.Gold) ledger {
	var out ledger
	for _, r := range rows {
		k, w := textKey(r.Text), wordsKey(r.Text)
		if k == w {
			continue
		}
		for t, m := range l {
			v, ok := m[w]
			if _, has := m[k]; !ok || has {
				continue
			}
			if out == nil {
				out = make(ledger, len(l))
				for i, m := range l {
					out[i] = maps.Clone(m)
				}
			}
			delete(out[t], w)
			out[t][k] = v
		}
	}
	if out == nil {
		return l
	}
	return out
}

// newLedger records the labelled cells of exs (aligned with rows).
func newLedger(rows []labels.Gold, exs []example, nT int) ledger {
	l := make(ledger, nT)
	for t := range l {
		l[t] = map[uint64]int8{}
	}
	for i, r := range rows {
		k := textKey(r.Text)
		for t, v := range exs[i].labels {
			if v >= 0 {
				l[t][k] = v
			}
		}
	}
	return l
}

func (l ledger) write(e *enc) {
	if l == nil {
		e.u64(0)
		return
	}
	e.u64(1)
	for _, m := range l {
		keys := make([]uint64, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys) // deterministic files
		e.u64(uint64(len(keys)))
		for _, k := range keys {
			e.u64(k)
			e.b.WriteByte(byte(m[k]))
		}
	}
}

func readLedger(d *dec, nT int) ledger {
	if known := d.int(1); known == 0 || d.err != nil {
		return nil
	}
	l := make(ledger, nT)
	for t := range l {
		n := d.int(len(d.b) / 9)
		l[t] = make(map[uint64]int8, n)
		for range n {
			k := d.u64()
			if d.err != nil {
				return nil
			}
			if len(d.b) < 1 {
				d.fail("ends early")
				return nil
			}
			v := int8(d.b[0])
			d.b = d.b[1:]
			if v < 0 || v >= nValues {
				d.fail("target %d: value index %d out of range", t, v)
				return nil
			}
			l[t][k] = v
		}
	}
	return l
}

// Since compares a warm-started training run with the model it started
// from (TrainOptions.Init).
type Since struct {
	// OldDataSHA256 and OldRows describe the old model's training data;
	// OldRows is 0 when the old model file predates the label ledger.
	OldDataSHA256 string
	OldRows       int
	// Ledger reports whether the old model carries a label ledger; without
	// one (a format version 1 file) Added, Changed, Removed and the scores
	// on new rows are unknown (zero, NaN).
	Ledger  bool
	Targets []TargetChange
	// Held is the number of rows held out for the new model's metrics;
	// HeldSeen of them were in the old model's training data. The fold
	// models giving the held-out predictions never see their rows, so
	// every held-out score is honest.
	HeldSeen, Held int
}

// TargetChange is one target's labels and held-out score, old model
// against new.
type TargetChange struct {
	Target string
	// Added counts, per value, sentences labelled for this target now that
	// the old model was not trained on for it; Changed those it was
	// trained on with another value (counted under the new value);
	// Removed those it was trained on that are no longer labelled.
	Added   [nValues]int
	Changed [nValues]int
	Removed int
	// OldFAvg and NewFAvg are the held-out F_avg each model recorded when
	// it was trained, each on its own held-out rows (see Since.HeldSeen).
	OldFAvg, NewFAvg float64
	// OldOnNew and NewOnNew score both models on the held-out rows the old
	// model was never trained on: the old model's decisions against the
	// new model's held-out (out-of-fold) decisions, on the same rows.
	OldOnNew, NewOnNew TargetMetrics
}

// AddedTotal is the number of sentences newly labelled for the target.
func (c TargetChange) AddedTotal() int { return c.Added[0] + c.Added[1] + c.Added[2] }

// compareSince compares the new model m, trained on rows (examples exs),
// with the old one. heldRows are the rows of m's held-out logits
// (calibrated already). It fails only if the old model cannot predict.
func compareSince(old, m *Model, rows []labels.Gold, exs []example, heldRows []int, logits [][][nValues]float32) (*Since, error) {
	nT := len(m.dev)
	s := &Since{OldDataSHA256: old.dataSHA, Ledger: old.ledger != nil, Held: len(heldRows)}
	s.Targets = make([]TargetChange, nT)
	for t := range s.Targets {
		c := &s.Targets[t]
		c.Target, c.NewFAvg = m.dev[t].Target, m.dev[t].FAvg
		c.OldFAvg = math.NaN()
		if t < len(old.dev) {
			c.OldFAvg = old.dev[t].FAvg
		}
		c.OldOnNew.FAvg, c.NewOnNew.FAvg = math.NaN(), math.NaN()
	}
	if old.ledger == nil {
		return s, nil
	}
	was := old.ledger.rekey(rows)
	rowsOld := was.texts()
	s.OldRows = len(rowsOld)
	// The labels now, per text: the last row's, as the ledger keeps them
	// (so the same text labelled twice does not count as changed).
	now := newLedger(rows, exs, nT)
	for t := range now {
		for k, v := range now[t] {
			before, ok := was[t][k]
			switch {
			case !ok:
				s.Targets[t].Added[v]++
			case before != v:
				s.Targets[t].Changed[v]++
			}
		}
	}
	for t, l := range was {
		for k := range l {
			if _, ok := now[t][k]; !ok {
				s.Targets[t].Removed++
			}
		}
	}

	// Both models on the held-out rows the old one never saw.
	var fresh []int // positions in heldRows
	var texts []string
	for j, i := range heldRows {
		if rowsOld[textKey(rows[i].Text)] {
			s.HeldSeen++
			continue
		}
		fresh = append(fresh, j)
		texts = append(texts, rows[i].Text)
	}
	if len(fresh) == 0 {
		return s, nil
	}
	oldPred, err := old.Predict(texts)
	if err != nil {
		return nil, fmt.Errorf("old model on the new held-out rows: %w", err)
	}
	for t := range nT {
		var gold, po, pn []int8
		for n, j := range fresh {
			g := exs[heldRows[j]].labels[t]
			if g < 0 {
				continue
			}
			gold = append(gold, g)
			po = append(po, int8(old.tax.ValueIndex(t, oldPred[n].Values[t])))
			p := softmax(logits[t][j], m.shift[t], m.temp[t])
			pn = append(pn, int8(m.decide(t, p)))
		}
		name := m.tax.Targets[t].Name
		s.Targets[t].OldOnNew, s.Targets[t].NewOnNew = score(name, gold, po), score(name, gold, pn)
	}
	return s, nil
}

// write prints the comparison as a table.
func (s *Since) write(b *strings.Builder) {
	sha := s.OldDataSHA256
	if len(sha) > 12 {
		sha = sha[:12]
	}
	if !s.Ledger {
		fmt.Fprintf(b, "since the old model (data sha256 %s…): its file predates the label ledger (format version 1), so added labels cannot be counted\n", sha)
	} else {
		fmt.Fprintf(b, "since the old model (%d labelled sentences, data sha256 %s…):\n", s.OldRows, sha)
	}
	fresh := s.Held - s.HeldSeen
	fmt.Fprintf(b, "%-20s %20s %7s %7s %24s %24s\n", "target", "added fav/ag/none", "changed", "removed",
		"held-out F_avg (own)", fmt.Sprintf("F_avg on %d new rows", fresh))
	var names []string
	var olds, news, oldsN, newsN []float64
	for _, c := range s.Targets {
		added, changed, removed, onNew := "?", "?", "?", "n/a"
		if s.Ledger {
			added = fmt.Sprintf("+%d (%d/%d/%d)", c.AddedTotal(), c.Added[0], c.Added[1], c.Added[2])
			changed = fmt.Sprint(c.Changed[0] + c.Changed[1] + c.Changed[2])
			removed = fmt.Sprint(c.Removed)
			onNew = movement(c.OldOnNew.FAvg, c.NewOnNew.FAvg)
		}
		fmt.Fprintf(b, "%-20s %20s %7s %7s %24s %24s\n", c.Target, added, changed, removed, movement(c.OldFAvg, c.NewFAvg), onNew)
		names = append(names, c.Target)
		olds, news = append(olds, c.OldFAvg), append(news, c.NewFAvg)
		oldsN, newsN = append(oldsN, c.OldOnNew.FAvg), append(newsN, c.NewOnNew.FAvg)
	}
	// Each mean compares the same targets before and after: those scored
	// on both sides. A footnote names any target left out, unless no
	// target has a score on either side (the mean reads n/a → n/a).
	var notes []string
	mean := func(column string, olds, news []float64) string {
		o, n, out := pairedMeans(names, olds, news)
		defined := func(x float64) bool { return !math.IsNaN(x) }
		if len(out) > 0 && (slices.ContainsFunc(olds, defined) || slices.ContainsFunc(news, defined)) {
			notes = append(notes, fmt.Sprintf("* %s: mean of the %d of %d targets scored by both models; left out: %s",
				column, len(names)-len(out), len(names), strings.Join(out, ", ")))
		}
		return movement(o, n)
	}
	own, onNew := mean("held-out F_avg (own)", olds, news), "n/a"
	if s.Ledger {
		onNew = mean("F_avg on new rows", oldsN, newsN)
	}
	label := "mean"
	if len(notes) > 0 {
		label = "mean*"
	}
	fmt.Fprintf(b, "%-20s %20s %7s %7s %24s %24s\n", label, "", "", "", own, onNew)
	for _, n := range notes {
		b.WriteString(n + "\n")
	}
	fmt.Fprintf(b, "(own: each model's F_avg on its own held-out rows")
	if s.Ledger {
		fmt.Fprintf(b, ". new rows: held-out rows the old model never saw, both models scored on the same rows; n/a where they have no favor or against example")
	}
	b.WriteString(")\n")
}

// pairedMeans returns the means of olds and news (aligned with names)
// over the targets defined on both sides, so the two means are over the
// same targets, and the targets left out, each with the side that has no
// score ("defense_spending (old n/a)"). The means are NaN when no target
// is defined on both sides.
func pairedMeans(names []string, olds, news []float64) (old, new float64, out []string) {
	var so, sn float64
	n := 0
	for i, name := range names {
		oNaN, nNaN := math.IsNaN(olds[i]), math.IsNaN(news[i])
		switch {
		case oNaN && nNaN:
			out = append(out, name+" (both n/a)")
		case oNaN:
			out = append(out, name+" (old n/a)")
		case nNaN:
			out = append(out, name+" (new n/a)")
		default:
			so, sn = so+olds[i], sn+news[i]
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), out
	}
	return so / float64(n), sn / float64(n), out
}

// movement formats "old → new (±delta)", with "n/a" for an undefined score.
func movement(old, new float64) string {
	f := func(x float64) string {
		if math.IsNaN(x) {
			return "n/a"
		}
		return fmt.Sprintf("%.3f", x)
	}
	s := f(old) + " → " + f(new)
	if d := new - old; !math.IsNaN(d) {
		s += fmt.Sprintf(" (%+.3f)", d)
	}
	return s
}
