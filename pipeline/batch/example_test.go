package batch_test

import (
	"fmt"
	"os"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/batch"
)

// A CSVWriter writes the prediction CSV: the metadata columns, then
// labels.PredictionColumns.
func ExampleCSVWriter() {
	tax := labels.Taxonomy{Targets: labels.Default().Targets[:1]}
	w, err := batch.NewCSVWriter(os.Stdout, tax, []string{"id"})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := labels.Prediction{Values: []string{labels.Favor}, Probs: [][]float64{{0.8, 0.05, 0.15}}}
	if err := w.Write([]string{"s1"}, "Talks with Moscow must resume.", p); err != nil {
		fmt.Println(err)
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id,text,russia_dialogue,p_russia_dialogue_favor,p_russia_dialogue_against,p_russia_dialogue_none
	// s1,Talks with Moscow must resume.,favor,0.80000,0.05000,0.15000
}
