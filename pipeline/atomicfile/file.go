package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// File is an output file that appears under its name only when
// complete: writes go to a hidden temporary file in the same folder
// (".<name>.tmp-<pid>-*", pid the writing process's id), which Commit
// syncs and renames over the name and Abort removes. A run that fails or
// is interrupted therefore never leaves a half-written file under the
// final name. (A process killed outright can leave the hidden temporary
// file behind, never the target; RemoveStale removes it.)
// Errors of Create, Write, Commit and Abort name the final path, never
// the temporary file.
//
// Writes are buffered. A File is not safe for concurrent use.
type File struct {
	path string
	f    *os.File
	w    *bufio.Writer
	done bool // committed or aborted
}

// ErrFolder is wrapped by the error of Create (and WriteFile, WriteFiles)
// for a path that is an existing folder: the rename at the end would fail
// with a confusing "file exists", after all the work.
var ErrFolder = errors.New("is a folder: want the path of a file")

// Create starts writing the file at path. The folder must exist, and path
// must not be one (ErrFolder).
func Create(path string) (*File, error) {
	if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("create %s: %w", path, ErrFolder)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, withoutTempName(err, ""))
	}
	return &File{path: path, f: f, w: bufio.NewWriterSize(nameless{f}, 256<<10)}, nil
}

// Name returns the final path.
func (a *File) Name() string { return a.path }

// Write writes to the temporary file. It fails after Commit or Abort.
func (a *File) Write(p []byte) (int, error) {
	if a.done {
		return 0, errors.New("write to a committed or aborted file")
	}
	n, err := a.w.Write(p)
	if err != nil {
		err = fmt.Errorf("write %s: %w", a.path, err)
	}
	return n, err
}

// Commit flushes, syncs and closes the temporary file, makes it readable
// (mode 0644) and renames it to the final path, replacing any file there.
// On failure the temporary file is removed. Commit after Commit or Abort
// is an error.
func (a *File) Commit() error {
	if a.done {
		return errors.New("commit of a committed or aborted file")
	}
	if err := a.close(); err != nil {
		return err
	}
	return a.rename()
}

// close is Commit's first step: it flushes the temporary file, makes it
// readable (mode 0644), syncs and closes it. On failure it removes the
// temporary file, as Abort. WriteFiles closes every file before it
// renames any.
func (a *File) close() error {
	err := a.w.Flush()
	if err == nil {
		err = a.f.Chmod(0o644)
	}
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", a.path, withoutTempName(err, a.f.Name()))
	}
	return nil
}

// rename is Commit's second step, after close: it renames the temporary
// file over the final path and syncs the folder. On failure it removes
// the temporary file. Either way the File is then done.
func (a *File) rename() error {
	a.done = true
	if err := os.Rename(a.f.Name(), a.path); err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("write %s: %w", a.path, withoutTempName(err, a.f.Name()))
	}
	if d, err := os.Open(filepath.Dir(a.path)); err == nil {
		d.Sync() // make the rename durable; not all systems support it
		d.Close()
	}
	return nil
}

// Abort discards the temporary file. It is a no-op after Commit or Abort,
// so `defer f.Abort()` is the usual way to clean up on every error path.
func (a *File) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	a.f.Close() // already closed after close; the error says only that
	if err := os.Remove(a.f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("abort %s: %w", a.path, withoutTempName(err, a.f.Name()))
	}
	return nil
}

// nameless writes to the temporary file, returning its errors without
// the file's name, so that a write function wrapping them (as
// WriteFile's do) cannot show it.
type nameless struct{ f *os.File }

func (w nameless) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	return n, withoutTempName(err, w.f.Name())
}

// withoutTempName drops the name of the temporary file tmp from err and
// keeps the cause, so errors.Is(err, fs.ErrNotExist) still holds: an
// *fs.PathError about tmp (about any path if tmp is "", for the error of
// creating it) or an *os.LinkError (the rename) becomes its cause. Other
// errors, such as a write function's own about another file, and nil are
// returned as they are.
func withoutTempName(err error, tmp string) error {
	switch e := err.(type) {
	case *fs.PathError:
		if tmp == "" || e.Path == tmp {
			return e.Err
		}
	case *os.LinkError:
		return e.Err
	}
	return err
}
