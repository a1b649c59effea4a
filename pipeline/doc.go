// Package pipeline turns raw articles and speeches into clean,
// dated sentences: readers for each input format, boilerplate
// cleaning, sentence splitting and date normalisation. The subword
// tokenizer is in pipeline/subword.
package pipeline
