package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/stance-project/stance/eval"
	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
)

// runCV wires models.Train into eval.CrossValidate.
func runCV(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "cv", "-labels FILE... -folds K -out DIR [flags]", `
Cross-validate training: split the gold rows into K folds grouped by
doc_id (no document on both sides), train a model on K-1 folds with the
given settings, predict the held-out fold, and score the pooled
out-of-fold predictions beside the majority (fitted on each training
fold) and keyword baselines. Writes the same files as stance eval
(metrics.csv with per-fold mean_f_avg rows, confusion.csv,
calibration.csv, errors.csv, report.html) and a summary on stdout.`)
	var files stringList
	fs.Var(&files, "labels", "gold label `file` (repeatable or comma-separated)")
	k := fs.Int("folds", 5, "number of folds `K` (at least 2)")
	out := fs.String("out", "", "output `dir`ectory (created if needed)")
	seed := fs.Uint64("seed", 1, "seed of the folds, the training and the bootstrap")
	trainSeed := fs.Uint64("train-seed", 0, "seed of the training alone (its calibration folds), to vary it over fixed folds (0: -seed)")
	resamples := fs.Int("resamples", eval.DefaultOptions().Resamples, "bootstrap resamples for the 95% intervals (0: none)")
	baseline := fs.String("baseline", "", "earlier output `dir`ectory whose metrics.csv to compare with")
	loadTax := taxonomyFlag(fs)
	cfg := models.DefaultConfig()
	modelFlags(fs, &cfg)
	loadClusters := clustersFlag(fs)
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	switch {
	case len(files) == 0:
		return usagef("cv: -labels is required")
	case *out == "":
		return usagef("cv: -out is required")
	case *k < 2:
		return usagef("cv: -folds must be at least 2")
	case fs.NArg() > 0:
		return usagef("cv: unexpected arguments %q", fs.Args())
	case *resamples < 0 || *resamples > eval.MaxResamples:
		return usagef("cv: -resamples %d: want 0 to %d", *resamples, eval.MaxResamples)
	}
	if err := guardOutputs(env, "cv", evalOutputs(*out), append(pathFlags(fs, "labels", "taxonomy", "clusters"), baselineInputs(*baseline)...)); err != nil {
		return err
	}
	cfg.Seed = *seed
	if *trainSeed != 0 {
		cfg.Seed = *trainSeed
	}
	if err := cfg.Validate(); err != nil {
		return usagef("cv: %v", err)
	}
	tax, err := loadTax()
	if err != nil {
		return err
	}
	gold, err := readGold(env, tax, files...)
	if err != nil {
		return err
	}
	var topts models.TrainOptions
	if topts.Clusters, err = loadClusters(); err != nil {
		return err
	}
	opts := eval.DefaultOptions()
	opts.Seed, opts.Resamples = *seed, *resamples
	fold := 0
	train := func(ctx context.Context, rows []labels.Gold) (labels.Classifier, error) {
		fold++
		fmt.Fprintf(env.Stderr, "cv: fold %d of %d: training on %d rows\n", fold, *k, len(rows))
		m, _, err := models.Train(ctx, cfg, tax, rows, topts)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	res, err := eval.CrossValidate(ctx, tax, gold.Rows, *k, *seed, train, opts)
	if errors.Is(err, eval.ErrTooManyFolds) {
		return usagef("cv: -folds %d: %v", *k, err)
	}
	if err != nil {
		return err
	}
	res.Report.Meta = eval.Meta{Title: "Stance cross-validation", Labels: files}
	return writeEvalReport(env, res.Report, *out, *baseline)
}
