package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/models/clusters"
)

// pretrainCorpus writes, in dir, a JSON lines file of 150 documents
// whose sentences each use the words of one of two groups (which never
// meet in a sentence), and one malformed line; it returns the file's
// path and the groups.
func pretrainCorpus(t *testing.T, dir string) (string, [][]string) {
	t.Helper()
	groups := [][]string{
		{"rome", "paris", "berlin", "madrid", "vienna", "lisbon"},
		{"wheat", "rice", "maize", "barley", "sugar", "coffee"},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for d := range 150 {
		var text []string
		for range 20 {
			g := groups[rng.IntN(2)]
			words := make([]string, 8)
			for j := range words {
				words[j] = g[rng.IntN(len(g))]
			}
			words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
			text = append(text, strings.Join(words, " ")+".")
		}
		line, err := json.Marshal(map[string]string{"id": fmt.Sprint("d", d), "date": "2020-01-02", "text": strings.Join(text, " ")})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
		if d == 75 {
			b.WriteString("{not json\n")
		}
	}
	path := filepath.Join(dir, "corpus.jsonl")
	writeFile(t, path, b.String())
	return path, groups
}

// pretrainFlags are small settings for the test corpus.
var pretrainFlags = []string{"-threads", "1", "-dim", "16", "-epochs", "3", "-min-count", "1", "-subsample", "0", "-levels", "2,3"}

func TestPretrainCLI(t *testing.T) {
	dir := t.TempDir()
	corpus, groups := pretrainCorpus(t, dir)
	out := filepath.Join(dir, "clusters.tsv")
	ctx := context.Background()
	code, stdout, stderr := stance(t, ctx, append(append([]string{"pretrain", "-out", out}, pretrainFlags...), corpus)...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
	checkContains(t, "stderr", stderr, []string{
		"corpus.jsonl:77: ", // the malformed line, skipped
		"pretrain: read: 3000 sentences, 24000 words, 12 distinct, 12 kept",
		"pretrain: 3000 sentences, 24000 words, 12 distinct, 12 kept (min-count 1), levels 2,3, 1 inputs skipped",
		"-> " + out,
	}, nil)
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	c, err := clusters.ReadTSV(bytes.NewReader(first), out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(first), "word\tc2\tc3\n") || len(c.Words) != 12 {
		t.Fatalf("clusters file:\n%s", first)
	}
	at := map[string]int{}
	for i, w := range c.Words {
		at[w] = i
	}
	for _, g := range groups {
		for _, w := range g {
			if c.IDs[at[w]][0] != c.IDs[at[g[0]]][0] {
				t.Errorf("level 2: %s and %s in different clusters", w, g[0])
			}
		}
	}
	if c.IDs[at["rome"]][0] == c.IDs[at["wheat"]][0] {
		t.Errorf("level 2: the two groups share a cluster")
	}

	// One thread: the same file again; -out - writes it to stdout.
	code, stdout, stderr = stance(t, ctx, append(append([]string{"pretrain", "-quiet", "-out", "-"}, pretrainFlags...), corpus)...)
	if code != 0 || stdout != string(first) || stderr != "" {
		t.Fatalf("second run, to stdout: exit %d, stdout equal: %v, stderr:\n%s", code, stdout == string(first), stderr)
	}
}

func TestPretrainErrorsCLI(t *testing.T) {
	dir := t.TempDir()
	corpus, _ := pretrainCorpus(t, dir)
	out := filepath.Join(dir, "clusters.tsv")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		args []string
		code int
		want string
	}{
		{"no -out", nil, []string{corpus}, 2, "pretrain: -out is required"},
		{"no input", nil, []string{"-out", out}, 2, "pretrain: no input PATH given"},
		{"bad level", nil, []string{"-out", out, "-levels", "2,x", corpus}, 2, `"x" is not a number of clusters`},
		{"level out of range", nil, []string{"-out", out, "-levels", "1,70000", corpus}, 2, "level 1: want 2..65535 clusters; level 70000"},
		{"bad settings", nil, []string{"-out", out, "-dim", "0", "-epochs", "0", corpus}, 2, "dim 0: want 1..4096; epochs 0"},
		{"negative threads", nil, []string{"-out", out, "-threads", "-1", corpus}, 2, "-threads -1"},
		{"bad format", nil, []string{"-out", out, "-format", "xml", corpus}, 2, `-format "xml"`},
		{"output over input", nil, []string{"-out", corpus, corpus}, 2, "pretrain: "},
		{"missing folder", nil, []string{"-out", filepath.Join(dir, "no", "c.tsv"), corpus}, 1, "pretrain: "},
		{"fewer words than clusters", nil, append(slices.Clone(pretrainFlags), "-levels", "64", "-out", out, corpus), 1, "12 words kept (min-count 1): fewer than the 64 clusters"},
		{"strict", nil, append(slices.Clone(pretrainFlags), "-strict", "-out", out, corpus), 1, "corpus.jsonl:77"},
		{"interrupted", cancelled, append(slices.Clone(pretrainFlags), "-out", out, corpus), 1, "pretrain: interrupted; no file written"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			before := snapshot(t, dir)
			code, stdout, stderr := stance(t, ctx, append([]string{"pretrain"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d (want %d); stderr lacks %q:\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
			unchanged(t, dir, before)
		})
	}
}
