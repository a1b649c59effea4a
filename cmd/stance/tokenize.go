package main

import (
	"bufio"
	"context"
	"fmt"
	"github.com/stance-project/stance/internal/bom"
	"github.com/stance-project/stance/models"
	"os"
	"strings"

	"github.com/stance-project/stance/pipeline/atomicfile"
	"github.com/stance-project/stance/pipeline/subword"
)

// runTokenize prints the subword tokens of each stdin line. The tokenizer
// comes from a model (-model), a tokenizer.json (-tokenizer), or is
// trained on the lines of a text file first (-train, optionally saved
// with -save).
func runTokenize(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "tokenize", "(-model FILE | -tokenizer FILE | -train FILE [-vocab N]) [-save FILE] < lines",
		`Print the subword tokens of each line of stdin, space-separated, one output
line per input line, for inspection. The tokenizer is the one inside a model
file from stance train (-model), read from a Hugging Face tokenizer.json
(-tokenizer), or trained on the lines of a text file (-train); -save writes it
as tokenizer.json. To only train or extract and save, give </dev/null.`)
	modelFile := fs.String("model", "", "use the tokenizer inside this model file (stance train)")
	tokFile := fs.String("tokenizer", "", "read the tokenizer from this tokenizer.json")
	trainFile := fs.String("train", "", "train a tokenizer on the lines of this text file")
	def := subword.DefaultConfig()
	vocab := fs.Int("vocab", def.VocabSize, "with -train: vocabulary size, special tokens included")
	minFreq := fs.Int("min-freq", def.MinFrequency, "with -train: a pair seen fewer times is never merged")
	lower := fs.Bool("lowercase", def.Lowercase, "with -train: fold case")
	save := fs.String("save", "", "write the tokenizer as tokenizer.json to this file")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("tokenize: unexpected arguments %q (lines are read from stdin)", fs.Args())
	}
	given := 0
	for _, f := range []string{*modelFile, *tokFile, *trainFile} {
		if f != "" {
			given++
		}
	}
	if given != 1 {
		return usagef("tokenize: give exactly one of -model, -tokenizer and -train")
	}
	if err := guardOutputs(env, "tokenize", pathFlags(fs, "save"), pathFlags(fs, "model", "tokenizer", "train")); err != nil {
		return err
	}

	var tok *subword.Tokenizer
	var err error
	if *modelFile != "" {
		m, err := models.Load(*modelFile)
		if err != nil {
			return err
		}
		tok = m.Tokenizer()
	} else if *tokFile != "" {
		if tok, err = subword.LoadFile(*tokFile); err != nil {
			return err
		}
	} else {
		cfg := subword.Config{VocabSize: *vocab, MinFrequency: *minFreq, Lowercase: *lower}
		if err := cfg.Validate(); err != nil {
			return usagef("tokenize: -vocab %d -min-freq %d: %v", *vocab, *minFreq, err)
		}
		f, err := os.Open(*trainFile)
		if err != nil {
			return err
		}
		tok, err = subword.TrainReader(f, cfg)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *trainFile, err)
		}
		fmt.Fprintf(env.Stderr, "tokenize: trained %d tokens on %s\n", tok.VocabSize(), *trainFile)
	}
	if *save != "" {
		if err := atomicfile.WriteFile(*save, tok.Write); err != nil {
			return err
		}
	}

	sc := bufio.NewScanner(bom.NewReader(env.Stdin))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	out := bufio.NewWriter(env.Stdout)
	line := 0
	for sc.Scan() {
		line++
		if line%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		out.WriteString(strings.Join(tok.Tokens(sc.Text()), " "))
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("stdin:%d: %w", line+1, err)
	}
	return out.Flush()
}
