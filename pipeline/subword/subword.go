package subword

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/normalizer"
	"github.com/sugarme/tokenizer/pretokenizer"
)

// Config controls tokenizer training.
type Config struct {
	// VocabSize is the target vocabulary size, including the special
	// tokens and the alphabet. Training stops earlier when no pair is
	// left to merge; the alphabet alone may also exceed it.
	VocabSize int
	// MinFrequency: a pair of pieces seen fewer times is never merged.
	MinFrequency int
	// Lowercase folds case (after Unicode NFKC and dropping control
	// characters), both when learning and when encoding.
	Lowercase bool
}

// MaxVocabSize bounds Config.VocabSize: a million pieces is far beyond
// any corpus this tokenizer serves, and every piece costs a row of
// embeddings in a model.
const MaxVocabSize = 1 << 20

// Validate returns an error naming the first setting Train would refuse:
// a VocabSize not above the special tokens' count or over MaxVocabSize, a
// negative MinFrequency.
func (c Config) Validate() error {
	if c.VocabSize < len(specialTokens)+1 {
		return fmt.Errorf("subword: vocabulary size %d is below the minimum %d", c.VocabSize, len(specialTokens)+1)
	}
	if c.VocabSize > MaxVocabSize {
		return fmt.Errorf("subword: vocabulary size %d is above the maximum %d", c.VocabSize, MaxVocabSize)
	}
	if c.MinFrequency < 0 {
		return fmt.Errorf("subword: negative minimum frequency %d", c.MinFrequency)
	}
	return nil
}

// DefaultConfig returns the settings used when none are given.
func DefaultConfig() Config {
	return Config{VocabSize: 8000, MinFrequency: 2, Lowercase: true}
}

// Tokenizer splits text into WordPiece subword tokens. Make one with
// Train, Load or LoadFile (the zero value is not usable); it is immutable
// apart from its cache and safe for concurrent use.
//
// Encoding does not go through the library's Encode: the text is
// normalised and split into words by plain string code that reproduces
// sugarme/tokenizer's normalisers and BertPreTokenizer (checked against
// the library on every test sentence), and each word not seen before is
// cut into pieces by the library's WordPiece model, its ids memoised (up
// to maxCachedWords words) for the word's next occurrences. This runs
// about a hundred times faster than the library's Encode, and also
// avoids its faults: Encode repeats pieces of a text when a normaliser
// removes a character (a byte-order mark, an accent), and panics on some
// case mappings ("Ⱥ").
//
// Special tokens written in the input text ("[CLS]") are ordinary text:
// they are never turned into special ids.
type Tokenizer struct {
	steps []normStep
	pre   *wordSplitter
	model *wordPiece
	cache wordCache
	bufs  sync.Pool // *scratch

	libOnce  sync.Once
	libMu    sync.Mutex // the library tokenizer is not documented as concurrency-safe
	lib      *tokenizer.Tokenizer
	libSplit *tokenizer.Tokenizer
	libNorms []normalizer.Normalizer
}

// scratch is per-call working memory, pooled.
type scratch struct {
	norm   []byte // normalised text of the ASCII lane / generic lane
	bounds []int  // word i is norm[bounds[2i]:bounds[2i+1]]
}

func newTokenizer(steps []normStep, model *wordPiece) (*Tokenizer, error) {
	o, err := ops(steps)
	if err != nil {
		return nil, err
	}
	return &Tokenizer{steps: steps, pre: newWordSplitter(o), model: model}, nil
}

func (t *Tokenizer) getScratch() *scratch {
	if s, ok := t.bufs.Get().(*scratch); ok {
		return s
	}
	return new(scratch)
}

func (t *Tokenizer) putScratch(s *scratch) {
	if cap(s.norm) > 1<<16 { // do not pin the memory of one huge text
		return
	}
	t.bufs.Put(s)
}

// Words returns the normalised words of text (lowercased, split on
// whitespace, each punctuation character a word of its own) that the
// subword model then cuts into pieces.
func (t *Tokenizer) Words(text string) []string {
	s := t.getScratch()
	t.pre.split(s, text)
	out := make([]string, 0, len(s.bounds)/2)
	for i := 0; i < len(s.bounds); i += 2 {
		out = append(out, string(s.norm[s.bounds[i]:s.bounds[i+1]]))
	}
	t.putScratch(s)
	return out
}

// Tokens returns the subword tokens of text: the vocabulary strings of
// IDs(text), pieces after a word's first carrying the "##" prefix, and
// the unknown token ("[UNK]") for a word the vocabulary cannot spell.
func (t *Tokenizer) Tokens(text string) []string {
	ids := t.AppendIDs(nil, text)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = t.model.tokens[id]
	}
	return out
}

// IDs returns the token ids of text, each in [0, VocabSize()). Empty or
// all-whitespace text gives no ids (nil).
func (t *Tokenizer) IDs(text string) []int {
	return t.AppendIDs(nil, text)
}

// AppendIDs appends the token ids of text to dst and returns it; the
// allocation-free form of IDs for hot loops (once the words of text are
// in the cache). Invalid UTF-8 bytes are read as U+FFFD.
func (t *Tokenizer) AppendIDs(dst []int, text string) []int {
	s := t.getScratch()
	t.pre.split(s, text)
	for i := 0; i < len(s.bounds); i += 2 {
		w := s.norm[s.bounds[i]:s.bounds[i+1]]
		if ids, ok := t.cache.get(w); ok {
			dst = append(dst, ids...)
			continue
		}
		n := len(dst)
		dst = t.model.appendWordIDs(dst, string(w))
		t.cache.put(w, dst[n:])
	}
	t.putScratch(s)
	return dst
}

// VocabSize is the number of distinct token ids.
func (t *Tokenizer) VocabSize() int { return len(t.model.tokens) }

// Token returns the token string of id, or "" when id is outside
// [0, VocabSize()).
func (t *Tokenizer) Token(id int) string {
	if id < 0 || id >= len(t.model.tokens) {
		return ""
	}
	return t.model.tokens[id]
}

// ID returns the id of a vocabulary token ("[PAD]", "the", "##s") and
// whether it is in the vocabulary.
func (t *Tokenizer) ID(token string) (int, bool) {
	return t.model.lib.TokenToId(token)
}

// UnknownID is the id of the unknown token, given to every word that
// contains a character outside the vocabulary or is longer than
// MaxWordChars runes.
func (t *Tokenizer) UnknownID() int { return t.model.unkID }

// MaxWordChars is the longest word, in runes, that is cut into pieces;
// longer words are unknown. It is 100 for trained tokenizers.
func (t *Tokenizer) MaxWordChars() int { return t.model.maxChars }

// libraryTokenizers returns the sugarme/tokenizer pipeline equivalent
// to t (the library's normalisers and BertPreTokenizer around t's
// model), the same without normalisers, and the normalisers.
func (t *Tokenizer) libraryTokenizers() (full, split *tokenizer.Tokenizer, norms []normalizer.Normalizer) {
	t.libOnce.Do(func() {
		t.libNorms = libraryNormalizers(t.steps)
		t.lib = tokenizer.NewTokenizer(t.model.lib)
		if len(t.libNorms) > 0 {
			t.lib.WithNormalizer(normalizer.NewSequence(t.libNorms))
		}
		t.lib.WithPreTokenizer(pretokenizer.NewBertPreTokenizer())
		t.libSplit = tokenizer.NewTokenizer(t.model.lib)
		t.libSplit.WithPreTokenizer(pretokenizer.NewBertPreTokenizer())
	})
	return t.lib, t.libSplit, t.libNorms
}

// libraryIDs encodes text with the library (slow; the reference the fast
// path is tested against): its normalisers, applied one at a time, give
// the normalised string; its BertPreTokenizer and t's model encode that.
// With full, the library's single Encode call does everything, which
// goes wrong when a normaliser removes characters (a byte-order mark, an
// accent) and a later step relies on the offsets: pieces of the text are
// then repeated. A panic inside the library is returned as an error.
func (t *Tokenizer) libraryIDs(text string, full bool) (ids []int, err error) {
	lib, split, norms := t.libraryTokenizers()
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	t.libMu.Lock()
	defer t.libMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			ids, err = nil, fmt.Errorf("tokenizer library panicked on %q: %v", text, r)
		}
	}()
	if full {
		enc, err := lib.EncodeSingle(text, false)
		if err != nil {
			return nil, err
		}
		return enc.Ids, nil
	}
	for _, n := range norms {
		ns, err := n.Normalize(normalizer.NewNormalizedFrom(text))
		if err != nil {
			return nil, err
		}
		text = ns.GetNormalized()
	}
	enc, err := split.EncodeSingle(text, false)
	if err != nil {
		return nil, err
	}
	return enc.Ids, nil
}
