package labels

import (
	"errors"
	"maps"
	"slices"
)

// Transition counts the cells of one target whose value changed from From
// to To in a merge ("" is an empty cell).
type Transition struct {
	Target   string
	From, To string
	Count    int
}

// MergeReport accounts for every row of a merge's updates.
type MergeReport struct {
	Added      int // new ids with at least one label
	Changed    int // known ids with at least one label changed
	Unchanged  int // known ids whose labels were all already there
	StillEmpty int // rows with every target cell empty: ignored
	// Transitions lists the changed cells, by target (taxonomy order),
	// then From, then To.
	Transitions []Transition
	// Rows is the number of merged rows (MergeFiles: rows written).
	Rows int
	// Warnings are the inputs' non-fatal problems (MergeFiles only).
	Warnings ErrorList
}

// MergeFiles reads and checks the gold file base and the update files
// (as one input, so an id given different labels in two update files is
// a problem), merges them with Merge and writes the result to out
// atomically; out may be base. If any input has a problem, nothing is
// written and the error is the ErrorList of every input's problems.
func MergeFiles(tax Taxonomy, out, base string, updates ...string) (MergeReport, error) {
	b, errB := ReadGold(base, tax)
	u, errU := ReadGoldFiles(tax, updates...)
	warn := append(slices.Clone(b.Warnings), u.Warnings...)
	if errB != nil || errU != nil {
		var all ErrorList
		for _, err := range []error{errB, errU} {
			var list ErrorList
			if errors.As(err, &list) {
				all = append(all, list...)
			}
		}
		return MergeReport{Warnings: warn}, all
	}
	rows, rep := Merge(tax, b.Rows, u.Rows)
	rep.Rows = len(rows)
	rep.Warnings = warn
	if err := WriteGoldFile(out, tax, MergeExtras(b.ExtraNames, u.ExtraNames), rows); err != nil {
		return rep, err
	}
	return rep, nil
}

// Merge folds updates into base and returns the merged rows; neither
// input is modified. Both are aligned with tax and should have passed
// ReadGold's checks (unique ids).
//
//   - An update whose target cells are all empty is ignored (StillEmpty):
//     this is an unfilled row of a `stance suggest` file.
//   - An update with a new id is appended, in update order (Added).
//   - An update with a known id overrides the base row's labels only
//     where the update's cell is not empty; the base row keeps its place,
//     text and extras (extras it lacks are taken from the update).
func Merge(tax Taxonomy, base, updates []Gold) ([]Gold, MergeReport) {
	out := make([]Gold, len(base))
	index := make(map[string]int, len(base))
	for i, g := range base {
		g.Labels = slices.Clone(g.Labels)
		g.Extra = maps.Clone(g.Extra)
		out[i] = g
		index[g.ID] = i
	}
	var rep MergeReport
	type key struct {
		t        int
		from, to string
	}
	trans := map[key]int{}
	for _, u := range updates {
		if !slices.ContainsFunc(u.Labels, func(v string) bool { return v != "" }) {
			rep.StillEmpty++
			continue
		}
		i, known := index[u.ID]
		if !known {
			u.Labels = slices.Clone(u.Labels)
			u.Extra = maps.Clone(u.Extra)
			index[u.ID] = len(out)
			out = append(out, u)
			rep.Added++
			continue
		}
		g := &out[i]
		changed := false
		for t, v := range u.Labels {
			if v == "" || v == g.Labels[t] {
				continue
			}
			trans[key{t, g.Labels[t], v}]++
			g.Labels[t] = v
			changed = true
		}
		for k, v := range u.Extra {
			if _, ok := g.Extra[k]; !ok {
				if g.Extra == nil {
					g.Extra = map[string]string{}
				}
				g.Extra[k] = v
			}
		}
		if changed {
			rep.Changed++
		} else {
			rep.Unchanged++
		}
	}
	for k, n := range trans {
		rep.Transitions = append(rep.Transitions, Transition{Target: tax.Targets[k.t].Name, From: k.from, To: k.to, Count: n})
	}
	slices.SortFunc(rep.Transitions, func(a, b Transition) int {
		if c := tax.Index(a.Target) - tax.Index(b.Target); c != 0 {
			return c
		}
		if a.From != b.From {
			if a.From < b.From {
				return -1
			}
			return 1
		}
		if a.To < b.To {
			return -1
		}
		if a.To > b.To {
			return 1
		}
		return 0
	})
	return out, rep
}

// MergeExtras returns the union of extra column names, in order of first
// appearance.
func MergeExtras(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, n := range l {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}
