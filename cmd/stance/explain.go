package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/stance-project/stance/internal/bom"
	"github.com/stance-project/stance/models"
)

// runExplain prints, for each sentence, every target's decision and the
// words that pushed it (models.Model.Explain).
func runExplain(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "explain", `-model MODEL ["sentence" ...] (or one sentence a line on stdin)`, `
For each sentence, print every target's decision with its probability and
the words that pushed it hardest: each word's share of the calibrated
logit of the decided value minus that of none (for a none decision, of
the likelier stance), strongest first. Positive scores push towards the
value, negative ones towards none. A word's score adds up its subword
pieces, its character n-grams, its word clusters (a model trained with
-clusters) and, in a model from an old file, the word itself, so the
scores are exact: with the intercepts they sum to the logit difference.`)
	modelPath := fs.String("model", "", "model `file` (stance train)")
	k := fs.Int("k", 6, "words shown per target")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return usagef("explain: -model is required")
	}
	if *k < 1 || *k > 1000 {
		return usagef("explain: -k %d: want 1 to 1000", *k)
	}
	m, err := models.Load(*modelPath)
	if err != nil {
		return err
	}
	sentences := fs.Args()
	if len(sentences) == 0 || (len(sentences) == 1 && sentences[0] == "-") {
		sentences = nil
		sc := bufio.NewScanner(bom.NewReader(env.Stdin))
		sc.Buffer(make([]byte, 64*1024), 4<<20)
		for sc.Scan() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if line := strings.TrimSpace(sc.Text()); line != "" {
				sentences = append(sentences, line)
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("explain: stdin: %w", err)
		}
	}
	tax := m.Taxonomy()
	w := bufio.NewWriter(env.Stdout)
	for i, s := range sentences {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, s)
		p := m.PredictOne(s)
		for t, tg := range tax.Targets {
			v := tax.ValueIndex(t, p.Values[t])
			fmt.Fprintf(w, "  %-20s %-8s p=%.2f ", tg.Name, p.Values[t], p.Probs[t][v])
			for _, c := range m.Explain(s, t, *k) {
				fmt.Fprintf(w, " %s %+.2f", c.Token, c.Score)
			}
			fmt.Fprintln(w)
		}
	}
	return w.Flush()
}
