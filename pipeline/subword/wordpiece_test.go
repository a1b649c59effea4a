package subword

import (
	"slices"
	"strings"
	"testing"

	"github.com/sugarme/tokenizer/model"
	"github.com/sugarme/tokenizer/model/wordpiece"
)

// TestWordPieceEdge checks the wrapper around the library's model: its
// settings reach the library, and whatever the library does wrong on a
// word (an error, a panic, an id outside the vocabulary) makes the word
// the unknown token.
func TestWordPieceEdge(t *testing.T) {
	tokens := []string{"[UNK]", "a", "b", "##b", "@@b", "ab"}
	build := func(prefix string, maxChars int) *wordPiece {
		m, err := newWordPiece(tokens, "[UNK]", prefix, maxChars)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// libWith replaces the library model of a valid wordPiece.
	libWith := func(vocab model.Vocab) *wordPiece {
		m := build("##", 100)
		m.lib = wordpiece.NewWordPieceBuilder().Vocab(&vocab).Build()
		return m
	}
	cases := []struct {
		name string
		m    *wordPiece
		word string
		want []int
	}{
		{"empty word", build("##", 100), "", nil},
		{"whole word", build("##", 100), "ab", []int{5}},
		{"continuation", build("##", 100), "abb", []int{5, 3}},
		{"custom prefix", build("@@", 100), "abb", []int{5, 4}},
		{"empty prefix", build("", 100), "abb", []int{5, 2}},
		{"unspellable", build("##", 100), "abc", []int{0}},
		{"unseen script", build("##", 100), "Россия", []int{0}},
		{"emoji", build("##", 100), "a😀", []int{0}},
		{"combining mark", build("##", 100), "a\u0301", []int{0}},
		{"at max length", build("##", 3), "abb", []int{5, 3}},
		{"over max length", build("##", 3), "abbb", []int{0}},
		{"very long word", build("##", 100), strings.Repeat("ab", 1<<16), []int{0}},
		{"library errs (no unknown token)", libWith(model.Vocab{"a": 1}), "c", []int{0}},
		{"library panics", &wordPiece{tokens: tokens}, "ab", []int{0}},
		{"id outside the vocabulary", libWith(model.Vocab{"[UNK]": 0, "a": 1, "##b": 99}), "ab", []int{0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.m.appendWordIDs([]int{-7}, c.word)
			if got[0] != -7 || !slices.Equal(got[1:], c.want) {
				t.Errorf("appendWordIDs([-7], %.40q) = %v, want [-7] then %v", c.word, got, c.want)
			}
		})
	}
}
