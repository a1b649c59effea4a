package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/stance-project/stance/models/clusters"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/atomicfile"
)

const pretrainDescription = `
Learn word vectors from unlabelled text with skip-gram and negative
sampling (word2vec's recipe) and cluster the words with spherical k-means
at each of -levels, for stance train -clusters: a word the labels never
saw then gets weight through its clusters. models/clusters/doc.go is the
contract.

PATH is any input of stance ingest (.txt, .jsonl, .csv, each optionally
.gz, folders of them; - for standard input), cleaned and split into
sentences as ingest does. Inputs ingest would skip are reported and
skipped (-strict: the first one fails the run). Words are lower-cased runs
of letters and digits; words seen fewer than -min-count times (and beyond
the -max-words most frequent) are dropped. The corpus is held in memory,
4 bytes a word.

The output is a tab-separated file: a header "word c64 c256 c1024" (one
"c<k>" column per level), then each word by descending frequency with its
cluster at each level. It is written atomically, and only when the run
succeeds. With -threads above 1 training is lock-free (Hogwild) and runs
differ; -threads 1 gives the same file for the same input and flags.`

func runPretrain(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "pretrain", "-out clusters.tsv [flags] PATH...", pretrainDescription)
	cfg := clusters.DefaultConfig()
	out := fs.String("out", "", "clusters `file` to write (required); - for standard output")
	fs.IntVar(&cfg.Dim, "dim", cfg.Dim, "vector length")
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the corpus")
	fs.IntVar(&cfg.Window, "window", cfg.Window, "largest context distance in words")
	fs.IntVar(&cfg.Negative, "negative", cfg.Negative, "negative samples per context word")
	fs.IntVar(&cfg.MinCount, "min-count", cfg.MinCount, "drop words seen fewer times")
	fs.IntVar(&cfg.MaxWords, "max-words", cfg.MaxWords, "keep only this many most frequent words (0: no cap)")
	fs.Float64Var(&cfg.Subsample, "subsample", cfg.Subsample, "subsampling threshold of frequent words (0: off)")
	fs.Float64Var(&cfg.LR, "lr", cfg.LR, "initial learning rate, decayed linearly to 0")
	levels := levelList(cfg.Levels)
	fs.Var(&levels, "levels", "comma-separated `list` of numbers of clusters, one output column each")
	threads := fs.Int("threads", 0, "training and clustering goroutines (0: one per core; 1: reproducible)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of initialisation, sampling and k-means")
	format := fs.String("format", "", "force the input format: txt, jsonl or csv (default: by extension, then content)")
	strict := fs.Bool("strict", false, "fail (writing no file) at the first input that must be skipped")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	paths := fs.Args()
	switch {
	case *out == "":
		return usagef("pretrain: -out is required")
	case len(paths) == 0:
		return usagef("pretrain: no input PATH given")
	case *threads < 0:
		return usagef("pretrain: -threads %d: want 0 or more", *threads)
	}
	cfg.Levels = levels
	cfg.Threads = *threads
	if cfg.Threads == 0 {
		cfg.Threads = runtime.GOMAXPROCS(0)
	}
	if err := cfg.Validate(); err != nil {
		return usagef("pretrain: %v", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	if err := pipeline.CheckFormat(*format); err != nil {
		return usagef("pretrain: -format %q: %v", *format, err)
	}
	if err := guardOutputs(env, "pretrain", pathFlags(fs, "out"), pipeline.Paths("", paths...)); err != nil {
		return err
	}

	// The output file is opened first, so that a folder that does not
	// exist fails the run before the corpus is read.
	var f *atomicfile.File
	if *out != "-" {
		var err error
		if f, err = atomicfile.Create(*out); err != nil {
			return fmt.Errorf("pretrain: %w", err)
		}
		defer f.Abort()
	}
	skipped := 0
	sentences := pipeline.SentenceTexts(paths, pipeline.ReadOptions{Format: *format, Stdin: env.Stdin}, func(err error) error {
		if *strict {
			return err
		}
		skipped++
		if !*quiet {
			fmt.Fprintf(env.Stderr, "pretrain: skipped %v\n", err)
		}
		return nil
	})
	start := time.Now()
	var read clusters.Progress
	c, err := clusters.Learn(ctx, sentences, cfg, pretrainProgress(env, *quiet, &read))
	if err == nil {
		if f == nil {
			err = c.WriteTSV(env.Stdout)
		} else if err = c.WriteTSV(f); err == nil {
			err = f.Commit()
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return errors.New("pretrain: interrupted; no file written")
	case err != nil && *out == "-":
		return fmt.Errorf("pretrain: %w", err)
	case err != nil:
		return fmt.Errorf("pretrain: %w; no file written", err)
	}
	if !*quiet {
		where := *out
		if where == "-" {
			where = "standard output"
		}
		fmt.Fprintf(env.Stderr, "pretrain: %d sentences, %d words, %d distinct, %d kept (min-count %d), levels %s, %d inputs skipped, %.1f s -> %s\n",
			read.Sentences, read.Words, read.Distinct, len(c.Words), cfg.MinCount, levels.String(), skipped, time.Since(start).Seconds(), where)
	}
	return nil
}

// pretrainProgress returns Learn's progress callback: on a terminal, one
// line rewritten every second; otherwise a line every 10 seconds; and
// each phase's totals, always (nothing with quiet). It keeps the read
// phase's totals in *read, for the summary.
func pretrainProgress(env *Env, quiet bool, read *clusters.Progress) func(clusters.Progress) {
	var last time.Time
	return func(p clusters.Progress) {
		if p.Phase == "read" && p.Final {
			*read = p
		}
		switch {
		case quiet:
		case env.Terminal:
			fmt.Fprintf(env.Stderr, "\r\033[Kpretrain: %s", p)
			if p.Final {
				fmt.Fprintln(env.Stderr)
			}
		case p.Final || time.Since(last) >= 10*time.Second:
			last = time.Now()
			fmt.Fprintf(env.Stderr, "pretrain: %s\n", p)
		}
	}
}

// levelList is the -levels flag: comma-separated numbers of clusters.
type levelList []int

func (l *levelList) String() string {
	s := make([]string, len(*l))
	for i, k := range *l {
		s[i] = strconv.Itoa(k)
	}
	return strings.Join(s, ",")
}

func (l *levelList) Set(v string) error {
	var ks []int
	for _, f := range strings.Split(v, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("%q is not a number of clusters", strings.TrimSpace(f))
		}
		ks = append(ks, k)
	}
	*l = ks
	return nil
}
