package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stance-project/stance/eval/suggest"
	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/atomicfile"
	"github.com/stance-project/stance/pipeline/batch"
)

const suggestDescription = `
Choose the N unlabelled sentences whose labels would teach the model most
and write them as a todo file to fill in a spreadsheet and merge back with
` + "`stance labels merge -out merged.csv GOLD todo.csv`" + `.

Inputs are sentence CSVs (as written by stance ingest, or any CSV with id,
text and doc_id or index columns; -presplit forces this for every input) or
articles and speeches in any ingest format (.txt, .jsonl, .csv with id,date,
text; folders walked), which are cleaned and split as ingest does. Every
sentence is classified (in batches, on every core) and scored by
-strategy; only the best -pool are kept while reading, so memory stays
flat.

Strategies (make bench-active compares them with random labelling):
  mixed     (default) half the picks by targets, half by rare: sentences
            near the model's decision boundary and candidates for the
            values it has seen least.
  targets   decision, target by target: the picks are shared out
            round-robin over the targets, each taking the sentences whose
            decision on it is closest to flipping, so every target gets
            its share.
  rare      hunts the stance values with the fewest labels: each
            (target, favor/against) takes the sentences it finds likeliest
            (a value never labelled: the sentences likeliest to be on the
            target at all, sharing as the rarest labelled value), and they
            share the picks in proportion to (1+n)^-rarity, n the value's
            labelled count: rows in the -labels files if given (they
            replace, not add to, the model's counts), else the sentences
            the model was trained on.
  decision  the margin 1 - (q_top - q_second) of each target's head after
            scaling the probabilities by the model's decision weights (its
            class weights), the highest over the targets: sentences where
            the model's decision could flip, stance or not. Stances are
            rare, so the decision boundary sits far below p(stance) =
            p(none), where plain margin looks.
  margin    decision's margin on the calibrated, unscaled probabilities.
  entropy   normalised entropy of each head, the highest over the targets.
-explore mixes in a share of random picks (seeded by -seed) with any
strategy.

With -cues (the default), targets, rare and mixed also read the
taxonomy's descriptions: each ranking puts first the sentences with the
most description words (the target's topic words and the cue words of
the value sought, or of both values for targets; by stem, as the keyword
baseline counts them), and its score orders those with as many. A
description word that the -labels files' examples of the value contain
(for targets, examples of either stance) counts twice. A sentence that
names what the guidelines describe is likelier to carry the stance than
one the model merely finds uncertain, or likely from the few examples it
has. Targets without a description are not weighed.

Picks skip near-duplicates (word-bigram Jaccard >= -similarity) of each
other and of the sentences already labelled in the -labels files, and are
spread out: at most -per-doc per document and -per-year per year.

The todo file has the gold columns id,doc_id,date,source,text and one empty
column per target, then suggested_reason (the target, the strategy's
score and the two likeliest values, with decision and targets the value
the model decided; for rare picks the value sought and how many labels
it has; the description words counted, if any, and how many of them
the labelled examples contain; "random draw (explore)"
for -explore picks) and guess_<target> (the model's current value and its
probability, then the likeliest value when the class-weighted decision
chose a less probable one: "favor 0.03 (likeliest none 0.95)"). Rows left
empty are ignored by labels merge. The file is written atomically.
Inputs that hold no sentence at all (every one unreadable or empty) are
an error, and nothing is written.

-shard i/n reads only shard i of n of the documents (as classify does),
and without -shard a Slurm array task or Kubernetes Indexed Job pod takes
its shard from the scheduler (see stance classify -h); each shard then
suggests its own N from its part, into -out with %i, %n and %% expanded
(todo-%i-of-%n.csv).`

func runSuggest(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "suggest", "-model MODEL -out todo.csv [flags] PATH...", suggestDescription)
	modelPath := fs.String("model", "", "trained model file (required)")
	out := fs.String("out", "", "todo file to write (required); - for standard output")
	n := fs.Int("n", 100, "number of sentences to suggest")
	var labelFiles stringList
	fs.Var(&labelFiles, "labels", "gold label `file`s already labelled (repeatable or comma-separated): their sentences and near-duplicates are never suggested, and the description words of their examples count twice")
	perDoc := fs.Int("per-doc", 2, "at most this many suggestions per document (0: no cap)")
	perYear := fs.Int("per-year", 0, "at most this many suggestions per year (0: 2N × the year's share of the candidate pool, at least 1)")
	strategy := fs.String("strategy", string(suggest.DefaultStrategy), fmt.Sprintf("how to choose: one of %v (see above)", suggest.Strategies))
	rarity := fs.Float64("rarity", suggest.DefaultRarity, "rare, mixed: exponent of the share weight (1+n)^-rarity, n the labelled count of the target and value (0: equal shares)")
	cues := fs.Bool("cues", true, "targets, rare, mixed: weigh each ranking by the words of the target's description a sentence contains (see above)")
	explore := fs.Float64("explore", 0, "share of the suggestions, in [0, 1), drawn at random instead of by score")
	seed := fs.Uint64("seed", 1, "seed of the -explore draw")
	similarity := fs.Float64("similarity", 0.7, "word-bigram Jaccard similarity at or above which two sentences are near-duplicates")
	pool := fs.Int("pool", 0, "most uncertain sentences kept while reading, before filtering (0: 20N)")
	presplit := fs.Bool("presplit", false, "every input is a sentence CSV (id,text columns at least), even without doc_id or index")
	format := fs.String("format", "", "force the format of document inputs: txt, jsonl or csv (default: by extension, then content)")
	workers := fs.Int("workers", 0, "classifier goroutines (0: number of CPUs)")
	quiet := fs.Bool("q", false, "do not print each skipped input, only the summary")
	sf := addShardFlags(fs)
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	paths := fs.Args()
	switch {
	case *modelPath == "":
		return usagef("suggest: -model is required")
	case *out == "":
		return usagef("suggest: -out is required")
	case len(paths) == 0:
		return usagef("suggest: no input PATH given")
	case *n < 1:
		return usagef("suggest: -n %d: want at least 1", *n)
	case *perDoc < 0 || *perYear < 0 || *pool < 0 || *workers < 0:
		return usagef("suggest: -per-doc, -per-year, -pool and -workers must not be negative")
	case !(*explore >= 0 && *explore < 1):
		return usagef("suggest: -explore %v: want a value in [0, 1)", *explore)
	case !(*rarity >= 0 && *rarity <= suggest.MaxRarity): // NaN too
		return usagef("suggest: -rarity %v: want a value in [0, %v]", *rarity, suggest.MaxRarity)
	case !(*similarity > 0 && *similarity <= 1):
		return usagef("suggest: -similarity %v: want a value in (0, 1]", *similarity)
	}
	sh, err := sf.resolve(env, "suggest", fs)
	if err != nil {
		return err
	}
	if err := guardOutputs(env, "suggest", pathFlags(fs, "out"), append(pipeline.Paths("", paths...), pathFlags(fs, "model", "labels")...)); err != nil {
		return err
	}
	s, err := suggest.ParseStrategy(*strategy)
	if err != nil {
		return usagef("suggest: -strategy: %v", err)
	}
	if err := pipeline.CheckFormat(*format); err != nil {
		return usagef("suggest: -format %q: %v", *format, err)
	}

	m, err := models.Load(*modelPath)
	if err != nil {
		return err
	}
	tax := m.Taxonomy()
	var labelled []labels.Gold
	var counts [][]int
	if len(labelFiles) > 0 {
		g, err := readGold(env, tax, labelFiles...)
		if err != nil {
			return err
		}
		counts = suggest.LabelCounts(tax, g.Rows)
		labelled = g.Rows
	}

	if counts == nil {
		counts = m.LabelCounts() // nil for a model file without a label ledger
	}
	sel := suggest.NewSelector(tax, suggest.Options{N: *n, Strategy: s, Counts: counts, Scales: m.DecisionScales(), Rarity: suggest.FlagRarity(*rarity), Explore: *explore, Seed: *seed, PerDoc: *perDoc, PerYear: *perYear, Similarity: *similarity, Pool: *pool, NoCues: !*cues}, labelled)
	skips := map[string]int{}
	var problems []string // the first few skipped inputs, for the error when nothing is left
	if sh.Split() {
		fmt.Fprintf(env.Stderr, "suggest: %s -> %s\n", sh, *out)
	}
	opts := batch.Options{
		Workers: *workers,
		Shard:   sh.Index,
		Shards:  sh.Count,
		Skip: func(err error) error {
			var se *pipeline.SkipError
			switch {
			case errors.As(err, &se):
				skips[se.Reason]++
			case !batch.Fatal(err):
				skips["bad sentence row"]++
			default:
				return err
			}
			if len(problems) < batch.MaxProblems {
				problems = append(problems, err.Error())
			}
			if !*quiet {
				fmt.Fprintf(env.Stderr, "suggest: skipped %v\n", err)
			}
			return nil
		},
	}
	if env.Terminal {
		opts.Progress = func(st batch.Stats) { fmt.Fprintf(env.Stderr, "\rsuggest: %d sentences classified", st.Sentences) }
	}
	offered := 0 // sentences passed to the selector
	st, err := batch.Run(ctx, batch.Inputs(paths, *presplit, env.Stdin, pipeline.ReadOptions{Format: *format}), m, opts, func(r batch.Result) error {
		for i, s := range r.Sentences {
			sel.Add(suggest.Candidate{ID: s.ID, DocID: s.DocID, Date: s.Date, Source: s.Source, Text: s.Text, Prediction: r.Predictions[i]})
			offered++
		}
		return nil
	})
	if env.Terminal {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return fmt.Errorf("suggest: %w; no file written", err)
	}
	skipped := 0
	for _, c := range skips {
		skipped += c
	}
	if sel.Seen() == 0 {
		return noCandidates(st, skipped, skips, problems)
	}
	res := sel.Select()
	if *out == "-" {
		err = suggest.WriteTodo(env.Stdout, tax, s, res.Picks)
	} else {
		err = atomicfile.WriteFile(*out, func(w io.Writer) error { return suggest.WriteTodo(w, tax, s, res.Picks) })
	}
	if err != nil {
		return err
	}

	fmt.Fprintf(env.Stderr, "suggest: %d sentences classified, %d documents without sentences, %d inputs skipped%s\n", offered, st.Empty, skipped, skipReasons(skips))
	fmt.Fprintf(env.Stderr, "suggest: passed over %d near-duplicates of labelled sentences, %d of other picks, %d by the per-document cap, %d by the per-year cap, %d repeated ids\n",
		res.NearLabelled, res.NearPicked, res.DocCap, res.YearCap, res.DupID)
	where := *out
	if where == "-" {
		where = "standard output"
	}
	fmt.Fprintf(env.Stderr, "suggest: wrote %d of %d suggestions (%s) to %s\n", len(res.Picks), *n, s, where)
	if len(res.Picks) < *n {
		fmt.Fprintln(env.Stderr, fewerHint(sel.Seen(), res))
	}
	if len(res.Picks) > 0 {
		fmt.Fprintf(env.Stderr, "suggest: picks per target: %s\n", suggest.Summary(tax, res.Picks))
	}
	return nil
}

// skipReasons renders the skipped inputs by reason, " (1 unreadable, 2
// bad sentence row)", or "" for none.
func skipReasons(skips map[string]int) string {
	if len(skips) == 0 {
		return ""
	}
	var parts []string
	for _, k := range sortedKeys(skips) {
		parts = append(parts, fmt.Sprintf("%d %s", skips[k], k))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// noCandidates is the error of a run that read no sentence at all: every
// input was skipped or empty. It names the inputs' problems (the first
// batch.MaxProblems skipped inputs), since a todo file without rows would
// only hide them.
func noCandidates(st batch.Stats, skipped int, skips map[string]int, problems []string) error {
	var why []string
	if skipped > 0 {
		why = append(why, fmt.Sprintf("%d inputs skipped%s", skipped, skipReasons(skips)))
	}
	if st.Empty > 0 {
		why = append(why, fmt.Sprintf("%d documents without sentences", st.Empty))
	}
	if len(why) == 0 {
		why = append(why, "the inputs are empty")
	}
	msg := "suggest: no sentences to choose from: " + strings.Join(why, ", ")
	if p := batch.JoinProblems(problems, skipped, ""); p != "" {
		msg += ": " + p
	}
	return errors.New(msg + "; no file written")
}

// fewerHint explains why fewer than -n sentences were suggested from seen
// candidates: the caps that passed candidates over (and the flags that
// raise them), or else that the inputs have too few distinct sentences.
func fewerHint(seen int, res suggest.Result) string {
	var caps, flags []string
	for _, c := range []struct {
		n    int
		what string
		flag string
	}{
		{res.PoolCap, "by the pool", "-pool"},
		{res.DocCap, "by the per-document cap", "-per-doc"},
		{res.YearCap, "by the per-year cap", "-per-year"},
	} {
		if c.n > 0 {
			unit := ""
			if len(caps) == 0 {
				unit = " candidates"
			}
			caps = append(caps, fmt.Sprintf("%d%s %s", c.n, unit, c.what))
			flags = append(flags, c.flag)
		}
	}
	if len(caps) > 0 {
		return fmt.Sprintf("suggest: fewer than -n: passed over %s (raise %s)", strings.Join(caps, ", "), strings.Join(flags, " or "))
	}
	msg := fmt.Sprintf("suggest: fewer than -n: the inputs have only %d sentences to choose from", seen)
	if dup := res.NearLabelled + res.NearPicked + res.DupID; dup > 0 {
		msg += fmt.Sprintf(", %d of them near-duplicates or repeated ids", dup)
	}
	return msg
}
