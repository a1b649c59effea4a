package pipeline

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitSentences splits text into sentences, in order, each trimmed and
// with every run of white space collapsed to one space.
//
// Paragraphs: a blank line ends a paragraph, unless the line before it
// left a sentence open and the line after starts in lower case, or the
// line before ends with a function word, comma or hyphen (a page break
// in text extracted from PDF); single newlines inside a paragraph
// are joined with a space (a line ending in "letter-" followed
// by a letter is joined without one, keeping the hyphen, as in
// "forty-\neighth"; likewise before a capital, "Euro-\nAtlantic"). A bullet line starts a new paragraph and loses its
// marker: "•", "*", "▪", "◦", "‣", "●" always; "-", "–", "—" and numbers
// such as "1." or "12)" only when the previous line ended a sentence (or a
// colon), was itself a bullet item or there is none, so that a dash or a
// number at the start of a hard-wrapped line is not taken for a marker.
// A bullet item is never joined with the next bullet.
//
// Boundaries: ".", "!", "?", "…" and runs of them, followed by closing
// quotes or brackets and then white space. A period does not end a
// sentence after a title (Mr., Dr., Hon., Gen., St., ...), an initial
// ("J. F. Kennedy"), "e.g.", "i.e.", "cf." or "vs.", "No."/"p."/"Art."
// before a number, a month abbreviation before a number ("Oct. 14"), a
// dotted acronym ("U.S.", "p.m.") unless a common sentence opener
// follows, other abbreviations ("etc.", "Inc.") unless an upper-case word
// follows, or when the next word starts in lower case. Periods not followed
// by white space (1.7%, $29.2, U.S.-led) never split. Empty input gives
// no sentences.
func SplitSentences(text string) []string {
	return AppendSentences(nil, text)
}

// AppendSentences appends the sentences of text to dst, as SplitSentences
// does, and returns the extended slice.
func AppendSentences(dst []string, text string) []string {
	var para []byte
	inBullet := false
	prevFinished := true
	pendingBreak := false
	prevOpen := false
	flush := func() {
		if len(para) > 0 {
			dst = splitParagraph(dst, para)
		}
		para = para[:0]
		inBullet = false
	}
	for len(text) > 0 {
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		t := trimSpace(line)
		if t == "" {
			pendingBreak = len(para) > 0
			continue
		}
		if pendingBreak {
			pendingBreak = false
			// A blank line inside a sentence (a page break in extracted
			// text: "... satisfactorily. We\n\nare encouraged") does not
			// end the paragraph when the next line starts in lower case
			// or the line before ends with a function word ("The").
			if r, _ := utf8.DecodeRuneInString(t); prevFinished || !unicode.IsLower(r) && !prevOpen {
				flush()
				prevFinished = true
			}
		}
		if rest, ok := bulletMarker(t, prevFinished || len(para) == 0 || inBullet); ok {
			flush()
			inBullet = true
			t = rest
			if t == "" {
				continue
			}
		}
		if len(para) > 0 {
			if !hyphenJoin(para, t) {
				para = append(para, ' ')
			}
		}
		para = appendCollapsed(para, t)
		prevFinished = endsSentence(t)
		prevOpen = !prevFinished && endsOpen(t)
	}
	flush()
	return dst
}

// endsOpen reports whether t ends with a function word ("of the"), a
// comma or a hyphen: a sentence certainly goes on.
func endsOpen(t string) bool {
	last := t
	if i := strings.LastIndexFunc(last, isSpace); i >= 0 {
		last = last[i+1:]
	}
	r, _ := utf8.DecodeLastRuneInString(last)
	return r == ',' || r == '-' || isFunctionWord(last)
}

// isSpace reports Unicode white space, including no-break spaces.
func isSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u2007' || r == '\u202f'
}

// trimSpace trims Unicode white space (with no-break spaces) from s.
func trimSpace(s string) string {
	return strings.TrimFunc(s, isSpace)
}

// appendCollapsed appends s to b with every run of white space replaced by
// one ASCII space.
func appendCollapsed(b []byte, s string) []byte {
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n' {
				space = true
				i++
				continue
			}
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			space = true
		} else {
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

// bulletMarker reports whether t starts with a list marker and returns the
// rest. Dashes and numbers count only if numbered is true.
func bulletMarker(t string, numbered bool) (string, bool) {
	r, n := utf8.DecodeRuneInString(t)
	switch r {
	case '•', '▪', '◦', '‣', '●', '■', '►':
		return trimSpace(t[n:]), true
	case '*':
		if len(t) == 1 || t[1] == ' ' || t[1] == '\t' {
			return trimSpace(t[n:]), true
		}
		return t, false
	case '-', '–', '—':
		if numbered && (len(t) == n || isSpaceByteOrNBSP(t[n:])) {
			return trimSpace(t[n:]), true
		}
		return t, false
	}
	if !numbered || r < '0' || r > '9' {
		return t, false
	}
	i := 0
	for i < len(t) && i < 4 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 3 || i == len(t) || (t[i] != '.' && t[i] != ')') {
		return t, false
	}
	i++
	if i == len(t) {
		return "", true
	}
	if !isSpaceByteOrNBSP(t[i:]) {
		return t, false
	}
	return trimSpace(t[i:]), true
}

func isSpaceByteOrNBSP(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isSpace(r)
}

// hyphenJoin reports whether para ends in "letter-" and t starts with a
// letter: a word broken at the end of a line ("forty-\neighth",
// "Euro-\nAtlantic"). A dash used as punctuation has a space before it.
func hyphenJoin(para []byte, t string) bool {
	if len(para) < 2 || para[len(para)-1] != '-' {
		return false
	}
	prev, _ := utf8.DecodeLastRune(para[:len(para)-1])
	if !unicode.IsLetter(prev) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(t)
	return unicode.IsLetter(next)
}

// endsSentence reports whether the line ends with terminal punctuation
// (or a colon), ignoring closing quotes and brackets.
func endsSentence(t string) bool {
	for len(t) > 0 {
		r, n := utf8.DecodeLastRuneInString(t)
		switch r {
		case '.', '!', '?', '…', ':':
			return true
		case '"', '\'', ')', ']', '”', '’', '»', ' ', '\t', '*', '†':
			t = t[:len(t)-n]
			continue
		}
		return false
	}
	return false
}

func isClosing(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '”', '’', '»':
		return true
	}
	return false
}

func isOpening(r rune) bool {
	switch r {
	case '"', '\'', '(', '[', '“', '‘', '«':
		return true
	}
	return false
}

// splitParagraph appends the sentences of one paragraph (white space
// already collapsed) to dst.
func splitParagraph(dst []string, p []byte) []string {
	start := 0
	i := 0
	for i < len(p) {
		c := p[i]
		isTerm := c == '.' || c == '!' || c == '?'
		if !isTerm && c == 0xE2 && i+2 < len(p) && p[i+1] == 0x80 && p[i+2] == 0xA6 { // …
			isTerm = true
		}
		if !isTerm {
			i++
			continue
		}
		// The run of terminators.
		j := i
		for j < len(p) {
			if p[j] == '.' || p[j] == '!' || p[j] == '?' {
				j++
				continue
			}
			if p[j] == 0xE2 && j+2 < len(p) && p[j+1] == 0x80 && p[j+2] == 0xA6 {
				j += 3
				continue
			}
			break
		}
		// Closing quotes and brackets.
		k := j
		for k < len(p) {
			r, n := utf8.DecodeRune(p[k:])
			if !isClosing(r) {
				break
			}
			k += n
		}
		if k < len(p) && p[k] != ' ' {
			i = j
			continue
		}
		if boundary(p, start, i, j, k) {
			dst = appendSentence(dst, p[start:k])
			start = k
		}
		i = k
	}
	return appendSentence(dst, p[start:])
}

func appendSentence(dst []string, s []byte) []string {
	t := strings.TrimSpace(string(s))
	if t != "" {
		dst = append(dst, t)
	}
	return dst
}

// boundary decides whether the terminators p[i:j] (followed by closers up
// to k and then a space or the end) end a sentence.
func boundary(p []byte, start, i, j, k int) bool {
	n := k
	for n < len(p) && p[n] == ' ' {
		n++
	}
	if n == len(p) {
		return true
	}
	next, size := utf8.DecodeRune(p[n:])
	if next == '.' || next == '…' {
		return false // spaced ellipsis ". . ."
	}
	nextWord := n
	if isOpening(next) {
		nextWord = n + size
		next, _ = utf8.DecodeRune(p[nextWord:])
	}
	lower := unicode.IsLower(next)
	upper := unicode.IsUpper(next)
	term := p[i:j]
	if j-i > 1 || term[0] != '.' {
		hasBang := false
		for _, c := range term {
			if c == '!' || c == '?' {
				hasBang = true
			}
		}
		if hasBang {
			return !lower
		}
		return upper // ellipsis: a new sentence only if a capital follows
	}
	// A single period: look at the word before it.
	ws := i
	for ws > start && p[ws-1] != ' ' {
		ws--
	}
	word := string(p[ws:i])
	word = strings.TrimLeftFunc(word, isOpening)
	if word == "" {
		return !lower
	}
	if r, _ := utf8.DecodeLastRuneInString(word); isClosing(r) {
		return !lower
	}
	digitNext := next >= '0' && next <= '9'
	if titles[word] {
		return false
	}
	lw := strings.ToLower(word)
	switch {
	case alwaysAbbrev[lw]:
		return false
	case numberAbbrev[lw] && (digitNext || isRoman(nextWordOf(p, nextWord))):
		return false
	case monthAbbrev[lw] && digitNext && unicode.IsUpper(rune(word[0])):
		return false
	}
	if r, n := utf8.DecodeRuneInString(word); n == len(word) && unicode.IsUpper(r) {
		return false // an initial
	}
	if isDottedAcronym(word) {
		return starters[nextWordOf(p, nextWord)]
	}
	if generalAbbrev[lw] {
		return upper
	}
	return !lower
}

// isRoman reports upper-case Roman numerals up to five letters ("II",
// "XIV").
func isRoman(w string) bool {
	if w == "" || len(w) > 5 {
		return false
	}
	return strings.Trim(w, "IVXLC") == ""
}

// nextWordOf returns the letters starting at p[i].
func nextWordOf(p []byte, i int) string {
	j := i
	for j < len(p) {
		r, n := utf8.DecodeRune(p[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += n
	}
	return string(p[i:j])
}

// isDottedAcronym reports words like "U.S", "U.N", "p.m", "a.m" (the
// final period already removed): single letters separated by periods.
func isDottedAcronym(w string) bool {
	if len(w) < 3 {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if i%2 == 1 {
			if c != '.' {
				return false
			}
		} else if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return len(w)%2 == 1
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// titles precede a name: never a sentence end. Case-sensitive.
var titles = set("Mr", "Mrs", "Ms", "Messrs", "Mme", "Mlle", "Dr", "Prof", "Hon", "Rt",
	"Gen", "Lt", "Col", "Maj", "Capt", "Cmdr", "Cdr", "Adm", "Sgt", "Cpl", "Brig",
	"Gov", "Sen", "Rep", "Rev", "Fr", "St", "Mt", "Ft", "Amb", "Pres", "Supt", "Insp")

// alwaysAbbrev are followed by more of the same sentence (lower case).
var alwaysAbbrev = set("e.g", "i.e", "cf", "vs", "viz", "eg", "ie")

// numberAbbrev do not end a sentence before a number.
var numberAbbrev = set("no", "nos", "p", "pp", "art", "arts", "para", "paras", "sect", "sects",
	"vol", "vols", "ch", "chap", "fig", "figs", "sec", "ref", "res", "op", "nr")

var monthAbbrev = set("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
	"oct", "nov", "dec")

// generalAbbrev end a sentence only before an upper-case word.
var generalAbbrev = set("etc", "inc", "ltd", "co", "corp", "jr", "sr", "bros",
	"dept", "est", "govt", "approx", "al", "univ", "assn", "misc", "ca", "plc", "llc")

// starters are words that commonly open a sentence; after a dotted
// acronym ("U.S.") only these make a boundary.
var starters = set("The", "A", "An", "It", "Its", "This", "That", "These", "Those",
	"We", "I", "He", "She", "They", "You", "Our", "My", "His", "Her", "Their",
	"In", "On", "At", "But", "And", "Or", "So", "If", "As", "For", "With", "When",
	"While", "There", "Here", "What", "Why", "How", "Who", "Which", "Yet", "However",
	"Moreover", "Meanwhile", "Today", "Now", "After", "Before", "Since", "Although",
	"Also", "Such", "Some", "Many", "Most", "All", "No", "Not", "One", "Let", "Thus",
	"Therefore", "Indeed", "Still", "Then", "Finally", "Both", "Each", "Every",
	"According", "Last", "Despite", "Under", "From", "By", "To", "Nor", "Further",
	"Furthermore", "Instead", "Later", "Earlier", "Once", "Only", "Even", "Because")
