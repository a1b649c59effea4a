package labels

import (
	"bytes"
	"testing"
)

func TestFastTextText(t *testing.T) {
	opt := DefaultFastTextOptions()
	tests := []struct{ in, want string }{
		{"Kyiv, Ukraine's capital.", "kyiv , ukraine's capital ."},
		{"Two\nlines\r\nand\ttabs", "two lines and tabs"},
		{"A 360-degree view; 4,870 grants (2.5%)!", "a 360-degree view ; 4,870 grants ( 2.5 % ) !"},
		{"say __label__favor now", "say labelfavor now"},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := FastTextText(tt.in, opt); got != tt.want {
			t.Errorf("FastTextText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := FastTextText("Keep Case.", FastTextOptions{}); got != "Keep Case." {
		t.Errorf("raw options changed the text: %q", got)
	}
}

func TestWriteFastText(t *testing.T) {
	tax := Default()
	rows := []Gold{
		{ID: "1", Text: "Aid to Kyiv.", Labels: []string{"none", "none", "", "favor"}},
		{ID: "2", Text: "Nothing yet.", Labels: []string{"", "", "", ""}},
		{ID: "3", Text: "Talks now.", Labels: []string{"favor", "none", "none", ""}},
	}
	tests := []struct {
		name          string
		target        int
		want          string
		written, skip int
	}{
		{"multi-label", -1, "__label__russia_dialogue_none __label__southern_flank_none __label__ukraine_support_favor aid to kyiv .\n" +
			"__label__russia_dialogue_favor __label__southern_flank_none __label__defense_spending_none talks now .\n", 2, 1},
		{"one target", 3, "__label__favor aid to kyiv .\n", 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := DefaultFastTextOptions()
			opt.Target = tt.target
			var buf bytes.Buffer
			w, s, err := WriteFastText(&buf, tax, rows, opt)
			if err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want || w != tt.written || s != tt.skip {
				t.Errorf("got %d written %d skipped:\n%s\nwant %d %d:\n%s", w, s, buf.String(), tt.written, tt.skip, tt.want)
			}
		})
	}
	if _, _, err := WriteFastText(&bytes.Buffer{}, tax, rows, FastTextOptions{Target: 4}); err == nil {
		t.Error("target out of range accepted")
	}
}
