package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/stance-project/stance/models"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stance-project/stance/eval/trends"
	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/atomicfile"
	"github.com/stance-project/stance/pipeline/shard"
)

const reportDescription = `
Reads prediction CSVs written by "stance classify" (several files are the
shards of one run and are read as one: a sentence id read twice, as when a
file is given twice or a run with one of its shards, is an error) and
writes one row per period × group × target: documents, sentences,
favor/against/none counts and shares, net stance (favor share − against
share), mean probabilities, and the prevalence of favor and of against
by classify-and-count (cc), probabilistic classify-and-count (pcc) and
adjusted classify-and-count (acc, needs -model for its error rates), each
with a bootstrap interval over documents.

Documents dated more coarsely than -period (a "2017" date in a monthly
report) stay in a period of their own precision with coarse=true.

shift_favor / shift_against flag a period whose estimate (acc where
defined, else pcc) lies outside the previous period's interval while the
previous estimate lies outside this one's, both periods having at least 5
documents. Changes of level over a whole series (exact penalised
segmentation of asin √p, weighted by documents, penalty 3·ln n) are
written, all of them, by -changes; stdout shows the 20 largest
(|after − before|), largest first, and says how many more there are
(-quiet: none). The summary on stderr counts them all.

acc falls outside [0,1] when a period's share predicted is below the
model's false-positive rate (or above its true-positive rate); it is then
clipped to 0 (or 1), marked in acc_favor_clipped / acc_against_clipped,
and that series uses pcc instead for shifts, changes and the chart (a
note on stderr says where). A row with fewer documents than an interval
needs (4 at 95%: with fewer, the bootstrap's ends are single documents)
has empty _lo and _hi cells.

-chart draws one panel per target (and, with -by, one column per group:
those -groups names, or the -chart-groups largest): favor and against
prevalence with shaded intervals, open circles where a period has too
few documents for one, dashed lines at changes of level, and a line
broken where a period has no documents. Coarse-dated rows are in the CSV
only.

An input may be a folder or a glob pattern ('preds/part-*.csv') of the
parts of a split run, as classify -out part-%i-of-%n.csv names them: a
file whose name holds <i>-of-<n> is part i of n. The parts given, one by
one or in folders, must be every part 0..n-1 of one n, each once: a
missing part (naming the file expected), a part given twice and parts of
different counts are errors. A folder holds parts only (hidden files
aside); a file named otherwise, given as such, is read as a whole run.

The outputs (-out, -changes, -chart) are written all or none: on any
problem in the inputs or the outputs, nothing is written. - as an input
reads standard input; one of the outputs may be - (standard output), and
the changes of level are then printed on standard error.`

// checkFolder returns an error if path's folder does not exist or is not a
// folder; "" (an output not asked for) is fine.
func checkFolder(path string) error {
	if path == "" || path == atomicfile.Stdout {
		return nil
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no folder %s", dir)
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}

// loadModelRates reads a model's taxonomy and held-out error rates.
func loadModelRates(path string) (labels.Taxonomy, [][]labels.ErrorRate, error) {
	m, err := models.Load(path)
	if err != nil {
		return labels.Taxonomy{}, nil, err
	}
	return m.Taxonomy(), m.ErrorRates(), nil
}

func runReport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "report", "-in PRED.csv... -out trends.csv [flags]", reportDescription)
	var in stringList
	fs.Var(&in, "in", "prediction CSV `file` from stance classify, a folder of parts or a glob (repeatable, comma-separated; extra arguments are inputs too)")
	out := fs.String("out", "", "trends CSV to write (required; - for standard output)")
	period := fs.String("period", "year", "period length: year, quarter, month, week (ISO) or day")
	by := fs.String("by", "", "metadata column to group by (e.g. country, source)")
	chart := fs.String("chart", "", "also draw the series to this file (.png or .svg)")
	chartGroups := fs.Int("chart-groups", 3, "with -by, chart this many groups (those with the most documents; at least 1)")
	var drawGroups stringList
	fs.Var(&drawGroups, "groups", "with -by and -chart, chart these `groups` (comma-separated, e.g. ITA,FRA) instead of the largest")
	changes := fs.String("changes", "", "also write the changes of level to this CSV (all of them; stdout shows the largest)")
	quiet := fs.Bool("quiet", false, "print no change of level on stdout (the summary on stderr still counts them)")
	model := fs.String("model", "", "model file whose held-out error rates give the acc columns")
	seed := fs.Uint64("seed", 1, "bootstrap seed")
	boot := fs.Int("boot", 500, "bootstrap resamples per interval (0 for none)")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	inputs := append(pathFlags(fs, "in", "model"), pipeline.Paths("", fs.Args()...)...)
	in = append(in, fs.Args()...)
	// Folders and globs of parts become files, checked for overlap too.
	inFiles, partsErr := shard.Inputs(in)
	inputs = append(inputs, pipeline.Paths("-in", inFiles...)...)
	switch {
	case len(in) == 0:
		return usagef("report: no input: give -in PRED.csv")
	case *out == "":
		return usagef("report: -out is required")
	case *boot < 0:
		return usagef("report: -boot must be at least 0")
	case *chartGroups < 1:
		return usagef("report: -chart-groups must be at least 1")
	case len(drawGroups) > 0 && (*by == "" || *chart == ""):
		return usagef("report: -groups chooses the groups -chart draws: it needs -by and -chart")
	}
	outputs := []struct{ flag, path string }{{"-out", *out}, {"-changes", *changes}, {"-chart", *chart}}
	toStdout := 0
	for _, o := range outputs {
		if o.path == atomicfile.Stdout {
			toStdout++
		}
	}
	if toStdout > 1 {
		return usagef("report: only one of -out, -changes and -chart can be - (standard output)")
	}
	if err := guardOutputs(env, "report", pathFlags(fs, "out", "changes", "chart"), inputs); err != nil {
		return err
	}
	unit, err := trends.ParseUnit(*period)
	if err != nil {
		return usagef("report: -period: %v", err)
	}
	chartFormat := ""
	if *chart != "" {
		chartFormat = strings.TrimPrefix(strings.ToLower(filepath.Ext(*chart)), ".")
		if chartFormat != "png" && chartFormat != "svg" {
			return usagef("report: -chart %s: want a .png or .svg file", *chart)
		}
	}

	cfg := trends.Config{Seed: *seed, Boot: *boot}
	if *boot == 0 {
		cfg.Boot = -1
	}
	if *model != "" {
		tax, rates, err := loadModelRates(*model)
		if err != nil {
			return err
		}
		if cfg.Rates, err = trends.RatesFor(tax, rates); err != nil {
			return fmt.Errorf("-model %s: %w", *model, err)
		}
	}

	if err := errors.Join(partsErr, shard.CheckParts(inFiles)); err != nil {
		printProblems(env.Stderr, unjoin(err))
		return errSilent
	}

	// Fail before the long read if an output cannot be written anyway.
	for _, o := range outputs {
		if err := checkFolder(o.path); err != nil {
			return fmt.Errorf("report: nothing written: %s %s: %w", o.flag, o.path, err)
		}
	}

	acc := trends.NewAccumulator(unit, *by)
	var problems []error
	for _, name := range inFiles {
		if err := ctx.Err(); err != nil {
			return err
		}
		if name == "-" {
			if err := acc.Read(name, env.Stdin); err != nil {
				problems = append(problems, err)
			}
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if err := acc.Read(name, f); err != nil {
			problems = append(problems, err)
		}
		f.Close()
	}
	if len(problems) > 0 {
		printProblems(env.Stderr, problems)
		return errSilent
	}

	rep, err := trends.Build(acc, cfg)
	if err != nil {
		return err
	}
	files := []atomicfile.Output{{Path: *out, Write: func(w io.Writer) error { return trends.WriteCSV(w, rep.Rows) }}}
	if *changes != "" {
		files = append(files, atomicfile.Output{Path: *changes, Write: func(w io.Writer) error { return trends.WriteChanges(w, rep.Changes) }})
	}
	if *chart != "" {
		opt := trends.ChartOptions{MaxGroups: *chartGroups, Groups: drawGroups}
		files = append(files, atomicfile.Output{Path: *chart, Write: func(w io.Writer) error { return trends.WriteChart(w, chartFormat, rep, opt) }})
	}
	if err := atomicfile.WriteOutputs(env.Stdout, files...); err != nil {
		return fmt.Errorf("report: nothing written: %w", err)
	}

	if !*quiet {
		// Standard output may be taken by an output (-out -).
		w := env.Stdout
		if slices.Contains([]string{*out, *changes, *chart}, atomicfile.Stdout) {
			w = env.Stderr
		}
		printChanges(w, rep, *changes)
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(env.Stderr, "note:", n)
	}
	groups := fmt.Sprintf("%d groups by %s", len(rep.Groups), rep.By)
	if rep.By == "" {
		groups = "no groups"
	}
	where := *out
	if where == atomicfile.Stdout {
		where = "standard output"
	}
	fmt.Fprintf(env.Stderr, "report: %d files, %d sentences, %d documents, %d %s periods, %s; %d rows to %s, %d changes of level\n",
		acc.Files(), acc.Sentences(), acc.Documents(), rep.Periods, unit, groups, len(rep.Rows), where, len(rep.Changes))
	return nil
}

// maxChangeLines is how many changes of level stance report prints.
const maxChangeLines = 20

// printChanges prints the maxChangeLines largest changes of level of rep,
// largest first, then how many it left out and where they are: in
// changesFile, or "" when -changes was not given.
func printChanges(w io.Writer, rep *trends.Report, changesFile string) {
	for _, c := range trends.Largest(rep.Changes, maxChangeLines) {
		group := ""
		if rep.By != "" {
			group = rep.By + "=" + c.Group + " "
		}
		est := c.Estimator
		if c.ACCClipped > 0 {
			est += fmt.Sprintf("; acc clipped in %d periods", c.ACCClipped)
		}
		fmt.Fprintf(w, "change: %s%s %s (%s) from %s: %.3f -> %.3f\n",
			group, c.Target, c.Value, est, c.Period.Label, c.Before, c.After)
	}
	more := len(rep.Changes) - maxChangeLines
	switch {
	case more <= 0:
	case changesFile != "":
		fmt.Fprintf(w, "... and %d more (all in %s)\n", more, changesFile)
	default:
		fmt.Fprintf(w, "... and %d more (write them all with -changes FILE)\n", more)
	}
}

// maxProblemLines is how many problems of its inputs stance report
// prints; the rest are counted.
const maxProblemLines = 10

// printProblems prints the problems of report's inputs: the one-line
// diagnosis first when sentence ids repeat (a file given twice makes
// every row a duplicate), then at most maxProblemLines problems, one a
// line, and how many more there were.
func printProblems(w io.Writer, problems []error) {
	var lines []error
	for _, p := range problems {
		var list labels.ErrorList
		if errors.As(p, &list) {
			for _, e := range list {
				lines = append(lines, e)
			}
			continue
		}
		lines = append(lines, p)
	}
	for _, p := range lines {
		if errors.Is(p, labels.ErrDuplicateID) {
			fmt.Fprintf(w, "stance report: sentence ids repeat: give each file once, and a run either whole or as its shards, not both\n")
			break
		}
	}
	for _, p := range lines[:min(len(lines), maxProblemLines)] {
		fmt.Fprintln(w, p)
	}
	// Of the rest, notes (a reader's "too many problems, stopped
	// reading", with no position and no kind) are printed, the problems
	// counted.
	more := 0
	var notes []error
	for _, p := range lines[min(len(lines), maxProblemLines):] {
		if pe, ok := p.(*labels.ParseError); ok && pe.Err == nil && pe.Line == 0 {
			notes = append(notes, p)
			continue
		}
		more++
	}
	if more > 0 {
		fmt.Fprintf(w, "... and %d more problems\n", more)
	}
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
	fmt.Fprintf(w, "stance report: nothing written: fix the problems above\n")
}

// unjoin lists the errors errors.Join joined, nested joins flattened, so
// that each problem is a line of its own.
func unjoin(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var list []error
	for _, e := range j.Unwrap() {
		list = append(list, unjoin(e)...)
	}
	return list
}
