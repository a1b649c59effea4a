package atomicfile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Output is one output of WriteFiles: its path and what to write there.
type Output struct {
	Path  string
	Write func(io.Writer) error
}

// WriteFile calls write with a buffered temporary file in path's folder,
// then syncs it and renames it over path, so path holds either its old
// content or the complete new one, never half of it. It is WriteFiles
// with one output: if write or any step fails, or path is a folder, the
// temporary file is removed, path is untouched, and the error names path.
func WriteFile(path string, write func(io.Writer) error) error {
	return WriteFiles(Output{Path: path, Write: write})
}

// WriteFiles writes every output or, as far as the file system allows,
// none: each is written to a temporary file in its path's folder, synced
// and closed, and only when all of them were written are they renamed
// over their paths. If any write fails (a missing folder, a chart that
// cannot be drawn, a full disk) the temporary files are removed and no
// path is touched; only a failing rename, after every file was written,
// could leave some paths replaced and others not. Two outputs naming one
// file, and a folder in an output's place, are refused before anything is
// written. Errors name the path, never a temporary file.
func WriteFiles(outputs ...Output) error {
	for i, o := range outputs {
		for _, p := range outputs[:i] {
			if samePath(o.Path, p.Path) {
				return fmt.Errorf("write %s: the same file is given for two outputs (%s)", o.Path, p.Path)
			}
		}
		// A folder in the way fails only the rename, once other paths
		// may be replaced: refuse it before anything is written.
		if fi, err := os.Lstat(o.Path); err == nil && fi.IsDir() {
			return fmt.Errorf("write %s: %w", o.Path, ErrFolder)
		}
	}
	files := make([]*File, 0, len(outputs))
	defer func() {
		for _, f := range files {
			f.Abort() // a no-op for the files renamed
		}
	}()
	for _, o := range outputs {
		f, err := Create(o.Path)
		if err != nil {
			return err
		}
		files = append(files, f)
		if err := o.Write(f.w); err != nil {
			return fmt.Errorf("write %s: %w", o.Path, err)
		}
		if err := f.close(); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := f.rename(); err != nil {
			return err
		}
	}
	return nil
}

// samePath reports whether a and b name one file: the same absolute
// path, or (when both exist) the same file by os.SameFile.
func samePath(a, b string) bool {
	if x, err := filepath.Abs(a); err == nil {
		if y, err := filepath.Abs(b); err == nil && x == y {
			return true
		}
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// Stdout is the path that names standard output in WriteOutputs (and on
// every command line of the project).
const Stdout = "-"

// WriteOutputs is WriteFiles where an output whose Path is Stdout ("-")
// goes to stdout instead of a file, with no temporary file. A lone output
// to stdout is streamed. Beside other outputs, it is first written to
// memory, so that a failing output still leaves every file untouched and
// writes nothing to stdout; stdout gets it once every file is in place.
// Two outputs to stdout are refused before anything is written.
func WriteOutputs(stdout io.Writer, outputs ...Output) error {
	var files, toStdout []Output
	for _, o := range outputs {
		if o.Path == Stdout {
			toStdout = append(toStdout, o)
		} else {
			files = append(files, o)
		}
	}
	switch {
	case len(toStdout) == 0:
		return WriteFiles(files...)
	case len(toStdout) > 1:
		return fmt.Errorf("write %s: standard output is given for %d outputs", Stdout, len(toStdout))
	case len(files) == 0:
		return toStdout[0].Write(stdout)
	}
	var buf bytes.Buffer
	if err := toStdout[0].Write(&buf); err != nil {
		return fmt.Errorf("write %s: %w", Stdout, err)
	}
	if err := WriteFiles(files...); err != nil {
		return err
	}
	_, err := buf.WriteTo(stdout)
	return err
}
