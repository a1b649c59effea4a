package subword

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// variants returns tokenizers covering every normaliser the fast path
// reproduces, all sharing one trained vocabulary.
func variants(t testing.TB) map[string]*Tokenizer {
	t.Helper()
	sentences := fixtureSentences(t)
	lower := mustTrain(t, sentences, Config{VocabSize: 600, MinFrequency: 1, Lowercase: true})
	cased := mustTrain(t, sentences, Config{VocabSize: 600, MinFrequency: 1, Lowercase: false})
	out := map[string]*Tokenizer{
		"trained-lowercase": lower,
		"trained-cased":     cased,
		"bert-tiny":         mustLoadFile(t, filepath.Join("testdata", "bert-tiny", "tokenizer.json")),
	}
	bert := func(clean, chinese, strip, lower bool) normStep {
		return normStep{Type: "BertNormalizer", CleanText: clean, HandleChineseChars: chinese, StripAccents: strip, Lowercase: lower}
	}
	for name, steps := range map[string][]normStep{
		"none":             nil,
		"nfkc+bert":        {{Type: "NFKC"}, bert(true, true, false, true)},
		"nfc+lowercase":    {{Type: "NFC"}, {Type: "Lowercase"}},
		"nfd+strip+lower":  {{Type: "NFD"}, {Type: "StripAccents"}, {Type: "Lowercase"}},
		"nfkd":             {{Type: "NFKD"}},
		"bert-strip":       {bert(true, true, true, true)},
		"bert-noclean":     {bert(false, true, false, true)},
		"bert-nochinese":   {bert(true, false, false, false)},
		"lowercase+strip":  {{Type: "Lowercase"}, {Type: "StripAccents"}},
		"bert-strip-cased": {bert(true, true, true, false)},
	} {
		tok, err := newTokenizer(steps, lower.model)
		if err != nil {
			t.Fatal(err)
		}
		out["steps-"+name] = tok
	}
	return out
}

// full makes TestFastPathMatchesLibrary compare every shared sentence
// with every normaliser variant (minutes) instead of a sample (seconds).
var full = flag.Bool("full", false, "compare the fast path with the library on all of ../shared")

// corpus gathers the sentences the fast path is checked on: our fixtures
// and tricky inputs, plus samples of ../shared when present (all of it
// with -full).
func corpus(t *testing.T) []string {
	texts := append(fixtureSentences(t), trickyTexts...)
	// The shared data is optional: these sub-tests skip, we only collect.
	t.Run("shared-train", func(t *testing.T) {
		lines := trainSentences(t)
		if !*full {
			lines = every(lines, 10)
		}
		texts = append(texts, lines...)
	})
	t.Run("shared-ITA", func(t *testing.T) {
		lines := itaLines(t)
		if !*full {
			lines = every(lines, 50)
		}
		texts = append(texts, lines...)
	})
	return texts
}

// TestFastPathMatchesLibrary checks the tokenizer's own normalisation,
// splitting and memoised WordPiece against sugarme/tokenizer's
// normalisers, BertPreTokenizer and Encode on every text, for every
// normaliser a tokenizer.json may name.
func TestFastPathMatchesLibrary(t *testing.T) {
	texts := corpus(t)
	toks := variants(t)
	names := make([]string, 0, len(toks))
	for name := range toks {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		tok := toks[name]
		t.Run(name, func(t *testing.T) {
			libFailures := 0
			for _, text := range texts {
				want, err := tok.libraryIDs(text, false)
				if err != nil {
					libFailures++
					t.Logf("library fails, not compared: %v", err)
					continue
				}
				// Twice: the first call fills the cache, the second reads it.
				for pass := range 2 {
					got := tok.IDs(text)
					if !slices.Equal(got, want) {
						t.Errorf("pass %d: %.200q:\n fast    %.300v\n library %.300v", pass, text, tokensOf(tok, got), tokensOf(tok, want))
						break
					}
				}
			}
			t.Logf("%d texts compared, %d the library could not encode", len(texts)-libFailures, libFailures)
			if libFailures > len(texts)/50 {
				t.Errorf("the library failed on %d of %d texts: this variant is not verified", libFailures, len(texts))
			}
		})
	}
}

// TestLibraryOneCallEncode documents where the library's one-call Encode
// (all normalisers chained on one NormalizedString) departs from its
// normalisers applied one at a time: only on texts where a normaliser
// removes characters (or the library panics). On all other texts the fast
// path must equal it too.
func TestLibraryOneCallEncode(t *testing.T) {
	texts := corpus(t)
	tok := variants(t)["trained-lowercase"]
	differs := 0
	for _, text := range texts {
		got := tok.IDs(text)
		want, err := tok.libraryIDs(text, true)
		if err == nil && slices.Equal(got, want) {
			continue
		}
		differs++
		if !strings.ContainsFunc(text, func(r rune) bool { return r == 0 || r == utf8.RuneError || isControl(r) }) &&
			utf8.ValidString(text) && err == nil {
			t.Errorf("%.200q: one-call Encode differs without removed characters:\n fast    %.300v\n library %.300v", text, tokensOf(tok, got), tokensOf(tok, want))
		}
	}
	t.Logf("one-call Encode differs on %d of %d texts, all with removed characters", differs, len(texts))
}

func tokensOf(tok *Tokenizer, ids []int) string {
	s := ""
	for _, id := range ids {
		s += fmt.Sprintf(" %s", tok.Token(id))
	}
	return s
}
