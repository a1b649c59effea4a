package eval

import (
	"context"
	"slices"
	"testing"

	"github.com/stance-project/stance/labels"
)

func TestFitMajority(t *testing.T) {
	tax := testTaxonomy("a", "b", "c")
	F, A, N := labels.Favor, labels.Against, labels.None
	rows, _ := pairsFixture(tax, [][][2]string{
		concat(repeat(2, F, ""), repeat(3, N, ""), repeat(1, A, "")), // none wins
		concat(repeat(3, A, ""), repeat(3, F, ""), repeat(0, N, "")), // tie favor/against: favor (taxonomy order)
		concat(repeat(6, "", "")),                                    // nothing labelled: none
	})
	m := FitMajority(tax, rows)
	if want := []string{N, F, N}; !slices.Equal(m.Values, want) {
		t.Errorf("majority = %v, want %v", m.Values, want)
	}
	p, err := m.Predict([]string{"x", "y"})
	if err != nil || len(p) != 2 || !slices.Equal(p[1].Values, m.Values) || p[0].Probs != nil {
		t.Errorf("Predict = %+v, %v", p, err)
	}
	// Predictions must not share the Values slice.
	p[0].Values[0] = "changed"
	if m.Values[0] != N {
		t.Error("Predict aliases the majority values")
	}
}

func TestKeywordRules(t *testing.T) {
	// Sentences written for this test against the default taxonomy's
	// descriptions; the expected values follow the documented rule.
	tax := labels.Default()
	k := NewKeywordRules(tax)
	tests := []struct {
		text string
		want []string // russia_dialogue, southern_flank, defense_spending, ukraine_support
	}{
		{"We call for dialogue and cooperation with Russia.", []string{"favor", "none", "none", "none"}},
		{"Sanctions against Russia must be extended and tightened.", []string{"against", "none", "none", "none"}},
		{"Migration across the Mediterranean is a security priority.", []string{"none", "favor", "none", "none"}},
		{"We will raise defence spending to meet the target.", []string{"none", "none", "favor", "none"}},
		{"The weather was pleasant in Geneva.", []string{"none", "none", "none", "none"}},
		{"We support Ukraine's sovereignty and territorial integrity.", []string{"none", "none", "none", "favor"}},
	}
	texts := make([]string, len(tests))
	for i, tc := range tests {
		texts[i] = tc.text
	}
	preds, err := k.Predict(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		if !slices.Equal(preds[i].Values, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.text, preds[i].Values, tc.want)
		}
	}
}

func TestKeywordRulesCues(t *testing.T) {
	// Counts of distinct stems per part of the default descriptions.
	// Stems are a word's first six letters, so "call" misses the
	// description's "calls". "Sanctions" is a cue of both favor (lifting)
	// and against (keeping), so it counts for neither; so are "spending"
	// and "target" for defense_spending, and "dialogue" and "Russia" are
	// topic words, not favor cues.
	k := NewKeywordRules(labels.Default())
	tests := []struct {
		text   string
		target int
		want   labels.CueCounts
	}{
		{"We call for dialogue and cooperation with Russia.", 0, labels.CueCounts{Topic: 2, Favor: 1}},
		{"Sanctions on Russia must be extended and tightened.", 0, labels.CueCounts{Topic: 1, Against: 2}},
		{"Sanctions, sanctions and more sanctions.", 0, labels.CueCounts{}},
		{"Migration across the Mediterranean is a security priority.", 1, labels.CueCounts{Topic: 2, Favor: 2}},
		{"We will raise defence spending to meet the target.", 2, labels.CueCounts{Topic: 1, Favor: 2}},
		{"The weather was pleasant in Geneva.", 3, labels.CueCounts{}},
	}
	for _, tc := range tests {
		got := k.Cues(tc.text)
		if len(got) != 4 {
			t.Fatalf("%q: %d counts, want one per target", tc.text, len(got))
		}
		if got[tc.target] != tc.want {
			t.Errorf("%q target %d: got %+v, want %+v", tc.text, tc.target, got[tc.target], tc.want)
		}
	}
}

func TestKeywordRulesGenericCues(t *testing.T) {
	tax := labels.Taxonomy{Targets: []labels.Target{{Name: "trade", Description: "Free trade agreements.", Values: labels.DefaultValues}}}
	k := NewKeywordRules(tax)
	p, _ := k.Predict([]string{"We support free trade.", "We reject these trade agreements.", "Trade happened."})
	got := []string{p[0].Values[0], p[1].Values[0], p[2].Values[0]}
	if want := []string{"favor", "against", "none"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestEvaluateClassifier(t *testing.T) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, 80, 11)
	opts := DefaultOptions()
	opts.Resamples = 50
	rep, err := EvaluateClassifier(context.Background(), tax, rows, newFixedClassifier(rows, preds), opts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range rep.Systems {
		names = append(names, s.Name)
	}
	if want := []string{SystemModel, SystemMajority, SystemKeywords}; !slices.Equal(names, want) {
		t.Errorf("systems %v, want %v", names, want)
	}
	if len(rep.Errors) == 0 || len(rep.Errors[0].Tokens) != opts.TopTokens {
		t.Errorf("errors carry no explanation: %+v", rep.Errors[:1])
	}
	if !rep.Systems[0].Calibrated || rep.Systems[1].Calibrated {
		t.Error("only the model has probabilities")
	}
}
