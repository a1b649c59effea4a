package subword

import (
	"bufio"
	"fmt"
	"io"

	"github.com/stance-project/stance/internal/bom"
)

// maxLineBytes bounds one line read by TrainReader.
const maxLineBytes = 16 << 20

// TrainReader trains on the lines of r (one sentence per line, as Train),
// streaming them; a leading UTF-8 BOM is dropped. A read error or a line longer than 16 MiB fails the
// training, naming the line.
func TrainReader(r io.Reader, cfg Config) (*Tokenizer, error) {
	sc := bufio.NewScanner(bom.NewReader(r))
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	line := 0
	lines := func(yield func(string) bool) {
		for sc.Scan() {
			line++
			if !yield(sc.Text()) {
				return
			}
		}
	}
	t, err := Train(lines, cfg)
	if serr := sc.Err(); serr != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, serr)
	}
	return t, err
}

// Write writes the tokenizer's JSON (the document Load reads) to w.
func (t *Tokenizer) Write(w io.Writer) error {
	data, err := t.JSON()
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}
