package labels

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"  ,;  ", nil},
		{"Italy's NATO-partners, 2024!", []string{"italy", "s", "nato", "partners", "2024"}},
		{"Ünïcode ÀB  straße", []string{"ünïcode", "àb", "straße"}},
		{"Россия и Украина", []string{"россия", "и", "украина"}},
		// İ lower-cases to i alone, rune by rune (strings.ToLower makes it
		// i plus a combining dot, which would split the word).
		{"İstanbul", []string{"istanbul"}},
		{"x\u0301y", []string{"x", "y"}}, // a combining mark is no word rune
		{"a\xffb", []string{"a", "b"}},   // invalid UTF-8 separates
	} {
		if got := Words(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Words(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
