package labels

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMergeFiles(t *testing.T) {
	dir := filepath.Join("testdata", "merge")
	tests := []struct {
		name    string
		updates []string
		wantErr error
		want    string // report, then rows as id:labels
	}{
		{
			name:    "add change unchanged still-empty",
			updates: []string{"new1.csv"},
			want: "added 1 changed 2 unchanged 1 still-empty 2 partial 0 rows 5\n" +
				"russia_dialogue: none->favor 1\nukraine_support: none->favor 1\n" +
				// Extras the base lacks come from the update, even unchanged.
				"m1 [favor none none none] annotator=kim score=0.9\n" +
				"m2 [none none none favor] annotator=kim score=0.8\n" +
				"m3 [none none none none] annotator=lee score=0.7\n" +
				"m4 [   ] annotator=lee score=\n" +
				"m9 [none favor none none] annotator= score=0.5\n",
		},
		{
			// The todo file's own columns are dropped, others kept; m7
			// repeats m1's text (re-spaced) under a new id with another
			// label: a warning, not an error; m6 is partial.
			name:    "todo columns, same text, partial",
			updates: []string{"new5_todo.csv"},
			want: "added 2 changed 0 unchanged 0 still-empty 1 partial 2 rows 6\n" +
				"warning: testdata/merge/new5_todo.csv:2: \"m7\" has the text of \"m1\" at testdata/merge/base.csv:2 with different labels (russia_dialogue: against here, none there)\n" +
				"m1 [none none none none] annotator=kim guess_colour=\n" +
				"m2 [none none none none] annotator=kim guess_colour=\n" +
				"m3 [none none none none] annotator=lee guess_colour=\n" +
				"m4 [   ] annotator=lee guess_colour=\n" +
				"m7 [against   ] annotator= guess_colour=red\n" +
				"m6 [   favor] annotator= guess_colour=blue\n",
		},
		{name: "conflict between new files", updates: []string{"new1.csv", "new2_conflict.csv"}, wantErr: ErrDuplicateID},
		{name: "known id with another text", updates: []string{"new4_idtext.csv"}, wantErr: ErrTextMismatch},
		{name: "invalid new file", updates: []string{"new3_invalid.csv"}, wantErr: ErrBadValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "merged.csv")
			var paths []string
			for _, u := range tt.updates {
				paths = append(paths, filepath.Join(dir, u))
			}
			merged, rep, err := MergeFiles(Default(), filepath.Join(dir, "base.csv"), paths...)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got %v, want %v", err, tt.wantErr)
				}
				if merged != nil {
					t.Errorf("refused merge returned %d merged rows", len(merged.Rows))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(merged.Rows) != rep.Rows {
				t.Fatalf("merged file %d rows, report %d", len(merged.Rows), rep.Rows)
			}
			var csv strings.Builder
			if err := WriteGold(&csv, merged.Taxonomy, merged.ExtraNames, merged.Rows); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(out, []byte(csv.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "added %d changed %d unchanged %d still-empty %d partial %d rows %d\n", rep.Added, rep.Changed, rep.Unchanged, rep.StillEmpty, rep.Partial, rep.Rows)
			for _, tr := range rep.Transitions {
				fmt.Fprintf(&b, "%s: %s->%s %d\n", tr.Target, tr.From, tr.To, tr.Count)
			}
			for _, w := range rep.Warnings {
				fmt.Fprintf(&b, "warning: %v\n", w)
			}
			g, err := ReadGold(out, Default())
			if err != nil {
				t.Fatalf("merged file does not pass the checks: %v", err)
			}
			for _, r := range g.Rows {
				fmt.Fprintf(&b, "%s %v", r.ID, r.Labels)
				for _, e := range g.ExtraNames {
					fmt.Fprintf(&b, " %s=%s", e, r.Extra[e])
				}
				b.WriteByte('\n')
			}
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}

func TestMergeDoesNotModifyInputs(t *testing.T) {
	base := []Gold{{ID: "1", Labels: []string{"none"}, Extra: map[string]string{"a": "x"}}}
	upd := []Gold{{ID: "1", Labels: []string{"favor"}, Extra: map[string]string{"b": "y"}}}
	tax := Taxonomy{Targets: []Target{{Name: "t", Values: DefaultValues}}}
	out, rep := Merge(tax, base, upd)
	if base[0].Labels[0] != "none" || len(base[0].Extra) != 1 {
		t.Errorf("base modified: %+v", base[0])
	}
	if out[0].Labels[0] != "favor" || out[0].Extra["a"] != "x" || out[0].Extra["b"] != "y" || rep.Changed != 1 {
		t.Errorf("merged %+v, report %+v", out[0], rep)
	}
}

// A spreadsheet's autocorrect (curly quotes, dashes, an ellipsis) does not
// make a known id's text another text.
func TestMergeAutocorrectedText(t *testing.T) {
	dir := t.TempDir()
	const header = "id,doc_id,date,source,text,russia_dialogue,southern_flank,defense_spending,ukraine_support\n"
	base, upd := filepath.Join(dir, "base.csv"), filepath.Join(dir, "new.csv")
	if err := os.WriteFile(base, []byte(header+"a1,D1,2020,W,\"Moscow's \"\"offer\"\" -- wait...\",none,none,none,none\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(upd, []byte(header+"a1,D1,2020,W,Moscow’s “offer” — wait…,favor,,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, rep, err := MergeFiles(Default(), base, upd)
	if err != nil {
		t.Fatalf("autocorrected text refused: %v", err)
	}
	if rep.Changed != 1 {
		t.Errorf("report %+v, want one row changed", rep)
	}
}
