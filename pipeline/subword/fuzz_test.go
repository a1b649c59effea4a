package subword

import (
	"bytes"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// FuzzLoad: Load never panics on outside input; whatever it accepts
// writes back to a document that loads to the same tokenizer.
//
// The seeds are small: the fuzzer minimises every input that finds new
// coverage by trying to remove each span of its bytes, in time quadratic
// in its length, and with the 4.5 kB bert-tiny file as a seed the workers
// spent most of a run minimising. The first seed is that file with a
// vocabulary of six entries and without its post-processor.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"version":"1.0","added_tokens":[{"id":0,"content":"[UNK]","special":true}],` +
		`"normalizer":{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true},` +
		`"pre_tokenizer":{"type":"BertPreTokenizer"},"decoder":{"type":"WordPiece","prefix":"##","cleanup":true},` +
		`"model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100,` +
		`"vocab":{"[UNK]":0,"a":1,"b":2,"##b":3,"the":4,".":5}}}`))
	f.Add([]byte(`{"pre_tokenizer":{"type":"BertPreTokenizer"},"model":{"vocab":{"[UNK]":0,"a":1,"##b":2}}}`))
	f.Add([]byte(`{"normalizer":{"type":"Sequence","normalizers":[{"type":"NFKC"},{"type":"Lowercase"}]},"pre_tokenizer":{"type":"BertPreTokenizer"},"model":{"type":"WordPiece","unk_token":"a","continuing_subword_prefix":"","vocab":{"a":0,"b":1}}}`))
	f.Add([]byte(`{"model":{"type":"BPE"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := Load(data)
		if err != nil {
			return
		}
		out, err := tok.JSON()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Load(out)
		if err != nil {
			t.Fatalf("Load(JSON()) failed: %v\n%s", err, out)
		}
		again, _ := back.JSON()
		if !bytes.Equal(out, again) {
			t.Fatal("JSON -> Load -> JSON changed the document")
		}
		for _, text := range []string{"ab abb b", "A.B", string(data)} {
			ids := tok.IDs(text)
			if !slices.Equal(ids, back.IDs(text)) {
				t.Fatalf("%q: ids differ after the round trip", text)
			}
			for _, id := range ids {
				if id < 0 || id >= tok.VocabSize() {
					t.Fatalf("%q: id %d outside [0, %d)", text, id, tok.VocabSize())
				}
			}
		}
	})
}

var (
	fuzzOnce sync.Once
	fuzzToks []*Tokenizer
)

// FuzzIDs: on any text the fast path gives the library's ids (where the
// library does not fail), all in range.
//
// Seeds longer than 256 bytes (the longest tricky texts) are left out, for
// the minimising cost FuzzLoad describes; TestFastPathMatchesLibrary
// compares them.
func FuzzIDs(f *testing.F) {
	for _, s := range append(fixtureSentences(f), trickyTexts...) {
		if len(s) <= 256 {
			f.Add(s)
		}
	}
	fuzzOnce.Do(func() {
		fuzzToks = append(fuzzToks, mustTrain(f, fixtureSentences(f), Config{VocabSize: 1000, MinFrequency: 1, Lowercase: true}))
		fuzzToks = append(fuzzToks, mustLoadFile(f, filepath.Join("testdata", "bert-tiny", "tokenizer.json")))
	})
	f.Fuzz(func(t *testing.T, text string) {
		for _, tok := range fuzzToks {
			got := tok.IDs(text)
			for _, id := range got {
				if id < 0 || id >= tok.VocabSize() {
					t.Fatalf("id %d outside [0, %d)", id, tok.VocabSize())
				}
			}
			want, err := tok.libraryIDs(text, false)
			if err != nil {
				continue // the library's own failure, not ours
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%q:\n fast    %v\n library %v", text, tokensOf(tok, got), tokensOf(tok, want))
			}
		}
	})
}
