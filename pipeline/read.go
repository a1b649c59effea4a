package pipeline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stance-project/stance/internal/bom"
)

// Reasons a SkipError gives. Callers count skips by Reason.
const (
	ReasonUnreadable  = "unreadable"       // cannot open, read or decompress
	ReasonUnsupported = "unsupported file" // a format no reader handles
	ReasonMalformed   = "malformed record" // bad JSON line, bad CSV row, bad CSV header
	ReasonInvalidUTF8 = "invalid UTF-8"
	ReasonTooLarge    = "too large" // a document over MaxDocumentBytes
	ReasonNoID        = "no id"
	ReasonNoDate      = "no date"
	ReasonBadDate     = "bad date"
	ReasonNoText      = "no text"
	ReasonDuplicateID = "duplicate id"
	ReasonBadSidecar  = "bad index.csv" // the sidecar itself; its documents fall back to other sources
	ReasonNoSentences = "no sentences"  // used by Ingest: nothing left after cleaning
	ReasonBlankLine   = "blank line"    // a blank line of input read one sentence a line
)

// MaxDocumentBytes is the largest document (a .txt file, a JSON line or a
// CSV text field) the readers accept; larger ones are skipped with
// ReasonTooLarge. It bounds the memory a single document can take.
const MaxDocumentBytes = 32 << 20

// SkipError reports an input that did not become a document: which file,
// which line (0 when the whole file is concerned) and, when known, which
// column of it, why (one of the Reason constants) and the underlying error,
// if any.
type SkipError struct {
	File   string
	Line   int
	Column int // 1-based byte column in Line; 0 when not known (set for CSV syntax errors)
	Reason string
	Err    error
}

// Error formats as "file:line:column: reason: detail", leaving out the
// column when it is 0, the line (and column) when the line is 0 and the
// detail when Err is nil.
func (e *SkipError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *SkipError) Unwrap() error { return e.Err }

func skipf(file string, line int, reason string, format string, args ...any) *SkipError {
	var err error
	if format != "" {
		err = fmt.Errorf(format, args...)
	}
	return &SkipError{File: file, Line: line, Reason: reason, Err: err}
}

// Input formats.
const (
	FormatTXT   = "txt"
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

// CheckFormat returns an error for a format ReadOptions.Format cannot
// force: one other than the Format constants or "" (by content).
func CheckFormat(format string) error {
	switch format {
	case "", FormatTXT, FormatJSONL, FormatCSV:
		return nil
	}
	return fmt.Errorf("want %s, %s or %s", FormatTXT, FormatJSONL, FormatCSV)
}

// ReadOptions says how ReadDocuments reads its inputs.
type ReadOptions struct {
	// Format forces the format of every input file: "txt", "jsonl" or
	// "csv". Empty means detect it from the extension (.txt, .jsonl,
	// .ndjson, .csv, each optionally .gz) or, for a file named on the
	// command line with another extension, from its content.
	Format string

	// OnIgnored, if set, is called with each file a folder walk leaves
	// out as no input, in input order, from the goroutine iterating
	// ReadDocuments: a hidden file (".name") and, when Format is empty, a
	// file whose extension is none of the formats' (a README.md, a .png,
	// an editor's backup ending in ~). Such files are not skips: they
	// yield no error. Files named on the command line are never ignored.
	OnIgnored func(path string)

	// Stdin is what the path "-" reads; nil means os.Stdin.
	Stdin io.Reader
}

// IgnoredFiles says which files of a folder ReadDocuments ignores (with
// an empty ReadOptions.Format: with one, only hidden files), for
// summaries that count them.
const IgnoredFiles = "hidden, or not .txt, .jsonl, .ndjson or .csv"

// ReadDocuments reads documents from files and folders, one at a time, in
// order: paths in the order given, folders walked recursively in lexical
// order. Inside a folder, hidden files and folders (".name") are ignored,
// and so, unless opts.Format forces a format, are files whose extension is
// not an input format's; each ignored file is passed to opts.OnIgnored
// (a hidden folder is left out whole, uncounted). A folder's named pipes,
// sockets and devices are never opened (opening a pipe waits for a
// writer): each is skipped with ReasonUnreadable, "not a regular file". A file named index.csv
// inside a folder is the sidecar of the .txt files next to it (see the txt
// reader), neither a document nor ignored. A file named in paths is read
// whatever its name: by its extension, else by its content; it may be a
// named pipe or a device (a process substitution, /dev/stdin).
// Gzip-compressed files are recognised by their magic number; a file
// whose name ends in .gz must be gzip data, else it is skipped
// (ReasonUnreadable, "not gzip data"). The path "-" reads standard input
// (format by content unless opts.Format says).
//
// Formats:
//   - txt: one document per file; see ReadText for where its id, date,
//     source and metadata come from.
//   - jsonl: one JSON object per line with "id", "date" and "text" (strings;
//     id and date may be numbers), optional "source"; every other scalar
//     field becomes metadata in the order of the line. Blank lines are
//     ignored.
//   - csv: a header with at least id, date and text (any order, any case);
//     source optional; every other column becomes metadata.
//
// Every document has a normalised Date (see NormalizeDate) and a non-empty
// ID unique within the call; File and Line say where it starts.
//
// The error of each pair is nil or a *SkipError for one input that did not
// become a document (unreadable file, malformed line, missing or bad date,
// duplicate id, ...); iteration goes on after it, so a caller counts or
// reports skips and continues. Memory is bounded by the largest document
// (MaxDocumentBytes) plus the set of ids seen.
func ReadDocuments(paths []string, opts ReadOptions) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		r := &reader{opts: opts, seen: map[string]struct{}{}, yield: yield, sidecars: map[string]*sidecar{}}
		for _, p := range paths {
			if !r.path(p) {
				return
			}
		}
	}
}

// reader holds the state of one ReadDocuments iteration.
type reader struct {
	opts     ReadOptions
	seen     map[string]struct{}
	yield    func(Document, error) bool
	sidecars map[string]*sidecar // by folder
}

// emit yields a document after the checks common to all formats.
func (r *reader) emit(d Document) bool {
	if _, dup := r.seen[d.ID]; dup {
		return r.yield(Document{}, skipf(d.File, d.Line, ReasonDuplicateID, "%q", d.ID))
	}
	r.seen[d.ID] = struct{}{}
	return r.yield(d, nil)
}

func (r *reader) skip(e *SkipError) bool { return r.yield(Document{}, e) }

func (r *reader) path(p string) bool {
	if p == "-" {
		in := r.opts.Stdin
		if in == nil {
			in = os.Stdin
		}
		return r.file("-", in, r.opts.Format)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return r.skip(&SkipError{File: p, Reason: ReasonUnreadable, Err: unwrapPath(err)})
	}
	if !fi.IsDir() {
		return r.open(p)
	}
	// WalkDir is lexical already; the list is of names only, small next
	// to the documents.
	type walked struct {
		path    string
		err     error // unreadable
		ignored bool  // no input: hidden, or not an input format
	}
	var files []walked
	root := FollowRoot(p)
	walkErr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if root != p { // name files under the path given, not the link's target
			if rel, err := filepath.Rel(root, path); err == nil {
				path = filepath.Join(p, rel)
			}
		}
		if err != nil {
			files = append(files, walked{path: path, err: unwrapPath(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		hidden := path != p && strings.HasPrefix(name, ".")
		if d.IsDir() {
			if hidden {
				return fs.SkipDir
			}
			return nil
		}
		if name == "index.csv" {
			return nil // a sidecar, read with its .txt files
		}
		ignored := hidden || (r.opts.Format == "" && formatOf(path) == "")
		if !ignored {
			if err := notRegular(path, d); err != nil {
				files = append(files, walked{path: path, err: err})
				return nil
			}
		}
		files = append(files, walked{path: path, ignored: ignored})
		return nil
	})
	if walkErr != nil {
		return r.skip(&SkipError{File: p, Reason: ReasonUnreadable, Err: walkErr})
	}
	for _, f := range files {
		switch {
		case f.err != nil:
			if !r.skip(&SkipError{File: f.path, Reason: ReasonUnreadable, Err: f.err}) {
				return false
			}
		case f.ignored:
			if r.opts.OnIgnored != nil {
				r.opts.OnIgnored(f.path)
			}
		default:
			if !r.open(f.path) {
				return false
			}
		}
	}
	return true
}

// FollowRoot returns the folder a symbolic link p points to, for a walk
// (filepath.WalkDir does not follow a root that is a link), or p itself.
func FollowRoot(p string) string {
	if fi, err := os.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return real
		}
	}
	return p
}

// notRegular returns why the walked file at path is no input — a named
// pipe, a socket or a device (also behind a symbolic link) — or nil for
// a regular file. Opening a named pipe blocks until something writes to
// it, which might be never: a folder walk must not wait on one.
func notRegular(path string, d fs.DirEntry) error {
	mode := d.Type()
	if mode&fs.ModeSymlink != 0 {
		fi, err := os.Stat(path)
		if err != nil {
			return unwrapPath(err)
		}
		if fi.IsDir() {
			return nil // read as before: a folder named like a file is unreadable
		}
		mode = fi.Mode().Type()
	}
	switch {
	case mode.IsRegular():
		return nil
	case mode&fs.ModeNamedPipe != 0:
		return errors.New("not a regular file (a named pipe)")
	case mode&fs.ModeSocket != 0:
		return errors.New("not a regular file (a socket)")
	case mode&fs.ModeDevice != 0:
		return errors.New("not a regular file (a device)")
	}
	return fmt.Errorf("not a regular file (%v)", mode)
}

// unwrapPath drops the *PathError wrapper, whose path the SkipError
// already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// open reads one file; without a forced format, one whose extension says
// none is read by its content.
func (r *reader) open(path string) bool {
	format := r.opts.Format
	if format == "" {
		format = formatOf(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return r.skip(&SkipError{File: path, Reason: ReasonUnreadable, Err: unwrapPath(err)})
	}
	defer f.Close()
	return r.file(path, f, format)
}

// formatOf returns the format implied by the file name, or "".
func formatOf(path string) string {
	name := strings.ToLower(filepath.Base(path))
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".txt", ".text":
		return FormatTXT
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	}
	return ""
}

// file reads one opened input; format "" means sniff.
func (r *reader) file(path string, in io.Reader, format string) bool {
	br := bufio.NewReaderSize(in, 256<<10)
	var src io.Reader = br
	magic, err := br.Peek(2)
	switch {
	case len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		z, err := gzip.NewReader(br)
		if err != nil {
			return r.skip(&SkipError{File: path, Reason: ReasonUnreadable, Err: err})
		}
		defer z.Close()
		br = bufio.NewReaderSize(z, 256<<10)
		src = br
	case path != "-" && strings.EqualFold(filepath.Ext(path), ".gz") && (err == nil || err == io.EOF):
		// Named .gz but not gzip: read as plain data, it would fail in
		// the format's reader with a misleading message, or pass.
		if len(magic) == 0 {
			return r.skip(skipf(path, 0, ReasonUnreadable, "not gzip data (empty file)"))
		}
		return r.skip(skipf(path, 0, ReasonUnreadable, "not gzip data (%w)", gzip.ErrHeader))
	}
	// A BOM (after decompression) is dropped once here for every format.
	bom.Skip(br)
	if format == "" {
		format = sniff(br)
	}
	switch format {
	case FormatJSONL:
		return r.jsonl(path, br)
	case FormatCSV:
		return r.csv(path, src)
	case FormatTXT:
		return r.txt(path, src)
	}
	return r.skip(skipf(path, 0, ReasonUnsupported, "unknown format %q", format))
}

// sniff guesses the format from the first bytes: a '{' means jsonl, a
// first line with id, date and text among comma-separated names means
// csv, anything else txt.
func sniff(br *bufio.Reader) string {
	head, _ := br.Peek(4096)
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		return FormatJSONL
	}
	first := head
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	cols := map[string]bool{}
	for _, c := range strings.Split(string(first), ",") {
		cols[strings.ToLower(strings.Trim(strings.TrimSpace(c), `"`))] = true
	}
	if cols["id"] && cols["date"] && cols["text"] {
		return FormatCSV
	}
	return FormatTXT
}

// readLine reads one line (without its newline) of any length up to max
// bytes, reusing buf. A longer line is consumed and reported with
// errLineTooLong. At the end of input it returns io.EOF with no data.
func readLine(br *bufio.Reader, buf []byte, max int) ([]byte, error) {
	buf = buf[:0]
	tooLong := false
	n := 0
	for {
		chunk, err := br.ReadSlice('\n')
		n += len(chunk)
		if !tooLong {
			if n > max+2 {
				tooLong = true
				buf = buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if n == 0 {
				return buf, io.EOF
			}
			err = nil // a last line without a newline
		}
		if err != nil {
			return buf, err
		}
		if tooLong {
			return buf[:0], errLineTooLong
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, nil
	}
}

var errLineTooLong = fmt.Errorf("line longer than %d bytes", MaxDocumentBytes)

// sortedMetaKeys is used for stable messages.
func sortedMetaKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
