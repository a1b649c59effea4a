package pipeline

import (
	"os"
	"path/filepath"
	"strings"
)

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
