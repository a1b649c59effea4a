package spell

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"classify", "classify", 0},
		{"clasify", "classify", 1},   // deletion
		{"classsify", "classify", 1}, // insertion
		{"clessify", "classify", 1},  // substitution
		{"", "abc", 3},
		{"kitten", "sitting", 3}, // the textbook example
		{"favör", "favor", 1},    // runes, not bytes
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	cmds := []string{"ingest", "train", "classify", "eval", "cv", "report"}
	tests := []struct {
		s       string
		maxDist int
		want    string
	}{
		{"clasify", 2, "classify"},
		{"trian", 2, "train"},
		{"xyzzy", 2, ""},
		{"ev", 2, "cv"}, // 1 from cv, 2 from eval
		{"rain", 1, "train"},
		{"cv", 0, "cv"},
	}
	for _, tt := range tests {
		if got := Closest(tt.s, cmds, tt.maxDist); got != tt.want {
			t.Errorf("Closest(%q, %d) = %q, want %q", tt.s, tt.maxDist, got, tt.want)
		}
	}
}
