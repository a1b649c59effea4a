package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/stance-project/stance/pipeline"
	"time"

	"github.com/stance-project/stance/models/skipgram"
	"github.com/stance-project/stance/pipeline/subword"
)

func runPretrain(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "pretrain", "-out emb.stance [flags] PATH...", `
Learn token embeddings from unlabelled text (skip-gram with negative
sampling over subword tokens). PATH is any input of stance ingest (.txt,
.jsonl, .jsonl.gz, .csv, or a folder of them), cleaned and split into
sentences as ingest does; inputs ingest would skip are reported and
skipped (-strict: stop). The tokenizer is trained on the same corpus first
(unless -tokenizer is given) and saved in the embedding file.

The file is written after every complete epoch; on Ctrl-C the last
complete epoch stays saved. With -threads above 1 updates are lock-free
(Hogwild) and runs are not bit-reproducible; -threads 1 is.`)
	cfg := skipgram.DefaultConfig()
	out := fs.String("out", "", "embedding file to write (required)")
	tokPath := fs.String("tokenizer", "", "use this tokenizer.json instead of training one")
	format := fs.String("format", "", "force the input format: txt, jsonl or csv (default: by extension and content)")
	strict := fs.Bool("strict", false, "stop at the first skipped input")
	fs.IntVar(&cfg.Dim, "dim", cfg.Dim, "vector length")
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the corpus")
	fs.IntVar(&cfg.Window, "window", cfg.Window, "maximum context distance in tokens")
	fs.IntVar(&cfg.Negative, "neg", cfg.Negative, "negative samples per context token")
	fs.IntVar(&cfg.MinCount, "min-count", cfg.MinCount, "skip tokens seen fewer times in training")
	fs.IntVar(&cfg.Vocab, "vocab", cfg.Vocab, "tokenizer vocabulary size (at most 65535)")
	fs.IntVar(&cfg.Threads, "threads", cfg.Threads, "worker threads (1 is reproducible)")
	fs.Float64Var(&cfg.LR, "lr", cfg.LR, "initial learning rate (decays linearly to 0)")
	fs.Float64Var(&cfg.Subsample, "subsample", cfg.Subsample, "subsampling threshold for frequent tokens (0: off)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("pretrain: -out is required")
	}
	if fs.NArg() == 0 {
		return usagef("pretrain: no input PATH given")
	}
	if err := cfg.Validate(); err != nil {
		return usagef("pretrain: %v", err)
	}
	if err := pipeline.CheckFormat(*format); err != nil {
		return usagef("pretrain: -format %q: %v", *format, err)
	}

	interval := 10 * time.Second
	if env.Terminal {
		interval = time.Second
	}
	lastPrint := time.Now()
	var summary []string
	opts := skipgram.TrainOptions{
		Interval: interval,
		Progress: func(p skipgram.Progress) {
			if p.Final {
				summary = append(summary, p.String())
			}
			if env.Terminal {
				fmt.Fprintf(env.Stderr, "\r\033[K%s", p)
				if p.Final {
					fmt.Fprintln(env.Stderr)
				}
				return
			}
			if !p.Final && p.Phase != "train" && time.Since(lastPrint) < interval {
				return
			}
			lastPrint = time.Now()
			fmt.Fprintln(env.Stderr, p)
		},
		OnEpoch: func(e *skipgram.Embeddings) error {
			if err := e.Save(*out); err != nil {
				return err
			}
			if env.Terminal {
				fmt.Fprintln(env.Stderr)
			}
			fmt.Fprintf(env.Stderr, "pretrain: epoch %d/%d saved to %s\n", e.Epochs, cfg.Epochs, *out)
			return nil
		},
	}
	skipped := 0
	texts := pipeline.SentenceTexts(fs.Args(), pipeline.ReadOptions{Format: *format}, func(err error) error {
		if *strict {
			return err
		}
		skipped++
		fmt.Fprintf(env.Stderr, "pretrain: skipped %v\n", err)
		return nil
	})
	var e *skipgram.Embeddings
	var err error
	if *tokPath != "" {
		tok, terr := subword.LoadFile(*tokPath)
		if terr != nil {
			return fmt.Errorf("pretrain: %w", terr)
		}
		e, err = skipgram.PretrainWith(ctx, tok, texts, cfg, opts)
	} else {
		e, err = skipgram.Pretrain(ctx, texts, cfg, opts)
	}
	if env.Terminal {
		fmt.Fprintln(env.Stderr)
	}
	if errors.Is(err, context.Canceled) {
		if e == nil {
			return errors.New("pretrain: interrupted before the first epoch completed: nothing saved")
		}
		return fmt.Errorf("pretrain: interrupted: %s holds epoch %d of %d", *out, e.Epochs, cfg.Epochs)
	}
	if err != nil {
		return fmt.Errorf("pretrain: %w", err)
	}
	for _, line := range summary {
		fmt.Fprintf(env.Stderr, "pretrain: %s\n", line)
	}
	fmt.Fprintf(env.Stderr, "pretrain: %d words, %d tokens, vocab %d, dim %d, %d epochs, %d inputs skipped -> %s\n",
		e.Words, e.Tokens, e.VocabSize(), e.Dim, e.Epochs, skipped, *out)
	return nil
}
