// Package subword is the project's subword tokenizer, built on
// github.com/sugarme/tokenizer (used nowhere else in the project).
//
// A Tokenizer is a WordPiece model with BERT's normaliser and
// pre-tokenizer. It is trained on sentences (Train) or read from a Hugging
// Face tokenizer.json (Load, LoadFile), and written back as one (JSON), so
// it can travel inside a model file.
//
// Text of a trained tokenizer is put in Unicode NFKC form, stripped of
// control characters, CJK ideographs are set apart, it is lowercased
// (Config.Lowercase), split on whitespace and punctuation (each
// punctuation character is a word), and each word is cut greedily
// into the longest vocabulary pieces; pieces after the first carry the
// "##" prefix. A word that cannot be spelled with the vocabulary (an
// unseen script, an emoji) becomes the single unknown token [UNK]; no
// input makes the tokenizer panic.
//
// Encoding is fast (see Tokenizer): words are found by plain string code
// checked against the library's own pipeline, and each word's ids are
// computed once and memoised.
package subword
