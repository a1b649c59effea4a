package pipeline

import (
	"strconv"
	"strings"
	"unicode"
)

// Sentences cleans a document (Clean), splits it (SplitSentences) and
// numbers what is left: Index counts from 0, ID is "<doc.ID>:<Index>", so
// ids are stable across runs as long as the text, the title and this
// package's rules do not change. A document with a title (Title) has it
// as its first sentence, Index 0, marked Title, so that a headline is
// classified like the rest; when the text itself starts with the title
// (compared by TitleKey), that sentence is the title and is not repeated.
// Pieces with no letter at all ("2015.", "***") are not sentences and are
// left out before numbering. DocID, Date and Source are copied from the
// document; Meta is the document's slice, shared, not a copy — do not
// modify it. A document with no prose and no title gives nil.
func Sentences(doc Document) []Sentence {
	parts := AppendSentences(nil, Clean(doc.Text))
	title := Title(doc)
	if title == "" && len(parts) == 0 {
		return nil
	}
	out := make([]Sentence, 0, len(parts)+1)
	prefix := doc.ID + ":"
	add := func(text string, isTitle bool) {
		i := len(out)
		out = append(out, Sentence{
			ID:     prefix + strconv.Itoa(i),
			DocID:  doc.ID,
			Date:   doc.Date,
			Source: doc.Source,
			Index:  i,
			Text:   text,
			Meta:   doc.Meta,
			Title:  isTitle,
		})
	}
	if title != "" {
		add(title, true)
	}
	for _, p := range parts {
		if !hasLetter(p) {
			continue
		}
		if len(out) == 1 && out[0].Title && TitleKey(p) == TitleKey(title) {
			continue // the text starts with its headline: once is enough
		}
		add(p, false)
	}
	return out
}

// Title returns a document's title: the first non-empty value of its
// metadata "title" or "headline" (any case), with runs of white space
// made single spaces; "" when it has none or it has no letter.
func Title(doc Document) string {
	for _, m := range doc.Meta {
		if !strings.EqualFold(m.Key, "title") && !strings.EqualFold(m.Key, "headline") {
			continue
		}
		if t := strings.Join(strings.Fields(m.Value), " "); t != "" && hasLetter(t) {
			return t
		}
	}
	return ""
}

// TitleKey folds what may differ between a headline and the same words
// opening the text: case, spacing and final punctuation.
func TitleKey(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, ".!?:;,… ")
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
