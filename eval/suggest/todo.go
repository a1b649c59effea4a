package suggest

import (
	"fmt"
	"io"
	"strings"

	"github.com/stance-project/stance/labels"
)

// ReasonColumn is the todo file's column saying why a row was suggested
// (labels.ReasonColumn: labels.Merge knows the todo columns, to leave
// them out of the gold file).
const ReasonColumn = labels.ReasonColumn

// GuessColumn returns the todo file's column holding the model's current
// guess for target, e.g. "guess_ukraine_support" (labels.GuessPrefix).
func GuessColumn(target string) string { return labels.GuessPrefix + target }

// TodoExtras returns the extra columns of a todo file, after the gold
// columns: ReasonColumn, then one GuessColumn per target.
func TodoExtras(tax labels.Taxonomy) []string {
	out := []string{ReasonColumn}
	for _, n := range tax.Names() {
		out = append(out, GuessColumn(n))
	}
	return out
}

// TodoRows turns picks into gold rows with every target cell empty, ready
// for an annotator. Extra holds the reason (Pick.Reason) and, per target,
// the model's decided value with its probability ("favor 0.62"), followed
// by the likeliest value when the decision (a class-weighted rule) picked
// a less probable one ("favor 0.03 (likeliest none 0.95)"). The guess is
// never a bare stance value: a column holding only favor, against and none
// would be taken for an unknown target by labels.ReadGold.
func TodoRows(tax labels.Taxonomy, s Strategy, picks []Pick) []labels.Gold {
	rows := make([]labels.Gold, len(picks))
	for i, p := range picks {
		g := labels.Gold{
			ID: p.ID, DocID: p.DocID, Date: p.Date, Source: p.Source, Text: p.Text,
			Labels: make([]string, len(tax.Targets)),
			Extra:  map[string]string{ReasonColumn: p.Reason(tax, s)},
		}
		for t, tg := range tax.Targets {
			g.Extra[GuessColumn(tg.Name)] = guess(tax, t, p.Prediction)
		}
		rows[i] = g
	}
	return rows
}

// guess renders target t's decided value and its probability, and the
// likeliest value with its probability when that is more probable than
// the decided one (the first in taxonomy order on a tie); "" without a
// decision, "value ?" without its probability.
func guess(tax labels.Taxonomy, t int, p labels.Prediction) string {
	if t >= len(p.Values) || p.Values[t] == "" {
		return ""
	}
	v := p.Values[t]
	if t >= len(p.Probs) {
		return v + " ?"
	}
	probs := p.Probs[t]
	j := tax.ValueIndex(t, v)
	if j < 0 || j >= len(probs) {
		return v + " ?"
	}
	out := fmt.Sprintf("%s %.2f", v, probs[j])
	top := j
	for k, q := range probs {
		if q > probs[top] {
			top = k
		}
	}
	if top != j && top < len(tax.Targets[t].Values) {
		out += fmt.Sprintf(" (likeliest %s %.2f)", tax.Targets[t].Values[top], probs[top])
	}
	return out
}

// WriteTodo writes picks as a todo file to w: the gold label format
// (id,doc_id,date,source,text, one empty column per target) followed by
// TodoExtras. Filled in, it merges back with labels.Merge (`stance labels
// merge`); rows left empty are ignored there.
func WriteTodo(w io.Writer, tax labels.Taxonomy, s Strategy, picks []Pick) error {
	return labels.WriteGold(w, tax, TodoExtras(tax), TodoRows(tax, s, picks))
}

// Summary counts the picks per target, naming the values sought by
// rare picks and the random draws: "russia_dialogue 3 (against 2),
// southern_flank 1, random 2".
func Summary(tax labels.Taxonomy, picks []Pick) string {
	var parts []string
	random := 0
	for _, tg := range tax.Targets {
		n := 0
		values := map[string]int{}
		for _, p := range picks {
			switch {
			case p.Random:
			case p.Target == tg.Name:
				n++
				if p.Value != "" {
					values[p.Value]++
				}
			}
		}
		if n == 0 {
			continue
		}
		part := fmt.Sprintf("%s %d", tg.Name, n)
		var vs []string
		for _, v := range tg.Values {
			if values[v] > 0 {
				vs = append(vs, fmt.Sprintf("%s %d", v, values[v]))
			}
		}
		if len(vs) > 0 {
			part += " (" + strings.Join(vs, ", ") + ")"
		}
		parts = append(parts, part)
	}
	for _, p := range picks {
		if p.Random {
			random++
		}
	}
	if random > 0 {
		parts = append(parts, fmt.Sprintf("random %d", random))
	}
	return strings.Join(parts, ", ")
}
