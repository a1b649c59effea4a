// Package pipeline turns raw articles and speeches into clean, dated,
// tokenized sentences: readers for each input format, boilerplate
// cleaning, sentence splitting, date normalisation and the subword
// tokenizer (github.com/sugarme/tokenizer lives only here).
package pipeline
