package shard

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Expand returns the output name template gives shard s: %i is s.Index,
// zero-padded to the width of s.Count so that the parts sort, %n is
// s.Count and %% a literal %. A run that is not split is part 0 of 1.
// Any other % is an error.
func Expand(template string, s Shard) (string, error) {
	i, n := s.Index, s.Count
	if !s.Split() {
		i, n = 0, 1
	}
	width := len(strconv.Itoa(n))
	var b strings.Builder
	for k := 0; k < len(template); k++ {
		c := template[k]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if k+1 == len(template) {
			return "", fmt.Errorf("%s: a %% at the end: write %%%% for a literal %%", template)
		}
		k++
		switch template[k] {
		case 'i':
			fmt.Fprintf(&b, "%0*d", width, i)
		case 'n':
			fmt.Fprintf(&b, "%d", n)
		case '%':
			b.WriteByte('%')
		default:
			return "", fmt.Errorf("%s: unknown %%%c: use %%i (shard index), %%n (shard count) or %%%% (a literal %%)", template, template[k])
		}
	}
	return b.String(), nil
}

// HasIndex reports whether template holds %i, so that every shard's
// output has its own name.
func HasIndex(template string) bool {
	for k := 0; k+1 < len(template); k++ {
		if template[k] == '%' {
			if template[k+1] == 'i' {
				return true
			}
			k++ // %% and the like
		}
	}
	return false
}

// Part is a file holding one part of a split run, as its name says.
type Part struct {
	Path         string
	Index, Count int
	digits       string // the index as written, for the name of a missing part
	loc          []int  // where the index is in the base name
}

// partName is "<i>-of-<n>" in a base name, not inside a longer number:
// "part-03-of-16.csv", "ungdc.2-of-4.csv".
var partName = regexp.MustCompile(`(?:^|[^0-9])([0-9]+)-of-([0-9]+)(?:[^0-9]|$)`)

// ParsePart reads the part a file's base name says it holds, the last
// "<i>-of-<n>" in it (as Expand writes "part-%i-of-%n.csv"); ok is false
// for a name without one.
func ParsePart(path string) (p Part, ok bool) {
	base := filepath.Base(path)
	all := partName.FindAllStringSubmatchIndex(base, -1)
	if len(all) == 0 {
		return Part{}, false
	}
	m := all[len(all)-1]
	i, err1 := strconv.Atoi(base[m[2]:m[3]])
	n, err2 := strconv.Atoi(base[m[4]:m[5]])
	if err1 != nil || err2 != nil {
		return Part{}, false // too many digits for an int
	}
	return Part{Path: path, Index: i, Count: n, digits: base[m[2]:m[3]], loc: []int{m[2], m[3]}}, true
}

// name returns the path of part i of p's run, named as p is.
func (p Part) name(i int) string {
	base := filepath.Base(p.Path)
	idx := fmt.Sprintf("%0*d", len(p.digits), i)
	return filepath.Join(filepath.Dir(p.Path), base[:p.loc[0]]+idx+base[p.loc[1]:])
}

// CheckParts checks that the files of paths whose names say they are parts
// (ParsePart) make up whole runs of one count: every part 0..n-1 once.
// Files of other names are whole runs and are not checked here. It
// returns every problem found, joined: a part missing (naming the file
// expected), a part given twice (naming both files), a part index out of
// range, and parts of different counts.
func CheckParts(paths []string) error {
	var parts []Part
	counts := map[int][]Part{}
	for _, path := range paths {
		if p, ok := ParsePart(path); ok {
			parts = append(parts, p)
			counts[p.Count] = append(counts[p.Count], p)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	var problems []error
	if len(counts) > 1 {
		var desc []string
		for _, n := range slices.Sorted(maps.Keys(counts)) {
			desc = append(desc, fmt.Sprintf("%d of %d (%s)", len(counts[n]), n, counts[n][0].Path))
		}
		problems = append(problems, fmt.Errorf("parts of runs split differently: %s; give the parts of one run", strings.Join(desc, ", ")))
	}
	for _, n := range slices.Sorted(maps.Keys(counts)) {
		seen := make(map[int]Part, n)
		for _, p := range counts[n] {
			if p.Count < 1 || p.Index >= p.Count {
				problems = append(problems, fmt.Errorf("%s: part %d of %d: no such part (0 ≤ i < n)", p.Path, p.Index, p.Count))
				continue
			}
			if q, dup := seen[p.Index]; dup {
				problems = append(problems, fmt.Errorf("part %d of %d given twice: %s and %s", p.Index, n, q.Path, p.Path))
				continue
			}
			seen[p.Index] = p
		}
		first := counts[n][0]
		for i := range n {
			if _, ok := seen[i]; !ok {
				problems = append(problems, fmt.Errorf("part %d of %d missing: expected %s", i, n, first.name(i)))
			}
		}
	}
	return errors.Join(problems...)
}

// Inputs expands report's input arguments into files: a folder gives the
// files in it (hidden ones aside, such as an unfinished run's temporary
// files), every one of which must be a part (ParsePart), sorted by
// index; an argument that names no file and holds a glob pattern gives
// the files it matches (an error when none does); anything else, "-"
// included, is itself. It does not check that the parts are complete
// (CheckParts does).
func Inputs(args []string) ([]string, error) {
	var files []string
	var problems []error
	for _, arg := range args {
		if arg == "-" {
			files = append(files, arg)
			continue
		}
		fi, err := os.Stat(arg)
		switch {
		case err == nil && fi.IsDir():
			got, err := folderParts(arg)
			if err != nil {
				problems = append(problems, err)
			}
			files = append(files, got...)
		case err != nil && strings.ContainsAny(arg, "*?["):
			matches, gerr := filepath.Glob(arg)
			switch {
			case gerr != nil:
				problems = append(problems, fmt.Errorf("%s: %v", arg, gerr))
			case len(matches) == 0:
				problems = append(problems, fmt.Errorf("%s: no file matches", arg))
			}
			files = append(files, matches...)
		default:
			files = append(files, arg) // its reader reports a missing file
		}
	}
	return files, errors.Join(problems...)
}

// folderParts lists the parts in dir, sorted by count and index.
func folderParts(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var parts []Part
	var problems []error
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		p, ok := ParsePart(path)
		if !ok {
			problems = append(problems, fmt.Errorf("%s: not a part of a split run (no <i>-of-<n> in its name, as -out part-%%i-of-%%n.csv writes): a folder given to report holds the parts of one run only", path))
			continue
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 && len(problems) == 0 {
		problems = append(problems, fmt.Errorf("%s: no part in this folder", dir))
	}
	slices.SortFunc(parts, func(a, b Part) int {
		if a.Count != b.Count {
			return a.Count - b.Count
		}
		return a.Index - b.Index
	})
	files := make([]string, len(parts))
	for i, p := range parts {
		files[i] = p.Path
	}
	return files, errors.Join(problems...)
}

// Output returns the output file shard s writes for the -out template:
// Expand's name, or "-" (standard output) as it is. A shard its
// scheduler gave (every process of the array running the same command
// line) needs %i in the template, else every process would write the
// same file: that is an error. With -shard given, a name without %i is
// the caller's choice.
func Output(template string, s Shard) (string, error) {
	if template == "-" {
		return template, nil
	}
	if s.Scheduled() && !HasIndex(template) {
		return "", fmt.Errorf("%s: every process of the %s would write this file: put %%i (and %%n) in the name, as in part-%%i-of-%%n.csv", template, schedulerName(s.From))
	}
	return Expand(template, s)
}

func schedulerName(from string) string {
	if from == FromSlurm {
		return "Slurm array"
	}
	return "Kubernetes Indexed Job"
}
