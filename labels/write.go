package labels

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
)

// Header returns the column names of a gold file for tax with the given
// extra columns: the standard columns, one per target, then the extras.
func Header(tax Taxonomy, extras []string) []string {
	h := slices.Clone(StandardColumns)
	h = append(h, tax.Names()...)
	return append(h, extras...)
}

// WriteGold writes rows as a gold label file (see ReadGold) to w: header,
// then one row each, with the extras' values taken from Gold.Extra (a
// missing key is an empty cell). Every row's Labels must have one entry per
// target of tax; otherwise WriteGold fails before writing that row.
func WriteGold(w io.Writer, tax Taxonomy, extras []string, rows []Gold) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header(tax, extras)); err != nil {
		return err
	}
	n := len(tax.Targets)
	rec := make([]string, 0, len(StandardColumns)+n+len(extras))
	for i, g := range rows {
		if len(g.Labels) != n {
			return fmt.Errorf("labels: row %d (id %q) has %d labels, taxonomy has %d targets", i+1, g.ID, len(g.Labels), n)
		}
		rec = append(rec[:0], g.ID, g.DocID, g.Date, g.Source, g.Text)
		rec = append(rec, g.Labels...)
		for _, e := range extras {
			rec = append(rec, g.Extra[e])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
