package subword

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sugarme/tokenizer/normalizer"
	"golang.org/x/text/unicode/norm"
)

// This file holds the text side of the tokenizer: the normaliser steps a
// tokenizer.json may name, their library equivalents (the reference
// path), and the fast pre-tokenizer that reproduces the library's
// normaliser + BertPreTokenizer on plain strings.

// normStep is one normaliser of a tokenizer.json "normalizer" entry (a
// Sequence is flattened into its steps).
type normStep struct {
	Type string // NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, BertNormalizer

	// BertNormalizer settings.
	CleanText          bool
	HandleChineseChars bool
	StripAccents       bool
	Lowercase          bool
}

// normOp is one string transformation of the fast path.
type normOp uint8

const (
	opNFC normOp = iota + 1
	opNFD
	opNFKC
	opNFKD
	opLower
	opClean   // drop NUL, U+FFFD and control characters except \t \n \r
	opChinese // put spaces around CJK ideographs
	opStripMn // drop nonspacing marks (the library's strip_accents)
)

// ops expands normaliser steps into fast-path operations. A
// BertNormalizer is clean, chinese, strip accents, lowercase, with strip
// accents meaning NFD then dropping nonspacing marks: Hugging Face's
// definition (the library's BertNormalizer lowercases first and strips
// marks without decomposing, so "é" would survive; libraryNormalizer
// builds the Hugging Face behaviour out of the library's parts).
func ops(steps []normStep) ([]normOp, error) {
	var out []normOp
	for _, s := range steps {
		switch s.Type {
		case "NFC":
			out = append(out, opNFC)
		case "NFD":
			out = append(out, opNFD)
		case "NFKC":
			out = append(out, opNFKC)
		case "NFKD":
			out = append(out, opNFKD)
		case "Lowercase":
			out = append(out, opLower)
		case "StripAccents":
			out = append(out, opStripMn)
		case "BertNormalizer":
			if s.CleanText {
				out = append(out, opClean)
			}
			if s.HandleChineseChars {
				out = append(out, opChinese)
			}
			if s.StripAccents {
				out = append(out, opNFD, opStripMn)
			}
			if s.Lowercase {
				out = append(out, opLower)
			}
		default:
			return nil, fmt.Errorf("unsupported normalizer type %q", s.Type)
		}
	}
	return out, nil
}

// libraryNormalizers returns sugarme/tokenizer normalisers equivalent to
// steps, one library normaliser per operation so they can be applied one
// at a time: the library's NormalizedString loses track of its offsets
// when a normaliser removes characters and a later one transforms the
// string again.
func libraryNormalizers(steps []normStep) []normalizer.Normalizer {
	lower := func() normalizer.Normalizer {
		return normalizer.NewDefaultNormalizer(normalizer.WithLowercase(true), normalizer.WithStrip(false))
	}
	var ns []normalizer.Normalizer
	for _, s := range steps {
		switch s.Type {
		case "NFC":
			ns = append(ns, composer{norm.NFC})
		case "NFD":
			ns = append(ns, normalizer.NewNFD())
		case "NFKC":
			ns = append(ns, composer{norm.NFKC})
		case "NFKD":
			ns = append(ns, composer{norm.NFKD})
		case "Lowercase":
			ns = append(ns, lower())
		case "StripAccents":
			ns = append(ns, normalizer.NewStripAccents())
		case "BertNormalizer":
			if s.CleanText {
				ns = append(ns, normalizer.NewBertNormalizer(true, false, false, false))
			}
			if s.HandleChineseChars {
				ns = append(ns, normalizer.NewBertNormalizer(false, false, true, false))
			}
			if s.StripAccents {
				ns = append(ns, normalizer.NewNFD(), normalizer.NewStripAccents())
			}
			if s.Lowercase {
				ns = append(ns, lower())
			}
		}
	}
	return ns
}

// composer is a Unicode normal form as a library normaliser. The
// library's own NFC and NFKC (v0.3.0) do not compose ("e\u0301" stays two
// characters), its NFKC panics on some inputs and its NFKD on plain
// ASCII, so both the fast path and the library reference use
// golang.org/x/text for these three forms (the library's NFD is used). The offsets of
// the result are reset, which is harmless when normalisers are applied
// one at a time (libraryIDs).
type composer struct{ form norm.Form }

func (c composer) Normalize(n *normalizer.NormalizedString) (*normalizer.NormalizedString, error) {
	return normalizer.NewNormalizedFrom(c.form.String(n.GetNormalized())), nil
}

// isControl is the library's BERT control-character test (not exported
// by it): Cc and Cf, except tab, newline and carriage return.
func isControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	return unicode.In(r, unicode.Cc, unicode.Cf)
}

// isSplitSpace reports the characters of the library's BertPreTokenizer
// whitespace pattern `\s+` (Go regexp: ASCII whitespace without \v).
func isSplitSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

// normalize applies ops to s (which must be valid UTF-8).
func normalize(s string, ops []normOp) string {
	for _, op := range ops {
		switch op {
		case opNFC:
			s = norm.NFC.String(s)
		case opNFD:
			s = norm.NFD.String(s)
		case opNFKC:
			s = norm.NFKC.String(s)
		case opNFKD:
			s = norm.NFKD.String(s)
		case opLower:
			s = strings.ToLower(s)
		case opClean:
			s = strings.Map(func(r rune) rune {
				if r < utf8.RuneSelf {
					if r == 0 || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
						return -1
					}
					return r
				}
				if r == utf8.RuneError || isControl(r) {
					return -1
				}
				return r
			}, s)
		case opChinese:
			if strings.IndexFunc(s, isIdeograph) >= 0 {
				var b strings.Builder
				for _, r := range s {
					if isIdeograph(r) {
						b.WriteByte(' ')
						b.WriteRune(r)
						b.WriteByte(' ')
					} else {
						b.WriteRune(r)
					}
				}
				s = b.String()
			}
		case opStripMn:
			s = strings.Map(func(r rune) rune {
				if unicode.Is(unicode.Mn, r) {
					return -1
				}
				return r
			}, s)
		}
	}
	return s
}

// ASCII byte classes of the fast lane.
const (
	asciiWord   = iota // part of a word (after mapping)
	asciiSpace         // ends a word
	asciiPunct         // a word of its own
	asciiRemove        // dropped by the normaliser
)

// wordSplitter splits text into the words the library's normaliser +
// BertPreTokenizer produce, without the library's per-character
// bookkeeping. It is immutable after construction.
type wordSplitter struct {
	ops []normOp
	// ASCII fast lane: for all-ASCII text every supported op is either the
	// identity or a per-byte map, so one pass over the bytes suffices.
	class [128]uint8
	lower [128]byte
}

func newWordSplitter(ops []normOp) *wordSplitter {
	p := &wordSplitter{ops: ops}
	clean, lower := false, false
	for _, op := range ops {
		switch op {
		case opClean:
			clean = true
		case opLower:
			lower = true
		}
	}
	for b := 0; b < 128; b++ {
		r := rune(b)
		p.lower[b] = byte(b)
		if lower && 'A' <= b && b <= 'Z' {
			p.lower[b] = byte(b) + 'a' - 'A'
		}
		switch {
		case clean && (r == 0 || isControl(r)):
			p.class[b] = asciiRemove
		case isSplitSpace(r):
			p.class[b] = asciiSpace
		case normalizer.IsBertPunctuation(r):
			p.class[b] = asciiPunct
		default:
			p.class[b] = asciiWord
		}
	}
	return p
}

// split normalises text into s.norm and records its words in s.bounds
// (word i is s.norm[s.bounds[2i]:s.bounds[2i+1]]).
func (p *wordSplitter) split(s *scratch, text string) {
	s.norm, s.bounds = s.norm[:0], s.bounds[:0]
	if isASCII(text) {
		p.splitASCII(s, text)
		return
	}
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	s.norm = append(s.norm, normalize(text, p.ops)...)
	buf := s.norm
	start := -1 // start of the current word in buf, -1 if none
	for i := 0; i < len(buf); {
		r, size := rune(buf[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(buf[i:])
		}
		switch {
		case r < utf8.RuneSelf && asciiSplitClass[r] == asciiWord:
			if start < 0 {
				start = i
			}
		case isSplitSpace(r):
			if start >= 0 {
				s.bounds = append(s.bounds, start, i)
				start = -1
			}
		case normalizer.IsBertPunctuation(r):
			if start >= 0 {
				s.bounds = append(s.bounds, start, i)
				start = -1
			}
			s.bounds = append(s.bounds, i, i+size)
		default:
			if start < 0 {
				start = i
			}
		}
		i += size
	}
	if start >= 0 {
		s.bounds = append(s.bounds, start, len(buf))
	}
}

// splitASCII is split for all-ASCII text: every supported normaliser is
// the identity or a per-byte map there, so one pass over the bytes does.
func (p *wordSplitter) splitASCII(s *scratch, text string) {
	start := -1
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch p.class[c] {
		case asciiWord:
			if start < 0 {
				start = len(s.norm)
			}
			s.norm = append(s.norm, p.lower[c])
		case asciiSpace:
			if start >= 0 {
				s.bounds = append(s.bounds, start, len(s.norm))
				start = -1
			}
		case asciiPunct:
			if start >= 0 {
				s.bounds = append(s.bounds, start, len(s.norm))
				start = -1
			}
			s.bounds = append(s.bounds, len(s.norm), len(s.norm)+1)
			s.norm = append(s.norm, c)
		}
	}
	if start >= 0 {
		s.bounds = append(s.bounds, start, len(s.norm))
	}
}

// isIdeograph is the library's IsChinese (all its ranges start at
// U+3400), quick on the common characters below.
func isIdeograph(r rune) bool {
	return r >= 0x3400 && normalizer.IsChinese(r)
}

// asciiSplitClass classifies ASCII characters for splitting only (space,
// punctuation or word), whatever the normalisers.
var asciiSplitClass = func() (c [utf8.RuneSelf]uint8) {
	for r := range rune(utf8.RuneSelf) {
		switch {
		case isSplitSpace(r):
			c[r] = asciiSpace
		case normalizer.IsBertPunctuation(r):
			c[r] = asciiPunct
		}
	}
	return c
}()

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
