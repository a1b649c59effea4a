package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/atomicfile"
	"github.com/stance-project/stance/pipeline/batch"
)

// runClassify predicts stances for articles or pre-split sentences.
func runClassify(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "classify", "-model MODEL -out FILE [flags] PATH...", `
Predict stances for every sentence of the inputs, in input order, on every
core. PATH is any input of stance ingest (.txt, .jsonl, .ndjson, .csv, each
optionally .gz, or a folder of them), cleaned and split as ingest does, or
a sentence CSV with id and text columns (as ingest writes, or a gold label
file; every input with -presplit), whose rows are classified as they are
and keep their ids. In folders, hidden files and files of other extensions
are ignored and counted in the summary (with -format, every file but the
hidden ones is read in that format); a file named as PATH is read whatever
its extension.

Standard input (PATH -) is told by its first bytes: JSON lines, a CSV
with a header, or a txt document with a dated header block are read as
above; anything else is plain text, one sentence a line, as fasttext
predict reads it (with -presplit, so is any input not named .csv whose
first line is no id,text header): a line's id and doc_id are its line
number, and each blank line is skipped and counted. For example:
  echo "Italy calls for dialogue with Moscow." | stance classify -model M -out - -

Output columns: id, doc_id, date, source, index, is_title (true for a
document's title, which is its sentence 0), the metadata columns, text,
one column per target holding the decided value, and p_<target>_<value>
probabilities; -out-format jsonl writes the same as one JSON object a
line. An input column named like a target or probability column
(a gold file's labels) is not copied, with a warning. The output is written
to a temporary file and renamed at the end: an interrupted run leaves
nothing behind (-out - streams to standard output instead, the summary
staying on stderr).

-shard i/n classifies a deterministic 1/n of the documents (by a hash of
doc_id), so n machines can split a corpus; report accepts all n outputs.
Without -shard, a Slurm array task takes its shard from the array
(SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT,
steps allowed) and a Kubernetes Indexed Job's pod from
JOB_COMPLETION_INDEX, of -shards N or $STANCE_SHARDS; a -shard or -shards
that disagrees with the scheduler, or a malformed variable, is an error.
In -out, %i is the shard index (zero-padded to the width of n), %n the
count and %% a literal %: -out preds/part-%i-of-%n.csv. A shard from the
scheduler needs %i in -out (every task runs the same command line); the
summary names the shard and where it came from. report reads a folder of
such parts and checks that none is missing.

Inputs that cannot be used (unreadable, malformed, no date, ...) are
reported on stderr and skipped; documents with no sentence left after
cleaning are named in the summary (at most 3). -strict makes the first of
either fail the run, as in stance ingest. A run that classifies no
sentence at all (every input skipped or empty) is an error naming the
inputs' problems, and writes nothing.`)
	modelPath := fs.String("model", "", "model `file` written by stance train (required)")
	out := fs.String("out", "", "output CSV `file` (required); - for standard output")
	presplit := fs.Bool("presplit", false, "every input is a sentence CSV (id,text,...) or plain text one sentence a line; - is standard input")
	format := fs.String("format", "", "force the article format: txt, jsonl or csv (default: by extension and content)")
	outFormat := fs.String("out-format", "", "output format: csv or jsonl (default: jsonl for an -out ending in .jsonl or .ndjson, else csv)")
	var meta stringList
	fs.Var(&meta, "meta", "metadata columns after the base ones, comma-separated or repeated (default: those of the first document; \"none\" for none)")
	sf := addShardFlags(fs)
	workers := fs.Int("workers", 0, "worker goroutines (0: one per core)")
	chunk := fs.Int("chunk", 512, "sentences per prediction batch")
	strict := fs.Bool("strict", false, "stop at the first input that must be skipped or document without sentences")
	quiet := fs.Bool("quiet", false, "no progress and no summary")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	paths := fs.Args()
	switch {
	case *modelPath == "":
		return usagef("classify: -model is required")
	case *out == "":
		return usagef("classify: -out is required")
	case len(paths) == 0:
		return usagef("classify: no input PATH given")
	case *workers < 0 || *chunk < 1:
		return usagef("classify: -workers must be ≥ 0 and -chunk ≥ 1")
	}
	if err := pipeline.CheckFormat(*format); err != nil {
		return usagef("classify: -format %q: %v", *format, err)
	}
	switch *outFormat {
	case "csv", "jsonl":
	case "":
		*outFormat = "csv"
		if ext := strings.ToLower(filepath.Ext(*out)); ext == ".jsonl" || ext == ".ndjson" {
			*outFormat = "jsonl"
		}
	default:
		return usagef("classify: -out-format %q: want csv or jsonl", *outFormat)
	}
	sh, err := sf.resolve(env, "classify", fs)
	if err != nil {
		return err
	}
	if err := guardOutputs(env, "classify", pathFlags(fs, "out"), append(pipeline.Paths("", paths...), pathFlags(fs, "model")...)); err != nil {
		return err
	}
	opts := batch.Options{Workers: *workers, ChunkSentences: *chunk, Shard: sh.Index, Shards: sh.Count}
	wo := batch.WriteOptions{Meta: metaColumns(meta)}
	for _, c := range wo.Meta {
		if slices.Contains(batch.BaseColumns, c) {
			return usagef("classify: -meta %s: %q is always a column of the output (%s)", meta.String(), c, strings.Join(batch.BaseColumns, ","))
		}
	}

	if sh.Split() && !*quiet {
		fmt.Fprintf(env.Stderr, "classify: %s -> %s\n", sh, *out)
	}
	m, err := models.Load(*modelPath)
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	// The output: standard output, written as rows come, or an atomic
	// file, which appears only on Commit.
	dest, where, notWritten := io.Writer(env.Stdout), "standard output", "output incomplete"
	var f *atomicfile.File
	if *out != "-" {
		if f, err = atomicfile.Create(*out); err != nil {
			return fmt.Errorf("classify: %w", err)
		}
		defer f.Abort() // no-op after Commit
		dest, where, notWritten = f, *out, *out+" not written"
	}

	var flush func() error // the row writer's, once there is one
	wo.Reserved = labels.PredictionColumns(m.Taxonomy())
	wo.NewWriter = func(cols []string) (batch.RowWriter, error) {
		if *outFormat == "jsonl" {
			jw := batch.NewJSONLWriter(dest, m.Taxonomy(), cols)
			flush = jw.Flush
			return jw, nil
		}
		pw, err := batch.NewCSVWriter(dest, m.Taxonomy(), cols)
		if err != nil {
			return nil, err
		}
		flush = pw.Flush
		return pw, nil
	}
	opts.Skip = func(err error) error {
		if *strict {
			return err
		}
		fmt.Fprintf(env.Stderr, "classify: skipped %v\n", err)
		return nil
	}
	wo.Empty = func(se *pipeline.SkipError) error {
		if *strict {
			return se
		}
		return nil
	}
	ro := pipeline.ReadOptions{Format: *format}
	// Counted from Run's reading goroutine, which ends before Classify
	// returns.
	ignored := 0
	ro.OnIgnored = func(string) { ignored++ }
	prog := batch.NewProgress(env.Stderr, env.Terminal && !*quiet, batch.InputBytes(paths))
	opts.Progress = prog.Update
	in := batch.Inputs(paths, *presplit, env.Stdin, ro)
	sum, err := batch.Classify(ctx, prog.Count(in), m, opts, wo)
	sum.Ignored = ignored
	if err == nil && flush != nil {
		err = flush()
	}
	var none *batch.NoSentencesError
	switch {
	case errors.As(err, &none):
		none.Summary.Ignored = ignored
		// Nothing was written, not even to standard output.
		what := "no file written"
		if f == nil {
			what = "nothing written"
		}
		return fmt.Errorf("classify: %w; %s", err, what)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("classify: interrupted; %s", notWritten)
	case err != nil:
		return fmt.Errorf("classify: %w; %s", err, notWritten)
	}
	if f != nil {
		if err := f.Commit(); err != nil {
			return fmt.Errorf("classify: %w", err)
		}
	}
	for _, c := range sum.Absent {
		fmt.Fprintf(env.Stderr, "classify: warning: -meta column %q is in no input; it is empty in every row\n", c)
	}
	if len(sum.NotCopied) > 0 {
		fmt.Fprintf(env.Stderr, "classify: warning: input columns %s are not copied: the predictions use those names\n", strings.Join(sum.NotCopied, ", "))
	}
	if !*quiet {
		prog.Done(sum, where)
	}
	return nil
}
