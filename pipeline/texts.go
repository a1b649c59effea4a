package pipeline

import "iter"

// SentenceTexts streams the text of every sentence of every document that
// ReadDocuments yields for paths, cleaned and split as Sentences does: the
// input of unsupervised training (tokenizer and embeddings).
//
// Every input ReadDocuments skips is passed to onSkip; a nil onSkip
// ignores skips, and a non-nil error from onSkip is yielded once and ends
// the stream. Memory is one document at a time.
func SentenceTexts(paths []string, opts ReadOptions, onSkip func(error) error) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for doc, err := range ReadDocuments(paths, opts) {
			if err != nil {
				if onSkip == nil {
					continue
				}
				if serr := onSkip(err); serr != nil {
					yield("", serr)
					return
				}
				continue
			}
			for _, s := range Sentences(doc) {
				if !yield(s.Text, nil) {
					return
				}
			}
		}
	}
}
