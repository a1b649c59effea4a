package labels

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// FastTextOptions says how WriteFastText writes rows.
type FastTextOptions struct {
	// Target is the index of the target to write (one label a line,
	// "__label__favor text"), or -1 to write every target as a
	// multi-label line ("__label__<target>_<value>" for each labelled
	// target, in taxonomy order).
	Target int
	// Lower lowercases the text.
	Lower bool
	// SplitPunct puts spaces around punctuation, as fastText's own
	// tutorials do, so "Ukraine." and "Ukraine" are one word; hyphens and
	// apostrophes inside words and separators inside numbers are kept.
	SplitPunct bool
}

// DefaultFastTextOptions returns the options of `stance labels
// export-fasttext`: all targets, lowercased, punctuation split off.
func DefaultFastTextOptions() FastTextOptions {
	return FastTextOptions{Target: -1, Lower: true, SplitPunct: true}
}

// FastTextText returns s as fastText wants a line's text: one line, words
// separated by single spaces, normalised as opt says.
func FastTextText(s string, opt FastTextOptions) string {
	if opt.Lower {
		s = strings.ToLower(s)
	}
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if opt.SplitPunct && r != '_' && unicode.IsPunct(r) && !inWord(rs, i) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	// A "__label__" inside the text would read as a label.
	return strings.ReplaceAll(strings.Join(strings.Fields(b.String()), " "), "__label__", "label")
}

// inWord reports whether the punctuation rs[i] joins two parts of a word
// or number: a hyphen or apostrophe between letters, a separator between
// digits.
func inWord(rs []rune, i int) bool {
	if i == 0 || i == len(rs)-1 {
		return false
	}
	p, n := rs[i-1], rs[i+1]
	switch rs[i] {
	case '-', '\'', '’':
		return (unicode.IsLetter(p) || unicode.IsDigit(p)) && (unicode.IsLetter(n) || unicode.IsDigit(n))
	case '.', ',':
		return unicode.IsDigit(p) && unicode.IsDigit(n)
	}
	return false
}

// WriteFastText writes rows in fastText's supervised format, one line per
// row: labels then text. A row with nothing to write (its target cell, or
// with Target -1 all its target cells, empty) is skipped and counted.
// Rows with empty text after normalisation are skipped too.
func WriteFastText(w io.Writer, tax Taxonomy, rows []Gold, opt FastTextOptions) (written, skipped int, err error) {
	if opt.Target < -1 || opt.Target >= len(tax.Targets) {
		return 0, 0, fmt.Errorf("labels: fastText target %d out of range", opt.Target)
	}
	bw := bufio.NewWriter(w)
	var line strings.Builder
	for _, g := range rows {
		line.Reset()
		for t, v := range g.Labels {
			if v == "" || (opt.Target >= 0 && t != opt.Target) {
				continue
			}
			line.WriteString("__label__")
			if opt.Target < 0 {
				line.WriteString(tax.Targets[t].Name)
				line.WriteByte('_')
			}
			line.WriteString(v)
			line.WriteByte(' ')
		}
		text := FastTextText(g.Text, opt)
		if line.Len() == 0 || text == "" {
			skipped++
			continue
		}
		line.WriteString(text)
		line.WriteByte('\n')
		if _, err := bw.WriteString(line.String()); err != nil {
			return written, skipped, err
		}
		written++
	}
	return written, skipped, bw.Flush()
}
