package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stance-project/stance/models"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/batch"
)

// runClassify predicts stances for articles or pre-split sentences.
func runClassify(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "classify", "-model MODEL -out FILE [flags] PATH...", `
Predict stances for every sentence of the inputs, in input order, on every
core. PATH is any input of stance ingest (.txt, .jsonl, .jsonl.gz, .csv or
a folder of them), cleaned and split as ingest does, or a sentence CSV with
id and text columns (as ingest writes; every input with -presplit), whose
rows are classified as they are and keep their ids.

Output columns: id, doc_id, date, source, index, the metadata columns, text,
one column per target holding the decided value, and p_<target>_<value>
probabilities. The output is written to a temporary file and renamed at the
end: an interrupted run leaves nothing behind. -shard i/n classifies a
deterministic 1/n of the documents (by a hash of doc_id), so n machines can
split a corpus; report accepts all n outputs.`)
	modelPath := fs.String("model", "", "model `file` written by stance train (required)")
	out := fs.String("out", "", "output CSV `file` (required)")
	presplit := fs.Bool("presplit", false, "every input is a sentence CSV (id,text,...), - is standard input")
	format := fs.String("format", "", "force the article format: txt, jsonl or csv (default: by extension and content)")
	meta := fs.String("meta", "", "metadata columns after the base ones, comma-separated (default: those of the first document; \"none\" for none)")
	shard := fs.String("shard", "", "classify only shard `i/n` of the documents (0 ≤ i < n)")
	workers := fs.Int("workers", 0, "worker goroutines (0: one per core)")
	chunk := fs.Int("chunk", 512, "sentences per prediction batch")
	strict := fs.Bool("strict", false, "stop at the first input that must be skipped")
	quiet := fs.Bool("quiet", false, "no progress and no summary")
	paths, err := parseInterspersed(env, fs, args)
	if err != nil {
		return err
	}
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
	opts := batch.Options{Workers: *workers, ChunkSentences: *chunk, Split: pipeline.Sentences}
	if *shard != "" {
		if opts.Shard, opts.Shards, err = batch.ParseShard(*shard); err != nil {
			return usagef("classify: -shard %q: %v", *shard, err)
		}
	}
	wo := batch.WriteOptions{}
	switch *meta {
	case "":
	case "none":
		wo.Meta = []string{}
	default:
		for _, c := range strings.Split(*meta, ",") {
			wo.Meta = append(wo.Meta, strings.TrimSpace(c))
		}
	}

	m, err := models.Load(*modelPath)
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	f, err := pipeline.CreateAtomic(*out)
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	defer f.Abort() // no-op after Commit

	var pw *models.PredictionWriter
	wo.NewWriter = func(cols []string) (batch.RowWriter, error) {
		pw, err = models.NewPredictionWriter(f, m.Taxonomy(), cols)
		return pw, err
	}
	opts.Skip = func(err error) error {
		if *strict {
			return err
		}
		fmt.Fprintf(env.Stderr, "classify: skipped %v\n", err)
		return nil
	}
	prog := batch.NewProgress(env.Stderr, env.Terminal && !*quiet, batch.InputBytes(paths))
	opts.Progress = prog.Update
	in := batch.Inputs(paths, *presplit, env.Stdin, pipeline.ReadOptions{Format: *format})
	sum, err := batch.Classify(ctx, prog.Count(in), m, opts, wo)
	if err == nil && pw != nil {
		err = pw.Flush()
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("classify: interrupted; %s not written", *out)
		}
		return fmt.Errorf("classify: %w", err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	if !*quiet {
		prog.Done(sum, *out)
	}
	return nil
}
