package eval

import (
	"reflect"
	"testing"

	"github.com/stance-project/stance/labels"
)

// TestExplainWords checks that an explainer's features become the words
// of the sentence, pushing toward the predicted value.
func TestExplainWords(t *testing.T) {
	const text = "Italy calls for renewed dialogue with Moscow, and cooperation."
	tests := []struct {
		name     string
		pred     string
		predNone bool
		in       []labels.Contribution
		k        int
		want     []labels.Contribution
	}{
		{
			name: "pieces and n-grams become their word",
			pred: "favor",
			in: []labels.Contribution{
				{Token: "dialogue", Value: "favor", Score: 0.5},
				{Token: "<mosc", Value: "favor", Score: 0.25},
				{Token: "▁moscow", Value: "favor", Score: 0.25},
				{Token: "erati", Value: "favor", Score: 0.1}, // in cooperation only
			},
			want: []labels.Contribution{{Token: "dialogue", Value: "favor", Score: 0.5}, {Token: "moscow", Value: "favor", Score: 0.5}, {Token: "cooperation", Value: "favor", Score: 0.1}},
		},
		{
			name: "a piece in several words is shared; a bigram halves",
			pred: "favor",
			in: []labels.Contribution{
				{Token: "it", Value: "favor", Score: 0.4}, // italy and with
				{Token: "renewed dialogue", Value: "favor", Score: 0.3},
			},
			want: []labels.Contribution{{Token: "italy", Value: "favor", Score: 0.2}, {Token: "with", Value: "favor", Score: 0.2}, {Token: "dialogue", Value: "favor", Score: 0.15}, {Token: "renewed", Value: "favor", Score: 0.15}},
		},
		{
			// The model explains a none prediction toward the likelier
			// stance: what held it back (negative) pushed toward none.
			name: "missed stance: what pushed toward none, not toward the gold value",
			pred: "none", predNone: true,
			in: []labels.Contribution{
				{Token: "dialogue", Value: "favor", Score: 0.9},
				{Token: "calls", Value: "favor", Score: -0.3},
				{Token: "description: favor words", Value: "favor", Score: -0.2},
				{Token: ",", Value: "favor", Score: -0.5}, // no word
				{Token: "(punctuation and pieces across words)", Value: "favor", Score: -0.1},
			},
			// A pseudo-word stays whole: its words ("and") get nothing.
			want: []labels.Contribution{{Token: "calls", Value: "none", Score: 0.3}, {Token: "description: favor words", Value: "none", Score: 0.2},
				{Token: "(punctuation and pieces across words)", Value: "none", Score: 0.1}},
		},
		{
			name: "another stance than the predicted one is left out; k cuts",
			pred: "against",
			in: []labels.Contribution{
				{Token: "moscow", Value: "favor", Score: 0.9},
				{Token: "italy", Value: "against", Score: 0.3},
				{Token: "calls", Value: "against", Score: 0.2},
				{Token: "for", Value: "", Score: 0.1},
			},
			k:    2,
			want: []labels.Contribution{{Token: "italy", Value: "against", Score: 0.3}, {Token: "calls", Value: "against", Score: 0.2}},
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
