// This file checks our WordPiece model (the library's, as newWordPiece
// builds it) against one the library's own wordpiece.New builds, word by
// word, and our Load against its pretrained loader.

package subword

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/sugarme/tokenizer/model/wordpiece"
	"github.com/sugarme/tokenizer/pretrained"
	"github.com/sugarme/tokenizer/util"
)

func TestLibraryWordPieceModel(t *testing.T) {
	texts := corpus(t)
	for name, tok := range variants(t) {
		if name != "trained-lowercase" && name != "trained-cased" && name != "bert-tiny" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			opts := util.NewParams(nil)
			opts.Set("unk_token", tok.model.unk)
			opts.Set("max_input_chars_per_word", tok.model.maxChars)
			lib, err := wordpiece.New(tok.model.lib.GetVocab(), opts)
			if err != nil {
				t.Fatal(err)
			}
			words := 0
			for _, text := range texts {
				for _, w := range tok.Words(text) {
					libTokens, err := lib.Tokenize(w)
					if err != nil {
						t.Fatalf("%q: %v", w, err)
					}
					var want []int
					for _, lt := range libTokens {
						want = append(want, lt.Id)
					}
					got := tok.model.appendWordIDs(nil, w)
					if !slices.Equal(got, want) {
						t.Errorf("%q: ours %v, library %v", w, got, want)
					}
					words++
				}
			}
			t.Logf("%d words compared", words)
		})
	}
}

func TestLibraryLoadsFixture(t *testing.T) {
	path := filepath.Join("testdata", "bert-tiny", "tokenizer.json")
	ours := mustLoadFile(t, path)
	defer func() {
		if r := recover(); r != nil {
			t.Skipf("the library panics loading a Hugging Face BERT tokenizer.json: %v", r)
		}
	}()
	lib, err := pretrained.FromFile(path)
	if err != nil {
		t.Skipf("the library cannot load %s: %v", path, err)
	}
	for _, text := range fixtureSentences(t) {
		enc, err := lib.EncodeSingle(text, false)
		if err != nil {
			t.Errorf("%q: library: %v", text, err)
			continue
		}
		if got := ours.IDs(text); !slices.Equal(got, enc.Ids) {
			t.Logf("%q:\n ours    %v\n library %v", text, ours.Tokens(text), enc.Tokens)
		}
	}
}
