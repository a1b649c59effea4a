package pipeline

import (
	"strconv"
	"unicode"
)

// Sentences cleans a document (Clean), splits it (SplitSentences) and
// numbers what is left: Index counts from 0, ID is "<doc.ID>:<Index>", so
// ids are stable across runs as long as the text and this package's rules
// do not change. Pieces with no letter at all ("2015.", "***") are not
// sentences and are left out before numbering. DocID, Date and Source are
// copied from the document; Meta is the document's slice, shared, not a
// copy — do not modify it. A document with no prose gives nil.
func Sentences(doc Document) []Sentence {
	parts := AppendSentences(nil, Clean(doc.Text))
	if len(parts) == 0 {
		return nil
	}
	out := make([]Sentence, 0, len(parts))
	prefix := doc.ID + ":"
	for _, p := range parts {
		if !hasLetter(p) {
			continue
		}
		i := len(out)
		out = append(out, Sentence{
			ID:     prefix + strconv.Itoa(i),
			DocID:  doc.ID,
			Date:   doc.Date,
			Source: doc.Source,
			Index:  i,
			Text:   p,
			Meta:   doc.Meta,
		})
	}
	return out
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
