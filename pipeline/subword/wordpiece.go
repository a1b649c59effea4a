package subword

import (
	"fmt"

	"github.com/sugarme/tokenizer/model"
	"github.com/sugarme/tokenizer/model/wordpiece"
)

// wordPiece is the WordPiece model: sugarme/tokenizer's model/wordpiece
// (greedy longest match first, pieces after a word's first carrying a
// continuation prefix), wrapped so that encoding a word cannot fail.
// The library fails when the unknown token is not in the vocabulary,
// which newWordPiece refuses up front; a word that still makes it fail or
// panic is the unknown token.
//
// It is immutable after construction and safe for concurrent use (the
// library's model only reads its maps).
type wordPiece struct {
	lib      wordpiece.WordPiece // also the tokenizer.Model of the library reference path
	tokens   []string            // id -> token; ids are exactly 0..len-1
	unk      string
	unkID    int
	prefix   string // continuing-subword prefix, "##" by default
	maxChars int    // longer words (in runes) become the unknown token
}

// newWordPiece checks that tokens form a usable vocabulary (unique,
// non-empty, containing unk, maxChars positive) and builds the library's
// model on it.
func newWordPiece(tokens []string, unk, prefix string, maxChars int) (*wordPiece, error) {
	vocab := make(model.Vocab, len(tokens))
	for id, tok := range tokens {
		if tok == "" {
			return nil, fmt.Errorf("vocabulary: id %d: empty token", id)
		}
		if prev, dup := vocab[tok]; dup {
			return nil, fmt.Errorf("vocabulary: token %q has ids %d and %d", tok, prev, id)
		}
		vocab[tok] = id
	}
	unkID, ok := vocab[unk]
	if !ok {
		return nil, fmt.Errorf("vocabulary: unknown token %q is not in the vocabulary", unk)
	}
	if maxChars <= 0 {
		return nil, fmt.Errorf("max_input_chars_per_word must be positive, got %d", maxChars)
	}
	// The builder, not wordpiece.New: New reads the prefix option under
	// the wrong key and so always uses "##".
	lib := wordpiece.NewWordPieceBuilder().Vocab(&vocab).UnkToken(unk).
		ContinuingSubwordPrefix(prefix).MaxInputCharsPerWord(maxChars).Build()
	return &wordPiece{lib: lib, tokens: tokens, unk: unk, unkID: unkID, prefix: prefix, maxChars: maxChars}, nil
}

// appendWordIDs appends the ids of one pre-tokenized word, which must be
// valid UTF-8 (the library reads a word as runes; the splitter's words
// are). An empty word has no ids. When the library fails or panics, or
// gives an id outside the vocabulary, the word is the unknown token, as a
// word the vocabulary cannot spell is.
func (m *wordPiece) appendWordIDs(dst []int, word string) []int {
	n := len(dst)
	ok := func() (ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		pieces, err := m.lib.Tokenize(word)
		if err != nil {
			return false
		}
		for _, p := range pieces {
			if p.Id < 0 || p.Id >= len(m.tokens) {
				return false
			}
			dst = append(dst, p.Id)
		}
		return true
	}()
	if !ok {
		return append(dst[:n], m.unkID)
	}
	return dst
}
