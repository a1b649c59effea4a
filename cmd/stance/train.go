package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
	"github.com/stance-project/stance/models/skipgram"
)

// runTrain trains a stance classifier on gold label files.
func runTrain(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "train", "-labels FILE... -out MODEL [flags]", `
Train the stance classifier on gold labels and write one model file.
Progress (one line per epoch) and a summary (per target: held-out F_avg,
temperature, thresholds, warnings about rare values) go to stderr.

-init OLD warm-starts from an earlier model after new labels were merged:
the kept model continues OLD's weights (same tokenizer, targets and
architecture); the held-out predictions come from fold models trained
afresh, so held-out scores stay honest. The summary then shows, per target,
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
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "maximum training epochs")
	fs.IntVar(&cfg.Dim, "dim", cfg.Dim, "embedding dimension (taken from -init-embeddings when given)")
	fs.IntVar(&cfg.Hidden, "hidden", cfg.Hidden, "hidden layer width (0: none)")
	fs.BoolVar(&cfg.Wide, "wide", cfg.Wide, "add the wide path: TF-IDF logistic regression over the bag's features, summed with the embedding model's logits")
	fs.Float64Var(&cfg.WideL2, "wide-l2", cfg.WideL2, "L2 penalty of the wide path's regression")
	fs.Float64Var(&cfg.DeepScale, "deep-scale", cfg.DeepScale, "with -wide: weight of the embedding model's logits against the wide path's")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed; the same seed and data give the same model")
	fs.Float64Var(&cfg.DevFrac, "dev-frac", cfg.DevFrac, "share of documents held out as dev when -calib-folds < 2")
	fs.IntVar(&cfg.CalibFolds, "calib-folds", cfg.CalibFolds, "cross-fitting folds for early stopping and calibration (< 2: one dev split)")
	initEmb := fs.String("init-embeddings", "", "embedding `file` from stance pretrain: its tokenizer and vectors initialise the model")
	initModel := fs.String("init", "", "model `file` to warm-start from (same targets; its tokenizer and architecture, so not with -dim, -hidden, -wide, -wide-l2 or -deep-scale)")
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
	dimSet := false
	var arch []string // architecture flags given, which -init would ignore
	fs.Visit(func(f *flag.Flag) {
		dimSet = dimSet || f.Name == "dim"
		if slices.Contains(initFixed, f.Name) {
			arch = append(arch, "-"+f.Name)
		}
	})
	if *initEmb != "" && *initModel != "" {
		return usagef("train: -init-embeddings and -init cannot be combined")
	}
	if *initModel != "" && len(arch) > 0 {
		return usagef("train: -init keeps the old model's architecture; %s cannot be given with it (drop -init to train a new architecture)", strings.Join(arch, ", "))
	}
	if err := guardOutputs(env, "train", pathFlags(fs, "out"), pathFlags(fs, "labels", "taxonomy", "init", "init-embeddings")); err != nil {
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
	gold, err := readGold(env, t, labelFiles...)
	if err != nil {
		return err
	}
	if !*quiet {
		opts.Progress = env.Stderr
	}
	if *initEmb != "" {
		e, err := skipgram.Load(*initEmb)
		if err != nil {
			return err
		}
		if dimSet && e.Dim != cfg.Dim {
			return usagef("train: -dim %d disagrees with the embeddings' dimension %d (leave -dim out)", cfg.Dim, e.Dim)
		}
		opts.Embeddings = e
	}
	m, sum, err := models.Train(ctx, cfg, t, gold.Rows, opts)
	if err != nil {
		return err
	}
	if err := m.Save(*out); err != nil {
		return err
	}
	if !*quiet {
		if err := sum.WriteReport(env.Stderr); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "wrote %s\n", *out)
	}
	return nil
}

// initFixed are the flags of the architecture a warm start takes from
// the old model (models.Train with TrainOptions.Init): given with -init
// they would be silently ignored.
var initFixed = []string{"dim", "hidden", "wide", "wide-l2", "deep-scale"}

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
