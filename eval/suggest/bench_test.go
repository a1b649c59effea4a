package suggest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/batch"
)

func benchCandidates(tax labels.Taxonomy, n int) []Candidate {
	m := &fakeModel{tax: tax}
	out := make([]Candidate, n)
	texts := make([]string, n)
	for i := range out {
		texts[i] = fmt.Sprintf("Sentence %d of document %d is about topic %d and more.", i, i/20, i*7919%1000)
	}
	preds, _ := m.Predict(texts)
	for i := range out {
		out[i] = Candidate{ID: fmt.Sprint(i), DocID: fmt.Sprint(i / 20), Date: fmt.Sprint(2000 + i%20), Text: texts[i], Prediction: preds[i]}
	}
	return out
}

// BenchmarkSelector measures streaming candidates into a Selector and
// choosing 100, the work `stance suggest` does per sentence besides the
// model. With the default taxonomy, whose descriptions make Mixed count
// each sentence's cue words; the same with labelled rows whose examples
// confirm every description word (CueCounter.Confirm); and without that
// weighting.
func BenchmarkSelector(b *testing.B) {
	tax := labels.Default()
	var gold []labels.Gold
	for t, tg := range tax.Targets {
		for _, v := range []string{labels.Favor, labels.Against} {
			ls := make([]string, len(tax.Targets))
			ls[t] = v
			gold = append(gold, labels.Gold{ID: tg.Name + v, Text: tg.Description, Labels: ls})
		}
	}
	for _, tc := range []struct {
		name     string
		noCues   bool
		labelled []labels.Gold
	}{{"cues", false, nil}, {"confirmed", false, gold}, {"nocues", true, nil}} {
		for _, n := range []int{10_000, 100_000} {
			cands := benchCandidates(tax, n)
			b.Run(fmt.Sprint(tc.name, "/", n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					s := NewSelector(tax, Options{N: 100, PerDoc: 2, NoCues: tc.noCues}, tc.labelled)
					for _, c := range cands {
						s.Add(c)
					}
					if len(s.Select().Picks) != 100 {
						b.Fatal("short")
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
			})
		}
	}
}

// BenchmarkCollect measures reading a sentence CSV, batching it through a
// (cheap, fake) model and selecting.
func BenchmarkCollect(b *testing.B) {
	in := sentenceCSV(20_000, 10)
	b.ReportAllocs()
	for b.Loop() {
		sel := NewSelector(tax, Options{N: 100, PerDoc: 2}, nil)
		st, err := collect(context.Background(), batch.SentenceUnits(batch.ReadSentences(strings.NewReader(in), "b.csv")), &fakeModel{tax: tax}, sel, batch.Options{})
		if err != nil || st.Offered != 20_000 {
			b.Fatal(err, st.Offered)
		}
	}
	b.ReportMetric(20_000*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}
