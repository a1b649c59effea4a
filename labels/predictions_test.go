package labels

import "testing"

func TestProbTarget(t *testing.T) {
	for _, tc := range []struct {
		col, value, want string
		ok               bool
	}{
		{ProbColumn("russia_dialogue", Favor), Favor, "russia_dialogue", true},
		{ProbColumn("a_b", "none"), None, "a_b", true},
		{"p_x_favor", Against, "", false},
		{"p__favor", Favor, "", false},
		{"x_favor", Favor, "", false},
	} {
		got, ok := ProbTarget(tc.col, tc.value)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ProbTarget(%q, %q) = %q, %v, want %q, %v", tc.col, tc.value, got, ok, tc.want, tc.ok)
		}
	}
}
