package suggest_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/stance-project/stance/eval/suggest"
	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/batch"
)

// scales are the stand-in model's decision weights: like a class-weighted
// model, it decides favor or against once p·4 beats p(none).
var scales = [][]float64{{4, 4, 1}}

// standIn is a stand-in model: fairly sure of a stance in sentences with
// "maybe", on the fence with "perhaps", sure of none otherwise.
type standIn struct{}

func (standIn) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i, t := range texts {
		p := []float64{0.03, 0.02, 0.95}
		switch {
		case strings.Contains(t, "maybe"):
			p = []float64{0.45, 0.1, 0.45}
		case strings.Contains(t, "perhaps"):
			p = []float64{0.2, 0.05, 0.75}
		}
		best := 2
		for v := range 2 {
			if p[v]*scales[0][v] > p[best]*scales[0][best] {
				best = v
			}
		}
		out[i] = labels.Prediction{Values: []string{labels.DefaultValues[best]}, Probs: [][]float64{p}}
	}
	return out, nil
}

func Example() {
	tax := labels.Taxonomy{Targets: []labels.Target{{Name: "dialogue", Values: labels.DefaultValues}}}
	in := `id,doc_id,date,source,index,text
d1:0,d1,2020-02-01,paper,0,We will maybe talk to them.
d1:1,d1,2020-02-01,paper,1,The weather was fine.
d2:0,d2,2021-06-30,paper,0,"Talks, perhaps, next spring."
`
	// Targets takes the margin after the decision weights, target by
	// target: "perhaps" sits on the boundary (0.8 vs 0.75), "maybe" is a
	// clear favor (1.8 vs 0.45). (The default, Mixed, would give half the
	// picks to Rare's hunt for the values with the fewest labels.)
	sel := suggest.NewSelector(tax, suggest.Options{N: 2, Strategy: suggest.Targets, Scales: scales}, nil)
	sents := batch.ReadSentences(strings.NewReader(in), "sentences.csv")
	for s, err := range sents {
		if err != nil {
			fmt.Println(err)
			return
		}
		p, _ := standIn{}.Predict([]string{s.Text})
		sel.Add(suggest.Candidate{ID: s.ID, DocID: s.DocID, Date: s.Date, Source: s.Source, Text: s.Text, Prediction: p[0]})
	}
	res := sel.Select()
	if err := suggest.WriteTodo(os.Stdout, tax, sel.Strategy(), res.Picks); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id,doc_id,date,source,text,dialogue,suggested_reason,guess_dialogue
	// d2:0,d2,2021-06-30,paper,"Talks, perhaps, next spring.",,dialogue targets 0.971 (decided favor; none 0.75 / favor 0.20),favor 0.20 (likeliest none 0.75)
	// d1:0,d1,2020-02-01,paper,We will maybe talk to them.,,dialogue targets 0.491 (decided favor; favor 0.45 / none 0.45),favor 0.45
}
