package subword

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stance-project/stance/labels"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func TestTrainDeterministic(t *testing.T) {
	cases := []struct {
		name      string
		sentences func(testing.TB) []string
		cfg       Config
	}{
		{"fixtures", fixtureSentences, Config{VocabSize: 400, MinFrequency: 1, Lowercase: true}},
		{"fixtures-cased", fixtureSentences, Config{VocabSize: 400, MinFrequency: 2, Lowercase: false}},
		{"shared-train", func(tb testing.TB) []string { return trainSentences(tb) }, DefaultConfig()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sentences := c.sentences(t)
			first, err := mustTrain(t, sentences, c.cfg).JSON()
			if err != nil {
				t.Fatal(err)
			}
			again, _ := mustTrain(t, sentences, c.cfg).JSON()
			if !bytes.Equal(first, again) {
				t.Error("training twice on the same sentences gave different tokenizer.json")
			}
			// Only word counts matter, so sentence order does not.
			reversed := slices.Clone(sentences)
			slices.Reverse(reversed)
			if rev, _ := mustTrain(t, reversed, c.cfg).JSON(); !bytes.Equal(first, rev) {
				t.Error("training on the sentences in reverse order gave a different tokenizer.json")
			}
		})
	}
}

func TestTrainVocabulary(t *testing.T) {
	sentences := fixtureSentences(t)
	cfg := Config{VocabSize: 1200, MinFrequency: 1, Lowercase: true}
	tok := mustTrain(t, sentences, cfg)
	for id, want := range specialTokens {
		if got := tok.Token(id); got != want {
			t.Errorf("Token(%d) = %q, want %q", id, got, want)
		}
	}
	if tok.UnknownID() != 1 || tok.Token(tok.UnknownID()) != "[UNK]" {
		t.Errorf("UnknownID() = %d (%q), want 1 ([UNK])", tok.UnknownID(), tok.Token(tok.UnknownID()))
	}
	if tok.VocabSize() != cfg.VocabSize {
		t.Errorf("VocabSize() = %d, want %d (the corpus has more pairs to merge)", tok.VocabSize(), cfg.VocabSize)
	}
	for id := range tok.VocabSize() {
		if got, ok := tok.ID(tok.Token(id)); !ok || got != id {
			t.Errorf("ID(Token(%d)) = %d, %v", id, got, ok)
		}
	}
	if tok.Token(-1) != "" || tok.Token(tok.VocabSize()) != "" {
		t.Error("Token outside [0, VocabSize()) is not empty")
	}
	// Every training word is spelled without [UNK]: its characters are in
	// the alphabet (fewer than alphabetLimit here) and words are at most
	// 100 characters.
	for _, s := range sentences {
		for _, w := range tok.Words(s) {
			if ids := tok.IDs(w); slices.Contains(ids, tok.UnknownID()) && len([]rune(w)) <= maxWordChars {
				t.Errorf("training word %q encodes with [UNK]: %v", w, tok.Tokens(w))
			}
		}
	}
	// A small budget stops merging early; a large one stops when no pair
	// is left (MinFrequency 2 leaves some).
	small := mustTrain(t, sentences, Config{VocabSize: 10, MinFrequency: 1, Lowercase: true})
	if alphabet := small.VocabSize(); alphabet < 100 {
		t.Errorf("VocabSize() = %d with a budget below the alphabet, want the whole alphabet kept", alphabet)
	}
	big := mustTrain(t, sentences, Config{VocabSize: 1 << 20, MinFrequency: 2, Lowercase: true})
	if big.VocabSize() >= 1<<20 || big.VocabSize() <= tok.VocabSize()/2 {
		t.Errorf("VocabSize() = %d for an unreachable budget", big.VocabSize())
	}
}

func TestTrainErrors(t *testing.T) {
	cases := []struct {
		name      string
		sentences []string
		cfg       Config
		wantErr   string
	}{
		{"vocab too small", []string{"a b"}, Config{VocabSize: 5, MinFrequency: 1}, "below the minimum"},
		{"negative min frequency", []string{"a b"}, Config{VocabSize: 100, MinFrequency: -1}, "negative minimum frequency"},
		{"no sentences", nil, DefaultConfig(), "no words"},
		{"only whitespace", []string{"", "  ", "\t\n"}, DefaultConfig(), "no words"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Train(slices.Values(c.sentences), c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("Train error = %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}

func TestTrainReader(t *testing.T) {
	text := strings.Join(fixtureSentences(t), "\n")
	cfg := Config{VocabSize: 300, MinFrequency: 1, Lowercase: true}
	fromReader, err := TrainReader(strings.NewReader(text), cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := fromReader.JSON()
	b, _ := mustTrain(t, fixtureSentences(t), cfg).JSON()
	if !bytes.Equal(a, b) {
		t.Error("TrainReader and Train on the same lines differ")
	}
	long := "ok\n" + strings.Repeat("x", maxLineBytes+1) + "\n"
	if _, err := TrainReader(strings.NewReader(long), cfg); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("TrainReader on an over-long line 2: error %v", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	texts := append(fixtureSentences(t), trickyTexts...)
	for name, tok := range map[string]*Tokenizer{
		"trained": mustTrain(t, fixtureSentences(t), Config{VocabSize: 500, MinFrequency: 1, Lowercase: true}),
		"cased":   mustTrain(t, fixtureSentences(t), Config{VocabSize: 500, MinFrequency: 1}),
		"loaded":  mustLoadFile(t, filepath.Join("testdata", "bert-tiny", "tokenizer.json")),
	} {
		t.Run(name, func(t *testing.T) {
			data, err := tok.JSON()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "tokenizer.json")
			var buf bytes.Buffer
			if err := tok.Write(&buf); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			back := mustLoadFile(t, path)
			again, _ := back.JSON()
			if !bytes.Equal(data, again) {
				t.Error("JSON -> Load -> JSON changed the document")
			}
			if back.VocabSize() != tok.VocabSize() || back.UnknownID() != tok.UnknownID() {
				t.Errorf("loaded VocabSize/UnknownID %d/%d, want %d/%d", back.VocabSize(), back.UnknownID(), tok.VocabSize(), tok.UnknownID())
			}
			for _, text := range texts {
				if got, want := back.IDs(text), tok.IDs(text); !slices.Equal(got, want) {
					t.Errorf("%q: loaded %v, original %v", text, back.Tokens(text), tok.Tokens(text))
				}
			}
		})
	}
}

func TestLoadHuggingFaceFixture(t *testing.T) {
	// testdata/bert-tiny/tokenizer.json is a hand-written BERT-style file:
	// BertNormalizer with strip_accents null (so accents are stripped, as
	// lowercase is on), a TemplateProcessing post-processor and added
	// special tokens, both of which encoding ignores.
	tok := mustLoadFile(t, filepath.Join("testdata", "bert-tiny", "tokenizer.json"))
	if tok.VocabSize() != 115 || tok.UnknownID() != 1 {
		t.Fatalf("VocabSize, UnknownID = %d, %d; want 115, 1", tok.VocabSize(), tok.UnknownID())
	}
	cases := []struct {
		in   string
		want string // space-separated tokens
	}{
		{"", ""},
		{"The Russians support Ukraine.", "the russia ##n ##s support ukraine ."},
		{"Défense spending!", "defen ##se spend ##ing !"},
		{"NATO's southern flank", "nato ' s south ##ern flank"},
		{"café, Italy", "cafe , ita ##ly"},
		{"中国", "中 国"},
		{"Россия 😀", "[UNK] [UNK]"},
		{"[CLS] dialogue [SEP]", "[UNK] c ##l ##s [UNK] dialog ##ue [UNK] s ##e ##p [UNK]"}, // special tokens in text are text; "[" is not in this vocabulary
		{"Dialogues", "dialog ##ue ##s"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := strings.Join(tok.Tokens(c.in), " "); got != c.want {
				t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "bert-tiny", "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	model := func(extra string) string {
		return `{"normalizer":null,"pre_tokenizer":{"type":"BertPreTokenizer"},"model":{` + extra + `}}`
	}
	cases := []struct {
		name        string
		doc         string
		wantErr     string
		unsupported bool
	}{
		{"empty", "", "unexpected end of JSON input", false},
		{"syntax", "{\n  \"model\": {\n    \"type\": \"WordPiece\",,\n", "tokenizer.json:3:25: invalid character ','", false},
		{"type error", "{\n\"model\": []}", "tokenizer.json:2:10: json: cannot unmarshal array", false},
		{"no model", `{"normalizer":null}`, `no "model"`, false},
		{"bpe", model(`"type":"BPE","vocab":{"a":0},"merges":[]`), `model type "BPE"`, true},
		{"untyped bpe", model(`"vocab":{"a":0},"merges":["a b"]`), `"merges"`, true},
		{"no vocab", model(`"type":"WordPiece"`), `no "vocab"`, false},
		{"vocab not object", model(`"type":"WordPiece","vocab":[1]`), "vocab", false},
		{"id gap", model(`"type":"WordPiece","vocab":{"[UNK]":0,"a":2}`), `token "a" has id 2, outside [0, 2)`, false},
		{"shared id", model(`"type":"WordPiece","vocab":{"[UNK]":0,"a":0}`), `tokens "[UNK]" and "a" share id 0`, false},
		{"no unk", model(`"type":"WordPiece","vocab":{"a":0}`), `unknown token "[UNK]" is not in the vocabulary`, false},
		{"custom unk missing", model(`"type":"WordPiece","unk_token":"<unk>","vocab":{"[UNK]":0}`), `"<unk>"`, false},
		{"bad max chars", model(`"type":"WordPiece","max_input_chars_per_word":0,"vocab":{"[UNK]":0}`), "must be positive", false},
		{"empty token", model(`"type":"WordPiece","vocab":{"[UNK]":0,"":1}`), "empty token", false},
		{"unknown normalizer", `{"normalizer":{"type":"Nmt"},"pre_tokenizer":{"type":"BertPreTokenizer"},"model":{"type":"WordPiece","vocab":{"[UNK]":0}}}`, `normalizer: type "Nmt"`, true},
		{"nested unknown normalizer", `{"normalizer":{"type":"Sequence","normalizers":[{"type":"NFC"},{"type":"Replace"}]},"pre_tokenizer":{"type":"BertPreTokenizer"},"model":{"type":"WordPiece","vocab":{"[UNK]":0}}}`, `normalizers[1]: type "Replace"`, true},
		{"byte level", `{"pre_tokenizer":{"type":"ByteLevel"},"model":{"type":"WordPiece","vocab":{"[UNK]":0}}}`, `pre_tokenizer: type "ByteLevel"`, true},
		{"no pre-tokenizer", `{"model":{"type":"WordPiece","vocab":{"[UNK]":0}}}`, "pre_tokenizer: none", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load([]byte(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("Load error = %v, want one containing %q", err, c.wantErr)
			}
			var pe *labels.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *labels.ParseError", err)
			}
			if got := errors.Is(err, ErrUnsupported); got != c.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", got, c.unsupported)
			}
		})
	}
	t.Run("file name in errors", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "broken.json")
		os.WriteFile(path, fixture[:len(fixture)/2], 0o644)
		_, err := LoadFile(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+":") {
			t.Errorf("LoadFile error = %v, want it to start with %q", err, path+":")
		}
	})
	t.Run("missing file", func(t *testing.T) {
		if _, err := LoadFile(filepath.Join(t.TempDir(), "absent.json")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("LoadFile error = %v, want os.ErrNotExist", err)
		}
	})
}

func TestUnseenScripts(t *testing.T) {
	// Trained on English only: other scripts are unknown, never a panic.
	english := []string{
		"The council must support dialogue and defence spending.",
		"Allies on the southern flank call for more attention.",
	}
	tok := mustTrain(t, english, Config{VocabSize: 200, MinFrequency: 1, Lowercase: true})
	unk := tok.UnknownID()
	cases := []struct {
		in   string
		want string
	}{
		{"Россия dialogue", "[UNK] dialogue"},
		{"مصر support", "[UNK] support"},
		{"中国 council", "[UNK] [UNK] council"},        // ideographs are split apart
		{"日本は council", "[UNK] [UNK] [UNK] council"}, // kana are not ideographs: は is a word
		{"한국 allies", "[UNK] allies"},
		{"😀 👍🏽 👨‍👩‍👧", "[UNK] [UNK] [UNK]"},
		{"dialogue😀", "[UNK]"}, // one unknown character spoils the word
		{"caféteria", "[UNK]"},
		{"ⱥⱦ Ⱥ", "[UNK] [UNK]"},
		{"مُصْرٌ support", "[UNK] support"},                            // Arabic with vowel marks
		{"नमस्ते allies", "[UNK] allies"},                              // Devanagari, a virama inside
		{"\u0301\u0308 council", "[UNK] council"},                      // combining marks without a base
		{strings.Repeat("dialogue", 13) + " council", "[UNK] council"}, // 104 known characters
		{"\xff\xfe", ""},                                               // invalid bytes read as U+FFFD, which clean_text drops
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got := tok.Tokens(c.in)
			if strings.Join(got, " ") != c.want {
				t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
			}
			for _, id := range tok.IDs(c.in) {
				if id < 0 || id >= tok.VocabSize() {
					t.Errorf("id %d outside [0, %d)", id, tok.VocabSize())
				}
			}
			lib, err := tok.libraryIDs(c.in, false)
			if err != nil || !slices.Equal(lib, tok.IDs(c.in)) {
				t.Errorf("library gives %v (%v), fast path %v", lib, err, tok.IDs(c.in))
			}
		})
	}
	for _, text := range trickyTexts {
		for _, id := range tok.IDs(text) {
			if id < 0 || id >= tok.VocabSize() {
				t.Errorf("%q: id %d outside [0, %d)", text, id, tok.VocabSize())
			}
		}
	}
	if !slices.Contains(tok.IDs("Россия"), unk) {
		t.Error("Cyrillic word not unknown")
	}
}

func TestEdgeInputs(t *testing.T) {
	tok := mustTrain(t, []string{strings.Repeat("a", 150) + " ab ba aab."}, Config{VocabSize: 50, MinFrequency: 1, Lowercase: true})
	unk := tok.Token(tok.UnknownID())
	cases := []struct {
		name  string
		in    string
		want  []string // nil: pieces of the vocabulary, none unknown
		empty bool     // no tokens at all
	}{
		{"empty", "", nil, true},
		{"whitespace", " \t\n\r\f ", nil, true},
		{"control only", "\x00\x01\x7f\u200b", nil, true},
		{"100 characters", strings.Repeat("a", 100), nil, false},
		{"101 characters", strings.Repeat("a", 101), []string{unk}, false},
		{"101 characters then a word", strings.Repeat("a", 101) + " ab", []string{unk, "ab"}, false},
		{"101 accented characters", strings.Repeat("é", 101), []string{unk}, false},
		{"huge word", strings.Repeat("ab", 1<<16), []string{unk}, false},
		{"punctuation splits long words", strings.Repeat("ab.", 100), nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := tok.Tokens(c.in)
			switch {
			case c.empty:
				if len(got) != 0 || tok.IDs(c.in) != nil {
					t.Errorf("Tokens = %q, want none", got)
				}
			case c.want != nil:
				if !slices.Equal(got, c.want) {
					t.Errorf("Tokens = %q, want %q", got, c.want)
				}
			default:
				if len(got) == 0 || slices.Contains(got, unk) {
					t.Errorf("Tokens = %q, want pieces without %s", got, unk)
				}
			}
		})
	}
	// AppendIDs appends; IDs of a long text equals the ids of its words.
	dst := tok.AppendIDs([]int{42}, "ab")
	if dst[0] != 42 || len(dst) < 2 {
		t.Errorf("AppendIDs did not append: %v", dst)
	}
	long := strings.Repeat("ab ba. ", 1<<15)
	if got, want := len(tok.IDs(long)), (1<<15)*len(tok.IDs("ab ba. ")); got != want {
		t.Errorf("len(IDs(long text)) = %d, want %d", got, want)
	}
}

func TestConcurrentEncode(t *testing.T) {
	// Run with -race. Goroutines encode the same texts in different orders
	// on one cold tokenizer; all must match a single-goroutine reference
	// computed on another tokenizer with the same vocabulary.
	texts := append(fixtureSentences(t), trickyTexts...)
	shared := mustTrain(t, fixtureSentences(t), Config{VocabSize: 500, MinFrequency: 1, Lowercase: true})
	data, _ := shared.JSON()
	reference, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]int, len(texts))
	for i, text := range texts {
		want[i] = reference.IDs(text)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			var dst []int
			for k := range texts {
				i := (k*(g+1) + g) % len(texts) // a different order per goroutine
				dst = shared.AppendIDs(dst[:0], texts[i])
				if !slices.Equal(dst, want[i]) {
					t.Errorf("goroutine %d, %q: %v, want %v", g, texts[i], dst, want[i])
				}
				_ = shared.Tokens(texts[i])
			}
		})
	}
	wg.Wait()
}

func TestCacheBound(t *testing.T) {
	tok := mustTrain(t, fixtureSentences(t), Config{VocabSize: 300, MinFrequency: 1, Lowercase: true})
	tok.cache.limit = 5
	text := strings.Join(fixtureSentences(t), " ")
	first := tok.IDs(text)
	if n := tok.cache.len(); n != 5 {
		t.Errorf("cache holds %d words, limit 5", n)
	}
	if again := tok.IDs(text); !slices.Equal(first, again) {
		t.Error("encoding changed once the cache was full")
	}
}

func TestGoldenTokens(t *testing.T) {
	// The trained vocabulary and the tokens of the fixture sentences are
	// pinned, so a change of training or encoding shows in review.
	tok := mustTrain(t, fixtureSentences(t), Config{VocabSize: 1000, MinFrequency: 2, Lowercase: true})
	data, _ := tok.JSON()
	var lines []string
	for _, s := range fixtureSentences(t) {
		lines = append(lines, strings.Join(tok.Tokens(s), " "))
	}
	tokens := []byte(strings.Join(lines, "\n") + "\n")
	for name, got := range map[string][]byte{"tokenizer.json": data, "tokens.txt": tokens} {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file (run go test -update if the change is intended)", path)
		}
	}
}
