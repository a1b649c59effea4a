// Command fttext turns a sentence CSV (the output of `stance ingest`) into
// fastText's plain-text training format: one sentence per line, normalised
// exactly as `stance labels export-fasttext` normalises the labelled text
// (labels.FastTextText with the default options), so vectors learned by
// `fasttext skipgram` on it match the words fastText supervised sees in
// the peer benchmark.
//
// Usage: stance ingest CORPUS | go run ./bench/fttext > corpus.txt
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/stance-project/stance/labels"
)

func main() {
	n, err := run(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fttext: %v\n", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "fttext: %d sentences\n", n)
}

func run(in io.Reader, out io.Writer) (int, error) {
	r := csv.NewReader(bufio.NewReaderSize(in, 1<<20))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return 0, fmt.Errorf("stdin: header: %w", err)
	}
	col := slices.Index(head, "text")
	if col < 0 {
		return 0, errors.New("stdin: no text column (want the output of stance ingest)")
	}
	w := bufio.NewWriterSize(out, 1<<20)
	opt := labels.DefaultFastTextOptions()
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, fmt.Errorf("stdin: %w", err)
		}
		if s := labels.FastTextText(rec[col], opt); s != "" {
			w.WriteString(s)
			w.WriteByte('\n')
			n++
		}
	}
	return n, w.Flush()
}
