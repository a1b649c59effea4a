package eval

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/stance-project/stance/labels"
)

// Classifier predicts stances for sentences. Predict returns one
// prediction per text, aligned with texts, with Values (and Probs, if the
// classifier has them) aligned with the classifier's taxonomy.
type Classifier interface {
	Predict(texts []string) ([]labels.Prediction, error)
}

// Explainer is implemented by classifiers that can say which tokens of a
// text pushed its prediction for a target (an index into the taxonomy's
// targets) the most; it returns at most k contributions, strongest first.
// eval checks for it with a type assertion.
type Explainer interface {
	Explain(text string, target, k int) []Contribution
}

// TrainFunc trains a classifier on gold rows; cross-validation calls it
// once per fold with that fold's training rows.
type TrainFunc func(ctx context.Context, train []labels.Gold) (Classifier, error)

// Majority is the majority-class baseline: for each target, the most
// frequent gold value of the rows it was fitted on.
type Majority struct {
	Values []string // per target
}

// FitMajority returns the majority baseline of rows: per target the most
// frequent non-empty gold value, ties broken by taxonomy order (favor,
// against, none); none when a target has no labelled row.
func FitMajority(tax labels.Taxonomy, rows []labels.Gold) *Majority {
	m := &Majority{Values: make([]string, len(tax.Targets))}
	for t, tg := range tax.Targets {
		counts := make([]int, len(tg.Values))
		for _, r := range rows {
			if t < len(r.Labels) {
				if j := tax.ValueIndex(t, r.Labels[t]); j >= 0 {
					counts[j]++
				}
			}
		}
		best := len(tg.Values) - 1 // none
		for j, c := range counts {
			if c > counts[best] || (c == counts[best] && c > 0 && j < best) {
				best = j
			}
		}
		m.Values[t] = tg.Values[best]
	}
	return m
}

// Predict returns the majority values for every text, without
// probabilities.
func (m *Majority) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i := range out {
		out[i].Values = slices.Clone(m.Values)
	}
	return out, nil
}

// MajorityTrainer returns a TrainFunc fitting FitMajority.
func MajorityTrainer(tax labels.Taxonomy) TrainFunc {
	return func(_ context.Context, train []labels.Gold) (Classifier, error) {
		return FitMajority(tax, train), nil
	}
}

// KeywordRules is the keyword baseline built from the targets'
// descriptions. Each description is read as
//
//	<topic sentence(s)> Favor: <favor cues> Against: <against cues>
//
// (the form of labels.Default; "Favor:" and "Against:" match case
// insensitively, and either may be missing). Its content words — letters
// only, at least four of them, not a stop word — are cut to a stem of
// their first six letters (so "sanction" and "sanctions" match). Stems in
// both the favor and the against part are dropped from both; stems of the
// topic part are dropped from the cue parts.
//
// A sentence gets a stance for a target when it mentions the target (any
// topic stem, or any cue stem if the description has no topic part) and
// its favor cues outnumber its against cues (favor) or the reverse
// (against); otherwise none. A target whose description has no Favor or
// Against part uses GenericFavorCues and GenericAgainstCues.
type KeywordRules struct {
	Topic   [][]string // per target, sorted stems
	Favor   [][]string
	Against [][]string
	// Generic marks, per target, cues that are GenericFavorCues and
	// GenericAgainstCues: its description names none.
	Generic []bool
}

// GenericFavorCues and GenericAgainstCues are the cue words of a target
// whose description names no favor or against cues.
var (
	GenericFavorCues   = []string{"support", "welcome", "strengthen", "increase", "commit", "need", "must", "favour", "favor", "endorse", "praise"}
	GenericAgainstCues = []string{"oppose", "reject", "against", "never", "refuse", "condemn", "criticise", "criticize", "stop", "reduce", "cut"}
)

const stemLen = 6

var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`about above after again also although among another because been before being
		below between both cannot could does doing down during each either even every from further have having here
		into itself just keep like made make many more most much must neither only other over same should since some
		such than that their them then there these they this those through under until upon very were what when where
		which while whom whose will with within without would your favor favour against none other others especially
		including rather whether`) {
		stopWords[w] = true
	}
}

// Stems returns the distinct stems of s's words as the rules read them
// (lower-cased words of at least four letters, stop words left out, each
// cut to its first stemLen letters), sorted.
func Stems(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) < 4 || stopWords[w] {
			continue
		}
		out = append(out, stem(w))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// stem is w's first stemLen runes: a slice of w, not a copy, so that
// counting a sentence's cues allocates no string per word.
func stem(w string) string {
	n := 0
	for i := range w {
		if n == stemLen {
			return w[:i]
		}
		n++
	}
	return w
}

// NewKeywordRules builds the keyword baseline of tax (see KeywordRules).
func NewKeywordRules(tax labels.Taxonomy) *KeywordRules {
	k := &KeywordRules{}
	for _, tg := range tax.Targets {
		topic, fav, ag := splitDescription(tg.Description)
		ts, fs, as := Stems(topic), Stems(fav), Stems(ag)
		generic := fav == "" && ag == ""
		if generic {
			fs, as = stemAll(GenericFavorCues), stemAll(GenericAgainstCues)
		}
		drop := func(xs []string, out ...[]string) []string {
			return slices.DeleteFunc(slices.Clone(xs), func(x string) bool {
				for _, o := range out {
					if _, ok := slices.BinarySearch(o, x); ok {
						return true
					}
				}
				return false
			})
		}
		k.Generic = append(k.Generic, generic)
		k.Topic = append(k.Topic, ts)
		k.Favor = append(k.Favor, drop(fs, as, ts))
		k.Against = append(k.Against, drop(as, fs, ts))
	}
	return k
}

func stemAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = stem(w)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// splitDescription cuts a description at "Favor:" and "Against:".
func splitDescription(d string) (topic, fav, ag string) {
	low := strings.ToLower(d)
	fi := strings.Index(low, "favor:")
	if fi < 0 {
		fi = strings.Index(low, "favour:")
	}
	ai := strings.Index(low, "against:")
	switch {
	case fi < 0 && ai < 0:
		return d, "", ""
	case fi < 0:
		return d[:ai], "", d[ai+len("against:"):]
	case ai < 0:
		return d[:fi], d[fi+strings.Index(low[fi:], ":")+1:], ""
	case fi < ai:
		return d[:fi], d[fi+strings.Index(low[fi:], ":")+1 : ai], d[ai+len("against:"):]
	default:
		return d[:ai], d[fi+strings.Index(low[fi:], ":")+1:], d[ai+len("against:") : fi]
	}
}

// Predict applies the rules to every text; predictions have no
// probabilities.
func (k *KeywordRules) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i, text := range texts {
		out[i].Values = k.classify(text)
	}
	return out, nil
}

func (k *KeywordRules) classify(text string) []string {
	vals := make([]string, len(k.Topic))
	for t, c := range k.Cues(text) {
		mentioned := c.Topic > 0 || (len(k.Topic[t]) == 0 && c.Favor+c.Against > 0)
		switch {
		case mentioned && c.Favor > c.Against:
			vals[t] = labels.Favor
		case mentioned && c.Against > c.Favor:
			vals[t] = labels.Against
		default:
			vals[t] = labels.None
		}
	}
	return vals
}

// CueCounts says how many distinct stems of a sentence are among one
// target's topic stems and among its favor and against cue stems (see
// KeywordRules).
type CueCounts struct{ Topic, Favor, Against int }

// Cues counts the stems of text that the rules know, per target (aligned
// with the taxonomy's targets).
func (k *KeywordRules) Cues(text string) []CueCounts { return k.CountStems(Stems(text)) }

// CountStems is Cues for a text's stems as Stems returns them (distinct:
// a repeated stem would count twice), for a caller that also needs them.
func (k *KeywordRules) CountStems(words []string) []CueCounts {
	has := func(set []string) int {
		n := 0
		for _, w := range words {
			if _, ok := slices.BinarySearch(set, w); ok {
				n++
			}
		}
		return n
	}
	out := make([]CueCounts, len(k.Topic))
	for t := range k.Topic {
		out[t] = CueCounts{Topic: has(k.Topic[t]), Favor: has(k.Favor[t]), Against: has(k.Against[t])}
	}
	return out
}

// texts returns the rows' texts.
func texts(rows []labels.Gold) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Text
	}
	return out
}

// predictRows runs c on rows' texts, checks the count and sets each
// prediction's ID to its row's.
func predictRows(c Classifier, rows []labels.Gold) ([]labels.Prediction, error) {
	preds, err := c.Predict(texts(rows))
	if err != nil {
		return nil, err
	}
	if len(preds) != len(rows) {
		return nil, fmt.Errorf("classifier returned %d predictions for %d sentences", len(preds), len(rows))
	}
	for i := range preds {
		if preds[i].ID == "" {
			preds[i].ID = rows[i].ID
		}
	}
	return preds, nil
}
