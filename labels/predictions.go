package labels

import "strings"

// The prediction CSV, as `stance classify` writes it (its JSON lines have
// the same keys) and `stance report` reads it: the metadata columns (id
// first), TextColumn, one DecisionColumn per target, then one ProbColumn
// per target and value, in taxonomy order. These functions are its one
// definition; the writer and the reader both build their names with them.

// TextColumn holds the sentence.
const TextColumn = "text"

// DecisionColumn names the column of target's decided value: the
// target's name itself.
func DecisionColumn(target string) string { return target }

// ProbColumn names the column of the probability of value for target:
// p_<target>_<value>.
func ProbColumn(target, value string) string { return "p_" + target + "_" + value }

// ProbTarget is ProbColumn's inverse for a known value: the target whose
// probability column of value col is, and whether col is one.
func ProbTarget(col, value string) (string, bool) {
	t, ok := strings.CutPrefix(col, "p_")
	if t, ok2 := strings.CutSuffix(t, "_"+value); ok && ok2 && t != "" {
		return t, true
	}
	return "", false
}

// PredictionColumns returns the prediction CSV's columns after the
// metadata: TextColumn, the decision columns, then the probability
// columns.
func PredictionColumns(tax Taxonomy) []string {
	h := []string{TextColumn}
	for _, t := range tax.Targets {
		h = append(h, DecisionColumn(t.Name))
	}
	for _, t := range tax.Targets {
		for _, v := range t.Values {
			h = append(h, ProbColumn(t.Name, v))
		}
	}
	return h
}
