package pipeline

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean removes web-page boilerplate from text and returns the prose that
// is left: the kept lines, in order, with a blank line wherever a block
// ended or a dropped line interrupted one. White space inside lines is
// left to SplitSentences; no-break spaces become spaces, carriage returns,
// zero-width characters and other control characters go. Clean never
// adds or changes words.
//
// Clean judges lines by their shape and by their neighbours, never by a
// list of known pages:
//
//   - Always dropped: cookie and consent notices; lines without a letter
//     and without final punctuation (page numbers, "---", "06-52879 16");
//     and, on lines of at most 40 words, photo captions and credits
//     ("© Agency", "(AP photo ...)", "Photo by", "Getty Images", "(File)",
//     a caption ending ". - Agency Name").
//   - A paywall prompt ("Keep reading", "Subscribe now", "Already a
//     subscriber?", "to read the full article", ...) on a line of at most
//     12 words ends the article: it and everything after it are dropped,
//     since what follows such a prompt is marketing.
//   - Dropped unless the line continues a sentence left open by the line
//     before or belongs to a hard-wrapped block (see below): short
//     interface lines ("Listen Live", "Get short URL", "Subscribe", "log
//     in or register", "Related content", "Skip to content", "You might
//     also be interested in.."); short lines with subscription words;
//     date and time stamps ("08:47 GMT29 November 2020", "• 19 April
//     2017"); tag lists (four or more short comma-separated items without
//     function words); headings and related-headline lists (lines of at
//     most 25 words without final punctuation whose content words are
//     capitalised); fragments without final punctuation of at most three
//     words or with fewer than two lower-case words; and a paragraph made
//     of one line of at most eight words without final punctuation (a
//     title).
//   - Density: in a block (lines between blank lines) of three or more
//     lines of which at least half were dropped, lines without final
//     punctuation are dropped as well: they are the rest of a menu.
//
// Hard-wrapped text is protected: a block of four or more lines, mostly
// of six words or more and mostly without final punctuation, and not made
// of headlines, is prose line by line; and a line without final
// punctuation that ends with a function word ("of the") or is followed by
// a line starting in lower case starts a wrapped sentence and is never a
// heading or a fragment. In a text with more capitals than lower-case
// letters, case-based rules are off.
func Clean(text string) string {
	info, keep := classify(text)
	var b strings.Builder
	b.Grow(len(text))
	needBreak := false
	for i := range info {
		if !keep[i] {
			if i > 0 && keep[i-1] && info[i-1].finished || info[i].blank {
				needBreak = b.Len() > 0 || needBreak
			}
			continue
		}
		if needBreak {
			b.WriteString("\n\n")
			needBreak = false
		} else if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(info[i].text)
	}
	return b.String()
}

// classify describes every line of text and decides which to keep; a
// dropped non-blank line has its reason in why.
func classify(text string) ([]lineInfo, []bool) {
	lines := splitLines(text)
	shouting := isShouting(text)
	info := make([]lineInfo, len(lines))
	for i := range lines {
		info[i] = describe(lines[i])
	}
	keep := make([]bool, len(lines))
	paywall := false
	blockStart := 0
	wrapped := isWrapped(info, 0)
	for i := range lines {
		li := &info[i]
		if li.blank {
			finishBlock(info, keep, blockStart, i)
			blockStart = i + 1
			wrapped = isWrapped(info, i+1)
			continue
		}
		if paywall {
			li.why = "after paywall prompt"
			continue
		}
		if li.why = hardJunk(li); li.why != "" {
			continue
		}
		if !li.letters && !li.finished {
			li.why = "no letters" // page numbers and rules ("24", "06-52879 16", "---")
			continue
		}
		cont := wrapped || i > 0 && keep[i-1] && continues(&info[i-1], li)
		if !cont && li.words <= 12 && paywallPrompt(li.lower()) {
			// A prompt after article text cuts the article there; one
			// above it (a banner over the headline) is only a UI line.
			paywall = slices.Contains(keep[:i], true)
			li.why = "paywall prompt"
			continue
		}
		if !cont {
			if li.why = softJunk(info, i, shouting); li.why != "" {
				continue
			}
		}
		keep[i] = true
	}
	finishBlock(info, keep, blockStart, len(lines))
	return info, keep
}

// isShouting reports whether text has more upper-case than lower-case
// ASCII letters.
func isShouting(text string) bool {
	upper, lower := 0, 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= 'a' && c <= 'z' {
			lower++
		} else if c >= 'A' && c <= 'Z' {
			upper++
		}
	}
	return upper > lower
}

// lineInfo is what Clean knows of one line.
type lineInfo struct {
	text       string // trimmed, markdown emphasis and control characters removed
	body       string // text without a bullet marker
	blank      bool
	words      int  // white-space separated words
	lowerWords int  // words starting with a lower-case letter
	letters    bool // has a letter at all
	finished   bool // ends with terminal punctuation (closing quotes ignored)
	openEnd    bool // ends with a function word, comma or hyphen
	firstLower bool // first letter of the line is lower case
	lc         string
	why        string // why the line was dropped; "" if kept
}

func (li *lineInfo) lower() string {
	if li.lc == "" {
		li.lc = strings.ToLower(li.body)
	}
	return li.lc
}

// needsNormalizing reports whether text has a character splitLines
// changes; a byte scan, since most texts have none.
func needsNormalizing(text string) bool {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c < 0x20 && c != '\n' && c != '\t', c == 0x7f:
			return true
		case c == 0xC2 || c == 0xE2 || c == 0xEF: // lead bytes of U+00A0, U+00AD, U+2007, U+200B-D, U+202F, U+FEFF
			r, _ := utf8.DecodeRuneInString(text[i:])
			switch r {
			case '\u00a0', '\u00ad', '\u2007', '\u200b', '\u200c', '\u200d', '\u202f', '\ufeff':
				return true
			}
			if r >= 0x80 && r < 0xa0 { // C1 controls
				return true
			}
		}
	}
	return false
}

// splitLines splits text into lines with no-break spaces made spaces and
// invisible characters removed.
func splitLines(text string) []string {
	if needsNormalizing(text) {
		text = strings.Map(func(r rune) rune {
			switch r {
			case '\u00a0', '\u202f', '\u2007':
				return ' '
			case '\r', '\u200b', '\u200c', '\u200d', '\ufeff', '\u00ad':
				return -1
			}
			if r != '\n' && r != '\t' && unicode.IsControl(r) {
				return -1
			}
			return r
		}, text)
	}
	return strings.Split(text, "\n")
}

func describe(line string) lineInfo {
	t := trimSpace(line)
	if t == "" {
		return lineInfo{blank: true}
	}
	// Markdown emphasis around a whole line: **Mr President,**
	for _, m := range []string{"**", "__"} {
		if len(t) > 4 && strings.HasPrefix(t, m) && strings.HasSuffix(t, m) {
			t = trimSpace(t[2 : len(t)-2])
		}
	}
	li := lineInfo{text: t, body: t}
	if rest, ok := bulletMarker(t, true); ok {
		li.body = rest
	}
	inWord := false
	for i, r := range li.body {
		if isSpace(r) {
			inWord = false
			continue
		}
		if unicode.IsLetter(r) {
			li.letters = true
		}
		if !inWord {
			li.words++
			if unicode.IsLower(r) {
				li.lowerWords++
			}
			if i == 0 {
				li.firstLower = unicode.IsLower(r)
			}
			inWord = true
		}
	}
	li.finished = endsSentence(li.body) || strings.HasSuffix(li.body, ";")
	if strings.HasSuffix(li.body, "..") && !strings.HasSuffix(li.body, "...") {
		li.finished = false // "You might also be interested in.."
	}
	if !li.finished {
		li.openEnd = endsOpen(li.body)
	}
	return li
}

// isWrapped reports whether the block starting at info[from] is a
// hard-wrapped paragraph: at least four lines, at least 60% of them
// with six words or more, at least 60% without final punctuation and
// under 30% headline-like.
// Every line of such a block continues the one before.
// isLinkList reports whether a paragraph is a list of short lines none of
// which ends a sentence ("Related / Budget talks stall / Navy buys two
// frigates"): related headlines, menus, link lists. A hard-wrapped
// paragraph of prose ends with a finished line, and so does a paragraph
// of short sentences.
func isLinkList(block []lineInfo) bool {
	if len(block) < 2 {
		return false
	}
	for _, li := range block {
		if li.finished || li.words > 12 || li.openEnd {
			return false
		}
	}
	return true
}

func isWrapped(info []lineInfo, from int) bool {
	n, open, long := 0, 0, 0
	for i := from; i < len(info) && !info[i].blank; i++ {
		n++
		if info[i].words >= 6 {
			long++
		}
		if !info[i].finished {
			open++
		}
	}
	if n < 4 || long*10 < n*6 || open*10 < n*6 {
		return false
	}
	titles := 0
	for i := from; i < from+n; i++ {
		if !info[i].finished && titleLike(info[i].body) {
			titles++
			if titles*10 >= n*3 {
				return false
			}
		}
	}
	return true
}

// continues reports whether cur goes on with a sentence that prev, a kept
// line, left open.
func continues(prev, cur *lineInfo) bool {
	if prev.finished {
		return false
	}
	return prev.openEnd || cur.firstLower || prev.words >= 6
}

var functionWords = set("a", "an", "the", "of", "to", "in", "on", "at", "by", "for",
	"with", "from", "and", "or", "but", "nor", "that", "which", "who", "whose",
	"as", "into", "onto", "upon", "than", "its", "their", "our", "his", "her",
	"this", "these", "those", "is", "are", "was", "were", "be", "been", "has",
	"have", "had", "will", "would", "shall", "should", "can", "could", "may",
	"must", "not", "no", "all", "both", "between", "among", "over", "under",
	"about", "against", "during", "without", "within", "towards", "toward", "if",
	"so", "such", "very", "more", "most", "de", "la", "le", "del", "di")

var (
	// Captions and credits.
	photoCredit = regexp.MustCompile(`(?i)\((?:ap|afp|reuters|epa|getty|file|dpa|ansa|tass)?\s*(?:photo|photograph|image|picture|pic)s?\b|\bphoto(?:graph)?s?\s*(?:by|credit|courtesy|source)\b|\bphotos?\s*:|getty images|shutterstock|\(file\)`)
	// A caption ending in a sentence end and an agency: ". - Sputnik International".
	captionSource = regexp.MustCompile(`[.!?)]\s+[-–—|]\s+(?:\p{Lu}[\p{L}'’&.]*\s*){1,4}$`)
)

// hardJunk reports lines that are boilerplate wherever they stand, with
// the reason; "" means keep. Caption rules apply to lines of at most 40
// words: a long paragraph is prose even if it mentions a photo (and old
// scans turn "e" into "©" inside words).
func hardJunk(li *lineInfo) string {
	t := li.text
	if strings.Contains(t, "ookie") || strings.Contains(t, "OOKIE") {
		if strings.Contains(li.lower(), "cookie") {
			return "cookie notice"
		}
	}
	if li.words > 40 {
		return ""
	}
	if i := strings.Index(t, "©"); i >= 0 {
		before, _ := utf8.DecodeLastRuneInString(t[:i])
		after, _ := utf8.DecodeRuneInString(t[i+len("©"):])
		if (i == 0 || !unicode.IsLetter(before)) && !unicode.IsLower(after) {
			return "copyright or photo credit"
		}
	}
	if mayHaveCredit(t) && photoCredit.MatchString(t) {
		return "photo caption"
	}
	if (strings.Contains(t, " - ") || strings.Contains(t, " – ") || strings.Contains(t, " — ") || strings.Contains(t, " | ")) && captionSource.MatchString(t) {
		return "caption with source"
	}
	return ""
}

// mayHaveCredit is a cheap filter before the photoCredit expression.
func mayHaveCredit(t string) bool {
	for _, s := range creditHints {
		if strings.Contains(t, s) {
			return true
		}
	}
	if strings.IndexByte(t, '(') < 0 {
		return false
	}
	for _, s := range creditParenHints {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

var (
	creditHints      = []string{"hoto", "HOTO", "etty", "ETTY", "hutterstock", "HUTTERSTOCK"}
	creditParenHints = []string{"mage", "MAGE", "icture", "ICTURE", "ic)", "IC)", "ics)", "ile)", "ILE)"}
)

// paywallPrompts end the article when found on a short line.
var paywallPrompts = []string{
	"keep reading", "continue reading", "already a subscriber", "subscribe now",
	"subscribe to continue", "subscribe to read", "to read the full", "get full access",
	"subscribers only", "for subscribers", "register to continue", "sign up to read",
	"log in to read", "create a free account", "this article is for", "to unlock this article",
	"start your free trial", "rest of this article",
}

func paywallPrompt(lc string) bool {
	for _, p := range paywallPrompts {
		if strings.Contains(lc, p) {
			return true
		}
	}
	return false
}

// uiStarts are the openings of interface lines (menus, buttons, widgets).
var uiStarts = []string{
	"listen live", "get short url", "short url", "share", "print", "email", "e-mail",
	"subscribe", "sign in", "sign up", "log in", "login", "log out", "register",
	"newsfeed", "news feed", "skip to", "related", "read more", "read also", "see also",
	"more from", "more on", "more stories", "more news", "you might also", "you may also",
	"recommended", "follow us", "advertisement", "comments", "comment", "chats",
	"loader", "loading", "menu", "search", "home", "back to top", "top stories",
	"most read", "most popular", "trending", "tags", "topics", "community standards",
	"show more", "load more", "next article", "previous article", "click here",
	"download", "watch:", "listen:", "video:", "accept all", "accept cookies", "reject all", "join the discussion", "to participate in the discussion",
	"privacy policy", "terms of use", "all rights reserved", "copyright",
}

// uiWords mark subscription and account prompts anywhere in a short line.
var uiWords = []string{"subscri", "newsletter", "log in", "sign in", "sign up", "all-access", "paywall", "ad-free"}

// softJunk reports, with the reason, lines that are boilerplate when they
// do not continue a sentence: interface lines, stamps, tag lists, headings
// and fragments. "" means keep.
//
// In a shouting text (more capitals than lower-case letters) letter case
// says nothing, so only the length-based rules apply.
func softJunk(info []lineInfo, i int, shouting bool) string {
	li := &info[i]
	if !li.letters {
		return "no letters"
	}
	// A line that ends open ("of the", ","; four words or more, so
	// that "Accept all" is not taken for one), or is followed by a line
	// starting in lower case (not a tag list), starts a wrapped sentence.
	if li.words >= 4 && li.openEnd || i+1 < len(info) && info[i+1].firstLower && !isTagList(info[i+1].body) {
		return ""
	}
	if li.words <= 8 && (!li.finished || strings.HasSuffix(li.body, ":")) {
		lc := li.lower()
		for _, p := range uiStarts {
			if strings.HasPrefix(lc, p) && (len(lc) == len(p) || !isWordByte(lc[len(p)])) {
				return "interface line"
			}
		}
	}
	if li.words <= 12 {
		lc := li.lower()
		for _, w := range uiWords {
			if strings.Contains(lc, w) {
				return "subscription prompt"
			}
		}
	}
	if li.words <= 10 && strings.ContainsAny(li.body, "0123456789") && isStamp(li.lower()) {
		return "date or time stamp"
	}
	if li.finished {
		return ""
	}
	if isTagList(li.body) {
		return "tag list"
	}
	if li.words <= 3 || !shouting && li.lowerWords < 2 {
		return "fragment"
	}
	if shouting {
		return ""
	}
	if li.firstLower {
		return "" // headings start with a capital
	}
	if li.body != li.text && li.words >= 6 && li.text[0] >= '0' && li.text[0] <= '9' {
		return "" // a numbered paragraph ("81. As Mr. Ceausescu said")
	}
	if li.words <= 25 && titleLike(li.body) {
		return "heading" // a long line of names is prose, not a headline
	}
	// A paragraph of one line of at most eight words without final
	// punctuation: a title.
	alone := (i == 0 || info[i-1].blank) && (i+1 == len(info) || info[i+1].blank)
	if alone && li.words <= 8 {
		return "title"
	}
	return ""
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// stampWords may appear in a date or time stamp besides numbers.
var stampWords = set("gmt", "utc", "cet", "cest", "est", "edt", "pst", "msk", "am", "pm",
	"a.m", "p.m", "updated", "published", "posted", "last", "on", "at", "h")

// isStamp reports lines made only of a date and/or time: digits, month
// and weekday names and a few stamp words.
func isStamp(lc string) bool {
	hasDigit := false
	for _, f := range strings.FieldsFunc(lc, func(r rune) bool {
		return !unicode.IsLetter(r) && !(r >= '0' && r <= '9')
	}) {
		letters := strings.TrimFunc(f, func(r rune) bool { return r >= '0' && r <= '9' })
		if letters != f {
			hasDigit = true
		}
		// "gmt29" is a zone glued to a day.
		letters = strings.TrimRightFunc(letters, func(r rune) bool { return r >= '0' && r <= '9' })
		letters = strings.TrimLeftFunc(letters, func(r rune) bool { return r >= '0' && r <= '9' })
		if letters == "" {
			continue
		}
		if strings.Trim(letters, "abcdefghijklmnopqrstuvwxyz") != "" {
			// Letters and digits mixed inside ("gmt29november"): split.
			letters = strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return ' '
				}
				return r
			}, letters)
		}
		for _, w := range strings.Fields(letters) {
			if _, ok := months[w]; ok || weekdays[w] || stampWords[w] || (len(w) <= 2 && (w == "st" || w == "nd" || w == "rd" || w == "th")) {
				continue
			}
			return false
		}
	}
	return hasDigit
}

// isTagList reports a line of at least four short items (at most three
// words, no function word) separated by commas, "|" or "·", as in a list
// of tags or topics.
func isTagList(s string) bool {
	items := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' || r == '·' })
	if len(items) < 4 {
		return false
	}
	for _, it := range items {
		ws := strings.Fields(it)
		if len(ws) == 0 || len(ws) > 3 {
			return false
		}
		for _, w := range ws {
			if isFunctionWord(w) {
				return false
			}
		}
	}
	return true
}

// titleLike reports lines whose content words (not function words) are
// capitalised, as in headlines and menus: at least three content words and
// at least 90% of them capitalised (prose full of names, "the United
// Nations Multidimensional", stays below). Words not starting with a
// letter (after opening punctuation) do not count.
func titleLike(s string) bool {
	content, caps := 0, 0
	for len(s) > 0 {
		i := 0
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		w := s[i:j]
		s = s[j:]
		// Leading and trailing punctuation.
		for len(w) > 0 {
			r, n := utf8.DecodeRuneInString(w)
			if r != '"' && r != '\'' && r != '(' && r != '[' && r != '‘' && r != '“' {
				break
			}
			w = w[n:]
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) {
			continue
		}
		for len(w) > 0 {
			r, n := utf8.DecodeLastRuneInString(w)
			if !strings.ContainsRune(",.:;'\"’”()", r) {
				break
			}
			w = w[:len(w)-n]
		}
		if isFunctionWord(w) {
			continue
		}
		content++
		if unicode.IsUpper(r) {
			caps++
		}
	}
	return content >= 3 && caps*10 >= content*9
}

// isFunctionWord looks w up in functionWords without allocating for
// short ASCII words.
func isFunctionWord(w string) bool {
	if len(w) > 12 {
		return false
	}
	var buf [12]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return functionWords[string(buf[:len(w)])]
}

// finishBlock applies the density rule to the block lines[from:to].
func finishBlock(info []lineInfo, keep []bool, from, to int) {
	n := to - from
	if isLinkList(info[from:to]) {
		for i := from; i < to; i++ {
			if keep[i] {
				keep[i] = false
				info[i].why = "list of links or headlines"
			}
		}
		return
	}
	if n < 3 {
		return
	}
	dropped := 0
	for i := from; i < to; i++ {
		if !keep[i] {
			dropped++
		}
	}
	if dropped*2 < n {
		return
	}
	for i := from; i < to; i++ {
		if keep[i] && !info[i].finished {
			keep[i] = false
			info[i].why = "in a block of boilerplate"
		}
	}
}
