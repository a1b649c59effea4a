package models_test

import (
	"context"
	"fmt"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
)

// Load a trained model and label sentences: each prediction holds one
// decided value and three calibrated probabilities per target.
func ExampleLoad() {
	m, err := models.Load("testdata/v1.stance")
	if err != nil {
		fmt.Println(err)
		return
	}
	p := m.PredictOne("The Mediterranean is our first security priority.")
	for i, tg := range m.Taxonomy().Targets {
		fmt.Printf("%s=%s\n", tg.Name, p.Values[i])
	}
	// Output:
	// russia_dialogue=none
	// southern_flank=favor
	// defense_spending=none
	// ukraine_support=none
}

// Train on gold rows; the summary reports held-out scores and warnings.
func ExampleTrain() {
	gf, err := labels.ReadGold("testdata/fixture.csv", labels.Default())
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := models.DefaultConfig()
	cfg.Buckets, cfg.CalibFolds, cfg.VocabSize = 256, 2, 150
	m, sum, err := models.Train(context.Background(), cfg, labels.Default(), gf.Rows, models.TrainOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(m.Taxonomy().Targets), "targets,", sum.TrainRows, "rows")
	// Output: 4 targets, 40 rows
}
