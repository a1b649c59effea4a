package clusters

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stance-project/stance/internal/bom"
	"github.com/stance-project/stance/labels"
)

// Sentinel errors wrapped by the *labels.ParseError problems of ReadTSV
// (beside labels.ErrFieldCount, labels.ErrEmptyFile and
// labels.ErrInvalidUTF8), for errors.Is.
var (
	ErrHeader        = errors.New("bad header")
	ErrWord          = errors.New("not one lower-case word")
	ErrDuplicateWord = errors.New("duplicate word")
	ErrClusterID     = errors.New("bad cluster id")
)

// maxLineBytes bounds one line of a clusters file: a word and a few
// numbers need far less.
const maxLineBytes = 1 << 20

// WriteTSV writes c as a clusters file: the header "word", then "c<k>"
// for each level k, tab-separated; then one line per word, in c's order:
// the word and its cluster at each level, tab-separated. Lines end in
// "\n". c must be valid (Validate); its Counts are not written.
func (c *Clusters) WriteTSV(w io.Writer) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("write clusters: %w", err)
	}
	bw := bufio.NewWriter(w)
	line := []byte("word")
	for _, k := range c.Levels {
		line = append(line, "\tc"...)
		line = strconv.AppendInt(line, int64(k), 10)
	}
	line = append(line, '\n')
	if _, err := bw.Write(line); err != nil {
		return err
	}
	for i, word := range c.Words {
		line = append(line[:0], word...)
		for _, id := range c.IDs[i] {
			line = append(line, '\t')
			line = strconv.AppendUint(line, uint64(id), 10)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadTSV reads a clusters file (see WriteTSV) from r, one line at a
// time; name is the file's name in errors. A UTF-8 byte order mark at
// the start, "\r" before a line's "\n" and blank lines after the header
// are ignored.
//
// Every problem is a *labels.ParseError at "name:LINE:" wrapping one of
// the sentinels: a header that is not "word" and "c<k>" columns with
// distinct k in 2..MaxLevel (ErrHeader; nothing more is read), a line
// with another number of fields (labels.ErrFieldCount), invalid UTF-8
// (labels.ErrInvalidUTF8), an empty word or one that is not a single
// lower-case word by labels.Words' rule (ErrWord), a word given twice
// (ErrDuplicateWord, naming the first line), a cluster id that is not a
// decimal integer in 0..k-1 (ErrClusterID), no header or no word line
// (labels.ErrEmptyFile). ReadTSV lists every problem (up to 20, then a
// count of the rest), joined, and returns a nil *Clusters with them.
// A read error is returned as it is, wrapped with the name.
func ReadTSV(r io.Reader, name string) (*Clusters, error) {
	sc := bufio.NewScanner(bom.NewReader(r))
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	problem := func(line int, err error, format string, args ...any) *labels.ParseError {
		return &labels.ParseError{File: name, Line: line, Err: err, Detail: fmt.Sprintf(format, args...)}
	}
	scanErr := func(line int) error {
		err := sc.Err()
		if errors.Is(err, bufio.ErrTooLong) {
			return problem(line, labels.ErrFieldCount, "line longer than %d bytes", maxLineBytes)
		}
		return fmt.Errorf("%s: %w", name, err)
	}

	if !sc.Scan() {
		if sc.Err() != nil {
			return nil, scanErr(1)
		}
		return nil, problem(1, labels.ErrEmptyFile, "no header line")
	}
	levels, err := parseHeader(trimCR(sc.Bytes()))
	if err != nil {
		return nil, problem(1, ErrHeader, "%v (want \"word\" then \"c<k>\" columns, tab-separated, as in \"word\\tc64\\tc256\")", err)
	}

	c := &Clusters{Levels: levels}
	var p problems
	firstLine := map[string]int{}
	fields := make([][]byte, 0, len(levels)+1)
	n := 1
	for sc.Scan() {
		n++
		b := trimCR(sc.Bytes())
		if len(b) == 0 { // a blank line, as an editor may leave at the end
			continue
		}
		if !utf8.Valid(b) {
			p.add(problem(n, labels.ErrInvalidUTF8, "%q", b))
			continue
		}
		fields = splitTabs(fields[:0], b)
		if len(fields) != len(levels)+1 {
			p.add(problem(n, labels.ErrFieldCount, "%d fields, want %d (the word and %d levels)", len(fields), len(levels)+1, len(levels)))
			continue
		}
		word := string(fields[0])
		ok := true
		switch {
		case word == "":
			p.add(problem(n, ErrWord, "empty word"))
			ok = false
		case !IsWord(word):
			p.add(problem(n, ErrWord, "%q (labels.Words reads %q)", word, labels.Words(word)))
			ok = false
		default:
			if first, dup := firstLine[word]; dup {
				p.add(problem(n, ErrDuplicateWord, "%q, first on line %d", word, first))
				ok = false
			} else {
				firstLine[word] = n
			}
		}
		ids := make([]uint16, len(levels))
		for l, f := range fields[1:] {
			id, err := strconv.ParseUint(string(f), 10, 16)
			switch {
			case err != nil && errors.Is(err, strconv.ErrRange):
				p.add(problem(n, ErrClusterID, "column c%d: %s: want 0..%d", levels[l], f, levels[l]-1))
				ok = false
			case err != nil:
				p.add(problem(n, ErrClusterID, "column c%d: %q is not a non-negative integer", levels[l], f))
				ok = false
			case int(id) >= levels[l]:
				p.add(problem(n, ErrClusterID, "column c%d: %d: want 0..%d", levels[l], id, levels[l]-1))
				ok = false
			}
			ids[l] = uint16(id)
		}
		if ok && len(p.errs) == 0 {
			c.Words = append(c.Words, word)
			c.IDs = append(c.IDs, ids)
		}
	}
	if sc.Err() != nil {
		return nil, scanErr(n + 1)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	if len(c.Words) == 0 {
		return nil, problem(n, labels.ErrEmptyFile, "a header and no word line")
	}
	return c, nil
}

// parseHeader reads the levels of a header line.
func parseHeader(b []byte) ([]int, error) {
	cols := strings.Split(string(b), "\t")
	if cols[0] != "word" {
		return nil, fmt.Errorf("first column %q", cols[0])
	}
	if len(cols) == 1 {
		return nil, errors.New("no level column")
	}
	levels := make([]int, 0, len(cols)-1)
	var errs []error
	for _, col := range cols[1:] {
		k, err := strconv.Atoi(strings.TrimPrefix(col, "c"))
		if !strings.HasPrefix(col, "c") || err != nil || strings.HasPrefix(col, "c+") {
			errs = append(errs, fmt.Errorf("column %q is not c<k>", col))
			continue
		}
		levels = append(levels, k)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := checkLevels(levels); err != nil {
		return nil, err
	}
	return levels, nil
}

// splitTabs appends the tab-separated fields of b to dst.
func splitTabs(dst [][]byte, b []byte) [][]byte {
	for {
		i := bytes.IndexByte(b, '\t')
		if i < 0 {
			return append(dst, b)
		}
		dst = append(dst, b[:i])
		b = b[i+1:]
	}
}

func trimCR(b []byte) []byte { return bytes.TrimSuffix(b, []byte("\r")) }
