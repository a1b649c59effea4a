package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/atomicfile"
)

const ingestDescription = `
Read articles and speeches from files and folders (walked recursively) and
write one CSV row per clean sentence: id,doc_id,date,source,index,is_title,
text and metadata columns. Sentence ids are "<doc_id>:<index>", stable
across runs. A document's title (a "title" or "headline" field, column or
header line) is its sentence 0, with is_title true, so that headlines are
classified too; it also stays in its metadata column.

Formats (by extension, .gz allowed; -format forces one):
  .txt    one document per file; id = file name without extension; date,
          source and metadata from a sidecar index.csv in the same folder
          (file,date,source,...), else a "key: value" header block at the
          top ended by a blank line, else the file name (ISO_<session>_<year>
          as in the UN General Debate corpus, or a YYYY-MM-DD in it).
  .jsonl  one JSON object per line (also .ndjson): id, date, text,
          optional source; other scalar fields are metadata.
  .csv    header with at least id,date,text; other columns are metadata.
In folders, hidden files (.name) and files of other extensions (README.md,
images, editors' backups) are ignored and counted in the summary, not
skipped; with -format every non-hidden file is read in that format. A file
named as PATH is read whatever its extension, by content if it says none.

Metadata columns: -meta a,b fixes them; by default they are the metadata
keys of the first document (keys of later documents not among them are
dropped and counted in the summary). -meta none writes no metadata.

Web boilerplate (cookie notices, paywall prompts, captions, menus, related
headlines, tags, time stamps) is removed before splitting. Inputs that
cannot be used (no date, malformed line, invalid UTF-8, unreadable file,
no sentence left after cleaning) are reported on stderr as file:line:
problem (file:line:column: for CSV syntax) and counted in the summary
printed at the end; -strict makes any of them fail the run (exit 1), and
so does a run in which every input was skipped (a misspelt PATH). In
folders, named pipes, sockets and devices are skipped unopened.
Output to a file is atomic: a failed or interrupted run leaves no file.`

func runIngest(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "ingest", "[flags] PATH...", ingestDescription)
	out := fs.String("out", "-", "output CSV file; - for standard output")
	format := fs.String("format", "", "force the input format: txt, jsonl or csv (default: by extension, then content)")
	var meta stringList
	fs.Var(&meta, "meta", "metadata columns, comma-separated or repeated; \"none\" for none (default: keys of the first document)")
	strict := fs.Bool("strict", false, "exit 1 (and write no file) if any input is skipped")
	workers := fs.Int("workers", 0, "documents processed in parallel (0: number of CPUs)")
	quiet := fs.Bool("q", false, "do not print each skipped input, only the summary")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("ingest: no input PATH given")
	}
	if err := pipeline.CheckFormat(*format); err != nil {
		return usagef("ingest: -format %q: %v", *format, err)
	}
	if *workers < 0 {
		return usagef("ingest: -workers %d: want 0 or more", *workers)
	}
	if err := guardOutputs(env, "ingest", pathFlags(fs, "out"), pipeline.Paths("", fs.Args()...)); err != nil {
		return err
	}
	opts := pipeline.IngestOptions{
		ReadOptions: pipeline.ReadOptions{Format: *format},
		Workers:     *workers,
		Strict:      *strict,
		OnSkip: func(e *pipeline.SkipError) {
			if !*quiet {
				fmt.Fprintf(env.Stderr, "%v\n", e)
			}
		},
	}
	opts.Meta = metaColumns(meta)

	var sum pipeline.Summary
	var err error
	if *out == "-" {
		sum, err = pipeline.Ingest(ctx, fs.Args(), opts, env.Stdout)
	} else {
		sum, err = ingestFile(ctx, *out, fs.Args(), opts)
	}
	fmt.Fprint(env.Stderr, prefixLines("ingest: ", sum.String()))
	if err == nil {
		return nil
	}
	what := "no file written"
	if *out == "-" {
		what = "output incomplete"
		switch {
		case errors.Is(err, pipeline.ErrSkipped):
			what = "output written"
		case errors.Is(err, pipeline.ErrAllSkipped):
			what = "no document written"
		}
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("ingest: interrupted; %s", what)
	}
	return fmt.Errorf("ingest: %w; %s", err, what)
}

func prefixLines(prefix, s string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}

// ingestFile runs pipeline.Ingest into the file at out, atomically: the
// file appears only if Ingest succeeds (including strict mode's check);
// on any error or cancellation no file is left behind and an existing
// file at out is untouched. Ingest's error is returned as it is
// (atomicfile.WriteFile would prefix the path).
func ingestFile(ctx context.Context, out string, paths []string, opts pipeline.IngestOptions) (pipeline.Summary, error) {
	f, err := atomicfile.Create(out)
	if err != nil {
		return pipeline.Summary{}, err
	}
	defer f.Abort()
	sum, err := pipeline.Ingest(ctx, paths, opts, f)
	if err != nil {
		return sum, err
	}
	return sum, f.Commit()
}
