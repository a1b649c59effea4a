package models

import (
	"slices"
	"testing"
)

func TestCharNgrams(t *testing.T) {
	f := features{vocab: 10, buckets: 1 << 20, charMin: 3, charMax: 5}
	ids := func(s string) []int32 {
		out, _ := f.appendCharNgrams(nil, s, nil)
		return out
	}
	for _, tc := range []struct {
		text string
		n    int
	}{
		{"", 0},
		{"  ,. ", 0},
		{"war", 6},            // <wa war ar> | <war war> | <war>
		{"a", 1},              // <a>
		{"War!", 6},           // lower-cased, punctuation ends the word
		{"war war", 12},       // per word
		{"Россия", 6 + 5 + 4}, // "<россия>" has 8 runes
	} {
		if got := len(ids(tc.text)); got != tc.n {
			t.Errorf("%q: %d n-grams, want %d", tc.text, got, tc.n)
		}
	}
	if !slices.Equal(ids("war"), ids("WAR")) {
		t.Error("case changes the n-grams")
	}
	// "war" and "warship" share "<wa", "war" and "<war"; "war>" only with "war".
	shared := 0
	a, b := ids("war"), ids("warship")
	for _, x := range a {
		if slices.Contains(b, x) {
			shared++
		}
	}
	if shared != 3 {
		t.Errorf("war and warship share %d n-grams, want 3", shared)
	}
	for _, x := range append(a, b...) {
		if x < 10 || x >= 10+1<<20 {
			t.Fatalf("id %d outside the buckets", x)
		}
	}
	off := features{vocab: 10, buckets: 1 << 20}
	if got, _ := off.appendCharNgrams(nil, "war", nil); len(got) != 0 {
		t.Errorf("charMax 0 gives %d n-grams", len(got))
	}
}
