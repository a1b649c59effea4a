package eval

import (
	"reflect"
	"testing"
)

// TestExplainWords checks that an explainer's features become the words
// of the sentence, pushing toward the predicted value.
func TestExplainWords(t *testing.T) {
	const text = "Italy calls for renewed dialogue with Moscow, and cooperation."
	tests := []struct {
		name     string
		pred     string
		predNone bool
		in       []Contribution
		k        int
		want     []Contribution
	}{
		{
			name: "pieces and n-grams become their word",
			pred: "favor",
			in: []Contribution{
				{Token: "dialogue", Value: "favor", Score: 0.5},
				{Token: "<mosc", Value: "favor", Score: 0.25},
				{Token: "▁moscow", Value: "favor", Score: 0.25},
				{Token: "erati", Value: "favor", Score: 0.1}, // in cooperation only
			},
			want: []Contribution{{"dialogue", "favor", 0.5}, {"moscow", "favor", 0.5}, {"cooperation", "favor", 0.1}},
		},
		{
			name: "a piece in several words is shared; a bigram halves",
			pred: "favor",
			in: []Contribution{
				{Token: "it", Value: "favor", Score: 0.4}, // italy and with
				{Token: "renewed dialogue", Value: "favor", Score: 0.3},
			},
			want: []Contribution{{"italy", "favor", 0.2}, {"with", "favor", 0.2}, {"dialogue", "favor", 0.15}, {"renewed", "favor", 0.15}},
		},
		{
			// The model explains a none prediction toward the likelier
			// stance: what held it back (negative) pushed toward none.
			name: "missed stance: what pushed toward none, not toward the gold value",
			pred: "none", predNone: true,
			in: []Contribution{
				{Token: "dialogue", Value: "favor", Score: 0.9},
				{Token: "calls", Value: "favor", Score: -0.3},
				{Token: "description: favor words", Value: "favor", Score: -0.2},
				{Token: ",", Value: "favor", Score: -0.5}, // no word
				{Token: "(punctuation and pieces across words)", Value: "favor", Score: -0.1},
			},
			// A pseudo-word stays whole: its words ("and") get nothing.
			want: []Contribution{{"calls", "none", 0.3}, {"description: favor words", "none", 0.2},
				{"(punctuation and pieces across words)", "none", 0.1}},
		},
		{
			name: "another stance than the predicted one is left out; k cuts",
			pred: "against",
			in: []Contribution{
				{Token: "moscow", Value: "favor", Score: 0.9},
				{Token: "italy", Value: "against", Score: 0.3},
				{Token: "calls", Value: "against", Score: 0.2},
				{Token: "for", Value: "", Score: 0.1},
			},
			k:    2,
			want: []Contribution{{"italy", "against", 0.3}, {"calls", "against", 0.2}},
		},
		{name: "nothing to explain", pred: "favor", in: nil, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExplainWords(text, tt.pred, tt.predNone, tt.in, tt.k)
			for i := range got {
				got[i].Score = float64(int(got[i].Score*1e9+0.5)) / 1e9
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}
