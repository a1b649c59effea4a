package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/stance-project/stance/models/skipgram"
)

func runNeighbours(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "neighbours", "-emb emb.stance [-k 10] WORD...", `
Print the tokens nearest to each WORD in an embedding file, with their
cosine similarity. A word split into several subword tokens is embedded as
the average of its tokens' vectors; its own tokens are left out.`)
	emb := fs.String("emb", "", "embedding file written by `stance pretrain` (required)")
	k := fs.Int("k", 10, "neighbours per word")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if *emb == "" {
		return usagef("neighbours: -emb is required")
	}
	if fs.NArg() == 0 {
		return usagef("neighbours: no WORD given")
	}
	if *k < 1 {
		return usagef("neighbours: -k %d: want at least 1", *k)
	}
	e, err := skipgram.Load(*emb)
	if err != nil {
		return fmt.Errorf("neighbours: %w", err)
	}
	for i, w := range fs.Args() {
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		toks := e.Tokenizer.Tokens(w)
		if len(toks) == 0 {
			fmt.Fprintf(env.Stdout, "%s: no tokens\n", w)
			continue
		}
		fmt.Fprintf(env.Stdout, "%s [%s]\n", w, strings.Join(toks, " "))
		for _, n := range e.Nearest(w, *k) {
			fmt.Fprintf(env.Stdout, "  %.4f  %s\n", n.Cosine, n.Token)
		}
	}
	return nil
}
