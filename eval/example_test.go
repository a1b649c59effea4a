package eval_test

import (
	"fmt"
	"os"

	"github.com/stance-project/stance/eval"
	"github.com/stance-project/stance/labels"
)

func ExampleEvaluate() {
	tax := labels.Taxonomy{Targets: []labels.Target{{Name: "trade", Values: labels.DefaultValues}}}
	gold := []string{"favor", "favor", "against", "none", "none", "none"}
	pred := []string{"favor", "none", "against", "none", "favor", "none"}
	var rows []labels.Gold
	var preds []labels.Prediction
	for i := range gold {
		id := fmt.Sprintf("s%d", i)
		rows = append(rows, labels.Gold{ID: id, Text: "…", Labels: []string{gold[i]}})
		preds = append(preds, labels.Prediction{ID: id, Values: []string{pred[i]}})
	}
	opts := eval.DefaultOptions()
	opts.Resamples = 0 // no intervals, for a short example
	rep, err := eval.Evaluate(tax, rows, []eval.System{{Name: "model", Preds: preds}}, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range rep.Systems[0].Metrics {
		if m.Name == eval.MetricF1 || m.Name == eval.MetricFAvg {
			fmt.Printf("%s %s %s = %.3f\n", m.Target, m.Value, m.Name, m.Estimate)
		}
	}
	fmt.Println(len(rep.Errors), "errors")
	// Output:
	// trade favor f1 = 0.500
	// trade against f1 = 1.000
	// trade  f_avg = 0.750
	// 2 errors
}

func ExampleNewKeywordRules() {
	tax := labels.Taxonomy{Targets: []labels.Target{{
		Name:        "defense_spending",
		Description: "Defence budgets. Favor: raise spending, meet the target. Against: cut military expenditure, disarmament.",
		Values:      labels.DefaultValues,
	}}}
	k := eval.NewKeywordRules(tax)
	preds, _ := k.Predict([]string{
		"We will raise our defence budgets this year.",
		"Defence budgets should go to disarmament instead.",
		"The budgets were approved.",
	})
	for _, p := range preds {
		fmt.Println(p.Values[0])
	}
	// Output:
	// favor
	// against
	// none
}

func ExampleReport_WriteMetricsCSV() {
	tax := labels.Taxonomy{Targets: []labels.Target{{Name: "trade", Values: labels.DefaultValues}}}
	rows := []labels.Gold{{ID: "a", Labels: []string{"favor"}}, {ID: "b", Labels: []string{"none"}}}
	preds := []labels.Prediction{{Values: []string{"favor"}}, {Values: []string{"none"}}}
	opts := eval.DefaultOptions()
	opts.Resamples = 0
	rep, _ := eval.Evaluate(tax, rows, []eval.System{{Name: "model", Preds: preds}}, opts)
	// Against has no gold and no predictions: its F1 is an empty cell.
	rep.WriteMetricsCSV(os.Stdout)
	// Output:
	// system,fold,target,value,metric,estimate,ci_low,ci_high,n
	// model,,trade,favor,precision,1,,,2
	// model,,trade,favor,recall,1,,,2
	// model,,trade,favor,f1,1,,,2
	// model,,trade,against,precision,,,,2
	// model,,trade,against,recall,,,,2
	// model,,trade,against,f1,,,,2
	// model,,trade,,f_avg,1,,,2
	// model,,trade,,detection_f1,1,,,2
	// model,,trade,,accuracy,1,,,2
	// model,,trade,favor,support,1,,,2
	// model,,trade,against,support,0,,,2
	// model,,trade,none,support,1,,,2
	// model,,ALL,,mean_f_avg,1,,,2
	// model,,ALL,,micro_f1,1,,,2
	// model,,ALL,,micro_f_avg,1,,,2
}
