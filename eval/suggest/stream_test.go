package suggest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/batch"
)

// fakeModel predicts from a hash of the text, so a sentence's prediction
// does not depend on its batch. Texts containing "unsure" get a flat head
// on target a. It counts calls to check batching.
type fakeModel struct {
	tax   labels.Taxonomy
	calls atomic.Int64
	max   atomic.Int64 // largest batch seen
}

func (f *fakeModel) Predict(texts []string) ([]labels.Prediction, error) {
	f.calls.Add(1)
	for {
		m := f.max.Load()
		if int64(len(texts)) <= m || f.max.CompareAndSwap(m, int64(len(texts))) {
			break
		}
	}
	out := make([]labels.Prediction, len(texts))
	for i, t := range texts {
		h := fnv.New32a()
		h.Write([]byte(t))
		x := float64(h.Sum32()%1000) / 1000 * 0.3 // favor prob in [0, 0.3)
		p := labels.Prediction{}
		for range f.tax.Targets {
			p.Probs = append(p.Probs, []float64{x, 0.1, 0.9 - x})
			if x > 0.9-x {
				p.Values = append(p.Values, labels.Favor)
			} else {
				p.Values = append(p.Values, labels.None)
			}
		}
		if strings.Contains(t, "unsure") {
			p.Probs[0] = []float64{0.34, 0.33, 0.33}
		}
		out[i] = p
	}
	return out, nil
}

func sentenceCSV(n, perDoc int) string {
	var b strings.Builder
	b.WriteString("id,doc_id,date,source,index,text\n")
	for i := range n {
		doc := i / perDoc
		fmt.Fprintf(&b, "d%03d:%d,d%03d,%d-05-01,paper,%d,\"Sentence %d of document %d talks about topic %d, %s.\"\n",
			doc, i%perDoc, doc, 2015+doc%6, i%perDoc, i, doc, i*7919%1000, []string{"plainly", "unsure of itself", "firmly"}[i%3])
	}
	return b.String()
}

func TestCollect(t *testing.T) {
	in := sentenceCSV(900, 9) + "bad,row\n"
	for _, tc := range []struct {
		name    string
		workers int
		chunk   int
	}{
		{"one worker, default chunks", 1, 0},
		{"two workers, small chunks", 2, 50},
		{"three workers, odd chunks", 3, 37},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &fakeModel{tax: tax}
			sel := NewSelector(tax, Options{N: 20, Strategy: Margin, PerDoc: 2}, nil)
			var skipped []string
			st, err := collect(context.Background(), batch.SentenceUnits(batch.ReadSentences(strings.NewReader(in), "in.csv")), m, sel,
				batch.Options{Workers: tc.workers, ChunkSentences: tc.chunk, Skip: func(err error) error {
					if batch.Fatal(err) {
						return err
					}
					skipped = append(skipped, err.Error())
					return nil
				}})
			if err != nil {
				t.Fatal(err)
			}
			if st.Offered != 900 || sel.Seen() != 900 || st.Skipped != 1 || len(skipped) != 1 {
				t.Fatalf("offered %d, seen %d, skipped %d %q", st.Offered, sel.Seen(), st.Skipped, skipped)
			}
			chunk := tc.chunk
			if chunk == 0 {
				chunk = 512
			}
			// Units are whole documents of 9, so a chunk overshoots by < 9.
			if mx := m.max.Load(); mx > int64(chunk+8) {
				t.Fatalf("a Predict call got %d sentences, chunk is %d", mx, chunk)
			}

			// The same candidates offered directly give the same picks.
			ref := NewSelector(tax, Options{N: 20, Strategy: Margin, PerDoc: 2}, nil)
			for s, err := range batch.ReadSentences(strings.NewReader(in), "in.csv") {
				if err != nil {
					continue
				}
				p, _ := m.Predict([]string{s.Text})
				ref.Add(Candidate{ID: s.ID, DocID: s.DocID, Date: s.Date, Source: s.Source, Text: s.Text, Prediction: p[0]})
			}
			got, want := sel.Select(), ref.Select()
			if len(got.Picks) != 20 {
				t.Fatalf("%d picks", len(got.Picks))
			}
			for i := range got.Picks {
				if got.Picks[i].ID != want.Picks[i].ID || got.Picks[i].Score != want.Picks[i].Score {
					t.Fatalf("pick %d: %s %.3f, direct %s %.3f", i, got.Picks[i].ID, got.Picks[i].Score, want.Picks[i].ID, want.Picks[i].Score)
				}
				if !strings.Contains(got.Picks[i].Text, "unsure") {
					t.Errorf("pick %d %q is not one of the uncertain sentences", i, got.Picks[i].Text)
				}
			}
		})
	}
}

func TestCollectStopsOnPredictError(t *testing.T) {
	sel := NewSelector(tax, Options{N: 5}, nil)
	_, err := collect(context.Background(), batch.SentenceUnits(batch.ReadSentences(strings.NewReader(sentenceCSV(50, 5)), "in.csv")),
		failing{}, sel, batch.Options{Workers: 2, ChunkSentences: 10})
	if err == nil || !strings.Contains(err.Error(), "model broke") {
		t.Fatalf("err = %v", err)
	}
}

type failing struct{}

func (failing) Predict([]string) ([]labels.Prediction, error) { return nil, errors.New("model broke") }

func TestPoolDoesNotAlias(t *testing.T) {
	// Predict returns predictions sharing one backing array; the Selector
	// must copy what it keeps.
	s := NewSelector(tax, Options{N: 1}, nil)
	probs := []float64{0.5, 0, 0.5, 0, 0, 1}
	p := labels.Prediction{Values: []string{"none", "none"}, Probs: [][]float64{probs[0:3], probs[3:6]}}
	s.Add(Candidate{ID: "x", Text: "some text", Prediction: p})
	probs[0], probs[2] = 0, 1 // the batch buffer is reused
	res := s.Select()
	if got := res.Picks[0].Prediction.Probs[0][0]; got != 0.5 {
		t.Fatalf("kept prediction changed with the caller's buffer: %v", got)
	}
}

func TestSelectSkipsRepeatedIDs(t *testing.T) {
	s := NewSelector(tax, Options{N: 3}, nil)
	s.Add(Candidate{ID: "x", DocID: "a", Text: "first text here", Prediction: pred([]float64{0.5, 0, 0.5}, []float64{0, 0, 1})})
	s.Add(Candidate{ID: "x", DocID: "b", Text: "quite another sentence", Prediction: pred([]float64{0.5, 0, 0.5}, []float64{0, 0, 1})})
	s.Add(Candidate{ID: "y", DocID: "c", Text: "and a third one", Prediction: pred([]float64{0.4, 0, 0.6}, []float64{0, 0, 1})})
	res := s.Select()
	var ids []string
	for _, p := range res.Picks {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []string{"x", "y"}) || res.DupID != 1 {
		t.Fatalf("picks %v, dup %d", ids, res.DupID)
	}
}

// TestTodoMergeRoundTrip runs what an analyst does: suggest a todo file,
// fill some cells in a spreadsheet, merge it into the gold file.
func TestTodoMergeRoundTrip(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "gold.csv")
	baseRows := []labels.Gold{
		{ID: "g1", DocID: "old", Date: "2019", Source: "UN", Text: "An old labelled sentence.", Labels: []string{"none", "favor"}},
		{ID: "g2", DocID: "old", Date: "2019", Source: "UN", Text: "Another labelled one.", Labels: []string{"against", "none"}},
	}
	if err := writeGold(base, tax, nil, baseRows); err != nil {
		t.Fatal(err)
	}
	gold, err := labels.ReadGold(base, tax)
	if err != nil {
		t.Fatal(err)
	}
	in := "id,doc_id,date,source,index,text\n" +
		"n1,d1,2021-03-04,paper,0,\"We should, perhaps, talk to Moscow.\"\n" +
		"n2,d1,2021-03-04,paper,1,An old labelled sentence.\n" + // near-duplicate of g1
		"n3,d2,2022,paper,0,The fleet sails south in spring.\n" +
		"n4,d3,2023-01,paper,0,Budgets are tight this year.\n"
	sel := NewSelector(tax, Options{N: 10}, gold.Rows)
	if _, err := collect(context.Background(), batch.SentenceUnits(batch.ReadSentences(strings.NewReader(in), "in.csv")), &fakeModel{tax: tax}, sel, batch.Options{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	res := sel.Select()
	if len(res.Picks) != 3 || res.NearLabelled != 1 {
		t.Fatalf("picks %d, near labelled %d", len(res.Picks), res.NearLabelled)
	}
	todo := filepath.Join(dir, "todo.csv")
	var buf bytes.Buffer
	if err := WriteTodo(&buf, tax, sel.Strategy(), res.Picks); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(todo, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// The todo file is a valid gold file with empty targets and the extras.
	tf, err := labels.ReadGold(todo, tax)
	if err != nil {
		t.Fatalf("todo file does not read as gold: %v", err)
	}
	if want := TodoExtras(tax); !slices.Equal(tf.ExtraNames, want) {
		t.Fatalf("extras %v, want %v", tf.ExtraNames, want)
	}
	for _, r := range tf.Rows {
		if slices.ContainsFunc(r.Labels, func(v string) bool { return v != "" }) {
			t.Fatalf("row %s has labels %v", r.ID, r.Labels)
		}
		// The default strategy, Mixed: a margin pick reads "a targets
		// 0.9…", a rare pick "a favor 0.20 (rare)".
		if why := r.Extra[ReasonColumn]; !strings.Contains(why, " targets ") && !strings.Contains(why, "(rare") {
			t.Errorf("row %s reason %q", r.ID, why)
		}
		if g := r.Extra[GuessColumn("a")]; g == "" || strings.Count(g, " ") != 1 {
			t.Errorf("row %s guess %q", r.ID, g)
		}
	}

	// The analyst fills two cells of one row and one of another.
	filled := map[string][]string{}
	for i, r := range tf.Rows {
		switch i {
		case 0:
			tf.Rows[i].Labels = []string{"favor", "none"}
		case 2:
			tf.Rows[i].Labels[1] = "against"
		}
		filled[r.ID] = tf.Rows[i].Labels
	}
	if err := writeGold(todo, tax, tf.ExtraNames, tf.Rows); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "merged.csv")
	m, rep, err := labels.MergeFiles(tax, base, todo)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeGold(out, tax, m.ExtraNames, m.Rows); err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || rep.StillEmpty != 1 || rep.Changed != 0 || rep.Rows != 4 {
		t.Fatalf("merge report %+v", rep)
	}
	merged, err := labels.ReadGold(out, tax)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{tf.Rows[0].ID, tf.Rows[2].ID} {
		i := slices.IndexFunc(merged.Rows, func(g labels.Gold) bool { return g.ID == id })
		if i < 0 {
			t.Fatalf("filled row %s missing from merge", id)
		}
		if !slices.Equal(merged.Rows[i].Labels, filled[id]) {
			t.Errorf("row %s labels %v, want %v", id, merged.Rows[i].Labels, filled[id])
		}
		// The todo's columns describe the model, not the sentence: the
		// gold file does not keep them.
		if _, ok := merged.Rows[i].Extra[ReasonColumn]; ok {
			t.Errorf("row %s kept the todo's reason column", id)
		}
	}
	if slices.Contains(merged.ExtraNames, ReasonColumn) || slices.Contains(merged.ExtraNames, GuessColumn("a")) {
		t.Errorf("merged gold file has the todo's columns %v", merged.ExtraNames)
	}
	if slices.ContainsFunc(merged.Rows, func(g labels.Gold) bool { return g.ID == tf.Rows[1].ID }) {
		t.Errorf("unfilled row %s was merged", tf.Rows[1].ID)
	}
}

// TestCollectMultiQueue checks that strategies keeping several rankings
// (and a random draw) pick the same through Collect, with several
// workers, as when offered directly: Collect keeps input order.
func TestCollectMultiQueue(t *testing.T) {
	in := sentenceCSV(600, 6)
	for _, opts := range []Options{
		{N: 15, Strategy: Targets, PerDoc: 2, Scales: [][]float64{{3, 3, 1}, {3, 3, 1}}},
		{N: 15, Strategy: Rare, PerDoc: 2, Counts: [][]int{{5, 0, 50}, {1, 2, 50}}},
		{N: 15, Strategy: Mixed, PerDoc: 2, Explore: 0.2, Seed: 7, Counts: [][]int{{5, 0, 50}, {1, 2, 50}}, Scales: [][]float64{{3, 3, 1}, {3, 3, 1}}},
	} {
		t.Run(string(opts.Strategy), func(t *testing.T) {
			m := &fakeModel{tax: tax}
			sel := NewSelector(tax, opts, nil)
			if _, err := collect(context.Background(), batch.SentenceUnits(batch.ReadSentences(strings.NewReader(in), "in.csv")), m, sel, batch.Options{Workers: 3, ChunkSentences: 41}); err != nil {
				t.Fatal(err)
			}
			ref := NewSelector(tax, opts, nil)
			for s, err := range batch.ReadSentences(strings.NewReader(in), "in.csv") {
				if err != nil {
					t.Fatal(err)
				}
				p, _ := m.Predict([]string{s.Text})
				ref.Add(Candidate{ID: s.ID, DocID: s.DocID, Date: s.Date, Source: s.Source, Text: s.Text, Prediction: p[0]})
			}
			got, want := sel.Select(), ref.Select()
			if len(got.Picks) != opts.N {
				t.Fatalf("%d picks", len(got.Picks))
			}
			for i := range got.Picks {
				if got.Picks[i].ID != want.Picks[i].ID || got.Picks[i].Reason(tax, opts.Strategy) != want.Picks[i].Reason(tax, opts.Strategy) {
					t.Fatalf("pick %d: %s %q, direct %s %q", i, got.Picks[i].ID, got.Picks[i].Reason(tax, opts.Strategy), want.Picks[i].ID, want.Picks[i].Reason(tax, opts.Strategy))
				}
			}
		})
	}
}

// writeGold writes rows as a gold file at path.
func writeGold(path string, tax labels.Taxonomy, extras []string, rows []labels.Gold) error {
	var b bytes.Buffer
	if err := labels.WriteGold(&b, tax, extras, rows); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// collectStats accounts for every sentence collect saw.
type collectStats struct {
	batch.Stats
	Offered int // sentences passed to the Selector
}

// collect classifies in with p through batch.Run and offers each
// sentence with its prediction to sel, in input order: the wiring of
// `stance suggest`, which the package leaves to its caller.
func collect(ctx context.Context, in iter.Seq2[batch.Unit, error], p labels.Classifier, sel *Selector, opts batch.Options) (collectStats, error) {
	var offered int
	st, err := batch.Run(ctx, in, p, opts, func(r batch.Result) error {
		for i, s := range r.Sentences {
			sel.Add(Candidate{ID: s.ID, DocID: s.DocID, Date: s.Date, Source: s.Source, Text: s.Text, Prediction: r.Predictions[i]})
			offered++
		}
		return nil
	})
	return collectStats{Stats: st, Offered: offered}, err
}
