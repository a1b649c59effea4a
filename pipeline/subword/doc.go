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
// (Config.Lowercase), and split on whitespace and punctuation (each
// punctuation character is a word). Each word is then cut by the
// library's WordPiece model (model/wordpiece): greedily into the longest
// vocabulary pieces, pieces after the first carrying the "##" prefix. A
// word that cannot be spelled with the vocabulary (an unseen script, an
// emoji) or is longer than MaxWordChars becomes the single unknown token
// [UNK], and so does a word the library fails or panics on; no input
// makes the tokenizer panic.
//
// Encoding is fast (see Tokenizer): words are found by plain string code
// checked against the library's normalisers and pre-tokenizer, and each
// word's ids are computed once and memoised, so the library's model runs
// once per distinct word.
//
// Training is this package's own deterministic merge learner (the
// library's trainers are nondeterministic and drop the special tokens);
// it produces the vocabulary the library's WordPiece model encodes with.
package subword
