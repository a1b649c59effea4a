package models

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models/skipgram"
)

// sharedTrain is the project's gold file, outside the repository.
var sharedTrain = filepath.Join("..", "..", "shared", "labels", "train.csv")

// TestCV runs grouped 5-fold cross-validation on the shared gold labels
// and logs per-target F_avg. It is opt-in (STANCE_CV=1, a few minutes):
//
//	STANCE_CV=1 go test ./models -run TestCV -v
//
// STANCE_CV_<FIELD> environment variables override config fields for
// tuning (DIM, HIDDEN, BUCKETS, EPOCHS, BATCH, LR, L2, DROPOUT, CAP,
// PATIENCE, DEVFRAC, UNIGRAMS, BIGRAMS, SEED).
func TestCV(t *testing.T) {
	if os.Getenv("STANCE_CV") == "" {
		t.Skip("set STANCE_CV=1 to run the cross-validation on ../shared/labels/train.csv")
	}
	tax := labels.Default()
	gf, err := labels.ReadGoldFiles(tax, sharedTrain)
	if err != nil {
		t.Skipf("shared gold labels unavailable: %v", err)
	}
	cfg := cvConfig(t)
	t.Logf("config %+v", cfg)
	// The folds: 2016 by default; STANCE_CV_FOLDSEED=1 gives the folds of
	// `stance labels split` and `stance cv` with their default seed (the
	// peer benchmark's folds).
	foldSeed := uint64(2016)
	if s := os.Getenv("STANCE_CV_FOLDSEED"); s != "" {
		if foldSeed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("STANCE_CV_FOLDSEED: %v", err)
		}
	}
	var opts TrainOptions
	if p := os.Getenv("STANCE_CV_EMB"); p != "" {
		if opts.Embeddings, err = skipgram.Load(p); err != nil {
			t.Fatalf("STANCE_CV_EMB: %v", err)
		}
	}
	repeats := 1
	if s := os.Getenv("STANCE_CV_REPEATS"); s != "" {
		if repeats, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	var pooled, folds, argmax []float64
	for r := range repeats {
		c := cfg
		c.Seed = cfg.Seed + uint64(r)
		start := time.Now()
		res, err := CrossValidate(context.Background(), c, tax, gf.Rows, 5, foldSeed, opts)
		if err != nil {
			t.Fatal(err)
		}
		for f, ms := range res.Folds {
			t.Logf("fold %d: mean F_avg %.3f (final epochs %d)", f+1, MeanFAvg(ms), res.Summaries[f].BestEpoch)
			if os.Getenv("STANCE_CV_VERBOSE") != "" {
				s := res.Summaries[f]
				for tg, m := range ms {
					t.Logf("   %-18s F_avg %.3f predicted %v support %v | held-out F_avg %.3f T=%.2f th=%.2f", m.Target, m.FAvg, m.Predicted, m.Support, s.Dev[tg].FAvg, s.Temperatures[tg], s.Thresholds[tg])
				}
			}
		}
		for _, m := range res.Pooled {
			t.Logf("%-18s F_avg %.3f  F1 favor %.3f against %.3f  support %v predicted %v", m.Target, m.FAvg, m.F1[0], m.F1[1], m.Support, m.Predicted)
		}
		for _, m := range res.Argmax {
			t.Logf("argmax %-18s F_avg %.3f  F1 favor %.3f against %.3f  predicted %v", m.Target, m.FAvg, m.F1[0], m.F1[1], m.Predicted)
		}
		line := ""
		for _, m := range res.Pooled {
			line += fmt.Sprintf(" %.3f", m.FAvg)
		}
		t.Logf("seed %d: per target%s", c.Seed, line)
		t.Logf("seed %d: pooled mean F_avg %.4f; mean of fold means %.4f; argmax pooled %.4f; %s", c.Seed,
			MeanFAvg(res.Pooled), foldMean(res.Folds), MeanFAvg(res.Argmax), time.Since(start).Round(time.Millisecond))
		// The held-out metrics each fold's model saved (from its own
		// cross-fitting) must tell the same story as the outer folds:
		// reports correct prevalence with the error rates measured there.
		for f, sm := range res.Summaries {
			if in, out := MeanFAvg(sm.Dev), MeanFAvg(res.Pooled); in < out-0.1 {
				t.Errorf("seed %d fold %d: saved held-out mean F_avg %.3f, far below the outer folds' %.3f", c.Seed, f+1, in, out)
			}
		}
		pooled = append(pooled, MeanFAvg(res.Pooled))
		folds = append(folds, foldMean(res.Folds))
		argmax = append(argmax, MeanFAvg(res.Argmax))
	}
	t.Logf("SUMMARY over %d seeds: pooled mean F_avg %.4f ± %.4f (sd), mean of fold means %.4f, argmax pooled %.4f", repeats, nanMean(pooled), sd(pooled), nanMean(folds), nanMean(argmax))
}

// sd is the sample standard deviation of xs (NaN for fewer than 2).
func sd(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	m := nanMean(xs)
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

func foldMean(folds [][]TargetMetrics) float64 {
	xs := make([]float64, len(folds))
	for i, f := range folds {
		xs[i] = MeanFAvg(f)
	}
	return nanMean(xs)
}

func cvConfig(t *testing.T) Config {
	cfg := DefaultConfig()
	env := func(name string) (string, bool) { return os.LookupEnv("STANCE_CV_" + name) }
	ints := map[string]*int{"DIM": &cfg.Dim, "HIDDEN": &cfg.Hidden, "BUCKETS": &cfg.Buckets, "EPOCHS": &cfg.Epochs,
		"BATCH": &cfg.BatchSize, "CALIB": &cfg.CalibFolds, "PATIENCE": &cfg.Patience,
		"CHARMIN": &cfg.CharMin, "CHARMAX": &cfg.CharMax}
	floats := map[string]*float64{"LR": &cfg.LR, "EMBLR": &cfg.EmbLR, "L2": &cfg.L2, "DROPOUT": &cfg.TokenDropout, "CAP": &cfg.MaxClassWeight, "DEVFRAC": &cfg.DevFrac,
		"WIDEL2": &cfg.WideL2, "DEEPSCALE": &cfg.DeepScale}
	bools := map[string]*bool{"UNIGRAMS": &cfg.Unigrams, "BIGRAMS": &cfg.Bigrams, "IDF": &cfg.IDF, "EMBSGD": &cfg.EmbSGD, "ENSEMBLE": &cfg.Ensemble, "L2POOL": &cfg.L2Pool, "WIDE": &cfg.Wide}
	for k, p := range ints {
		if s, ok := env(k); ok {
			v, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("STANCE_CV_%s: %v", k, err)
			}
			*p = v
		}
	}
	for k, p := range floats {
		if s, ok := env(k); ok {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("STANCE_CV_%s: %v", k, err)
			}
			*p = v
		}
	}
	for k, p := range bools {
		if s, ok := env(k); ok {
			v, err := strconv.ParseBool(s)
			if err != nil {
				t.Fatalf("STANCE_CV_%s: %v", k, err)
			}
			*p = v
		}
	}
	if s, ok := env("DECISION"); ok {
		cfg.Decision = s
	}
	if s, ok := env("SEED"); ok {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("STANCE_CV_SEED: %v", err)
		}
		cfg.Seed = v
	}
	return cfg
}
