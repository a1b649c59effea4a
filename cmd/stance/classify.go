package main

import (
	"context"
	"fmt"
	"io"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
)

// runClassify predicts stances with a trained model.
func runClassify(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "classify", "-model MODEL -out FILE -presplit PATH...", `
Predict stances. With -presplit, each argument is a CSV of sentences with
at least id and text columns; the output keeps the id and the other
columns, then text, one column per target with the decided value, and
p_<target>_<value> probabilities. Classifying whole articles (without
-presplit) arrives with batch mode.`)
	modelPath := fs.String("model", "", "model `file` written by stance train")
	out := fs.String("out", "", "output CSV `file` (written atomically)")
	presplit := fs.Bool("presplit", false, "inputs are sentence CSVs (id,text,...) rather than articles")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	paths, err := parseInterspersed(env, fs, args)
	if err != nil {
		return err
	}
	if *modelPath == "" {
		return usagef("classify: -model is required")
	}
	if *out == "" {
		return usagef("classify: -out is required")
	}
	if !*presplit {
		return usagef("classify: articles need -presplit (sentence CSVs with id and text columns) until batch mode lands")
	}
	if len(paths) == 0 {
		return usagef("classify: no input files")
	}
	m, err := models.Load(*modelPath)
	if err != nil {
		return err
	}
	var n int
	err = labels.WriteFileAtomic(*out, func(w io.Writer) error {
		var err error
		n, err = models.ClassifyFiles(ctx, m, w, paths...)
		return err
	})
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(env.Stderr, "classified %d sentences from %d file(s) into %s\n", n, len(paths), *out)
	}
	return nil
}
