package pipeline

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// AtomicFile is an output file that appears under its name only when
// complete: writes go to a hidden temporary file in the same folder
// (".<name>.tmp-*"), which Commit syncs and renames over the name and
// Abort removes. A run that fails or is interrupted therefore never
// leaves a half-written file under the final name. (A process killed
// outright can leave the hidden temporary file behind, never the target.)
// Errors of CreateAtomic, Write and Commit name the final path, never the
// temporary file, which the user did not ask for.
//
// Writes are buffered. AtomicFile is not safe for concurrent use.
type AtomicFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
	done bool
}

// CreateAtomic starts writing the file at path. The folder must exist.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, withoutTempName(err))
	}
	return &AtomicFile{path: path, f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// Name returns the final path.
func (a *AtomicFile) Name() string { return a.path }

// Write writes to the temporary file. It fails after Commit or Abort.
func (a *AtomicFile) Write(p []byte) (int, error) {
	if a.done {
		return 0, errors.New("write to a committed or aborted file")
	}
	n, err := a.w.Write(p)
	if err != nil {
		err = fmt.Errorf("write %s: %w", a.path, withoutTempName(err))
	}
	return n, err
}

// Commit flushes, syncs and closes the temporary file, makes it readable
// (mode 0644) and renames it to the final path, replacing any file there.
// On failure the temporary file is removed. Commit after Commit or Abort
// is an error.
func (a *AtomicFile) Commit() error {
	if a.done {
		return errors.New("commit of a committed or aborted file")
	}
	a.done = true
	err := a.w.Flush()
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(a.f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("write %s: %w", a.path, withoutTempName(err))
	}
	if d, err := os.Open(filepath.Dir(a.path)); err == nil {
		d.Sync() // make the rename durable; not all systems support it
		d.Close()
	}
	return nil
}

// Abort discards the temporary file. It is a no-op after Commit or Abort,
// so `defer f.Abort()` is the usual way to clean up on every error path.
func (a *AtomicFile) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	a.f.Close()
	if err := os.Remove(a.f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// withoutTempName drops the *fs.PathError wrapper of an operation on the
// temporary file, and the names of an *os.LinkError (the rename), which
// would print the temporary file's name; it keeps the cause, so
// errors.Is(err, fs.ErrNotExist) still holds. Other errors are returned
// as they are.
func withoutTempName(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: %w", le.Op, le.Err)
	}
	return unwrapPath(err)
}

// InputAsOutput returns the first of inputs that is the same file as out
// (os.SameFile: links and other spellings of one path match) or a folder
// out lies in, so that a command can refuse to write its output over a
// file it reads (the atomic rename would replace the input once the run
// ends) or into a folder it reads (a later run would read the output as
// input). Inputs that do not exist match nothing.
func InputAsOutput(out string, inputs []string) (string, bool) {
	o, oerr := os.Stat(out)
	absOut, aerr := filepath.Abs(out)
	for _, in := range inputs {
		i, err := os.Stat(in)
		switch {
		case err != nil:
		case i.IsDir():
			if absIn, err := filepath.Abs(in); err == nil && aerr == nil {
				if rel, err := filepath.Rel(absIn, absOut); err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
					return in, true
				}
			}
		case oerr == nil && os.SameFile(o, i):
			return in, true
		}
	}
	return "", false
}
