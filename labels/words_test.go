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
		{"The KREMLIN's «dialogue» — 2024/25!", []string{"the", "kremlin", "s", "dialogue", "2024", "25"}},
		{"ΣΊΣΥΦΟΣ x1y2 ..z", []string{"σίσυφοσ", "x1y2", "z"}},
		{"Ǆemal ǅ ǆ", []string{"ǆemal", "ǆ", "ǆ"}}, // title case lower-cased too
		{"ﬁne ٣٤ arabic-indic", []string{"ﬁne", "٣٤", "arabic", "indic"}},
	} {
		if got := Words(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Words(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// EachWord gives Words' words without allocating once its buffer has
// grown.
func TestEachWordAllocatesNothing(t *testing.T) {
	text := "Italy's NATO-partners, İstanbul and Россия, 2024!"
	buf := make([]byte, 0, 64)
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		buf = EachWord(text, buf, func(w []byte) { n += len(w) })
	})
	if allocs != 0 {
		t.Errorf("EachWord allocates %v times a call", allocs)
	}
	if n == 0 {
		t.Error("EachWord gave no word")
	}
}
