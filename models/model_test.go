package models

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models/skipgram"
	"github.com/stance-project/stance/pipeline/subword"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

const fixturePath = "testdata/fixture.csv"

// fixtureConfig is a tiny configuration that trains in well under a
// second on the fixture.
func fixtureConfig() Config {
	cfg := DefaultConfig()
	cfg.Dim, cfg.Buckets, cfg.Bigrams = 8, 128, true
	cfg.Ensemble = false // keeps the golden model file small; tests add it back
	cfg.Epochs, cfg.BatchSize, cfg.Patience = 30, 8, 10
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
	m, sum, err := Train(context.Background(), cfg, labels.Default(), readFixture(t), TrainOptions{})
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
	return append(out, "", "Совершенно новые слова 🙂", "the the the the")
}

func sameWeights(a, b *weights) bool {
	eq := func(x, y []float32) bool {
		return slices.EqualFunc(x, y, func(p, q float32) bool { return math.Float32bits(p) == math.Float32bits(q) })
	}
	if !eq(a.Emb, b.Emb) || !eq(a.W1, b.W1) || !eq(a.B1, b.B1) || !eq(a.FW, b.FW) || len(a.Wo) != len(b.Wo) {
		return false
	}
	for t := range a.Wo {
		if !eq(a.Wo[t], b.Wo[t]) || !eq(a.Bo[t], b.Bo[t]) {
			return false
		}
	}
	return true
}

func TestTrainDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"cross-fitted", func(*Config) {}},
		{"ensemble", func(c *Config) { c.Ensemble = true }},
		{"dev split", func(c *Config) { c.CalibFolds = 0; c.DevFrac = 0.3 }},
		{"hidden adam", func(c *Config) { c.Hidden = 5; c.EmbSGD = false }},
		{"wide ensemble", func(c *Config) { c.Wide = true; c.Ensemble = true }},
		{"wide hidden", func(c *Config) { c.Wide = true; c.Hidden = 5 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fixtureConfig()
			tc.edit(&cfg)
			a, sa := trainFixture(t, cfg)
			b, sb := trainFixture(t, cfg)
			if !sameWeights(a.w, b.w) {
				t.Fatal("same seed, different weights")
			}
			if !slices.Equal(a.temp, b.temp) || !slices.Equal(a.thresh, b.thresh) || sa.BestEpoch != sb.BestEpoch {
				t.Fatal("same seed, different calibration")
			}
			cfg.Seed++
			c, _ := trainFixture(t, cfg)
			if sameWeights(a.w, c.w) {
				t.Fatal("different seeds gave identical weights")
			}
		})
	}
}

func TestSaveLoadIdenticalPredictions(t *testing.T) {
	for _, hidden := range []int{0, 4} {
		cfg := fixtureConfig()
		cfg.Hidden = hidden
		cfg.Ensemble = true
		m, _ := trainFixture(t, cfg)
		path := filepath.Join(t.TempDir(), "model.stance")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		// Rows of features never seen in training (weight 0) are not saved:
		// they never reach a bag.
		saved := m.w.clone()
		for f, fw := range saved.FW {
			if fw == 0 {
				clear(saved.Emb[f*saved.Dim : (f+1)*saved.Dim])
			}
		}
		if !sameWeights(saved, got.w) || got.Config() != m.Config() || got.DataSHA256() != m.DataSHA256() {
			t.Fatal("weights, config or data hash changed in the round trip")
		}
		texts := fixtureTexts(t)
		want, _ := m.Predict(texts)
		have, _ := got.Predict(texts)
		for i := range want {
			if !slices.Equal(want[i].Values, have[i].Values) {
				t.Errorf("%q: values %v, after load %v", texts[i], want[i].Values, have[i].Values)
			}
			for tg := range want[i].Probs {
				if !slices.Equal(want[i].Probs[tg], have[i].Probs[tg]) {
					t.Errorf("%q: probs %v, after load %v", texts[i], want[i].Probs[tg], have[i].Probs[tg])
				}
			}
		}
		for tg, rs := range m.ErrorRates() {
			for v, r := range rs {
				g := got.ErrorRates()[tg][v]
				if r.Positives != g.Positives || !sameFloat(r.TPR, g.TPR) || !sameFloat(r.FPR, g.FPR) {
					t.Errorf("error rate %d/%d: %+v, after load %+v", tg, v, r, g)
				}
			}
		}
	}
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

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
		t.Errorf("southern_flank against has no example, yet p=(0,1,0) decides against (rule %v)", m.Thresholds()[1])
	}
	joined := strings.Join(sum.Warnings, "\n")
	if !strings.Contains(joined, "southern_flank: no against example") {
		t.Errorf("warnings do not report the missing value:\n%s", joined)
	}
	for _, tm := range sum.Dev {
		if math.IsNaN(tm.F1[2]) {
			t.Errorf("%s: none F1 is NaN on dev", tm.Target)
		}
	}
	if len(sum.DataSHA256) != 64 || sum.Elapsed <= 0 || len(sum.Epochs) == 0 {
		t.Errorf("summary incomplete: %+v", sum)
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
	badCfg := cfg
	badCfg.Dim = 0
	for _, tc := range []struct {
		name string
		cfg  Config
		rows []labels.Gold
		want string
	}{
		{"no rows", cfg, nil, "no rows"},
		{"label count", cfg, bad, "has 1 labels"},
		{"unknown value", cfg, unknown, `unknown value "maybe"`},
		{"bad config", badCfg, rows, "dim 0"},
		{"one document", cfg, rows[:1], "documents"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Train(context.Background(), tc.cfg, tax, tc.rows, TrainOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to mention %q", err, tc.want)
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

func TestWarmStart(t *testing.T) {
	m, _ := trainFixture(t, fixtureConfig())
	cfg := fixtureConfig()
	cfg.Dim = 99 // ignored: the architecture comes from Init
	m2, _, err := Train(context.Background(), cfg, labels.Default(), readFixture(t), TrainOptions{Init: m})
	if err != nil {
		t.Fatal(err)
	}
	if m2.Config().Dim != m.Config().Dim || m2.Tokenizer() != m.Tokenizer() {
		t.Fatal("warm start did not keep the architecture and tokenizer")
	}
	other := labels.Taxonomy{Targets: labels.Default().Targets[:1]}
	rows := readFixture(t)
	for i := range rows {
		rows[i].Labels = rows[i].Labels[:1]
	}
	if _, _, err := Train(context.Background(), cfg, other, rows, TrainOptions{Init: m}); err == nil || !strings.Contains(err.Error(), "targets") {
		t.Fatalf("warm start with other targets: error %v", err)
	}
}

// TestModelForwardMatchesGorgonia runs a trained model's weights through
// gorgonia's inference graph and compares every row's probabilities with
// the plain-Go forward pass Predict uses.
func TestModelForwardMatchesGorgonia(t *testing.T) {
	for _, hidden := range []int{0, 6, -1, -6} { // negative: the same width with Config.Wide
		cfg := fixtureConfig()
		cfg.Hidden, cfg.Wide = max(hidden, -hidden), hidden < 0
		m, _ := trainFixture(t, cfg)
		texts := fixtureTexts(t)
		gr, err := newGraph(m.w, len(texts), false)
		if err != nil {
			t.Fatal(err)
		}
		sc := m.newScratch()
		bag := gr.bagT.Data().([]float32)
		for i, s := range texts {
			m.w.bag(bag[i*m.w.Dim:(i+1)*m.w.Dim], m.featurize(sc, s))
		}
		if err := gr.run(); err != nil {
			t.Fatal(err)
		}
		for i, s := range texts {
			sc := m.newScratch()
			m.w.bag(sc.bag, m.featurize(sc, s))
			h := m.w.hidden(sc.hidden, sc.bag)
			for tg := range m.tax.Targets {
				var z [nValues]float32
				m.w.logits(&z, tg, h)
				p := softmax(z, [nValues]float64{}, 1)
				lp := gr.logpV[tg].Data().([]float32)
				for c := range nValues {
					if g := math.Exp(float64(lp[i*nValues+c])); math.Abs(g-p[c]) > 1e-5 {
						t.Errorf("hidden %d, %q, target %d: gorgonia %.7f, Go %.7f", hidden, s, tg, g, p[c])
					}
				}
			}
		}
		gr.close()
	}
}

func TestExplain(t *testing.T) {
	m, _ := trainFixture(t, fixtureConfig())
	text := "We will raise defence spending to two percent of our economy."
	const target = 2
	cs := m.Explain(text, target, 0)
	if len(cs) == 0 {
		t.Fatal("no contributions")
	}
	for i := 1; i < len(cs); i++ {
		if cs[i].Score > cs[i-1].Score {
			t.Fatal("contributions not sorted by score")
		}
	}
	// Without a hidden layer the scores sum exactly to the calibrated
	// logit difference minus the biases' share.
	sc := m.newScratch()
	m.w.bag(sc.bag, m.featurize(sc, text))
	var z [nValues]float32
	m.w.logits(&z, target, sc.bag)
	v := m.tax.ValueIndex(target, cs[0].Value)
	want := (float64(z[v]-z[2]) - float64(m.w.Bo[target][v]-m.w.Bo[target][2])) / m.temp[target]
	var got float64
	for _, c := range cs {
		got += c.Score
	}
	if math.Abs(got-want) > 1e-4 {
		t.Errorf("contributions sum to %.6f, logit difference without bias is %.6f", got, want)
	}
	if top := m.Explain(text, target, 3); len(top) != 3 || top[0] != cs[0] {
		t.Errorf("Explain(k=3) = %v", top)
	}
}

// Every feature of a sentence has a name, and the name is the feature:
// subword tokens by id, word and character n-grams by hashing the name as
// featurize hashes them.
func TestFeatureNames(t *testing.T) {
	cfg := fixtureConfig()
	cfg.CharMin, cfg.CharMax = 3, 5
	m, _ := trainFixture(t, cfg)
	f := m.feats
	if f.buckets == 0 || !f.unigrams || !f.bigrams || f.charMax == 0 {
		t.Fatalf("fixture features %+v: want word and character n-grams", f)
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
			case i < nTok+2*nWords-1 && nWords > 0:
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

func TestReadRejects(t *testing.T) {
	m, _ := trainFixture(t, fixtureConfig())
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flip := slices.Clone(good)
	flip[len(flip)/2] ^= 0x40
	newer := slices.Clone(good)
	newer[8] = byte(FormatVersion + 1)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"magic", []byte("PK\x03\x04 not a model at all"), "bad magic"},
		{"newer version", newer, "unsupported version"},
		{"header only", good[:12], "truncated"},
		{"cut in a section", good[:len(good)/3], "truncated"},
		{"no checksum", good[:len(good)-16], "truncated"},
		{"last byte missing", good[:len(good)-1], "truncated"},
		{"flipped byte", flip, "corrupt"},
		{"trailing garbage", append(slices.Clone(good), 0), "corrupt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.data))
			if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrFormat mentioning %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "not a model file: ") && !strings.HasPrefix(err.Error(), "model file ") {
				t.Errorf("error %q does not say it is about the model file", err)
			}
		})
	}
}

// TestGoldenModel loads a model file written by each format version and
// checks its predictions on the fixture against that version's golden
// output, so that models saved by older versions keep loading. -update
// retrains the tiny model and rewrites the current version's files only;
// older versions' files are frozen.
func TestGoldenModel(t *testing.T) {
	for v := uint32(1); v <= FormatVersion; v++ {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			modelPath, goldenPath := fmt.Sprintf("testdata/v%d.stance", v), fmt.Sprintf("testdata/v%d.golden.csv", v)
			current := v == FormatVersion
			if *update && current {
				m, _ := trainFixture(t, fixtureConfig())
				if err := m.Save(modelPath); err != nil {
					t.Fatal(err)
				}
			}
			m, err := Load(modelPath)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.ledger != nil; got != (v >= 2) {
				t.Errorf("label ledger loaded: %v, want %v", got, v >= 2)
			}
			checkGolden(t, m, goldenPath, *update && current, "the format changed")
		})
	}
}

// checkGolden classifies the fixture with m and compares the predictions
// with the file goldenPath, which it first rewrites when update is set.
// why says what a difference means, for the error.
func checkGolden(t *testing.T, m *Model, goldenPath string, update bool, why string) {
	t.Helper()
	var out bytes.Buffer
	if _, err := ClassifyFiles(context.Background(), m, &out, fixturePath); err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.WriteFile(goldenPath, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("predictions differ from %s: %s (run with -update only on purpose)\n got:\n%s", goldenPath, why, out.String())
	}
}

// TestBagGradientDoesNotAccumulate guards against gorgonia's tape machine
// adding each run's gradient into the bag's dual value.
func TestBagGradientDoesNotAccumulate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	w := newWeights(rng, 10, 4, 0, 2)
	gr, err := newGraph(w, 3, true)
	if err != nil {
		t.Fatal(err)
	}
	defer gr.close()
	randomBatch(gr, rng)
	var first []float32
	for i := range 3 {
		if err := gr.run(); err != nil {
			t.Fatal(err)
		}
		g, _ := gr.bagGrad()
		if i == 0 {
			first = slices.Clone(g)
		} else if !slices.Equal(first, g) {
			t.Fatalf("run %d: bag gradient %v, first run %v", i, g, first)
		}
		gr.clearBagGrad()
		gr.vm.Reset()
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"testdata/v1.stance", "testdata/v2.stance"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
			f.Add(data[:len(data)/2])
		}
	}
	f.Add([]byte(magic + "\x01\x00\x00\x00CONF\x02\x00\x00\x00\x00\x00\x00\x00{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data))
		if err != nil {
			if m != nil {
				t.Fatal("model and error")
			}
			return
		}
		m.PredictOne("a sentence about defence spending")
	})
}

func TestInitEmbeddings(t *testing.T) {
	rows := readFixture(t)
	tok, err := subword.Train(func(yield func(string) bool) {
		for _, r := range rows {
			if !yield(r.Text) {
				return
			}
		}
	}, subword.Config{VocabSize: 120, MinFrequency: 1, Lowercase: true})
	if err != nil {
		t.Fatal(err)
	}
	const dim = 6
	vecs := make([]float32, tok.VocabSize()*dim)
	for i := range vecs {
		vecs[i] = float32(i%7) / 7
	}
	e := &skipgram.Embeddings{Tokenizer: tok, Dim: dim, Vectors: vecs}
	cfg := fixtureConfig()
	cfg.Dim = 16
	cfg.Epochs = 1
	cfg.Ensemble = false // keep the width equal to the embeddings' dim
	cfg.Wide = false     // (the wide path would add Targets·3 columns)
	m, sum, err := Train(context.Background(), cfg, labels.Default(), rows, TrainOptions{Embeddings: e})
	if err != nil {
		t.Fatal(err)
	}
	if m.Config().Dim != dim || m.Tokenizer() != tok {
		t.Fatalf("dim %d, want %d from the embeddings; tokenizer replaced: %v", m.Config().Dim, dim, m.Tokenizer() == tok)
	}
	if !strings.Contains(strings.Join(sum.Warnings, "\n"), "taken from the pretrained embeddings") {
		t.Errorf("no warning about the dimension: %v", sum.Warnings)
	}
	bad := &skipgram.Embeddings{Tokenizer: tok, Dim: dim, Vectors: vecs[:len(vecs)-1]}
	if _, _, err := Train(context.Background(), cfg, labels.Default(), rows, TrainOptions{Embeddings: bad}); err == nil {
		t.Fatal("inconsistent embeddings accepted")
	}
}

// TestConcurrentPredict checks that concurrent PredictTo calls agree with
// sequential ones (run with -race to check the scratch handling).
func TestConcurrentPredict(t *testing.T) {
	m := goldenModel(t)
	texts := fixtureTexts(t)
	want, _ := m.Predict(texts)
	errs := make(chan string, 8)
	done := make(chan bool)
	for g := range 4 {
		go func() {
			var p labels.Prediction
			for r := range 20 {
				i := (g*7 + r) % len(texts)
				m.PredictTo(&p, texts[i])
				if !slices.Equal(p.Values, want[i].Values) || !slices.Equal(p.Probs[0], want[i].Probs[0]) {
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

// DecisionScales gives the argmax rule's scales, none weighing 1, and
// nothing for the threshold rule, whose numbers are probabilities.
func TestDecisionScales(t *testing.T) {
	m := goldenModel(t)
	if m.Config().Decision != DecisionArgmax {
		t.Fatalf("golden model decision %q, want argmax", m.Config().Decision)
	}
	got := m.DecisionScales()
	if len(got) != len(m.Thresholds()) {
		t.Fatalf("%d rows, want %d", len(got), len(m.Thresholds()))
	}
	for i, th := range m.Thresholds() {
		if want := []float64{th[0], th[1], 1}; !slices.Equal(got[i], want) {
			t.Errorf("target %d: %v, want %v", i, got[i], want)
		}
	}
	m.cfg.Decision = DecisionThreshold
	if got := m.DecisionScales(); got != nil {
		t.Errorf("threshold rule: %v, want nil", got)
	}
}

// TestGoldenCharModel pins the hashing of character n-gram features: a
// model saved with them must predict the same after any change to how
// features are computed (the format tests above use no character
// n-grams).
func TestGoldenCharModel(t *testing.T) {
	const modelPath, goldenPath = "testdata/v2-char.stance", "testdata/v2-char.golden.csv"
	if *update {
		cfg := fixtureConfig()
		cfg.CharMin, cfg.CharMax = 3, 5
		m, _ := trainFixture(t, cfg)
		if err := m.Save(modelPath); err != nil {
			t.Fatal(err)
		}
	}
	m, err := Load(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	if m.feats.charMax == 0 {
		t.Fatalf("%s has no character n-grams", modelPath)
	}
	checkGolden(t, m, goldenPath, *update, "feature hashing changed")
}
