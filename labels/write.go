package labels

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Header returns the column names of a gold file for tax with the given
// extra columns: the standard columns, one per target, then the extras.
func Header(tax Taxonomy, extras []string) []string {
	h := slices.Clone(StandardColumns)
	h = append(h, tax.Names()...)
	return append(h, extras...)
}

// WriteGold writes rows as a gold label file (see ReadGold) to w: header,
// then one row each, with the extras' values taken from Gold.Extra (a
// missing key is an empty cell). Every row's Labels must have one entry per
// target of tax; otherwise WriteGold fails before writing that row.
func WriteGold(w io.Writer, tax Taxonomy, extras []string, rows []Gold) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header(tax, extras)); err != nil {
		return err
	}
	n := len(tax.Targets)
	rec := make([]string, 0, len(StandardColumns)+n+len(extras))
	for i, g := range rows {
		if len(g.Labels) != n {
			return fmt.Errorf("labels: row %d (id %q) has %d labels, taxonomy has %d targets", i+1, g.ID, len(g.Labels), n)
		}
		rec = append(rec[:0], g.ID, g.DocID, g.Date, g.Source, g.Text)
		rec = append(rec, g.Labels...)
		for _, e := range extras {
			rec = append(rec, g.Extra[e])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteGoldFile writes rows to path atomically (see WriteFileAtomic).
func WriteGoldFile(path string, tax Taxonomy, extras []string, rows []Gold) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		return WriteGold(w, tax, extras, rows)
	})
}

// WriteFileAtomic calls write with a buffered temporary file in path's
// directory, then syncs it and renames it over path, so path is either
// its old content or the complete new one, never half-written. If write
// or any step fails the temporary file is removed and path is untouched,
// and the error names path (not the temporary file).
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	tmp, err := WriteTemp(path, write)
	if err != nil {
		return err
	}
	if err := CommitTemp(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// OutputFile is one output of WriteFiles: its path and what to write
// there.
type OutputFile struct {
	Path  string
	Write func(io.Writer) error
}

// WriteFiles writes every file or, as far as the file system allows,
// none: each is written to a temporary file in its path's folder (see
// WriteTemp), synced and closed, and only when all of them were written
// are they renamed over their paths (CommitTemp). If any write fails (a
// missing folder, a path that is a folder, a chart that cannot be drawn,
// a full disk) the temporary files are removed and no path is touched;
// only a failing rename, after every file was written, could leave some
// paths replaced and others not. Two files with the same path are an
// error. Errors name the path, never a temporary file.
func WriteFiles(files ...OutputFile) (err error) {
	for i, f := range files {
		for _, g := range files[:i] {
			if samePath(f.Path, g.Path) {
				return fmt.Errorf("write %s: the same file is given for two outputs (%s)", f.Path, g.Path)
			}
		}
		// A folder in the way fails only the rename, once other paths
		// may be replaced: refuse it before anything is written.
		if fi, err := os.Lstat(f.Path); err == nil && fi.IsDir() {
			return fmt.Errorf("write %s: is a directory", f.Path)
		}
	}
	temps := make([]string, 0, len(files))
	defer func() {
		if err != nil {
			for _, t := range temps {
				os.Remove(t) // already renamed (gone) after a failed rename
			}
		}
	}()
	for _, f := range files {
		tmp, werr := WriteTemp(f.Path, f.Write)
		if werr != nil {
			return werr
		}
		temps = append(temps, tmp)
	}
	for i, f := range files {
		if err := CommitTemp(temps[i], f.Path); err != nil {
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

// WriteTemp is WriteFileAtomic's first step: it calls write with a
// buffered new temporary file in path's directory, syncs and closes it,
// and returns its name, for CommitTemp (or os.Remove). If any step fails
// the temporary file is removed, and the error names path.
func WriteTemp(path string, write func(w io.Writer) error) (tmp string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return "", fmt.Errorf("create %s: %w", path, withoutPath(err, ""))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("write %s: %w", path, withoutPath(err, f.Name()))
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err = write(bw); err != nil {
		return "", err
	}
	if err = bw.Flush(); err != nil {
		return "", err
	}
	if err = f.Chmod(0o644); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// CommitTemp renames the temporary file tmp (from WriteTemp) over path;
// the error names path.
func CommitTemp(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, withoutPath(err, ""))
	}
	return nil
}

// withoutPath drops the file name of an *os.PathError about the
// temporary file tmp ("" for any path: the error of creating it) or of an
// *os.LinkError (the rename), keeping the operation's cause; other
// errors, including a write function's own about another file, are
// returned as they are.
func withoutPath(err error, tmp string) error {
	switch e := err.(type) {
	case *os.PathError:
		if tmp == "" || e.Path == tmp {
			return e.Err
		}
	case *os.LinkError:
		return e.Err
	}
	return err
}
