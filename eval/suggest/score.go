package suggest

import (
	"fmt"
	"math"

	"github.com/stance-project/stance/labels"
)

// Strategy names how candidates are scored and how the picks are shared
// out.
type Strategy string

const (
	// Margin is 1 − (p_top − p_second) of a target's head: high when the
	// two likeliest values are close. One ranking, the highest head over
	// the targets.
	Margin Strategy = "margin"
	// Entropy is the normalised Shannon entropy of a target's head, the
	// highest over the targets.
	Entropy Strategy = "entropy"
	// Decision is the margin of a target's head after scaling its
	// probabilities by the model's decision weights (Options.Scales) and
	// renormalising, the highest head over the targets: high near the
	// boundary where the model's decision flips, which for a
	// class-weighted model lies far below p_stance = p_none. One ranking.
	// Without Scales it is Margin.
	Decision Strategy = "decision"
	// Targets is Decision with the picks shared out round-robin over the
	// targets, each taking the sentences whose decision on it is closest
	// to flipping.
	Targets Strategy = "targets"
	// Rare hunts the stance values with the fewest labels. Each stance
	// head (every target × favor, against) ranks the candidates by its
	// value's probability, or, for a value never labelled (a zero count
	// in Options.Counts), by the target's relevance 1 − p(none), since a
	// model that has never seen the value cannot rank by it. The heads
	// share the picks in proportion to their rarity weight
	// (1 + n)^−Options.Rarity, n the head's labelled count (a value never
	// labelled counts as the rarest labelled one), taking turns.
	Rare Strategy = "rare"
	// Mixed gives half the picks to Targets and half to Rare: sentences
	// near the model's decision boundary and candidates for the values it
	// has seen least.
	Mixed Strategy = "mixed"
)

// Strategies lists the known strategies, the default first.
var Strategies = []Strategy{Mixed, Targets, Rare, Decision, Margin, Entropy}

// DefaultStrategy is the strategy of a zero Options.
const DefaultStrategy = Mixed

// ParseStrategy returns the named strategy, or an error listing the known
// ones.
func ParseStrategy(name string) (Strategy, error) {
	for _, s := range Strategies {
		if string(s) == name {
			return s, nil
		}
	}
	return "", fmt.Errorf("unknown strategy %q: want one of %v", name, Strategies)
}

// Uncertainty returns the target whose head is most uncertain under the
// strategy (Entropy, or Margin for any other value), and that head's
// score in [0, 1].
func Uncertainty(tax labels.Taxonomy, pred labels.Prediction, s Strategy) (string, float64) {
	return ScaledUncertainty(tax, pred, s, nil)
}

// ScaledUncertainty is Uncertainty on each head's probabilities
// multiplied by scales (per target and value; nil, a short row or a
// non-positive sum leaves a head unscaled) and renormalised: the
// Decision strategy's score.
func ScaledUncertainty(tax labels.Taxonomy, pred labels.Prediction, s Strategy, scales [][]float64) (string, float64) {
	best, bestScore := "", -1.0
	var buf []float64
	for i, probs := range pred.Probs {
		if i < len(scales) && len(scales[i]) >= len(probs) {
			buf = buf[:0]
			sum := 0.0
			for j, p := range probs {
				buf = append(buf, p*scales[i][j])
				sum += buf[j]
			}
			if sum > 0 {
				for j := range buf {
					buf[j] /= sum
				}
				probs = buf
			}
		}
		var score float64
		switch s {
		case Entropy:
			score = entropy(probs)
		default:
			score = margin(probs)
		}
		if math.IsNaN(score) {
			return tax.Targets[i].Name, score // a broken prediction: not ranked
		}
		if score > bestScore {
			best, bestScore = tax.Targets[i].Name, score
		}
	}
	return best, bestScore
}

func entropy(probs []float64) float64 {
	if len(probs) < 2 {
		return 0
	}
	h := 0.0
	for _, p := range probs {
		if math.IsNaN(p) {
			return math.NaN()
		}
		if p > 0 {
			h -= p * math.Log(p)
		}
	}
	return h / math.Log(float64(len(probs)))
}

func margin(probs []float64) float64 {
	top, second := 0.0, 0.0
	for _, p := range probs {
		if math.IsNaN(p) {
			return math.NaN()
		}
		if p > top {
			top, second = p, top
		} else if p > second {
			second = p
		}
	}
	return 1 - (top - second)
}

// LabelCounts counts, per target (aligned with tax.Targets) and value
// (aligned with the target's Values), the labelled cells of rows: the
// Options.Counts of the labelled set. Empty or unknown cells are not
// counted.
func LabelCounts(tax labels.Taxonomy, rows []labels.Gold) [][]int {
	out := make([][]int, len(tax.Targets))
	for t, tg := range tax.Targets {
		out[t] = make([]int, len(tg.Values))
	}
	for _, r := range rows {
		for t := range min(len(r.Labels), len(tax.Targets)) {
			if v := tax.ValueIndex(t, r.Labels[t]); v >= 0 {
				out[t][v]++
			}
		}
	}
	return out
}

// DefaultRarity is the exponent of RarityWeight when Options.Rarity is 0.
const DefaultRarity = 1.0

// MaxRarity bounds a command-line rarity: at 10 a head labelled 9 times
// already weighs 10^-10 of one never labelled, so larger exponents change
// nothing but risk weights that underflow to 0.
const MaxRarity = 10.0

// FlagRarity turns a command-line rarity, where 0 means equal shares,
// into Options.Rarity, where 0 means DefaultRarity and a negative value
// equal shares.
func FlagRarity(v float64) float64 {
	if v == 0 {
		return -1
	}
	return v
}

// RarityWeight is Rare's share weight of a stance head labelled n times,
// the rarest head having least labels: ((1 + least)/(1 + n))^power,
// which is proportional to (1 + n)^−power but cannot underflow for the
// rarest heads however large the counts and the power. A negative n
// (unknown) weighs 1.
func RarityWeight(n, least int, power float64) float64 {
	if n < 0 {
		return 1
	}
	return math.Pow((1+float64(max(least, 0)))/(1+float64(n)), power)
}

// head is one stance value of one target.
type head struct{ target, value int }

// stanceHeads lists every (target, value) whose value is not labels.None.
func stanceHeads(tax labels.Taxonomy) []head {
	var out []head
	for t, tg := range tax.Targets {
		for v, name := range tg.Values {
			if name != labels.None {
				out = append(out, head{t, v})
			}
		}
	}
	return out
}

// count returns counts[t][v], or -1 when counts does not cover it.
func count(counts [][]int, t, v int) int {
	if t < len(counts) && v < len(counts[t]) {
		return counts[t][v]
	}
	return -1
}
