package models

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stance-project/stance/labels"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

const fixturePath = "testdata/fixture.csv"

func goldenModel(t testing.TB) *Model {
	t.Helper()
	m, err := Load("testdata/v1.stance")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fixtureConfig is a tiny configuration that trains in well under a
// second on the fixture: the default model (subwords and
// character n-grams, description prior, argmax rule) with few buckets,
// a small vocabulary and two cross-fitting folds.
func fixtureConfig() Config {
	cfg := DefaultConfig()
	cfg.Buckets = 128
	cfg.CalibFolds = 2
	cfg.VocabSize, cfg.MinFrequency = 150, 1
	return cfg
}

func readFixture(t testing.TB) []labels.Gold {
	t.Helper()
	gf, err := labels.ReadGold(fixturePath, labels.Default())
	if err != nil {
		t.Fatal(err)
	}
	return gf.Rows
}

func trainFixture(t testing.TB, cfg Config) (*Model, *Summary) {
	t.Helper()
	return trainRows(t, cfg, readFixture(t))
}

func trainRows(t testing.TB, cfg Config, rows []labels.Gold) (*Model, *Summary) {
	t.Helper()
	m, sum, err := Train(context.Background(), cfg, labels.Default(), rows, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m, sum
}

func fixtureTexts(t testing.TB) []string {
	var out []string
	for _, r := range readFixture(t) {
		out = append(out, r.Text)
	}
	return append(out, "", "Совершенно новые слова 🙂", "the the the the", "...", "Ukraine")
}

func sameFloats(x, y []float32) bool {
	return slices.EqualFunc(x, y, func(p, q float32) bool { return math.Float32bits(p) == math.Float32bits(q) })
}

// sameWeights reports whether a and b are bit-identical.
func sameWeights(a, b *weights) bool {
	return a.Feats == b.Feats && a.Targets == b.Targets && a.L2Pool == b.L2Pool &&
		(a.FW == nil) == (b.FW == nil) && (a.Cue == nil) == (b.Cue == nil) &&
		sameFloats(a.FW, b.FW) && sameFloats(a.W, b.W) && sameFloats(a.B, b.B) && sameFloats(a.Cue, b.Cue)
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// samePredictions reports the first text on which a and b's predictions
// differ in any value or any bit of a probability.
func samePredictions(t *testing.T, a, b *Model, texts []string) {
	t.Helper()
	want, _ := a.Predict(texts)
	have, _ := b.Predict(texts)
	for i := range want {
		if !slices.Equal(want[i].Values, have[i].Values) {
			t.Errorf("%q: values %v, then %v", texts[i], want[i].Values, have[i].Values)
		}
		for tg := range want[i].Probs {
			if !slices.Equal(want[i].Probs[tg], have[i].Probs[tg]) {
				t.Errorf("%q: target %d probabilities %v, then %v", texts[i], tg, want[i].Probs[tg], have[i].Probs[tg])
			}
		}
	}
}

// withoutLabels returns a copy of rows with target's cells emptied.
func withoutLabels(rows []labels.Gold, target int) []labels.Gold {
	out := slices.Clone(rows)
	for i := range out {
		out[i].Labels = slices.Clone(out[i].Labels)
		out[i].Labels[target] = ""
	}
	return out
}

// The same rows and Config give bit-identical weights, calibration and
// predictions. The seed only chooses the calibration folds: the final
// fit is of a convex objective from zero, so its weights do not depend
// on it.
func TestTrainDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Config)
		empty int // target whose labels are removed, -1 none
	}{
		{"default", func(*Config) {}, -1},
		{"no prior", func(c *Config) { c.Prior = false }, -1},
		{"target without labels", func(*Config) {}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fixtureConfig()
			tc.edit(&cfg)
			rows := readFixture(t)
			if tc.empty >= 0 {
				rows = withoutLabels(rows, tc.empty)
			}
			a, sa := trainRows(t, cfg, rows)
			b, sb := trainRows(t, cfg, rows)
			if !sameWeights(a.w, b.w) {
				t.Fatal("same data and config, different weights")
			}
			if !slices.Equal(a.temp, b.temp) || !slices.Equal(a.scale, b.scale) || !slices.Equal(a.shift, b.shift) {
				t.Fatal("same data and config, different calibration")
			}
			for i := range sa.Fits {
				if fa, fb := sa.Fits[i], sb.Fits[i]; fa.Cost != fb.Cost || fa.Evaluations != fb.Evaluations {
					t.Errorf("fit %s: cost %v in %d evaluations, then %v in %d", fa.Name, fa.Cost, fa.Evaluations, fb.Cost, fb.Evaluations)
				}
			}
			samePredictions(t, a, b, fixtureTexts(t))
			cfg.Seed++
			c, sc := trainRows(t, cfg, rows)
			if !sameWeights(a.w, c.w) {
				t.Error("another seed changed the final weights (it should only choose the folds)")
			}
			if slices.Equal(a.temp, c.temp) && sa.Fits[0].Rows == sc.Fits[0].Rows {
				t.Error("another seed gave the same folds and calibration")
			}
		})
	}
}

func TestSaveLoadIdenticalPredictions(t *testing.T) {
	for _, tc := range []struct {
		name  string
		prior bool
		empty int
	}{
		{"fixture", true, -1},
		{"no prior", false, -1},
		{"description weights", true, 1}, // a target without labels: Cue is saved
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fixtureConfig()
			cfg.Prior = tc.prior
			rows := readFixture(t)
			if tc.empty >= 0 {
				rows = withoutLabels(rows, tc.empty)
			}
			m, _ := trainRows(t, cfg, rows)
			if got := m.w.Cue != nil; got != (tc.empty >= 0 && tc.prior) {
				t.Fatalf("description weights present: %v", got)
			}
			path := filepath.Join(t.TempDir(), "model.stance")
			if err := writeModelFile(m, path); err != nil {
				t.Fatal(err)
			}
			got, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			// Rows of features never seen in training (weight 0) are not
			// saved: they never reach a pool. Training leaves them zero.
			k := m.w.width()
			for f, fw := range m.w.FW {
				if fw == 0 && slices.ContainsFunc(m.w.W[f*k:(f+1)*k], func(x float32) bool { return x != 0 }) {
					t.Fatalf("feature %d has no weight but non-zero W", f)
				}
			}
			if !sameWeights(m.w, got.w) || got.Config() != m.Config() || got.DataSHA256() != m.DataSHA256() {
				t.Fatal("weights, config or data hash changed in the round trip")
			}
			if !slices.Equal(m.temp, got.temp) || !slices.Equal(m.scale, got.scale) || !slices.Equal(m.shift, got.shift) {
				t.Fatal("calibration changed in the round trip")
			}
			samePredictions(t, m, got, fixtureTexts(t))
			for tg, rs := range m.ErrorRates() {
				for v, r := range rs {
					g := got.ErrorRates()[tg][v]
					if r.Positives != g.Positives || r.Negatives != g.Negatives || !sameFloat(r.TPR, g.TPR) || !sameFloat(r.FPR, g.FPR) {
						t.Errorf("error rate %d/%d: %+v, after load %+v", tg, v, r, g)
					}
				}
			}
			for tg, d := range m.DevMetrics() {
				g := got.DevMetrics()[tg]
				if d.Target != g.Target || d.N != g.N || d.Support != g.Support || !sameFloat(d.FAvg, g.FAvg) {
					t.Errorf("dev metrics %d: %+v, after load %+v", tg, d, g)
				}
			}
			if m.String() != got.String() {
				t.Errorf("String %q, after load %q", m.String(), got.String())
			}
		})
	}
}

// TestPredictionsWellFormed also covers values with no or very few
// examples (southern_flank has no against; several values have one or
// two): they must train and predict without NaNs and be reported.
func TestPredictionsWellFormed(t *testing.T) {
	m, sum := trainFixture(t, fixtureConfig())
	preds, err := m.Predict(fixtureTexts(t))
	if err != nil {
		t.Fatal(err)
	}
	tax := m.Taxonomy()
	for i, p := range preds {
		if len(p.Values) != len(tax.Targets) || len(p.Probs) != len(tax.Targets) {
			t.Fatalf("row %d: %d values and %d probability rows for %d targets", i, len(p.Values), len(p.Probs), len(tax.Targets))
		}
		for tg := range tax.Targets {
			s := 0.0
			for _, x := range p.Probs[tg] {
				if math.IsNaN(x) || x < 0 || x > 1 {
					t.Fatalf("row %d target %d: bad probability %v", i, tg, p.Probs[tg])
				}
				s += x
			}
			if math.Abs(s-1) > 1e-9 {
				t.Errorf("row %d target %d: probabilities sum to %v", i, tg, s)
			}
			if tax.ValueIndex(tg, p.Values[tg]) < 0 {
				t.Errorf("row %d target %d: value %q", i, tg, p.Values[tg])
			}
		}
	}
	if got := m.decide(1, [nValues]float64{0, 1, 0}); got == 1 {
		t.Errorf("southern_flank against has no example, yet p=(0,1,0) decides against (scales %v)", m.scale[1])
	}
	joined := strings.Join(sum.Warnings, "\n")
	if !strings.Contains(joined, "southern_flank: no against example") {
		t.Errorf("warnings do not report the missing value:\n%s", joined)
	}
	for _, tm := range sum.Dev {
		if math.IsNaN(tm.F1[2]) {
			t.Errorf("%s: none F1 is NaN on the out-of-fold rows", tm.Target)
		}
	}
	if len(sum.DataSHA256) != 64 || sum.Elapsed <= 0 || len(sum.Fits) != fixtureConfig().CalibFolds+1 {
		t.Errorf("summary incomplete: %+v", sum)
	}
	if sum.TrainRows != 40 || sum.DevRows != 40 || sum.Features != m.feats.size() || !slices.Equal(sum.Scales, m.scale) {
		t.Errorf("summary sizes: %d rows, %d held out, %d features, scales %v (model %v)", sum.TrainRows, sum.DevRows, sum.Features, sum.Scales, m.scale)
	}
	for _, f := range sum.Fits {
		if f.Iterations < 1 || f.Evaluations < f.Iterations || math.IsNaN(f.Cost) || f.Cost <= 0 || f.Status == "" {
			t.Errorf("fit %+v", f)
		}
	}
	var rep strings.Builder
	if err := sum.WriteReport(&rep); err != nil {
		t.Fatal(err)
	}
	for _, tg := range tax.Targets {
		if !strings.Contains(rep.String(), tg.Name) {
			t.Errorf("report lacks %s:\n%s", tg.Name, rep.String())
		}
	}
	if _, err := (*Model)(nil).Predict([]string{"x"}); err == nil {
		t.Error("a nil model predicts")
	}
}

func TestTrainRejects(t *testing.T) {
	rows := readFixture(t)
	tax := labels.Default()
	bad := slices.Clone(rows)
	bad[0].Labels = []string{"favor"}
	unknown := slices.Clone(rows)
	unknown[1].Labels = []string{"maybe", "none", "none", "none"}
	cfg := fixtureConfig()
	edit := func(f func(*Config)) Config { c := cfg; f(&c); return c }
	for _, tc := range []struct {
		name string
		cfg  Config
		tax  labels.Taxonomy
		rows []labels.Gold
		want []string
	}{
		{"no rows", cfg, tax, nil, []string{"no rows"}},
		{"label count", cfg, tax, bad, []string{"has 1 labels"}},
		{"unknown value", cfg, tax, unknown, []string{`unknown value "maybe"`}},
		{"one document", cfg, tax, rows[:1], []string{"documents"}},
		{"no taxonomy", cfg, labels.Taxonomy{}, rows, []string{"train: "}},
		{"l2", edit(func(c *Config) { c.L2 = 0 }), tax, rows, []string{"l2 0"}},
		{"one fold", edit(func(c *Config) { c.CalibFolds = 1 }), tax, rows, []string{"calibration folds 1"}},
		{"nan prior l2", edit(func(c *Config) { c.PriorL2 = math.NaN() }), tax, rows, []string{"prior l2 NaN"}},
		{"every problem at once", edit(func(c *Config) {
			c.Buckets, c.Evidence, c.MaxIterations, c.VocabSize = -1, -1, 0, 0
		}), tax, rows, []string{"buckets -1", "evidence -1", "max iterations 0", "vocabulary size 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, sum, err := Train(context.Background(), tc.cfg, tc.tax, tc.rows, TrainOptions{})
			if err == nil || m != nil || sum != nil {
				t.Fatalf("model %v, error %v: want only an error", m, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %v, want it to mention %q", err, w)
				}
			}
		})
	}
}

func TestTrainCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := Train(ctx, fixtureConfig(), labels.Default(), readFixture(t), TrainOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

// Retraining (TrainOptions.Init) keeps the old model's tokenizer and
// feature settings, so feature ids mean the same, and compares the two.
func TestRetrain(t *testing.T) {
	m, _ := trainFixture(t, fixtureConfig())
	cfg := fixtureConfig()
	cfg.Buckets, cfg.CharMax = 99, 0 // ignored: the features come from Init
	cfg.VocabSize = 10               // ignored: the tokenizer comes from Init
	var progress bytes.Buffer
	m2, sum, err := Train(context.Background(), cfg, labels.Default(), readFixture(t), TrainOptions{Init: m, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	c, c2 := m.Config(), m2.Config()
	if c2.Buckets != c.Buckets || c2.CharMin != c.CharMin || c2.CharMax != c.CharMax ||
		m2.Tokenizer() != m.Tokenizer() || m2.feats != m.feats {
		t.Fatal("retraining did not keep the features and tokenizer")
	}
	// Same data, same features: the same weights.
	if !sameWeights(m.w, m2.w) {
		t.Error("retraining on the same rows changed the weights")
	}
	if s := sum.Since; s == nil || !s.Ledger || s.OldRows != 40 || len(s.Targets) != 4 || s.OldDataSHA256 != m.DataSHA256() {
		t.Errorf("Since = %+v", sum.Since)
	}
	// One line announcing the fits, then one per fit.
	if n := strings.Count(progress.String(), "train: "); n != cfg.CalibFolds+2 {
		t.Errorf("%d progress lines, want %d:\n%s", n, cfg.CalibFolds+2, progress.String())
	}
	other := labels.Taxonomy{Targets: labels.Default().Targets[:1]}
	rows := readFixture(t)
	for i := range rows {
		rows[i].Labels = rows[i].Labels[:1]
	}
	if _, _, err := Train(context.Background(), cfg, other, rows, TrainOptions{Init: m}); err == nil || !strings.Contains(err.Error(), "targets") {
		t.Fatalf("retraining with other targets: error %v", err)
	}
}

func TestExplain(t *testing.T) {
	m, _ := trainFixture(t, fixtureConfig())
	for _, tc := range []struct {
		text   string
		target int
	}{
		{"We will raise defence spending to two percent of our economy.", 2},
		{"We stand with Ukraine, and Ukraine stands with us!", 3},
		{"Talks with Russia should resume.", 0},
		{"The ocean economy offers new jobs.", 1},
	} {
		checkExplain(t, m, tc.text, tc.target)
	}
	if cs := m.Explain("", 0, 0); cs != nil {
		t.Errorf("empty sentence: %v", cs)
	}
}

// checkExplain checks Explain's contract on one sentence: scores sorted,
// every token a word of the sentence or a pseudo-word, and the scores
// plus the intercepts' difference summing to the calibrated logit
// difference of the value and none.
func checkExplain(t *testing.T, m *Model, text string, target int) []labels.Contribution {
	t.Helper()
	cs := m.Explain(text, target, 0)
	if len(cs) == 0 {
		t.Fatalf("%q: no contributions", text)
	}
	words := map[string]bool{OtherPieces: true}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		words[w] = true
	}
	var got float64
	for i, c := range cs {
		if i > 0 && c.Score > cs[i-1].Score {
			t.Errorf("%q: contributions not sorted by score", text)
		}
		if c.Value != cs[0].Value || c.Value == "none" {
			t.Errorf("%q: contribution to %q", text, c.Value)
		}
		if !words[c.Token] && c.Token != DescriptionCues+m.tax.Targets[target].Name+")" {
			t.Errorf("%q: token %q is not a word of the sentence", text, c.Token)
		}
		got += c.Score
	}
	sc := m.newScratch()
	z := m.logits(sc, text)[target]
	v := m.tax.ValueIndex(target, cs[0].Value)
	T := m.temp[target]
	p := softmax(z, m.shift[target], T)
	want := m.decide(target, p)
	if want == 2 { // none: the more probable stance
		want = 0
		if p[1] > p[0] {
			want = 1
		}
	}
	if v != want {
		t.Errorf("%q: explains %q, want value %d (p %v)", text, cs[0].Value, want, p)
	}
	b := m.w.B[target*nValues:]
	diff := float64(z[v]-z[2]) / T
	if math.Abs(got+float64(b[v]-b[2])/T-diff) > 1e-4*max(1, math.Abs(diff)) {
		t.Errorf("%q: contributions %.6f plus intercepts %.6f, calibrated logit difference %.6f", text, got, float64(b[v]-b[2])/T, diff)
	}
	if top := m.Explain(text, target, 1); len(top) != 1 || top[0] != cs[0] {
		t.Errorf("%q: Explain(k=1) = %v", text, top)
	}
	return cs
}

// oldWordModel is a model read from a version 3 file with word features.
type oldWordModel struct {
	name              string
	m                 *Model
	unigrams, bigrams bool
}

// oldWordModels returns testdata/v3.stance (word unigrams and bigrams)
// and the same file with bigrams off (the old default: unigrams alone).
func oldWordModels(t *testing.T) []oldWordModel {
	t.Helper()
	v3, err := os.ReadFile("testdata/v3.stance")
	if err != nil {
		t.Fatal(err)
	}
	uniOnly := withConfig(t, v3, `"Bigrams":true`, `"Bigrams":false`)
	var out []oldWordModel
	for _, f := range []struct {
		name              string
		data              []byte
		unigrams, bigrams bool
	}{{"v3 unigrams and bigrams", v3, true, true}, {"v3 unigrams", uniOnly, true, false}} {
		m, err := Read(bytes.NewReader(f.data))
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if m.feats.unigrams != f.unigrams || m.feats.bigrams != f.bigrams {
			t.Fatalf("%s: features %+v", f.name, m.feats)
		}
		out = append(out, oldWordModel{f.name, m, f.unigrams, f.bigrams})
	}
	return out
}

// A model retrained from a version 3 file whose features include word
// unigrams (and bigrams) keeps them (the feature ids mean what they
// meant), and its file says so: written and read back, it has the same
// features and predicts the same.
func TestRetrainKeepsWordFeatures(t *testing.T) {
	for _, o := range oldWordModels(t) {
		t.Run(o.name, func(t *testing.T) { checkRetrainKeeps(t, o.m) })
	}
}

func checkRetrainKeeps(t *testing.T, old *Model) {
	m, _, err := Train(context.Background(), fixtureConfig(), labels.Default(), readFixture(t), TrainOptions{Init: old})
	if err != nil {
		t.Fatal(err)
	}
	if m.feats != old.feats {
		t.Fatalf("retrained features %+v, want %+v", m.feats, old.feats)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got.feats != m.feats {
		t.Fatalf("read back features %+v, want %+v", got.feats, m.feats)
	}
	texts := fixtureTexts(t)
	want, _ := m.Predict(texts)
	have, _ := got.Predict(texts)
	for i := range texts {
		if !slices.Equal(have[i].Values, want[i].Values) {
			t.Errorf("%q: read back %v, trained %v", texts[i], have[i].Values, want[i].Values)
		}
	}
}

// Every feature of a sentence has a name, and the name is the feature:
// subword tokens by id, word and character n-grams by hashing the name as
// featurize hashes them; for a model trained today (no word features)
// and for a version 3 file whose features include word unigrams and
// bigrams.
func TestFeatureNames(t *testing.T) {
	trained, _ := trainFixture(t, fixtureConfig())
	t.Run("trained", func(t *testing.T) { checkFeatureNames(t, trained, false, false) })
	for _, o := range oldWordModels(t) {
		t.Run(o.name, func(t *testing.T) { checkFeatureNames(t, o.m, o.unigrams, o.bigrams) })
	}
}

func checkFeatureNames(t *testing.T, m *Model, unigrams, bigrams bool) {
	f := m.feats
	if f.buckets == 0 || f.unigrams != unigrams || f.bigrams != bigrams || f.charMax == 0 {
		t.Fatalf("features %+v: want character n-grams, word unigrams %v, bigrams %v", f, unigrams, bigrams)
	}
	wordFeature := func(name string) int32 { // a word's, or a bigram's last feature
		ids := f.appendNgrams(nil, appendWordHashes(nil, name))
		return ids[len(ids)-1]
	}
	for _, text := range []string{
		"We will raise defence spending to two percent of our economy.",
		"Ok, a b: Żółć 2024!",
		"",
	} {
		sc := m.newScratch()
		feats := slices.Clone(m.featurize(sc, text))
		names := m.featureNames(text, feats)
		if len(names) != len(feats) {
			t.Fatalf("%q: %d names for %d features", text, len(names), len(feats))
		}
		nWords := len(appendWordHashes(nil, text))
		wordFeats := 0 // unigrams, then bigrams
		if unigrams {
			wordFeats += nWords
		}
		if bigrams && nWords > 0 {
			wordFeats += nWords - 1
		}
		nTok := 0
		for nTok < len(feats) && int(feats[nTok]) < f.vocab {
			nTok++
		}
		for i, id := range feats {
			var want int32
			switch {
			case i < nTok:
				if names[i] != m.tok.Token(int(id)) {
					t.Errorf("%q: feature %d is token %q, named %q", text, i, m.tok.Token(int(id)), names[i])
				}
				continue
			case i < nTok+wordFeats:
				want = wordFeature(names[i])
			default:
				// Hashed again here, independently of appendCharNgrams.
				want = int32(f.vocab) + int32(mix64(charHash([]rune(names[i]))^charSalt)%uint64(f.buckets))
			}
			if want != id {
				t.Errorf("%q: feature %d (%d) named %q, which is feature %d", text, i, id, names[i], want)
			}
		}
	}
}

// TestConcurrentPredict checks that concurrent PredictTo calls agree with
// sequential ones (run with -race to check the scratch handling).
func TestConcurrentPredict(t *testing.T) {
	m := goldenModel(t)
	texts := fixtureTexts(t)
	want, _ := m.Predict(texts)
	errs := make(chan string, 80)
	done := make(chan bool)
	for g := range 4 {
		go func() {
			var p labels.Prediction
			for r := range 20 {
				i := (g*7 + r) % len(texts)
				m.PredictTo(&p, texts[i])
				same := slices.Equal(p.Values, want[i].Values)
				for tg := range p.Probs {
					same = same && slices.Equal(p.Probs[tg], want[i].Probs[tg])
				}
				if !same {
					errs <- texts[i]
				}
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
	close(errs)
	for s := range errs {
		t.Errorf("concurrent prediction of %q differs", s)
	}
}

// DecisionScales gives the decision rule's scales, none weighing 1, and
// they decide as decide does.
func TestDecisionScales(t *testing.T) {
	m := goldenModel(t)
	got := m.DecisionScales()
	if len(got) != len(m.scale) {
		t.Fatalf("%d rows, want %d", len(got), len(m.scale))
	}
	for i, s := range m.scale {
		if want := []float64{s[0], s[1], 1}; !slices.Equal(got[i], want) {
			t.Errorf("target %d: %v, want %v", i, got[i], want)
		}
		if s[0] <= 0 {
			continue
		}
		// favor just under and just over none's probability divided by
		// favor's scale.
		p := [nValues]float64{0.99 * 0.5 / s[0], 0, 0.5}
		if d := m.decide(i, p); d != 2 {
			t.Errorf("target %d: %v decides %d, want none", i, p, d)
		}
		p[0] = 1.01 * 0.5 / s[0]
		if d := m.decide(i, p); d != 0 {
			t.Errorf("target %d: %v decides %d, want favor", i, p, d)
		}
	}
}

// writeModelFile writes m to path (stance train writes it atomically).
func writeModelFile(m *Model, path string) error {
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
