package labels

import "testing"

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
