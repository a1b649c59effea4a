package suggest_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/stance-project/stance/eval/suggest"
	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/batch"
)

// coinFlip is a stand-in model: unsure about sentences with "maybe".
type coinFlip struct{}

func (coinFlip) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i, t := range texts {
		p := []float64{0.05, 0.05, 0.9}
		if strings.Contains(t, "maybe") {
			p = []float64{0.45, 0.1, 0.45}
		}
		out[i] = labels.Prediction{Values: []string{labels.None}, Probs: [][]float64{p}}
	}
	return out, nil
}

func Example() {
	tax := labels.Taxonomy{Targets: []labels.Target{{Name: "dialogue", Values: labels.DefaultValues}}}
	in := `id,doc_id,date,source,index,text
d1:0,d1,2020-02-01,paper,0,We will maybe talk to them.
d1:1,d1,2020-02-01,paper,1,The weather was fine.
d2:0,d2,2021-06-30,paper,0,"Talks, maybe, next spring."
`
	sel := suggest.NewSelector(tax, suggest.Options{N: 2}, nil)
	sents := batch.ReadSentences(strings.NewReader(in), "sentences.csv")
	if _, err := suggest.Collect(context.Background(), batch.SentenceUnits(sents), coinFlip{}, sel, batch.Options{Workers: 1}); err != nil {
		fmt.Println(err)
		return
	}
	res := sel.Select()
	if err := suggest.WriteTodo(os.Stdout, tax, sel.Strategy(), res.Picks); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id,doc_id,date,source,text,dialogue,suggested_reason,guess_dialogue
	// d1:0,d1,2020-02-01,paper,We will maybe talk to them.,,dialogue margin 1.000 (favor 0.45 / none 0.45),none 0.45
	// d2:0,d2,2021-06-30,paper,"Talks, maybe, next spring.",,dialogue margin 1.000 (favor 0.45 / none 0.45),none 0.45
}
