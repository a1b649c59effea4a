// Package bom drops the UTF-8 byte order mark (U+FEFF, bytes EF BB BF)
// that some editors and spreadsheet programs put at the start of a text
// file. Every reader of outside input (documents, sentence and gold label
// CSVs, prediction files, metrics, tokenizer training text) strips it
// through this package, so a file saved "with BOM" reads as the same file
// saved without: its first JSON line, CSV header field or word is not
// spoiled by three invisible bytes.
//
// The package imports nothing of the project, so any package, labels
// included, may use it.
package bom

import (
	"bufio"
	"bytes"
	"io"
)

// BOM is the UTF-8 encoding of U+FEFF.
const BOM = "\ufeff"

// Skip discards a BOM at the start of br, if there is one, and returns
// the number of bytes discarded: len(BOM) or 0. It must be called before
// anything else is read from br. A read error while looking is not
// returned: the caller's next read meets it again.
func Skip(br *bufio.Reader) int {
	b, _ := br.Peek(len(BOM))
	if !bytes.Equal(b, []byte(BOM)) {
		return 0
	}
	n, _ := br.Discard(len(BOM))
	return n
}

// NewReader returns a buffered reader of r without its leading BOM. An r
// that is already a *bufio.Reader (of the default size or more) is used as
// it is, so nothing is buffered twice.
func NewReader(r io.Reader) *bufio.Reader {
	br := bufio.NewReader(r)
	Skip(br)
	return br
}

// Trim returns b without a leading BOM.
func Trim(b []byte) []byte { return bytes.TrimPrefix(b, []byte(BOM)) }
