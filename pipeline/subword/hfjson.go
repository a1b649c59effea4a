package subword

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/stance-project/stance/labels"
)

// This file reads and writes the Hugging Face tokenizer.json format, for
// the subset this package encodes exactly: a WordPiece model, normalisers
// among BertNormalizer, Lowercase, StripAccents, NFC/NFD/NFKC/NFKD (or a
// Sequence of them), and the BertPreTokenizer. Truncation, padding,
// post_processor and decoder are ignored on reading; added_tokens are
// ignored too, since special tokens written in input text are treated as
// ordinary text.
//
// Text is encoded as sugarme/tokenizer's components do, which is Hugging
// Face's behaviour except in two places: words are split on ASCII
// whitespace only (with a trained tokenizer's NFKC and clean_text, the
// only Unicode spaces left unsplit are U+1680, U+2028 and U+2029), and
// BertNormalizer's strip_accents: null
// means "as lowercase" here as in Hugging Face, where the library's own
// loader (pretrained.FromFile) reads it as false.

// ErrUnsupported marks a well-formed tokenizer.json this package cannot
// encode exactly (a BPE model, an unknown normaliser or pre-tokenizer).
var ErrUnsupported = errors.New("unsupported tokenizer")

type hfFile struct {
	Normalizer   json.RawMessage `json:"normalizer"`
	PreTokenizer json.RawMessage `json:"pre_tokenizer"`
	Model        *hfModel        `json:"model"`
}

type hfModel struct {
	Type                    string          `json:"type"`
	UnkToken                *string         `json:"unk_token"`
	ContinuingSubwordPrefix *string         `json:"continuing_subword_prefix"`
	MaxInputCharsPerWord    *int            `json:"max_input_chars_per_word"`
	Vocab                   json.RawMessage `json:"vocab"`
	Merges                  json.RawMessage `json:"merges"`
}

type hfComponent struct {
	Type string `json:"type"`
	// Sequence members.
	Normalizers   []json.RawMessage `json:"normalizers"`
	PreTokenizers []json.RawMessage `json:"pretokenizers"`
	// BertNormalizer settings; a missing one takes the Hugging Face
	// default (true, and strip_accents follows lowercase).
	CleanText          *bool `json:"clean_text"`
	HandleChineseChars *bool `json:"handle_chinese_chars"`
	StripAccents       *bool `json:"strip_accents"`
	Lowercase          *bool `json:"lowercase"`
}

// Load reads a Hugging Face tokenizer.json document with a WordPiece
// model (as written by JSON, or by Hugging Face for BERT-style models).
// Errors are *labels.ParseError (File "tokenizer.json" here, the path
// for LoadFile; Line and Column zero when the problem has no single
// position: a missing field, an inconsistent vocabulary); a valid but
// unsupported document also wraps ErrUnsupported. Vocabulary ids must be exactly 0..n-1.
func Load(data []byte) (*Tokenizer, error) {
	return load("", data)
}

// LoadFile reads a tokenizer.json file; see Load.
func LoadFile(path string) (*Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return load(path, data)
}

func load(file string, data []byte) (*Tokenizer, error) {
	if file == "" {
		file = "tokenizer.json"
	}
	fail := func(err error) (*Tokenizer, error) {
		return nil, &labels.ParseError{File: file, Err: err}
	}
	var f hfFile
	if err := json.Unmarshal(data, &f); err != nil {
		pe := &labels.ParseError{File: file, Err: err}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se): // Offset counts the offending byte
			pe.Line, pe.Column = position(data, se.Offset-1)
		case errors.As(err, &te): // Offset counts the value's first byte
			pe.Line, pe.Column = position(data, te.Offset-1)
		}
		return nil, pe
	}
	if f.Model == nil {
		return fail(errors.New(`no "model"`))
	}
	m := f.Model
	switch m.Type {
	case "WordPiece":
	case "":
		if !isNull(m.Merges) {
			return fail(fmt.Errorf(`model without "type" has "merges" (a BPE model): %w`, ErrUnsupported))
		}
	default:
		return fail(fmt.Errorf("model type %q (only WordPiece): %w", m.Type, ErrUnsupported))
	}
	if isNull(m.Vocab) {
		return fail(errors.New(`model: no "vocab"`))
	}
	var vocab map[string]int
	if err := json.Unmarshal(m.Vocab, &vocab); err != nil {
		return fail(fmt.Errorf("model: vocab: %v", err))
	}
	tokens := make([]string, len(vocab))
	for tok, id := range vocab {
		if id < 0 || id >= len(vocab) {
			return fail(fmt.Errorf("model: vocab: token %q has id %d, outside [0, %d)", tok, id, len(vocab)))
		}
		if tokens[id] != "" {
			a, b := min(tok, tokens[id]), max(tok, tokens[id])
			return fail(fmt.Errorf("model: vocab: tokens %q and %q share id %d", a, b, id))
		}
		tokens[id] = tok
	}
	unk, prefix, maxChars := "[UNK]", "##", 100
	if m.UnkToken != nil {
		unk = *m.UnkToken
	}
	if m.ContinuingSubwordPrefix != nil {
		prefix = *m.ContinuingSubwordPrefix
	}
	if m.MaxInputCharsPerWord != nil {
		maxChars = *m.MaxInputCharsPerWord
	}
	model, err := newWordPiece(tokens, unk, prefix, maxChars)
	if err != nil {
		return fail(fmt.Errorf("model: %v", err))
	}
	steps, err := parseNormalizer(f.Normalizer)
	if err != nil {
		return fail(fmt.Errorf("normalizer: %w", err))
	}
	if err := checkPreTokenizer(f.PreTokenizer); err != nil {
		return fail(fmt.Errorf("pre_tokenizer: %w", err))
	}
	t, err := newTokenizer(steps, model)
	if err != nil {
		return fail(err)
	}
	return t, nil
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// position returns the 1-based line and column (in bytes) of the byte at
// offset.
func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

func parseNormalizer(raw json.RawMessage) ([]normStep, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c hfComponent
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, err
	}
	switch c.Type {
	case "Sequence":
		var steps []normStep
		for i, sub := range c.Normalizers {
			s, err := parseNormalizer(sub)
			if err != nil {
				return nil, fmt.Errorf("normalizers[%d]: %w", i, err)
			}
			steps = append(steps, s...)
		}
		return steps, nil
	case "BertNormalizer":
		flag := func(p *bool, def bool) bool {
			if p == nil {
				return def
			}
			return *p
		}
		lower := flag(c.Lowercase, true)
		return []normStep{{
			Type:               "BertNormalizer",
			CleanText:          flag(c.CleanText, true),
			HandleChineseChars: flag(c.HandleChineseChars, true),
			StripAccents:       flag(c.StripAccents, lower),
			Lowercase:          lower,
		}}, nil
	case "NFC", "NFD", "NFKC", "NFKD", "Lowercase", "StripAccents":
		return []normStep{{Type: c.Type}}, nil
	}
	return nil, fmt.Errorf("type %q: %w", c.Type, ErrUnsupported)
}

func checkPreTokenizer(raw json.RawMessage) error {
	if isNull(raw) {
		return fmt.Errorf("none (BertPreTokenizer needed): %w", ErrUnsupported)
	}
	var c hfComponent
	if err := json.Unmarshal(raw, &c); err != nil {
		return err
	}
	switch c.Type {
	case "BertPreTokenizer":
		return nil
	case "Sequence":
		if len(c.PreTokenizers) == 1 {
			return checkPreTokenizer(c.PreTokenizers[0])
		}
	}
	return fmt.Errorf("type %q (only BertPreTokenizer): %w", c.Type, ErrUnsupported)
}

// JSON returns the tokenizer as a Hugging Face tokenizer.json document
// (WordPiece model, vocabulary in id order). The same tokenizer always
// gives the same bytes, and Load(JSON()) encodes identically.
func (t *Tokenizer) JSON() ([]byte, error) {
	var norm any
	var ns []any
	for _, s := range t.steps {
		if s.Type == "BertNormalizer" {
			ns = append(ns, struct {
				Type               string `json:"type"`
				CleanText          bool   `json:"clean_text"`
				HandleChineseChars bool   `json:"handle_chinese_chars"`
				StripAccents       bool   `json:"strip_accents"`
				Lowercase          bool   `json:"lowercase"`
			}{s.Type, s.CleanText, s.HandleChineseChars, s.StripAccents, s.Lowercase})
		} else {
			ns = append(ns, map[string]string{"type": s.Type})
		}
	}
	switch len(ns) {
	case 0:
	case 1:
		norm = ns[0]
	default:
		norm = struct {
			Type        string `json:"type"`
			Normalizers []any  `json:"normalizers"`
		}{"Sequence", ns}
	}
	doc := struct {
		Version       string   `json:"version"`
		Truncation    any      `json:"truncation"`
		Padding       any      `json:"padding"`
		AddedTokens   []any    `json:"added_tokens"`
		Normalizer    any      `json:"normalizer"`
		PreTokenizer  any      `json:"pre_tokenizer"`
		PostProcessor any      `json:"post_processor"`
		Decoder       any      `json:"decoder"`
		Model         hfOutput `json:"model"`
	}{
		Version:      "1.0",
		AddedTokens:  []any{},
		Normalizer:   norm,
		PreTokenizer: map[string]string{"type": "BertPreTokenizer"},
		Decoder: struct {
			Type    string `json:"type"`
			Prefix  string `json:"prefix"`
			Cleanup bool   `json:"cleanup"`
		}{"WordPiece", t.model.prefix, true},
		Model: hfOutput{
			Type:                    "WordPiece",
			UnkToken:                t.model.unk,
			ContinuingSubwordPrefix: t.model.prefix,
			MaxInputCharsPerWord:    t.model.maxChars,
			Vocab:                   orderedVocab(t.model.tokens),
		},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type hfOutput struct {
	Type                    string       `json:"type"`
	UnkToken                string       `json:"unk_token"`
	ContinuingSubwordPrefix string       `json:"continuing_subword_prefix"`
	MaxInputCharsPerWord    int          `json:"max_input_chars_per_word"`
	Vocab                   orderedVocab `json:"vocab"`
}

// orderedVocab marshals as a JSON object token -> id in id order (as
// Hugging Face writes it), not in encoding/json's sorted-key order.
type orderedVocab []string

func (v orderedVocab) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for id, tok := range v {
		if id > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(tok); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		fmt.Fprintf(&buf, ":%d", id)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
