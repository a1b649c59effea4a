// This file keeps the package's former WordPiece code, a plain greedy
// longest-match-first loop, as an independent reference: production
// encodes words with sugarme/tokenizer's model/wordpiece, and the tests
// here check that every id is the one the former code gave, so trained
// models and golden files keep their meaning.

package subword

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// greedyWordIDs is the former production encoder of one pre-tokenized
// word: the longest vocabulary piece first, pieces after the first with
// the continuation prefix; a word longer than maxChars runes, or with a
// part no piece matches, is the single unknown id.
func greedyWordIDs(m *wordPiece, word string) []int {
	if word == "" {
		return nil
	}
	if utf8.RuneCountInString(word) > m.maxChars {
		return []int{m.unkID}
	}
	var ids []int
	for start := 0; start < len(word); {
		found := false
		for end := len(word); end > start; {
			key := word[start:end]
			if start > 0 {
				key = m.prefix + key
			}
			if id, ok := m.lib.TokenToId(key); ok {
				ids = append(ids, id)
				start = end
				found = true
				break
			}
			_, size := utf8.DecodeLastRuneInString(word[start:end])
			end -= size
		}
		if !found {
			return []int{m.unkID}
		}
	}
	return ids
}

// exampleTexts returns the text of examples/: the corpus files' lines
// and the labels' text column.
func exampleTexts(t testing.TB) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "examples")
	files, _ := filepath.Glob(filepath.Join(dir, "corpus", "*.txt"))
	var texts []string
	for _, file := range files {
		lines, err := readLines(file)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, lines...)
	}
	labels, _ := filepath.Glob(filepath.Join(dir, "labels*.csv"))
	for _, file := range labels {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(recs[0], "text")
		for _, rec := range recs[1:] {
			texts = append(texts, rec[col])
		}
	}
	if len(texts) == 0 {
		t.Fatalf("no text under %s", dir)
	}
	return texts
}

// ungdcTexts returns the speeches of every k-th document of
// ../shared/corpus/ungdc.jsonl.gz (all with k = 1), one paragraph a text,
// skipping the test when the file is absent.
func ungdcTexts(t testing.TB, k int) []string {
	t.Helper()
	texts, err := readUNGDC(k)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("UN General Debate corpus not available: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

func readUNGDC(k int) ([]string, error) {
	f, err := os.Open(filepath.Join(sharedDir, "corpus", "ungdc.jsonl.gz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(z)
	sc.Buffer(nil, 1<<26)
	var texts []string
	for n := 0; sc.Scan(); n++ {
		if n%k != 0 {
			continue
		}
		var doc struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			return nil, fmt.Errorf("document %d: %v", n+1, err)
		}
		texts = append(texts, strings.Split(doc.Text, "\n")...)
	}
	return texts, sc.Err()
}

// TestMatchesGreedyReference encodes the examples/ text, our fixtures and
// tricky inputs and a sample of the UN General Debate corpus (every
// document with -full) with the production encoder, cold and then from
// its memo, and with greedyWordIDs, for the tokenizer models train
// (DefaultConfig on the labelled sentences, or on examples/ without
// ../shared), the golden tokenizer and the Hugging Face fixture. Every id
// must be the same.
func TestMatchesGreedyReference(t *testing.T) {
	texts := append(exampleTexts(t), fixtureSentences(t)...)
	texts = append(texts, trickyTexts...)
	t.Run("shared-ungdc", func(t *testing.T) {
		k := 50
		if *full {
			k = 1
		}
		texts = append(texts, ungdcTexts(t, k)...)
	})
	var trainOn []string
	t.Run("shared-train", func(t *testing.T) { trainOn = trainSentences(t) })
	if trainOn == nil {
		trainOn = exampleTexts(t)
	}
	toks := map[string]*Tokenizer{
		"trained-default": mustTrain(t, trainOn, DefaultConfig()),
		"golden":          mustLoadFile(t, filepath.Join("testdata", "golden", "tokenizer.json")),
		"bert-tiny":       mustLoadFile(t, filepath.Join("testdata", "bert-tiny", "tokenizer.json")),
	}
	for name, tok := range toks {
		t.Run(name, func(t *testing.T) {
			words, unknown := 0, 0
			for _, text := range texts {
				ws := tok.Words(text)
				var want []int
				for _, w := range ws {
					want = append(want, greedyWordIDs(tok.model, w)...)
				}
				// Twice: the first call fills the memo, the second reads it.
				for pass := range 2 {
					if got := tok.IDs(text); !slices.Equal(got, want) {
						t.Fatalf("pass %d, %.200q:\n sugarme %.300v\n greedy  %.300v", pass, text, tokensOf(tok, got), tokensOf(tok, want))
					}
				}
				words += len(ws)
				for _, id := range want {
					if id == tok.UnknownID() {
						unknown++
					}
				}
			}
			t.Logf("%d texts, %d words, %d unknown: the same ids", len(texts), words, unknown)
		})
	}
}
