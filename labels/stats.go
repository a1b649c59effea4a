package labels

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Stats counts the labels of a gold file: per target and value, overall
// and per year and per source.
type Stats struct {
	Taxonomy Taxonomy
	All      GroupStats
	// ByYear is sorted by year, "unknown" (no or bad date) last.
	ByYear []GroupStats
	// BySource is sorted by descending row count, then name.
	BySource []GroupStats
}

// GroupStats are the counts of one group of rows.
type GroupStats struct {
	Key  string
	Rows int
	// AnyStance counts rows with favor or against for at least one target.
	AnyStance int
	// Unlabelled counts rows with every target cell empty.
	Unlabelled int
	// Counts[t][v] counts rows with value v (index into Targets[t].Values)
	// for target t; Counts[t][len(Values)] counts empty cells.
	Counts [][]int
}

func newGroup(tax Taxonomy, key string) *GroupStats {
	g := &GroupStats{Key: key, Counts: make([][]int, len(tax.Targets))}
	for t, tg := range tax.Targets {
		g.Counts[t] = make([]int, len(tg.Values)+1)
	}
	return g
}

func (g *GroupStats) add(tax Taxonomy, r Gold) {
	g.Rows++
	stance, empty := false, true
	for t, v := range r.Labels {
		if v == "" {
			g.Counts[t][len(tax.Targets[t].Values)]++
			continue
		}
		empty = false
		if i := tax.ValueIndex(t, v); i >= 0 {
			g.Counts[t][i]++
		}
		if v != None {
			stance = true
		}
	}
	if stance {
		g.AnyStance++
	}
	if empty {
		g.Unlabelled++
	}
}

// Share returns AnyStance/Rows, or NaN for an empty group.
func (g GroupStats) Share() float64 {
	return float64(g.AnyStance) / float64(g.Rows)
}

// YearOf returns the year of an ISO date, or "unknown" if date does not
// parse.
func YearOf(date string) string {
	if _, err := ParseDate(date); err != nil {
		return "unknown"
	}
	return date[:4]
}

// ComputeStats counts rows, whose Labels are aligned with tax.
func ComputeStats(tax Taxonomy, rows []Gold) Stats {
	all := newGroup(tax, "all")
	years := map[string]*GroupStats{}
	sources := map[string]*GroupStats{}
	for _, r := range rows {
		all.add(tax, r)
		y := YearOf(r.Date)
		if years[y] == nil {
			years[y] = newGroup(tax, y)
		}
		years[y].add(tax, r)
		s := r.Source
		if s == "" {
			s = "(none)"
		}
		if sources[s] == nil {
			sources[s] = newGroup(tax, s)
		}
		sources[s].add(tax, r)
	}
	st := Stats{Taxonomy: tax, All: *all}
	for _, g := range years {
		st.ByYear = append(st.ByYear, *g)
	}
	slices.SortFunc(st.ByYear, func(a, b GroupStats) int {
		if (a.Key == "unknown") != (b.Key == "unknown") {
			if a.Key == "unknown" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Key, b.Key)
	})
	for _, g := range sources {
		st.BySource = append(st.BySource, *g)
	}
	slices.SortFunc(st.BySource, func(a, b GroupStats) int {
		return cmp.Or(b.Rows-a.Rows, strings.Compare(a.Key, b.Key))
	})
	return st
}

func pct(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}

// WriteText writes the statistics as aligned tables: one row per target
// and value, then per year and per source the rows, the share with any
// stance and per target the favor/against counts.
func (s Stats) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	a := s.All
	fmt.Fprintf(w, "%d rows; %d (%s) with a stance on some target; %d with no target labelled\n\n",
		a.Rows, a.AnyStance, pct(a.AnyStance, a.Rows), a.Unlabelled)
	w0 := len("target")
	for _, tg := range s.Taxonomy.Targets {
		w0 = max(w0, len(tg.Name))
	}
	left := func(s string) string { return fmt.Sprintf("%-*s", w0, s) }
	head := []string{left("target")}
	if len(s.Taxonomy.Targets) > 0 {
		head = append(head, s.Taxonomy.Targets[0].Values...)
	}
	head = append(head, "unlabelled", "stance share")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for t, tg := range s.Taxonomy.Targets {
		c := a.Counts[t]
		cells := []string{left(tg.Name)}
		for v := range tg.Values {
			cells = append(cells, strconv.Itoa(c[v]))
		}
		labelled := a.Rows - c[len(tg.Values)]
		cells = append(cells, strconv.Itoa(c[len(tg.Values)]), pct(labelled-c[len(tg.Values)-1], labelled))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, part := range []struct {
		name   string
		groups []GroupStats
	}{{"year", s.ByYear}, {"source", s.BySource}} {
		fmt.Fprintf(w, "\nby %s (per target: favor/against)\n", part.name)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		w0 := len(part.name)
		for _, g := range part.groups {
			w0 = max(w0, len(g.Key))
		}
		left := func(s string) string { return fmt.Sprintf("%-*s", w0, s) }
		head := []string{left(part.name), "rows", "any stance", "share"}
		head = append(head, s.Taxonomy.Names()...)
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		for _, g := range part.groups {
			cells := []string{left(g.Key), strconv.Itoa(g.Rows), strconv.Itoa(g.AnyStance), pct(g.AnyStance, g.Rows)}
			for t := range s.Taxonomy.Targets {
				cells = append(cells, fmt.Sprintf("%d/%d", g.Counts[t][0], g.Counts[t][1]))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes the statistics as one long table with the header
// group,key,target,value,count: group is all, year or source; value is a
// target value, "unlabelled", or (with an empty target) "rows",
// "any_stance" or "no_labels".
func (s Stats) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"group", "key", "target", "value", "count"})
	emit := func(group string, g GroupStats) {
		n := strconv.Itoa
		cw.Write([]string{group, g.Key, "", "rows", n(g.Rows)})
		cw.Write([]string{group, g.Key, "", "any_stance", n(g.AnyStance)})
		cw.Write([]string{group, g.Key, "", "no_labels", n(g.Unlabelled)})
		for t, tg := range s.Taxonomy.Targets {
			for v, name := range tg.Values {
				cw.Write([]string{group, g.Key, tg.Name, name, n(g.Counts[t][v])})
			}
			cw.Write([]string{group, g.Key, tg.Name, "unlabelled", n(g.Counts[t][len(tg.Values)])})
		}
	}
	emit("all", s.All)
	for _, g := range s.ByYear {
		emit("year", g)
	}
	for _, g := range s.BySource {
		emit("source", g)
	}
	cw.Flush()
	return cw.Error()
}
