package labels

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
)

// ReasonColumn and GuessPrefix name the columns `stance suggest` adds to
// a todo file: why a row was suggested, and the model's guess per target
// (GuessPrefix + the target's name). They describe a model, not the
// sentence, so a merge does not copy them into the gold file.
const (
	ReasonColumn = "suggested_reason"
	GuessPrefix  = "guess_"
)

// IsTodoColumn reports whether an extra column is one of a todo file's
// (ReasonColumn, or GuessPrefix and a target of tax).
func IsTodoColumn(tax Taxonomy, name string) bool {
	if name == ReasonColumn {
		return true
	}
	t, ok := strings.CutPrefix(name, GuessPrefix)
	return ok && tax.Index(t) >= 0
}

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
	// Partial counts the added or updated rows that still have an empty
	// target cell after the merge: an empty cell means "not labelled",
	// not none, and such a row trains only the targets it has.
	Partial int
	// Transitions lists the changed cells, by target (taxonomy order),
	// then From, then To.
	Transitions []Transition
	// Rows is the number of merged rows (MergeFiles only).
	Rows int
	// Warnings are the inputs' non-fatal problems (MergeFiles only).
	Warnings ErrorList
}

// MergeFiles reads and checks the gold file base and the update files
// (as one input, so an id given different labels in two update files is
// a problem) and merges them with Merge. It returns the merged file, for
// the caller to write (WriteGold): its rows, and the extra columns of
// base and the updates but suggest's todo columns. If any input has a
// problem, the error is the ErrorList of every input's problems and there
// is no merged file. A path "-" reads os.Stdin.
func MergeFiles(tax Taxonomy, base string, updates ...string) (*GoldFile, MergeReport, error) {
	return MergeInputs(tax, os.Stdin, base, updates...)
}

// MergeInputs is MergeFiles with the path "-" read from stdin (see
// ReadGoldInputs).
func MergeInputs(tax Taxonomy, stdin io.Reader, base string, updates ...string) (*GoldFile, MergeReport, error) {
	b, errB := ReadGoldInputs(tax, stdin, base)
	u, errU := ReadGoldInputs(tax, stdin, updates...)
	warn := append(slices.Clone(b.Warnings), u.Warnings...)
	if errB != nil || errU != nil {
		var all ErrorList
		for _, err := range []error{errB, errU} {
			var list ErrorList
			if errors.As(err, &list) {
				all = append(all, list...)
			}
		}
		return nil, MergeReport{Warnings: warn}, all
	}
	if errs := checkTexts(b, u, &warn); len(errs) > 0 {
		return nil, MergeReport{Warnings: warn}, errs
	}
	rows, rep := Merge(tax, b.Rows, u.Rows)
	rep.Rows = len(rows)
	rep.Warnings = warn
	extras := slices.DeleteFunc(MergeExtras(b.ExtraNames, u.ExtraNames), func(n string) bool { return IsTodoColumn(tax, n) })
	return &GoldFile{Taxonomy: tax, ExtraNames: extras, Rows: rows}, rep, nil
}

// checkTexts compares the texts of the updates that carry a label with
// the rest. An update whose id is in base with another text is an error:
// its labels would be written beside base's sentence, not the one that
// was read. An update whose text is another row's under a different id,
// with a different label for some target, is a warning (appended to
// warn): the same sentence would teach both values.
func checkTexts(base, upd *GoldFile, warn *ErrorList) ErrorList {
	type at struct {
		file string
		row  Gold
	}
	byID := make(map[string]at, len(base.Rows))
	byText := make(map[string]at, len(base.Rows)+len(upd.Rows))
	for i, r := range base.Rows {
		byID[r.ID] = at{base.files[i], r}
		if k := TextKey(r.Text); k != "" {
			if _, ok := byText[k]; !ok {
				byText[k] = at{base.files[i], r}
			}
		}
	}
	var errs ErrorList
	for i, r := range upd.Rows {
		if !r.Labelled() {
			continue // ignored by Merge
		}
		file := upd.files[i]
		k := TextKey(r.Text)
		if prev, ok := byID[r.ID]; ok && TextKey(prev.row.Text) != k {
			errs = append(errs, &ParseError{File: file, Line: r.Line, Err: ErrTextMismatch,
				Detail: fmt.Sprintf("%q is %q at %s:%d but %q here; its labels would go to the other sentence (give this row a new id, or the same text)",
					r.ID, clip(prev.row.Text), prev.file, prev.row.Line, clip(r.Text))})
			continue
		}
		prev, ok := byText[k]
		if !ok {
			byText[k] = at{file, r}
			continue
		}
		if prev.row.ID == r.ID {
			continue
		}
		if diff := labelConflicts(base.Taxonomy, r.Labels, prev.row.Labels); len(diff) > 0 {
			*warn = append(*warn, &ParseError{File: file, Line: r.Line,
				Detail: fmt.Sprintf("%q has the text of %q at %s:%d with different labels (%s)",
					r.ID, prev.row.ID, prev.file, prev.row.Line, strings.Join(diff, "; "))})
		}
	}
	return errs
}

// TextKey is what makes two sentences the same text across the project
// (labels check and merge, a model's label ledger): s with its runs of
// white space made single spaces and trimmed, and typographic quotes,
// dashes and ellipses made plain, so that a spreadsheet's re-spacing and
// autocorrect do not count as a new text. Case and other punctuation
// count. TextKey(TextKey(s)) == TextKey(s).
func TextKey(s string) string { return typography.Replace(strings.Join(strings.Fields(s), " ")) }

// typography folds what spreadsheets' autocorrect substitutes.
var typography = strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`, "–", "-", "—", "--", "…", "...")

// clip shortens a text for a message.
func clip(s string) string {
	s = TextKey(s)
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
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
		if !u.Labelled() {
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
			if slices.Contains(u.Labels, "") {
				rep.Partial++
			}
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
		if slices.Contains(g.Labels, "") {
			rep.Partial++
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
