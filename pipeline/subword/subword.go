// Package subword is the project's subword tokenizer, built on
// github.com/sugarme/tokenizer (used nowhere else in the project).
package subword

// This file fixes the tokenizer API; the implementation is in progress.

import (
	"errors"
	"iter"
)

// Config controls tokenizer training.
type Config struct {
	VocabSize    int // target vocabulary size, including special tokens
	MinFrequency int // a pair/word seen fewer times is not merged/kept
	Lowercase    bool
}

// DefaultConfig returns the settings used when none are given.
func DefaultConfig() Config {
	return Config{VocabSize: 8000, MinFrequency: 2, Lowercase: true}
}

// Tokenizer splits text into subword tokens. It is safe for concurrent use.
type Tokenizer struct{}

// Train learns a vocabulary from sentences, streaming them once (memory
// grows with distinct words, not with the corpus). The same sentences and
// config always give the same vocabulary.
func Train(sentences iter.Seq[string], cfg Config) (*Tokenizer, error) {
	return nil, errors.New("tokenizer: not implemented yet")
}

// Load reads a Hugging Face tokenizer.json document.
func Load(data []byte) (*Tokenizer, error) {
	return nil, errors.New("tokenizer: not implemented yet")
}

// LoadFile reads a tokenizer.json file.
func LoadFile(path string) (*Tokenizer, error) {
	return nil, errors.New("tokenizer: not implemented yet")
}

// JSON returns the tokenizer as a tokenizer.json document.
func (t *Tokenizer) JSON() ([]byte, error) { return nil, errors.New("not implemented") }

// Tokens returns the subword tokens of text.
func (t *Tokenizer) Tokens(text string) []string { return nil }

// IDs returns the token ids of text, each in [0, VocabSize()).
func (t *Tokenizer) IDs(text string) []int { return nil }

// AppendIDs appends the token ids of text to dst and returns it; the
// allocation-free form of IDs for hot loops.
func (t *Tokenizer) AppendIDs(dst []int, text string) []int { return dst }

// VocabSize is the number of distinct token ids.
func (t *Tokenizer) VocabSize() int { return 0 }

// Token returns the token string of id.
func (t *Tokenizer) Token(id int) string { return "" }
