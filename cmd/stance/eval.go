package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stance-project/stance/eval"
	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/atomicfile"
)

// runEval wires a saved model into eval.EvaluateClassifier.
func runEval(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "eval", "-model MODEL -labels FILE... -out DIR [-baseline OLD_DIR] [flags]", `
Evaluate a model on gold labels: per-target precision, recall, F1 and
F_avg (SemEval-2016) with 95% bootstrap intervals, confusion matrices,
calibration, the majority and keyword baselines on the same rows, and
every misclassified sentence with the words that pushed it. Writes
DIR/metrics.csv, confusion.csv, calibration.csv, errors.csv, report.html
(self-contained) and fingerprint.csv (hashes of the gold ids and
labels), and a summary on stdout. The page and the summary note, by the
headline, a target whose F_avg is one value's F1 alone (no gold favor or
against). Warns, with the count, when gold rows were in the model's
training data: such scores are not held out.

With -baseline OLD_DIR, also writes DIR/comparison.csv and flags every
metric whose new estimate falls outside OLD_DIR's interval, unless that
interval has no width or rests on fewer than 5 sentences (for a value's
precision, recall and F1, 5 gold examples of the value): those are not
judged, and counted apart. The headline's change is over the targets
scored in both evaluations. Warns when OLD_DIR was evaluated on other
gold rows or labels (not like for like), or cannot tell (OLD_DIR has no
fingerprint.csv).`)
	model := fs.String("model", "", "model `file` written by stance train")
	var files stringList
	fs.Var(&files, "labels", "gold label `file` (repeatable or comma-separated)")
	out := fs.String("out", "", "output `dir`ectory (created if needed)")
	baseline := fs.String("baseline", "", "earlier output `dir`ectory whose metrics.csv to compare with")
	seed := fs.Uint64("seed", 1, "seed of the bootstrap")
	resamples := fs.Int("resamples", eval.DefaultOptions().Resamples, "bootstrap resamples for the 95% intervals (0: none; at most 100000)")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	switch {
	case *model == "":
		return usagef("eval: -model is required")
	case len(files) == 0:
		return usagef("eval: -labels is required")
	case *out == "":
		return usagef("eval: -out is required")
	case fs.NArg() > 0:
		return usagef("eval: unexpected arguments %q", fs.Args())
	case *resamples < 0 || *resamples > eval.MaxResamples:
		return usagef("eval: -resamples %d: want 0 to %d", *resamples, eval.MaxResamples)
	}
	if err := guardOutputs(env, "eval", evalOutputs(*out), append(pathFlags(fs, "model", "labels"), baselineInputs(*baseline)...)); err != nil {
		return err
	}
	m, err := models.Load(*model)
	if err != nil {
		return err
	}
	tax := m.Taxonomy()
	gold, err := readGold(env, tax, files...)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(gold.Rows, labels.Gold.Labelled) {
		return fmt.Errorf("eval: %s: no labelled rows", strings.Join(files, ", "))
	}
	trained := m.TrainedOn(gold.Rows)
	if trained > 0 {
		fmt.Fprintf(env.Stderr, "warning: %s was trained on %d of these %d rows (%s): scores on them are not held out, and optimistic\n",
			*model, trained, len(gold.Rows), strings.Join(files, ", "))
	}
	opts := eval.DefaultOptions()
	opts.Seed, opts.Resamples = *seed, *resamples
	rep, err := eval.EvaluateClassifier(ctx, tax, gold.Rows, m, opts)
	if err != nil {
		return err
	}
	rep.Meta = eval.Meta{Model: *model, Labels: files, Trained: trained}
	return writeEvalReport(env, rep, *out, *baseline)
}

// evalOutputs is the output folder of eval and cv, -out DIR, with the
// files writeEvalReport may write in it.
func evalOutputs(dir string) []pipeline.PathArg {
	return []pipeline.PathArg{{Flag: "-out", Path: dir, Files: eval.DirFiles()}}
}

// baselineInputs are the files eval and cv read from -baseline DIR
// (none without it).
func baselineInputs(dir string) []pipeline.PathArg {
	if dir == "" {
		return nil
	}
	return pipeline.Paths("-baseline", filepath.Join(dir, eval.FileMetrics), filepath.Join(dir, eval.FileFingerprint))
}

// writeEvalReport compares with the baseline directory if given, warning
// on stderr when its gold rows differ or cannot be checked, writes every
// file to out and prints the summary.
func writeEvalReport(env *Env, rep *eval.Report, out, baseline string) error {
	if baseline != "" {
		old, err := eval.ReadMetricsFile(filepath.Join(baseline, eval.FileMetrics))
		if err != nil {
			return err
		}
		fp, err := eval.ReadFingerprintFile(filepath.Join(baseline, eval.FileFingerprint))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		rep.Meta.Baseline = baseline
		rep.Compare(old)
		for _, w := range rep.CompareGold(fp) {
			fmt.Fprintf(env.Stderr, "warning: -baseline: %s\n", w)
		}
	}
	// The report's files, all or none.
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var files []atomicfile.Output
	for _, f := range rep.Files() {
		files = append(files, atomicfile.Output{Path: filepath.Join(out, f.Name), Write: f.Write})
	}
	if err := atomicfile.WriteFiles(files...); err != nil {
		return err
	}
	if err := rep.WriteSummary(env.Stdout); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\nwrote %s\n", filepath.Join(out, eval.FileReport))
	return nil
}
