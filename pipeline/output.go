package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A PathArg is a file or folder a command reads or writes, as the user
// named it.
type PathArg struct {
	// Flag names it ("-out", "-labels"); "" for a positional argument.
	Flag string
	// Path is as given. "" (not given) and "-" (standard input or
	// output) name no file and are never compared.
	Path string
	// Files, for an output folder, are the names of the files the
	// command may write in it (every one it can write, whether or not
	// this run will); nil for an output file. Inputs ignore it.
	Files []string
	// InPlace marks an input the command exists to update (labels
	// merge's BASE): it may be written as an output, since the command
	// reads it whole before an atomic write replaces it.
	InPlace bool
}

// Paths returns one PathArg per path, each named by flag ("" for
// positional arguments).
func Paths(flag string, paths ...string) []PathArg {
	out := make([]PathArg, len(paths))
	for i, p := range paths {
		out[i] = PathArg{Flag: flag, Path: p}
	}
	return out
}

// OutputFiles returns the files outputs name: an output file's path, and
// for an output folder the path of each file it may hold. "" and "-" are
// left out.
func OutputFiles(outputs []PathArg) []string {
	var files []string
	for _, o := range expand(outputs) {
		files = append(files, o.file)
	}
	return files
}

// OverlapError is the error of CheckOverlap: an output that is one of
// the inputs, lies in an input folder, or is another output.
type OverlapError struct {
	Output PathArg
	// File is the file of an output folder that overlaps; "" when Output
	// is a file.
	File string
	// Input is the input overlapped (for two outputs naming one file,
	// the other output).
	Input PathArg
	// Relation is "same" (one file), "inside" (Output in the folder
	// Input) or "output" (two outputs naming one file).
	Relation string
	// Resolved are the paths compared, once symbolic links are
	// followed, when a link was involved; "" otherwise.
	OutputResolved, InputResolved string
}

func (e *OverlapError) Error() string {
	out := fmt.Sprintf("%s %s", e.Output.Flag, e.Output.Path)
	if e.File != "" {
		out += fmt.Sprintf(" (its file %s)", e.File)
	}
	in := e.Input.Path
	if e.Input.Flag != "" {
		in = e.Input.Flag + " " + in
	}
	var msg string
	switch e.Relation {
	case "inside":
		msg = fmt.Sprintf("%s is in the input folder %s: a later run would read it as input", out, in)
	case "output":
		msg = fmt.Sprintf("%s and %s are the same file: give each output its own name", out, in)
	default:
		msg = fmt.Sprintf("%s is the input %s: the output would replace it", out, in)
	}
	var links []string
	if e.OutputResolved != "" {
		links = append(links, "the output is "+e.OutputResolved)
	}
	if e.InputResolved != "" {
		links = append(links, "the input is "+e.InputResolved)
	}
	if len(links) > 0 {
		msg += " (through a symbolic link: " + strings.Join(links, ", ") + ")"
	}
	return msg
}

// CheckOverlap is the one rule that keeps a command from writing over or
// into what it reads: it returns an *OverlapError for the first output
// file (an output file, or a file an output folder may hold) that
//   - is one of the inputs (the same path once symbolic links are
//     followed, or the same file by os.SameFile: a hard link), unless that
//     input is InPlace: the atomic rename at the end would replace it;
//   - lies in an input folder: a later run would read it as input;
//   - is another output's file.
//
// Paths are compared resolved: made absolute, with every symbolic link
// in them followed; an output that does not exist yet is resolved through
// its nearest existing parent folder, so `link/new.csv` with link a link
// to an input folder is caught. An input that does not exist is compared
// by its path. It reads no file, only the file system's metadata, so a
// command calls it before it reads or writes anything.
func CheckOverlap(outputs, inputs []PathArg) error {
	files := expand(outputs)
	for i, o := range files {
		for _, p := range files[:i] {
			if sameFile(o, p) {
				return o.overlap(p.arg, p, "output")
			}
		}
		for _, in := range inputs {
			if in.Path == "" || in.Path == "-" {
				continue
			}
			r := resolveArg(in.Path)
			if sameFile(o, r) {
				if in.InPlace {
					continue
				}
				return o.overlap(in, r, "same")
			}
			if r.dir && within(o.resolved, r.resolved) {
				return o.overlap(in, r, "inside")
			}
		}
	}
	return nil
}

// checked is a path as CheckOverlap compares it.
type checked struct {
	arg      PathArg
	file     string // the path as given (an output folder's file: joined)
	resolved string // absolute, links followed
	linked   bool   // resolved differs from the lexically cleaned absolute path
	info     os.FileInfo
	dir      bool
}

func resolveArg(path string) checked {
	r := checked{file: path, resolved: resolvePath(path)}
	if abs, err := filepath.Abs(path); err == nil && abs != r.resolved {
		r.linked = true
	}
	if fi, err := os.Stat(r.resolved); err == nil {
		r.info, r.dir = fi, fi.IsDir()
	}
	return r
}

// expand resolves outputs, one entry per output file: each file of an
// output folder separately.
func expand(outputs []PathArg) []checked {
	var files []checked
	for _, o := range outputs {
		if o.Path == "" || o.Path == "-" {
			continue
		}
		if o.Files == nil {
			r := resolveArg(o.Path)
			r.arg = o
			files = append(files, r)
			continue
		}
		for _, name := range o.Files {
			r := resolveArg(filepath.Join(o.Path, name))
			r.arg = o
			files = append(files, r)
		}
	}
	return files
}

func (o checked) overlap(in PathArg, r checked, relation string) *OverlapError {
	e := &OverlapError{Output: o.arg, Input: in, Relation: relation}
	if o.arg.Files != nil {
		e.File = o.file
	}
	if relation == "output" && r.arg.Files != nil {
		e.Input.Path = r.file
	}
	if o.linked || r.linked {
		e.OutputResolved, e.InputResolved = o.resolved, r.resolved
	}
	return e
}

func sameFile(a, b checked) bool {
	if a.resolved == b.resolved {
		return true
	}
	return a.info != nil && b.info != nil && os.SameFile(a.info, b.info)
}

// within reports whether path lies under the folder dir (both resolved).
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// resolvePath returns path made absolute with every symbolic link in it
// followed, as the system would when opening it: the longest prefix that
// exists is resolved by filepath.EvalSymlinks and the rest, which does
// not exist yet, appended; a link to something that does not exist yet
// is followed too. Components are split off without cleaning the path
// first, so "link/../x" is the parent of link's target, as the kernel
// reads it, not the folder holding link.
func resolvePath(path string) string {
	return resolveDepth(path, 0)
}

func resolveDepth(path string, depth int) string {
	sep := string(filepath.Separator)
	if !filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			path = wd + sep + path
		}
	}
	var rest []string // components that do not exist, outermost first
	join := func(head string) string {
		return filepath.Join(append([]string{head}, rest...)...)
	}
	p := path
	for {
		for len(p) > 1 && strings.HasSuffix(p, sep) {
			p = strings.TrimSuffix(p, sep)
		}
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return join(r)
		}
		i := strings.LastIndex(p, sep)
		if i < 0 || p == filepath.VolumeName(p)+sep {
			return filepath.Clean(path)
		}
		// A link whose target does not exist (yet): what is written
		// through it lands at the target.
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 && depth < 40 {
			if target, err := os.Readlink(p); err == nil {
				if !filepath.IsAbs(target) {
					target = p[:i+1] + target
				}
				return join(resolveDepth(target, depth+1))
			}
		}
		if base := p[i+1:]; base != "." && base != "" {
			rest = append([]string{base}, rest...)
		}
		p = p[:i]
		if p == "" || p == filepath.VolumeName(p) { // the root
			p += sep
		}
	}
}
