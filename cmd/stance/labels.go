package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/atomicfile"
)

// labelsCommands are the subcommands of `stance labels`.
func labelsCommands() []command {
	return []command{
		{"check", "validate gold label files, listing every problem", runLabelsCheck},
		{"stats", "count labels per target and value, by year and by source", runLabelsStats},
		{"merge", "merge newly labelled rows (e.g. a filled suggest file) into a gold file", runLabelsMerge},
		{"agree", "inter-annotator agreement (kappa, alpha) of two files over the same ids", runLabelsAgree},
		{"export-fasttext", "write gold labels in fastText's __label__ format", runLabelsExportFastText},
		{"split", "write grouped cross-validation folds as gold files", runLabelsSplit},
		{"taxonomy", "print the taxonomy (default or -taxonomy FILE) as CSV", runLabelsTaxonomy},
	}
}

func runLabels(ctx context.Context, env *Env, args []string) error {
	subs := commandSet{name: "labels", cmds: labelsCommands(), notes: []string{
		"Run `stance labels <command> -h` for its flags. Every command accepts -taxonomy FILE.",
	}}
	c, err := subs.lookup(env, args)
	if c == nil {
		return err
	}
	return c.run(ctx, env, args[1:])
}

// taxonomyFlag binds -taxonomy and returns a loader for after parsing.
func taxonomyFlag(fs *flag.FlagSet) func() (labels.Taxonomy, error) {
	path := fs.String("taxonomy", "", "taxonomy `file` (CSV target,description,values or JSON); default: the built-in four targets")
	return func() (labels.Taxonomy, error) {
		if *path == "" {
			return labels.Default(), nil
		}
		return labels.LoadTaxonomy(*path)
	}
}

// readGold reads and checks files ("-" is env.Stdin), printing warnings
// and problems to stderr; it returns errSilent when there were problems.
func readGold(env *Env, tax labels.Taxonomy, paths ...string) (*labels.GoldFile, error) {
	g, err := labels.ReadGoldInputs(tax, env.Stdin, paths...)
	for _, w := range g.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %v\n", w)
	}
	var list labels.ErrorList
	if errors.As(err, &list) {
		for _, p := range list {
			fmt.Fprintln(env.Stderr, p)
		}
		fmt.Fprintf(env.Stderr, "%d problem(s) in %s\n", len(list), strings.Join(paths, ", "))
		return g, errSilent
	}
	return g, err
}

func runLabelsCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "labels check", "[-taxonomy F] FILE...", `
Check gold label files against the taxonomy: columns, values, ids, dates,
text. Every problem is listed as file:line:col: problem and the exit
status is 1; on success prints a one-line summary. A row repeating an
earlier row's id, text and labels is dropped and counted; the same text
(spacing and typographic quotes and dashes aside) under two ids with
different labels is a warning naming file:line of both. - reads
standard input.`)
	loadTax := taxonomyFlag(fs)
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return usagef("labels check: no files given")
	}
	tax, err := loadTax()
	if err != nil {
		return err
	}
	g, err := readGold(env, tax, files...)
	if err != nil {
		return err
	}
	docs := map[string]bool{}
	partial := 0
	for _, r := range g.Rows {
		docs[r.DocID] = true
		for _, v := range r.Labels {
			if v == "" {
				partial++
				break
			}
		}
	}
	conflicts := g.TextConflicts()
	for _, c := range conflicts {
		fmt.Fprintf(env.Stderr, "warning: %v\n", c)
	}
	fmt.Fprintf(env.Stdout, "ok: %d rows, %d documents, %d targets, %d rows with unlabelled targets, %d duplicates dropped, %d texts labelled differently under another id\n",
		len(g.Rows), len(docs), len(tax.Targets), partial, g.Duplicates(), len(conflicts))
	return nil
}

func runLabelsStats(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "labels stats", "[-taxonomy F] [-csv] FILE...", `
Count labels per target and value, the share of sentences with a stance on
any target and the unlabelled cells, overall, by year and by source.`)
	loadTax := taxonomyFlag(fs)
	asCSV := fs.Bool("csv", false, "write one long CSV table (group,key,target,value,count) instead of text tables")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return usagef("labels stats: no files given")
	}
	tax, err := loadTax()
	if err != nil {
		return err
	}
	g, err := readGold(env, tax, files...)
	if err != nil {
		return err
	}
	st := labels.ComputeStats(tax, g.Rows)
	if *asCSV {
		return st.WriteCSV(env.Stdout)
	}
	return st.WriteText(env.Stdout)
}

func runLabelsMerge(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "labels merge", "-out FILE [-taxonomy F] BASE NEW...", `
Merge newly labelled rows into BASE and write the result to -out (which may
be BASE, read whole before the atomic write replaces it, but no NEW
file). Rows of NEW with a new id are added; rows with a known id
override BASE's labels where their cells are not empty; rows with every
target empty (an unfilled suggest row) are ignored and counted. An empty cell means "not labelled", not none: rows left with
one are counted. Nothing is written if any file fails validation,
including the same id with different labels in two NEW files, or an id
of BASE given with another text. The same text under another id with
different labels is a warning. suggest's own columns (suggested_reason,
guess_<target>) are not copied into the gold file.`)
	loadTax := taxonomyFlag(fs)
	out := fs.String("out", "", "output `file` (required; - for standard output, the summary then on standard error)")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if *out == "" {
		return usagef("labels merge: -out is required")
	}
	if len(files) < 2 {
		return usagef("labels merge: want BASE and at least one NEW file")
	}
	// -out may be BASE, which merge exists to update (read whole, then
	// replaced atomically), never a NEW file.
	inputs := append([]pipeline.PathArg{{Path: files[0], InPlace: true}}, pipeline.Paths("", files[1:]...)...)
	if err := guardOutputs(env, "labels merge", pathFlags(fs, "out"), append(inputs, pathFlags(fs, "taxonomy")...)); err != nil {
		return err
	}
	tax, err := loadTax()
	if err != nil {
		return err
	}
	merged, rep, err := labels.MergeInputs(tax, env.Stdin, files[0], files[1:]...)
	for _, w := range rep.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %v\n", w)
	}
	var list labels.ErrorList
	if errors.As(err, &list) {
		for _, p := range list {
			fmt.Fprintln(env.Stderr, p)
		}
		fmt.Fprintf(env.Stderr, "labels merge: %d problem(s); refusing to merge, nothing written\n", len(list))
		return errSilent
	}
	if err != nil {
		return err
	}
	if err := writeGoldFile(env, *out, merged); err != nil { // out may be the base file: written last
		return err
	}
	w := env.Stdout
	if *out == atomicfile.Stdout {
		w = env.Stderr // stdout holds the merged file
	}
	fmt.Fprintf(w, "added %d, changed %d, unchanged %d, still empty (ignored) %d\n",
		rep.Added, rep.Changed, rep.Unchanged, rep.StillEmpty)
	for _, t := range rep.Transitions {
		fmt.Fprintf(w, "  %s: %s->%s %d\n", t.Target, emptyName(t.From), t.To, t.Count)
	}
	if rep.Partial > 0 {
		fmt.Fprintf(w, "%d merged row(s) leave some target empty (not labelled, which is not none)\n", rep.Partial)
	}
	if rep.Added+rep.Changed+rep.Unchanged == 0 {
		fmt.Fprintf(env.Stderr, "warning: no row of %s has a label: nothing merged (was the filled file saved?)\n", strings.Join(files[1:], ", "))
	}
	where := *out
	if where == atomicfile.Stdout {
		where = "standard output"
	}
	fmt.Fprintf(w, "wrote %s: %d rows\n", where, rep.Rows)
	return nil
}

func emptyName(v string) string {
	if v == "" {
		return "empty"
	}
	return v
}

func runLabelsAgree(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "labels agree", "[-taxonomy F] [-out disagreements.csv] A.csv B.csv", `
Compare two annotators' labels of the same ids: per target the number of
items both labelled, raw agreement, Cohen's kappa and Krippendorff's alpha
(nominal). NaN means undefined (e.g. both used one value only). -out writes
every disagreement (id,text,target,a_value,b_value) for adjudication; with
-out - the CSV goes to standard output and the table to standard error.
Either file may be - (standard input).`)
	loadTax := taxonomyFlag(fs)
	out := fs.String("out", "", "write disagreements to this CSV `file` (- for standard output)")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) != 2 {
		return usagef("labels agree: want exactly two files, got %d", len(files))
	}
	if err := guardOutputs(env, "labels agree", pathFlags(fs, "out"), append(pipeline.Paths("", files...), pathFlags(fs, "taxonomy")...)); err != nil {
		return err
	}
	tax, err := loadTax()
	if err != nil {
		return err
	}
	a, errA := readGold(env, tax, files[0])
	b, errB := readGold(env, tax, files[1])
	if errA != nil || errB != nil {
		return errSilent
	}
	ag := labels.Compare(tax, a.Rows, b.Rows)
	w := env.Stdout
	if *out == atomicfile.Stdout {
		w = env.Stderr // stdout holds the disagreements CSV
	}
	fmt.Fprintf(w, "common ids: %d; only in %s: %d; only in %s: %d\n", ag.Common, files[0], len(ag.OnlyA), files[1], len(ag.OnlyB))
	listIDs(w, files[0], ag.OnlyA)
	listIDs(w, files[1], ag.OnlyB)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	w0 := len("target")
	for _, t := range ag.Targets {
		w0 = max(w0, len(t.Target))
	}
	fmt.Fprintf(tw, "%-*s\tn\traw\tkappa\talpha\t\n", w0, "target")
	for _, t := range ag.Targets {
		fmt.Fprintf(tw, "%-*s\t%d\t%.3f\t%.3f\t%.3f\t\n", w0, t.Target, t.N, t.Raw, t.Kappa, t.Alpha)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "disagreements: %d\n", len(ag.Disagreements))
	if *out != "" {
		if err := atomicfile.WriteOutputs(env.Stdout, atomicfile.Output{Path: *out, Write: func(f io.Writer) error {
			return labels.WriteDisagreements(f, ag.Disagreements)
		}}); err != nil {
			return err
		}
		if *out != atomicfile.Stdout {
			fmt.Fprintf(w, "wrote %s\n", *out)
		}
	}
	return nil
}

func listIDs(w io.Writer, file string, ids []string) {
	if len(ids) == 0 {
		return
	}
	const show = 10
	more := ""
	if len(ids) > show {
		more = fmt.Sprintf(" ... (%d more)", len(ids)-show)
		ids = ids[:show]
	}
	fmt.Fprintf(w, "  only in %s: %s%s\n", file, strings.Join(ids, " "), more)
}

func runLabelsExportFastText(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "labels export-fasttext", "[-target T] [-out F] [-taxonomy F] FILE...", `
Write gold labels in fastText's supervised format, one sentence a line.
Without -target every labelled target becomes a label
(__label__<target>_<value>, for fasttext -loss ova); with -target only that
target's value is written (__label__favor ...), one model per target. Rows
with nothing to write (empty cells) are skipped and counted. FILE - reads
standard input.`)
	loadTax := taxonomyFlag(fs)
	target := fs.String("target", "", "write a single-target file for this `target`")
	out := fs.String("out", "", "output `file` (default, or -: standard output)")
	opt := labels.DefaultFastTextOptions()
	fs.BoolVar(&opt.Lower, "lower", opt.Lower, "lowercase the text")
	fs.BoolVar(&opt.SplitPunct, "punct", opt.SplitPunct, "put spaces around punctuation")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return usagef("labels export-fasttext: no files given")
	}
	if err := guardOutputs(env, "labels export-fasttext", pathFlags(fs, "out"), append(pipeline.Paths("", files...), pathFlags(fs, "taxonomy")...)); err != nil {
		return err
	}
	tax, err := loadTax()
	if err != nil {
		return err
	}
	if *target != "" {
		if opt.Target = tax.Index(*target); opt.Target < 0 {
			return usagef("labels export-fasttext: unknown target %q (have %s)", *target, strings.Join(tax.Names(), ", "))
		}
	}
	g, err := readGold(env, tax, files...)
	if err != nil {
		return err
	}
	var written, skipped int
	write := func(w io.Writer) error {
		var err error
		written, skipped, err = labels.WriteFastText(w, tax, g.Rows, opt)
		return err
	}
	if *out == "" {
		err = write(env.Stdout)
	} else {
		err = atomicfile.WriteOutputs(env.Stdout, atomicfile.Output{Path: *out, Write: write})
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "fasttext: %d lines written, %d rows skipped (nothing labelled)\n", written, skipped)
	return nil
}

func runLabelsSplit(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "labels split", "-folds K [-seed S] -out DIR [-taxonomy F] FILE...", `
Write K cross-validation folds as gold files DIR/fold<k>.train.csv and
DIR/fold<k>.test.csv (k = 1..K): every document (doc_id) is tested in
exactly one fold and trained on in the others, the folds being those
stance cv makes with the same -folds and -seed, so outside tools train
and test on the same splits. The files are written all or none: if any
cannot be written, an earlier split in DIR is left as it was.`)
	loadTax := taxonomyFlag(fs)
	k := fs.Int("folds", 5, "number of folds")
	seed := fs.Uint64("seed", 1, "shuffle seed")
	out := fs.String("out", "", "output `directory` (required)")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	files := fs.Args()
	if *out == "" {
		return usagef("labels split: -out is required")
	}
	if *k < 2 {
		return usagef("labels split: -folds must be at least 2")
	}
	if len(files) == 0 {
		return usagef("labels split: no files given")
	}
	name := func(fold int, part string) string { return fmt.Sprintf("fold%d.%s.csv", fold+1, part) }
	var names []string
	for i := range *k {
		names = append(names, name(i, "train"), name(i, "test"))
	}
	output := []pipeline.PathArg{{Flag: "-out", Path: *out, Files: names}}
	if err := guardOutputs(env, "labels split", output, append(pipeline.Paths("", files...), pathFlags(fs, "taxonomy")...)); err != nil {
		return err
	}
	tax, err := loadTax()
	if err != nil {
		return err
	}
	g, err := readGold(env, tax, files...)
	if err != nil {
		return err
	}
	folds := labels.GroupFolds(g.Rows, *k, *seed)
	size := make([]int, *k)
	for _, f := range folds {
		size[f]++
	}
	for i, n := range size {
		if n == 0 {
			return fmt.Errorf("labels split: fold %d is empty: fewer documents than folds", i+1)
		}
	}
	// Every fold or none: an earlier split in the folder stays whole if
	// any file cannot be written, and a folder made for it is removed.
	_, statErr := os.Stat(*out)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	var outputs []atomicfile.Output
	for i := range *k {
		for _, part := range []string{"train", "test"} {
			test := part == "test"
			outputs = append(outputs, atomicfile.Output{Path: filepath.Join(*out, name(i, part)), Write: func(w io.Writer) error {
				var rows []labels.Gold
				for j, r := range g.Rows {
					if (folds[j] == i) == test {
						rows = append(rows, r)
					}
				}
				return labels.WriteGold(w, tax, g.ExtraNames, rows)
			}})
		}
	}
	if err := atomicfile.WriteFiles(outputs...); err != nil {
		if errors.Is(statErr, os.ErrNotExist) {
			os.Remove(*out) // only if empty
		}
		return fmt.Errorf("labels split: %w; no fold written", err)
	}
	for i, n := range size {
		fmt.Fprintf(env.Stdout, "fold%d: %d train, %d test\n", i+1, len(g.Rows)-n, n)
	}
	return nil
}

func runLabelsTaxonomy(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "labels taxonomy", "[-taxonomy F]", `
Print the taxonomy as CSV (target,description,values): a starting point for
a taxonomy file of your own (add a target, retire one, then retrain).`)
	loadTax := taxonomyFlag(fs)
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) > 0 {
		return usagef("labels taxonomy: unexpected arguments %q", rest)
	}
	tax, err := loadTax()
	if err != nil {
		return err
	}
	return tax.WriteCSV(env.Stdout)
}

// writeGoldFile writes g as a gold label file at path, atomically, or
// to env.Stdout for "-".
func writeGoldFile(env *Env, path string, g *labels.GoldFile) error {
	return atomicfile.WriteOutputs(env.Stdout, atomicfile.Output{Path: path, Write: func(w io.Writer) error {
		return labels.WriteGold(w, g.Taxonomy, g.ExtraNames, g.Rows)
	}})
}
