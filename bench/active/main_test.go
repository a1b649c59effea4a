package main

import (
	"math"
	"strings"
	"testing"
)

func TestAnswer(t *testing.T) {
	counts := [2][]float64{{200, 300, 400, 500}, {200, 300, 400, 500}}
	cells := func(xs ...float64) []cell {
		out := make([]cell, len(xs))
		for i, x := range xs {
			out[i] = cell{x, math.NaN()}
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		rnd, unc    []cell
		wantPrefix  string
		wantContain string
	}{
		{"reached early", cells(0.1, 0.2, 0.3, 0.4), cells(0.1, 0.3, 0.45, 0.5), "**No**", "round 2, with 400 labels (more than half)"},
		{"reached at half", cells(0.1, 0.2, 0.3, 0.4), cells(0.1, 0.4, 0.45, 0.5), "**Yes**", "round 1, with 250 labels"},
		{"never", cells(0.1, 0.2, 0.3, 0.4), cells(0.1, 0.2, 0.35, 0.39), "**No**", "never reaches 0.400 within 3 rounds (its best: 0.390)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Half of 500 is 250; move the second round to 250 labels for
			// the "at half" case.
			c := counts
			if tc.wantPrefix == "**Yes**" {
				c = [2][]float64{counts[0], {200, 250, 400, 500}}
			}
			got := answer([2][]cell{tc.rnd, tc.unc}, c)
			if !strings.HasPrefix(got, tc.wantPrefix) || !strings.Contains(got, tc.wantContain) {
				t.Fatalf("got %q", got)
			}
		})
	}
}

func TestMeanSD(t *testing.T) {
	// Sample sd of 1, 2, 3 is 1 (by hand).
	if c := meanSD([]float64{1, 2, 3}); c.mean != 2 || math.Abs(c.sd-1) > 1e-12 {
		t.Fatalf("%+v", c)
	}
	if c := meanSD([]float64{0.5}); c.String() != "0.500" {
		t.Fatalf("one seed: %q", c.String())
	}
}
