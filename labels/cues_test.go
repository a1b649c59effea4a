package labels

import (
	"slices"
	"testing"
)

func TestSplitDescription(t *testing.T) {
	tests := []struct {
		in                string
		topic, fav, agnst string
	}{
		{"Topic words. Favor: good things. Against: bad things.", "Topic words. ", " good things. ", " bad things."},
		{"Topic. against: bad. favour: good.", "Topic. ", " good.", " bad. "},
		{"Only a topic.", "Only a topic.", "", ""},
		{"Topic. Favor: good.", "Topic. ", " good.", ""},
		{"Topic. Against: bad.", "Topic. ", "", " bad."},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			a, b, c := splitDescription(tc.in)
			if a != tc.topic || b != tc.fav || c != tc.agnst {
				t.Errorf("got %q %q %q, want %q %q %q", a, b, c, tc.topic, tc.fav, tc.agnst)
			}
		})
	}
}

// TestCueIndexMatchesStems checks the fast counter against the reference
// reading (CountStems of Stems) on sentences that exercise case, accents,
// short and stop words, repeats, digits and invalid UTF-8, and on a
// generic-cue taxonomy.
func TestCueIndexMatchesStems(t *testing.T) {
	texts := []string{
		"", "We call for dialogue and cooperation with Russia.",
		"Sanctions, SANCTIONS and more sanctions on Moscow must be tightened.",
		"La détente avec la Russie; Détente! keep keeping kept",
		"Migration across the Mediterranean is a security priority (360-degree approach).",
		"We will raise defence spending to meet the 2% target; disarmament now.",
		"Ukraine's sovereignty and territorial integrity; Kyiv; invasion\xff\xfeUkraine",
		"ΡΩΣΙΑ διάλογος и санкции против России",
	}
	tax := Default()
	generic := Taxonomy{Targets: []Target{{Name: "x", Description: "Sanctions and Mediterranean.", Values: DefaultValues}}}
	for _, tx := range []Taxonomy{tax, generic} {
		dc := NewDescriptionCues(tx)
		ix := dc.Index()
		var sc CueScratch
		var dst []CueCounts
		for _, text := range texts {
			want := dc.CountStems(Stems(text), nil)
			dst = ix.Count(text, dst, &sc)
			if !slices.Equal(dst, want) {
				t.Errorf("%q: Count %v, CountStems(Stems) %v", text, dst, want)
			}
		}
	}
}

func FuzzCueIndex(f *testing.F) {
	f.Add("We call for dialogue and cooperation with Russia.")
	f.Add("Sanctions on Moscow must be extended\xff.")
	dc := NewDescriptionCues(Default())
	ix := dc.Index()
	var sc CueScratch
	f.Fuzz(func(t *testing.T, text string) {
		want := dc.CountStems(Stems(text), nil)
		if got := ix.Count(text, nil, &sc); !slices.Equal(got, want) {
			t.Errorf("%q: Count %v, CountStems(Stems) %v", text, got, want)
		}
	})
}
