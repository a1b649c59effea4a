package labels

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

// FuzzReadGold feeds arbitrary bytes to the gold reader. It must never
// panic; every problem must name the file; and a file it accepts must
// survive WriteGold and a second read unchanged.
func FuzzReadGold(f *testing.F) {
	// More seeds live in testdata/fuzz/FuzzReadGold.
	f.Add([]byte("id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_support\n" +
		"1,d,2020,s,Some text.,none,favor,,against\n"))
	tax := Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGold(bytes.NewReader(data), "fuzz.csv", tax)
		if g == nil {
			t.Fatal("nil GoldFile")
		}
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			for _, p := range list {
				if p.File != "fuzz.csv" || p.Error() == "" {
					t.Fatalf("problem without file: %#v", p)
				}
			}
			return
		}
		for _, r := range g.Rows {
			if len(r.Labels) != len(tax.Targets) {
				t.Fatalf("row %q has %d labels", r.ID, len(r.Labels))
			}
		}
		var buf bytes.Buffer
		if err := WriteGold(&buf, tax, g.ExtraNames, g.Rows); err != nil {
			t.Fatalf("writing an accepted file: %v", err)
		}
		h, err := ParseGold(&buf, "again.csv", tax)
		if err != nil {
			t.Fatalf("rereading our own output: %v\n%s", err, buf.Bytes())
		}
		if !slices.Equal(g.ExtraNames, h.ExtraNames) || len(g.Rows) != len(h.Rows) {
			t.Fatalf("round trip changed shape: %q %d -> %q %d", g.ExtraNames, len(g.Rows), h.ExtraNames, len(h.Rows))
		}
		for i := range g.Rows {
			a, b := g.Rows[i], h.Rows[i]
			if a.ID != b.ID || a.DocID != b.DocID || a.Date != b.Date || a.Source != b.Source || a.Text != b.Text ||
				!slices.Equal(a.Labels, b.Labels) {
				t.Fatalf("row %d changed:\n%#v\n%#v", i, a, b)
			}
			for _, e := range g.ExtraNames {
				if a.Extra[e] != b.Extra[e] {
					t.Fatalf("row %d extra %q changed: %q -> %q", i, e, a.Extra[e], b.Extra[e])
				}
			}
		}
	})
}
