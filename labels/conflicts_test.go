package labels

import (
	"errors"
	"strings"
	"testing"
)

func TestTextConflicts(t *testing.T) {
	const header = "id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_support\n"
	tests := []struct {
		name       string
		in         string
		want       []string // substrings of each problem, in order
		duplicates int
	}{
		{"distinct texts", header +
			"a,d,2020,s,One text.,favor,none,none,none\n" +
			"b,d,2020,s,Another text.,against,none,none,none\n", nil, 0},
		{"same text same labels", header +
			"a,d,2020,s,One text.,favor,none,none,none\n" +
			"b,d,2020,s,One text.,favor,none,none,none\n", nil, 0},
		{"same text, one cell empty", header +
			"a,d,2020,s,One text.,favor,none,none,none\n" +
			"b,d,2020,s,One text.,,none,none,none\n", nil, 0},
		{"same text conflicting", header +
			"a,d,2020,s,One text.,favor,none,none,none\n" +
			"b,d,2020,s,One text.,against,none,none,none\n",
			[]string{`g.csv:3: same text, different labels: "b" has the text of "a" at g.csv:2 (russia_dialogue: against here, favor there)`}, 0},
		{"typography and spacing folded", header +
			"a,d,2020,s,“Peace”  now – please,favor,none,none,none\n" +
			"b,d,2020,s,\"\"\"Peace\"\" now - please\",none,none,none,none\n",
			[]string{`g.csv:3: same text, different labels: "b" has the text of "a" at g.csv:2`}, 0},
		{"exact repeat is a duplicate, not a conflict", header +
			"a,d,2020,s,One text.,favor,none,none,none\n" +
			"a,d,2020,s,One text.,favor,none,none,none\n", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := ParseGold(strings.NewReader(tt.in), "g.csv", Default())
			if err != nil {
				t.Fatal(err)
			}
			got := g.TextConflicts()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d conflicts %v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i].Error(), w) {
					t.Errorf("conflict %d = %q, want it to contain %q", i, got[i], w)
				}
				if !errors.Is(got[i], ErrTextConflict) {
					t.Errorf("conflict %d does not wrap ErrTextConflict", i)
				}
			}
			if d := g.Duplicates(); d != tt.duplicates {
				t.Errorf("Duplicates() = %d, want %d", d, tt.duplicates)
			}
		})
	}
}
