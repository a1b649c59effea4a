package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
	"github.com/stance-project/stance/models/clusters"
	"github.com/stance-project/stance/pipeline/atomicfile"
)

// runTrain trains a stance classifier on gold label files.
func runTrain(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "train", "-labels FILE... -out MODEL [flags]", `
Train the stance classifier on gold labels and write one model file.
Progress (one line per fit: the fold models, then the final one) and a
summary (per target: held-out F_avg, calibration, decision scales,
warnings about rare values) go to stderr.

The model is a TF-IDF logistic regression over subword, character
n-gram and (-clusters, from stance pretrain) word cluster features,
whose L2 penalty is lighter on the features that mark a value
(-evidence), so that a value with a dozen examples is still found,
beside a description prior (-prior): per target, counts of the words of
its description (the taxonomy's Favor and Against wording), with
weights shared by all targets, so that a target with few or no labels
is still predicted. It is one objective, trained by L-BFGS
through a gorgonia graph (see models/doc.go).

-init OLD retrains after new labels were merged: the new model keeps OLD's
tokenizer and features (so word pieces mean the same). The summary then shows, per target,
the labels added, changed and removed since OLD (from the label ledger in
the model file), OLD's and the new held-out F_avg, and both models' F_avg
on the held-out rows OLD never saw; each mean row is over the targets both
models score, and a footnote names any target left out. OLD must have the
targets of this run's taxonomy (-taxonomy, else the built-in default).`)
	cfg := models.DefaultConfig()
	var labelFiles stringList
	fs.Var(&labelFiles, "labels", "gold label `file` (repeatable, or comma-separated)")
	out := fs.String("out", "", "model `file` to write (atomically)")
	tax := taxonomyFlag(fs)
	modelFlags(fs, &cfg)
	loadClusters := clustersFlag(fs)
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the calibration folds; the same seed and data give the same model")
	initModel := fs.String("init", "", "model `file` being retrained (same targets; its tokenizer and features, so not with -buckets, -char-max or -clusters)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("train: unexpected arguments %v", fs.Args())
	}
	if len(labelFiles) == 0 {
		return usagef("train: -labels is required")
	}
	if *out == "" {
		return usagef("train: -out is required")
	}
	if err := cfg.Validate(); err != nil {
		return usagef("train: %v", err)
	}
	var arch []string // feature flags given, which -init would ignore
	fs.Visit(func(f *flag.Flag) {
		if slices.Contains(initFixed, f.Name) {
			arch = append(arch, "-"+f.Name)
		}
	})
	if *initModel != "" && len(arch) > 0 {
		return usagef("train: -init keeps the old model's tokenizer and features; %s cannot be given with it (drop -init to train new features)", strings.Join(arch, ", "))
	}
	if err := guardOutputs(env, "train", pathFlags(fs, "out"), pathFlags(fs, "labels", "taxonomy", "init", "clusters")); err != nil {
		return err
	}
	t, err := tax()
	if err != nil {
		return err
	}
	var opts models.TrainOptions
	if *initModel != "" {
		// Before reading the labels: a model with other targets cannot
		// be warm-started whatever they hold.
		if opts.Init, err = models.Load(*initModel); err != nil {
			return err
		}
		if err := checkInitTargets(*initModel, opts.Init, t, fs.Lookup("taxonomy").Value.String()); err != nil {
			return err
		}
	}
	if opts.Clusters, err = loadClusters(); err != nil {
		return err
	}
	gold, err := readGold(env, t, labelFiles...)
	if err != nil {
		return err
	}
	if !*quiet {
		opts.Progress = env.Stderr
	}
	m, sum, err := models.Train(ctx, cfg, t, gold.Rows, opts)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(*out, m.Write); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	if !*quiet {
		if err := sum.WriteReport(env.Stderr); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "wrote %s\n", *out)
	}
	return nil
}

// initFixed are the flags of the features a retrain takes from the old
// model (models.Train with TrainOptions.Init): given with -init they
// would be silently ignored.
var initFixed = []string{"buckets", "char-max", "clusters"}

// modelFlags binds the model's settings that train and cv share.
func modelFlags(fs *flag.FlagSet, cfg *models.Config) {
	fs.Float64Var(&cfg.L2, "l2", cfg.L2, "L2 penalty of the sparse weights (larger: smoother, fewer rare-value predictions)")
	fs.Float64Var(&cfg.Evidence, "evidence", cfg.Evidence, "how much less the L2 penalty holds back a feature that marks a value (Naive Bayes log-count ratio; 0: plain L2)")
	fs.BoolVar(&cfg.Prior, "prior", cfg.Prior, "use the taxonomy's descriptions as a prior (-prior=false: labels only)")
	fs.Float64Var(&cfg.PriorL2, "prior-l2", cfg.PriorL2, "penalty holding each target's description weights to the shared ones (smaller: labels override the description sooner)")
	fs.Float64Var(&cfg.DomainWeight, "domain-weight", cfg.DomainWeight, "weight of label rows whose source is not the most frequent one (e.g. news among speeches)")
	fs.IntVar(&cfg.CalibFolds, "calib-folds", cfg.CalibFolds, "cross-fitting folds for calibration (each costs one more fit)")
	fs.IntVar(&cfg.Buckets, "buckets", cfg.Buckets, "hash buckets for character n-grams")
	fs.IntVar(&cfg.CharMax, "char-max", cfg.CharMax, "longest character n-gram (0: none)")
}

// clustersFlag defines -clusters, the word clusters file of stance
// pretrain, on fs; the function it returns reads the file (nil, nil
// when the flag is not given).
func clustersFlag(fs *flag.FlagSet) func() (*clusters.Clusters, error) {
	path := fs.String("clusters", "", "word clusters `file` from stance pretrain: each word's clusters become features (unseen words borrow from their clusters)")
	return func() (*clusters.Clusters, error) {
		if *path == "" {
			return nil, nil
		}
		f, err := os.Open(*path)
		if err != nil {
			return nil, fmt.Errorf("-clusters: %w", err)
		}
		defer f.Close()
		return clusters.ReadTSV(f, *path)
	}
}

// checkInitTargets checks that the warm-start model m, read from path,
// has the targets of tax, which come from the -taxonomy file taxPath or,
// when taxPath is "", the built-in default taxonomy. Its error names the
// model file, where this run's targets come from, and the two ways out.
func checkInitTargets(path string, m *models.Model, tax labels.Taxonomy, taxPath string) error {
	have, want := m.Taxonomy().Names(), tax.Names()
	if slices.Equal(have, want) {
		return nil
	}
	from := "the built-in default taxonomy (no -taxonomy given)"
	fix := fmt.Sprintf("pass the taxonomy %s was trained with as -taxonomy FILE", path)
	if taxPath != "" {
		from = "the -taxonomy file " + taxPath
		if slices.Equal(have, labels.Default().Names()) {
			fix = fmt.Sprintf("leave out -taxonomy (%s has the built-in default targets)", path)
		}
	}
	return fmt.Errorf("train: -init model %s has targets %v, but %s has %v; %s, or drop -init to train from scratch",
		path, have, from, want, fix)
}
