package subword

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// sharedDir is the project's read-only data, seen from this package.
const sharedDir = "../../../shared"

// trickyTexts are inputs that stress normalisation and splitting; Go
// escapes for what a text file cannot hold comfortably.
var trickyTexts = []string{
	"",
	" ",
	"\t\n\r\f\v",
	"a\x00b",           // NUL inside a word
	"a\x01b c\x7fd",    // control characters inside words
	"a\fb\vc",          // form feed splits only without clean_text
	"soft\u00adhyphen", // Cf inside a word
	"zero\u200bwidth\u200djoiner\u2060",
	"\ufeffbom at start",
	"non\u00a0breaking\u2009thin\u3000ideographic space",
	"bad utf8 \xff\xfe here \xc3",
	"replacement \ufffd char",
	"İstanbul DİYARBAKIR ǅemal ǈ ǋ", // case mappings that change length
	"ȺȾ ⱥⱦ Ωmega K Å ẞ",
	"e\u0301\u0302\u0323 stacked marks",
	"ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ",
	"①②③ Ⅻⅻ ㈱ ㍿ ㎏",
	"ｆｕｌｌｗｉｄｔｈ　ＡＢＣ！？",
	"中文句子，没有空格。",
	"𠀀𠀁 𪜀 rare CJK extension",
	"👨‍👩‍👧‍👦🇺🇦🏳️‍🌈",
	"\u202eright-to-left override\u202c",
	"مرحبا\u200fبالعالم",
	strings.Repeat("a", 99),
	strings.Repeat("a", 100),
	strings.Repeat("a", 101),
	strings.Repeat("é", 101),
	strings.Repeat("ab", 200) + " tail",
	strings.Repeat("word ", 500),
	"punct!!!???...,,,;;;",
	"'quoted' \"double\" `back`",
}

// fixtureSentences reads testdata/sentences.txt.
func fixtureSentences(t testing.TB) []string {
	t.Helper()
	lines, err := readLines(filepath.Join("testdata", "sentences.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

var (
	sharedOnce  sync.Once
	sharedTrain []string // text column of labels/train.csv
	sharedITA   []string // non-empty lines of corpus/ungdc/ITA/*.txt
)

func loadShared() {
	if f, err := os.Open(filepath.Join(sharedDir, "labels", "train.csv")); err == nil {
		r := csv.NewReader(f)
		header, err := r.Read()
		col := slices.Index(header, "text")
		for err == nil && col >= 0 {
			var rec []string
			rec, err = r.Read()
			if err == nil {
				sharedTrain = append(sharedTrain, rec[col])
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			sharedTrain = nil
		}
		f.Close()
	}
	files, _ := filepath.Glob(filepath.Join(sharedDir, "corpus", "ungdc", "ITA", "*.txt"))
	sort.Strings(files)
	for _, file := range files {
		lines, err := readLines(file)
		if err != nil {
			continue
		}
		for _, l := range lines {
			if strings.TrimSpace(l) != "" {
				sharedITA = append(sharedITA, l)
			}
		}
	}
}

// trainSentences returns the text column of ../shared/labels/train.csv,
// skipping the test when it is absent.
func trainSentences(t testing.TB) []string {
	t.Helper()
	sharedOnce.Do(loadShared)
	if len(sharedTrain) == 0 {
		t.Skipf("%s/labels/train.csv not available", sharedDir)
	}
	return sharedTrain
}

// itaLines returns the lines of the Italian UN speeches, skipping the
// test when they are absent.
func itaLines(t testing.TB) []string {
	t.Helper()
	sharedOnce.Do(loadShared)
	if len(sharedITA) == 0 {
		t.Skipf("%s/corpus/ungdc/ITA not available", sharedDir)
	}
	return sharedITA
}

// every returns every k-th element of s.
func every[T any](s []T, k int) []T {
	var out []T
	for i := 0; i < len(s); i += k {
		out = append(out, s[i])
	}
	return out
}

// mustTrain trains on sentences or fails the test.
func mustTrain(t testing.TB, sentences []string, cfg Config) *Tokenizer {
	t.Helper()
	tok, err := Train(slices.Values(sentences), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// mustLoadFile loads a tokenizer.json or fails the test.
func mustLoadFile(t testing.TB, path string) *Tokenizer {
	t.Helper()
	tok, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
