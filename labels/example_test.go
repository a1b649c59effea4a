package labels_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/stance-project/stance/labels"
)

func ExampleReadGold() {
	g, err := labels.ReadGold("testdata/read/ok.csv", labels.Default())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range g.Rows {
		fmt.Println(r.ID, r.Date, r.Labels)
	}
	fmt.Println("extra columns:", g.ExtraNames)
	// Output:
	// a1 2019-05-14 [none favor none none]
	// a2 2019-05-14 [none none favor none]
	// a3 2022 [favor none none ]
	// a4 2023-11 [none none none none]
	// extra columns: [annotator]
}

func ExampleReadGold_problems() {
	_, err := labels.ReadGold("testdata/read/bad_value.csv", labels.Default())
	var list labels.ErrorList
	if errors.As(err, &list) {
		for _, p := range list {
			fmt.Println(p)
		}
	}
	fmt.Println(errors.Is(err, labels.ErrBadValue))
	// Output:
	// testdata/read/bad_value.csv:2:96: invalid value: ukraine_support: "favour" (want favor, against, none or empty); did you mean "favor"?
	// testdata/read/bad_value.csv:4:38: invalid value: russia_dialogue: "non" (want favor, against, none or empty); did you mean "none"?
	// testdata/read/bad_value.csv:4:42: invalid value: southern_flank: "neutral" (want favor, against, none or empty)
	// true
}

func ExampleCohenKappa() {
	// Two annotators, ten sentences: they agree on 8 (4 favor, 4 none).
	a := []string{"favor", "favor", "favor", "favor", "none", "none", "none", "none", "favor", "none"}
	b := []string{"favor", "favor", "favor", "favor", "none", "none", "none", "none", "none", "favor"}
	fmt.Printf("kappa %.2f alpha %.2f\n", labels.CohenKappa(a, b), labels.KrippendorffAlpha(a, b))
	// Output:
	// kappa 0.60 alpha 0.62
}

func ExampleGroupFolds() {
	rows := []labels.Gold{
		{ID: "s1", DocID: "speech-a"}, {ID: "s2", DocID: "speech-a"},
		{ID: "s3", DocID: "speech-b"}, {ID: "s4", DocID: "speech-c"},
	}
	folds := labels.GroupFolds(rows, 2, 1)
	// s1 and s2 share a document, so they share a fold.
	fmt.Println(folds[0] == folds[1], folds[2] != folds[0] || folds[3] != folds[0])
	// Output:
	// true true
}

func ExampleLoadTaxonomy() {
	f, _ := os.CreateTemp("", "taxonomy*.csv")
	defer os.Remove(f.Name())
	f.WriteString("target,description,values\nchina_policy,Engagement with Beijing,favor|against|none\n")
	f.Close()
	tax, err := labels.LoadTaxonomy(f.Name())
	fmt.Println(tax.Names(), err)
	_, err = labels.ParseTaxonomy([]byte("target,values\nchina,yes|no\n"), "bad.csv")
	fmt.Println(strings.TrimPrefix(err.Error(), "bad.csv: "))
	// Output:
	// [china_policy] <nil>
	// invalid taxonomy: target "china": values "yes|no" must be exactly favor|against|none
}

func ExamplePredictionColumns() {
	tax := labels.Taxonomy{Targets: labels.Default().Targets[:1]}
	fmt.Println(strings.Join(append([]string{"id"}, labels.PredictionColumns(tax)...), ","))
	// Output: id,text,russia_dialogue,p_russia_dialogue_favor,p_russia_dialogue_against,p_russia_dialogue_none
}

func ExampleConfusion() {
	// Gold favor ×5 (3 right), gold against ×4 (2 right), gold none ×6.
	c := labels.Confusion{
		{3, 1, 1}, // gold favor: predicted favor, against, none
		{0, 2, 2}, // gold against
		{1, 0, 5}, // gold none
	}
	fmt.Printf("F1 favor %.3f, F1 against %.3f, F_avg %.3f\n", c.F1(0), c.F1(1), c.FAvg())

	// A target where against never occurs, in gold or predictions.
	noAgainst := labels.Confusion{{2, 0, 1}, {0, 0, 0}, {1, 0, 4}}
	fmt.Printf("F1 against %v, F_avg %.3f (the favor F1 alone)\n", noAgainst.F1(1), noAgainst.FAvg())
	// Output:
	// F1 favor 0.667, F1 against 0.571, F_avg 0.619
	// F1 against NaN, F_avg 0.667 (the favor F1 alone)
}
